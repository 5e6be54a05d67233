"""The JSON shapes of the API, as pydantic schemas (they are also the OpenAPI document).

Dates are ISO 8601 strings in UTC with a ``Z``. Fields called ``from`` are ``from_`` in Python.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict

MAX_ID = 2**63 - 1  # ids in paths beyond this are refused (422) before reaching the database


class Error(Schema):
    error: str = Field(description="Machine-readable code, e.g. not_found, query_error.")
    detail: Any = Field(description="What went wrong, for people.")
    position: int | None = Field(
        None, description="query_error only: offset in q where parsing failed."
    )


class _Out(Schema):
    model_config = ConfigDict(populate_by_name=True)


class FacetValue(Schema):
    value: str | None
    count: int


class Facet(Schema):
    values: list[FacetValue] = []
    truncated: bool = False
    timed_out: bool = Field(False, description="The facet ran past its time budget; no values.")


class Hit(_Out):
    id: int
    message_id: str
    subject: str
    from_: str = Field(alias="from")
    from_name: str
    to: list[str]
    date: str | None
    collection: str = Field(description="The first collection granted to you that holds it.")
    thread_id: int | None
    thread_size: int = Field(description="Messages of the thread visible to you.")
    snippet: str = Field(
        description="HTML: the matched extract with every character escaped and the matched "
        "words wrapped in <mark>…</mark>; safe to insert as HTML. Empty with snippets=false."
    )
    has_attachments: bool


class SearchOut(Schema):
    query: str
    total: int = Field(description="Hits in the collections granted to you.")
    offset: int
    limit: int
    hits: list[Hit]
    facets: dict[str, Facet] | None = Field(
        None, description="sender, domain, month, collection (with facets=true)."
    )


class Summary(_Out):
    id: int
    message_id: str
    subject: str
    from_: str = Field(alias="from")
    from_name: str
    to: list[str]
    cc: list[str] = []
    date: str | None
    collection: str
    thread_id: int | None
    has_attachments: bool


class AttachmentMeta(Schema):
    id: int
    part: int
    filename: str
    content_type: str
    size: int
    sha256: str | None = None
    text_length: int | None = Field(None, description="Characters of extracted text.")


class LocationOut(Schema):
    collection: str
    path: str
    position: str
    container: str
    raw_sha256: str | None = None


class Provenance(Schema):
    sha256: str = Field(description="SHA-256 of the original bytes.")
    size: int
    locations: list[LocationOut] = Field(description="Every place it was found (yours).")


class DocumentOut(Summary):
    in_reply_to: str
    references: list[str]
    size: int
    raw_sha256: str
    headers: list[list[str]] = Field(description="[name, decoded value] in order.")
    body: str = Field(description="The body as plain text.")
    attachments: list[AttachmentMeta]
    locations: list[LocationOut]
    provenance: Provenance


class AttachmentOut(AttachmentMeta):
    message_id: int = Field(description="Id of the message it belongs to.")
    text: str = Field(description="Text extracted from it ('' if none).")
    text_error: str | None = None


class ThreadMessage(Summary):
    parent_id: int | None
    depth: int


class ThreadOut(Schema):
    id: int
    subject: str
    message_count: int
    first_date: str | None
    last_date: str | None
    messages: list[ThreadMessage] = Field(description="Tree order: parents before replies.")


class RelatedOut(_Out):
    id: int
    subject: str
    from_: str = Field(alias="from")
    from_name: str
    date: str | None
    collection: str
    thread_id: int | None
    reason: str = Field(description="participants (same people as its thread) or terms.")


class CommentOut(Schema):
    id: int
    author: str
    body: str = Field(description="Plain text, as typed: escape it before showing it as HTML.")
    created_at: str
    edited_at: str | None
    hidden: bool
    can_edit: bool
    can_hide: bool


class TokenIn(Schema):
    name: str = Field(min_length=1, max_length=100, description="What the token is for.")


class TokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(description="The first characters of the secret, to tell tokens apart.")
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreated(TokenOut):
    secret: str = Field(description="Shown this once; send it as Authorization: Bearer <secret>.")


class CommentIn(Schema):
    body: str = Field(min_length=1, max_length=10000)


class AuditEventOut(Schema):
    seq: int
    created_at: str
    action: str
    actor: str
    target: str
    details: dict[str, Any]
    ip: str
    hash: str
