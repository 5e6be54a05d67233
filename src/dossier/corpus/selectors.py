"""Reads over the corpus: one message in full, one thread as a tree, workspace statistics.

The CLI, web views and API all read through these functions (and ``search.service``), so what one
edge shows the others show too. ``collection_ids`` (None = everything) restricts what is visible.
"""

from __future__ import annotations

import email
import email.policy
from datetime import datetime
from email.header import decode_header, make_header

from django.db.models import Count, Q, Sum

from dossier.blobs import BlobStore
from dossier.corpus.models import (
    Attachment,
    Collection,
    IngestFailure,
    Location,
    Message,
    Thread,
)
from dossier.corpus.threading import build_tree, id_key
from dossier.errors import NotFound


def iso(value: datetime | None) -> str | None:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def _visible(qs, collection_ids: set[int] | None):
    if collection_ids is None:
        return qs
    return qs.filter(locations__collection_id__in=collection_ids).distinct()


def get_message(ref: str | int, *, collection_ids: set[int] | None = None) -> Message:
    """A message by its numeric id or by its Message-ID (with or without ``<>``)."""
    text = str(ref).strip()
    qs = _visible(Message.objects.select_related("collection"), collection_ids)
    if text.isdigit():
        found = qs.filter(id=int(text)).first()
    else:
        found = qs.filter(identity=id_key(text.strip().strip("<>").strip())).first()
    if found is None:
        raise NotFound(f"no message {text!r} in this workspace")
    return found


def message_summary(m: Message) -> dict:
    return {
        "id": m.id,
        "message_id": m.message_id,
        "subject": m.subject,
        "from": m.from_addr,
        "from_name": m.from_name,
        "to": list(m.to_addrs),
        "cc": list(m.cc_addrs),
        "date": iso(m.date),
        "collection": m.collection.name,
        "thread_id": m.thread_id,
        "has_attachments": m.has_attachments,
    }


def decode_header_value(value: str) -> str:
    try:
        return str(make_header(decode_header(value)))
    except (LookupError, ValueError, UnicodeError, AssertionError):
        return str(value)


def raw_headers(m: Message, blobs: BlobStore) -> list[list[str]]:
    """The message's headers, decoded, in order, read from its stored raw bytes."""
    raw = blobs.read(m.raw_id)
    head = raw.split(b"\n\n", 1)[0].split(b"\r\n\r\n", 1)[0]
    parsed = email.message_from_bytes(head + b"\n\n", policy=email.policy.compat32)
    return [[name, decode_header_value(value)] for name, value in parsed.items()]


def message_detail(m: Message, blobs: BlobStore) -> dict:
    detail = message_summary(m)
    attachments = Attachment.objects.filter(message=m).select_related("blob").order_by("part")
    detail.update(
        {
            "in_reply_to": m.in_reply_to,
            "references": list(m.references),
            "size": m.size,
            "raw_sha256": m.raw_id,
            "headers": raw_headers(m, blobs),
            "body": m.body_text,
            "attachments": [
                {
                    "part": a.part,
                    "filename": a.filename,
                    "content_type": a.content_type,
                    "size": a.size,
                    "sha256": a.blob_id,
                    "text_length": len(a.blob.text),
                    "text_error": a.blob.text_error or None,
                }
                for a in attachments
            ],
            "locations": [
                {
                    "collection": loc.collection.name,
                    "path": loc.source_path,
                    "position": loc.position,
                    "container": loc.container,
                    "raw_sha256": loc.raw_id,
                }
                for loc in m.locations.select_related("collection").order_by("id")
            ],
        }
    )
    return detail


def thread_detail(ref: str | int, *, collection_ids: set[int] | None = None) -> dict:
    """A thread by id, or the thread of a message given as ``msg:ID`` / a Message-ID."""
    text = str(ref).strip()
    if text.isdigit():
        thread = Thread.objects.filter(id=int(text)).first()
    else:
        thread = get_message(text.removeprefix("msg:"), collection_ids=collection_ids).thread
    if thread is None:
        raise NotFound(f"no thread {text!r} in this workspace")
    messages = list(
        _visible(Message.objects.filter(thread=thread).select_related("collection"), collection_ids)
    )
    if not messages:
        raise NotFound(f"no thread {text!r} in this workspace")
    by_id = {m.id: m for m in messages}
    nodes = build_tree(messages)
    return {
        "id": thread.id,
        "subject": thread.subject,
        "message_count": len(messages),
        "first_date": iso(thread.first_date),
        "last_date": iso(thread.last_date),
        "messages": [
            {**message_summary(by_id[n.message_id]), "parent_id": n.parent_id, "depth": n.depth}
            for n in nodes
        ],
    }


def corpus_stats() -> dict:
    messages = Message.objects.count()
    locations = Location.objects.count()
    per_collection = (
        Collection.objects.annotate(
            n_messages=Count("locations__message", distinct=True), n_locations=Count("locations")
        )
        .values("name", "n_messages", "n_locations")
        .order_by("name")
    )
    dated = Message.objects.filter(date__isnull=False).order_by("date")
    first, last = dated.values_list("date", flat=True).first(), None
    if first is not None:
        last = dated.order_by("-date").values_list("date", flat=True).first()
    return {
        "messages": messages,
        "locations": locations,
        "duplicates": locations - messages,
        "threads": Thread.objects.filter(message_count__gt=0).count(),
        "attachments": Attachment.objects.count(),
        "messages_with_attachments": Message.objects.filter(has_attachments=True).count(),
        "failures": IngestFailure.objects.count(),
        "undated_messages": Message.objects.filter(date__isnull=True).count(),
        "first_date": iso(first),
        "last_date": iso(last),
        "raw_bytes": Message.objects.aggregate(n=Sum("size"))["n"] or 0,
        "collections": [
            {"name": c["name"], "messages": c["n_messages"], "locations": c["n_locations"]}
            for c in per_collection
        ],
        "senders": Message.objects.exclude(from_addr="").values("from_addr").distinct().count(),
        "multi_location_messages": Message.objects.annotate(n=Count("locations"))
        .filter(Q(n__gt=1))
        .count(),
    }
