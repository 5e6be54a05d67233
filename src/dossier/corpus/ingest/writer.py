"""The one writer: commits a batch of parsed members in one transaction.

For each batch: new messages become rows (with their thread, attachments and search index
entries); a message already stored gains one more ``Location``; failures are upserted; containers
read to the end are marked complete. Everything in one transaction, so a run killed at any point
leaves whole batches only, and the rerun picks up exactly where it stopped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from dossier.corpus.ingest.rows import insert, lookup
from dossier.corpus.ingest.rowvalues import (
    WORKER_FIELDS,
    id_key,
    sqlite_datetime,
    sqlite_values,
    values,
)
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


def _create_messages(
    new: list[ParsedMessage], collection_id: int
) -> tuple[dict[str, int], list[tuple]]:
    """Insert the new messages; their ids by identity, and their full-text index rows."""
    items = [Threadable(p.identity, p.subject, p.references, keys=_thread_keys(p)) for p in new]
    ThreadAssigner().assign(items)
    now = timezone.now()
    if connection.vendor == "sqlite":  # values adapted in the worker (rowvalues.py)
        stamp = sqlite_datetime(now)
        rows = [
            (p.identity, p.message_id, collection_id, item.thread_id, *_sqlite_row(p), stamp)
            for p, item in zip(new, items, strict=True)
        ]
        insert(Message, MESSAGE_FIELDS, rows, adapted=True)
    else:
        rows = [
            (p.identity, p.message_id, collection_id, item.thread_id, *values(p), now)
            for p, item in zip(new, items, strict=True)
        ]
        insert(Message, MESSAGE_FIELDS, rows)
    refresh_thread_stats(item.thread_id for item in items if item.thread_id)
    ids = _ids_of({p.identity for p in new})
    return ids, [(ids[row[0]], *(row[i] for i in _FTS_POSITIONS)) for row in rows]


def _thread_keys(p: ParsedMessage) -> list[str]:
    """The message's own key and its references' (computed by the worker when it parsed it)."""
    if len(p.reference_keys) != len(p.references):
        p.reference_keys = [id_key(ref) for ref in p.references]
    return [p.identity, *p.reference_keys]


def _sqlite_row(p: ParsedMessage) -> tuple:
    return p.sqlite_row or sqlite_values(p)


MESSAGE_FIELDS = ("identity", "message_id", "collection", "thread", *WORKER_FIELDS, "created_at")
_FTS_POSITIONS = tuple(MESSAGE_FIELDS.index(name) for name in FTS_COLUMNS)
_BLOB_FIELDS = ("sha256", "size", "text", "text_error", "pack", "offset")
_LOCATION_FIELDS = ("message", "collection", "source_path", "position", "container", "raw")
_ATTACHMENT_FIELDS = ("message", "part", "filename", "content_type", "size", "blob")


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
