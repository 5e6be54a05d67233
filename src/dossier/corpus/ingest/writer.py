"""The one writer: commits a batch of parsed members in one transaction.

For each batch: new messages become rows (with their thread, attachments and search index
entries); a message already stored gains one more ``Location``; failures are upserted; containers
read to the end are marked complete. Everything in one transaction, so a run killed at any point
leaves whole batches only, and the rerun picks up exactly where it stopped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from dossier.corpus.ingest.rows import insert, lookup
from dossier.corpus.ingest.types import Member, ParsedMessage
from dossier.corpus.models import (
    Attachment,
    Blob,
    CompletedInput,
    IngestFailure,
    Location,
    Message,
)
from dossier.corpus.search.index import FTS_COLUMNS, index_rows
from dossier.corpus.threading import Threadable, ThreadAssigner, refresh_thread_stats

DO_NOTHING = " ON CONFLICT DO NOTHING"


@dataclass
class Batch:
    """Members read from the inputs, in order, with what the parser made of each."""

    members: list[Member] = field(default_factory=list)
    outcomes: list[ParsedMessage | str] = field(default_factory=list)
    failures: list[Member] = field(default_factory=list)  # unreadable before parsing
    completed: list[tuple[str, int, int]] = field(default_factory=list)  # (path, size, mtime_ns)
    size: int = 0


@dataclass
class BatchResult:
    new: int = 0
    duplicate: int = 0
    failed: int = 0
    attachments: int = 0


def write_batch(batch: Batch, *, collection_id: int, run_id: int) -> BatchResult:
    result = BatchResult()
    with transaction.atomic():
        parsed: list[tuple[Member, ParsedMessage]] = []
        failures: list[tuple[Member, str]] = [(m, m.error or "unreadable") for m in batch.failures]
        for member, outcome in zip(batch.members, batch.outcomes, strict=True):
            if isinstance(outcome, str):
                failures.append((member, outcome))
            else:
                parsed.append((member, outcome))
        _store_blobs(p for _, p in parsed)
        new, dupes, ids = _split_new(parsed)
        new_ids, fts_rows = _create_messages(new, collection_id)
        ids.update(new_ids)
        _create_locations(parsed, ids, collection_id)
        result.attachments = _create_attachments(new, ids)
        index_rows(fts_rows)
        _record_failures(failures, run_id)
        _mark_completed(batch.completed)
        result.new, result.duplicate, result.failed = len(new), dupes, len(failures)
    return result


def _store_blobs(parsed) -> None:
    rows: dict[str, tuple] = {}
    for p in parsed:
        rows.setdefault(p.raw_sha256, (p.raw_sha256, p.size, "", "", p.raw_pack, p.raw_offset))
        for a in p.attachments:
            rows.setdefault(a.sha256, (a.sha256, a.size, a.text, a.text_error, "", None))
    insert(Blob, _BLOB_FIELDS, rows.values(), conflict=DO_NOTHING)


def _split_new(
    parsed: list[tuple[Member, ParsedMessage]],
) -> tuple[list[ParsedMessage], int, dict[str, int]]:
    """New messages (first copy of each identity not yet stored), the count of duplicates, and
    the ids of the identities already stored."""
    stored = _ids_of({p.identity for _, p in parsed})
    new: dict[str, ParsedMessage] = {}
    duplicates = 0
    for _, p in parsed:
        if p.identity in stored or p.identity in new:
            duplicates += 1
        else:
            new[p.identity] = p
    return list(new.values()), duplicates, stored


def _ids_of(identities: set[str]) -> dict[str, int]:
    """Message ids by identity."""
    return lookup(Message, "identity", "id", identities)


def _addresses_text(pairs: list[tuple[str, str]]) -> str:
    return ", ".join(f"{name} <{addr}>" if name else addr for name, addr in pairs)


def _create_messages(
    new: list[ParsedMessage], collection_id: int
) -> tuple[dict[str, int], list[tuple]]:
    """Insert the new messages; their ids by identity, and their full-text index rows."""
    items = [Threadable(p.identity, p.subject, p.references) for p in new]
    ThreadAssigner().assign(items)
    now = timezone.now()
    rows = [
        _message_row(p, item.thread_id, collection_id, now)
        for p, item in zip(new, items, strict=True)
    ]
    insert(Message, MESSAGE_FIELDS, rows)
    refresh_thread_stats(item.thread_id for item in items if item.thread_id)
    ids = _ids_of({p.identity for p in new})
    return ids, [(ids[row[0]], *(row[i] for i in _FTS_POSITIONS)) for row in rows]


MESSAGE_FIELDS = (
    "identity", "message_id", "collection", "thread", "raw", "subject", "from_addr", "from_name",
    "sender_domain", "to_addrs", "cc_addrs", "date", "month", "in_reply_to", "references",
    "has_attachments", "size", "body_text", "from_text", "to_text", "cc_text",
    "attachment_text", "filenames", "created_at",
)  # fmt: skip
_FTS_POSITIONS = tuple(MESSAGE_FIELDS.index(name) for name in FTS_COLUMNS)
_BLOB_FIELDS = ("sha256", "size", "text", "text_error", "pack", "offset")
_LOCATION_FIELDS = ("message", "collection", "source_path", "position", "container", "raw")
_ATTACHMENT_FIELDS = ("message", "part", "filename", "content_type", "size", "blob")


def _message_row(p: ParsedMessage, thread_id: int | None, collection_id: int, now) -> tuple:
    """One ``corpus_message`` row in the order of ``MESSAGE_FIELDS``."""
    domain = p.from_addr.rpartition("@")[2] if "@" in p.from_addr else ""
    return (
        p.identity,
        p.message_id,
        collection_id,
        thread_id,
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
        _addresses_text([(p.from_name, p.from_addr)]),
        _addresses_text(p.to),
        _addresses_text(p.cc),
        "\n\n".join(a.text for a in p.attachments if a.text),
        " ".join(a.filename for a in p.attachments if a.filename),
        now,
    )


def _create_locations(
    parsed: list[tuple[Member, ParsedMessage]], ids: dict[str, int], collection_id: int
) -> None:
    now = timezone.now()
    rows = [
        (ids[p.identity], collection_id, m.source_path, m.position, m.container, p.raw_sha256)
        for m, p in parsed
    ]
    insert(
        Location, (*_LOCATION_FIELDS, "created_at"), [(*r, now) for r in rows], conflict=DO_NOTHING
    )


def _create_attachments(new: list[ParsedMessage], ids: dict[str, int]) -> int:
    rows = [
        (ids[p.identity], a.part, a.filename, a.content_type[:255], a.size, a.sha256)
        for p in new
        for a in p.attachments
    ]
    insert(Attachment, _ATTACHMENT_FIELDS, rows, conflict=DO_NOTHING)
    return len(rows)


def _record_failures(failures: list[tuple[Member, str]], run_id: int) -> None:
    if not failures:
        return
    rows = {
        (m.source_path, m.position): IngestFailure(
            input_path=m.source_path, position=m.position, reason=reason[:2000], run_id=run_id
        )
        for m, reason in failures
    }
    IngestFailure.objects.bulk_create(
        rows.values(),
        update_conflicts=True,
        unique_fields=["input_path", "position"],
        update_fields=["reason", "run"],
        batch_size=500,
    )


def _mark_completed(completed: list[tuple[str, int, int]]) -> None:
    if not completed:
        return
    rows = {
        path: CompletedInput(path=path, size=size, mtime_ns=mtime, finished_at=timezone.now())
        for path, size, mtime in completed
    }
    CompletedInput.objects.bulk_create(
        rows.values(),
        update_conflicts=True,
        unique_fields=["path"],
        update_fields=["size", "mtime_ns", "finished_at"],
    )
