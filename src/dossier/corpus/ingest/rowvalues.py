"""The values of a new message's rows, computed in the parser worker instead of the writer.

Ingest runs one writer and several parser workers; once parsing got cheap the writer became the
bottleneck (``bench/profiles/README.md``). Everything about a message's rows that does not
depend on the database's state is therefore prepared where the message was parsed: the keys its
references are threaded by, its address texts, sender domain and month, its attachment texts,
and its row values as SQLite stores them (JSON lists as text, dates as naive UTC text, exactly
as Django's fields store them: ``tests/corpus/test_rows.py`` compares). The writer adds only
what it alone knows (collection, thread, time of insertion).

Pure functions of the parsed message: no Django, so the worker processes stay small.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from dossier.corpus.ingest.types import ParsedMessage
from dossier.corpus.search.words import field_terms

# Characters of the subject the SQLite index holds (``index.INDEXED_CHARS`` reads it from here:
# that module imports Django, which the workers do not load).
SUBJECT_INDEXED = 10_000
# Characters of the attachments' text kept in the message row: the row's copy is only what the
# index reads (``index.INDEXED_CHARS``; PostgreSQL reads less), while each attachment's whole
# text stays with its blob (up to ``extractors.MAX_TEXT_CHARS``). A message with ten long PDFs
# would otherwise carry 50 million characters through the writer and into the table.
ATTACHMENT_TEXT_KEPT = 1_000_000

# The columns of ``corpus_message`` a worker fills, in this order (see ``writer.MESSAGE_FIELDS``).
WORKER_FIELDS = (
    "raw", "subject", "from_addr", "from_name", "sender_domain", "to_addrs", "cc_addrs", "date",
    "month", "in_reply_to", "references", "has_attachments", "size", "body_text", "from_text",
    "to_text", "cc_text", "attachment_text", "filenames", "subject_terms",
)  # fmt: skip


def id_key(message_id: str) -> str:
    """The key of a normalised Message-ID: the same as a message's identity when it has one."""
    return hashlib.sha256(("mid:" + message_id).encode("utf-8", "surrogatepass")).hexdigest()


def sqlite_datetime(value: datetime | None) -> str | None:
    """An aware datetime as Django stores it in SQLite: naive UTC, ``str()`` format."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return str(value)


def sqlite_json(value: Any) -> str | None:
    """A JSON field's value as Django stores it in SQLite."""
    return None if value is None else json.dumps(value)


def addresses_text(pairs: list[tuple[str, str]]) -> str:
    return ", ".join(f"{name} <{addr}>" if name else addr for name, addr in pairs)


def values(p: ParsedMessage) -> list[Any]:
    """The ``WORKER_FIELDS`` of ``p``'s message row, as Python values (any database)."""
    domain = p.from_addr.rpartition("@")[2] if "@" in p.from_addr else ""
    return [
        p.raw_sha256,
        p.subject,
        p.from_addr[:320],
        p.from_name,
        domain[:255],
        [addr for _, addr in p.to],
        [addr for _, addr in p.cc],
        p.date,
        p.date.strftime("%Y-%m") if p.date else "",
        p.in_reply_to,
        list(p.references),
        bool(p.attachments),
        p.size,
        p.body_text,
        addresses_text([(p.from_name, p.from_addr)]),
        addresses_text(p.to),
        addresses_text(p.cc),
        attachments_text(p),
        " ".join(a.filename for a in p.attachments if a.filename),
        subject_terms(p.subject),
    ]


def attachments_text(p: ParsedMessage) -> str:
    """The message row's ``attachment_text``: its attachments' texts, up to
    ``ATTACHMENT_TEXT_KEPT`` characters."""
    texts, size = [], 0
    for a in p.attachments:
        if a.text and size < ATTACHMENT_TEXT_KEPT:
            texts.append(a.text[: ATTACHMENT_TEXT_KEPT - size])
            size += len(texts[-1]) + 2
    return "\n\n".join(texts)[:ATTACHMENT_TEXT_KEPT]


def subject_terms(subject: str) -> str:
    """The ``subject_terms`` column: the indexed part of the subject as field terms."""
    return field_terms(subject[:SUBJECT_INDEXED])


_SQLITE_ADAPTED = tuple(
    WORKER_FIELDS.index(name) for name in ("to_addrs", "cc_addrs", "references")
)
_DATE = WORKER_FIELDS.index("date")


def sqlite_values(p: ParsedMessage) -> tuple:
    """``values(p)`` adapted as Django adapts them for SQLite, ready for ``executemany``."""
    row = values(p)
    for i in _SQLITE_ADAPTED:
        row[i] = sqlite_json(row[i])
    row[_DATE] = sqlite_datetime(row[_DATE])
    return tuple(row)


def prepare(p: ParsedMessage) -> None:
    """Fill ``p.reference_keys`` and ``p.sqlite_row`` (run in the worker)."""
    p.reference_keys = [id_key(ref) for ref in p.references]
    p.sqlite_row = sqlite_values(p)
