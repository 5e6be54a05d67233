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

from dossier.corpus.ingest.types import Member, ParsedMessage
from dossier.corpus.models import (
    Attachment,
    Blob,
    CompletedInput,
    IngestFailure,
    Location,
    Message,
)
from dossier.corpus.search.index import index_messages
from dossier.corpus.threading import Threadable, ThreadAssigner, refresh_thread_stats


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
        new, dupes = _split_new(parsed)
        ids = _create_messages(new, collection_id)
        _create_locations(parsed, ids, collection_id)
        result.attachments = _create_attachments(new, ids)
        index_messages(list(ids.values()))
        _record_failures(failures, run_id)
        _mark_completed(batch.completed)
        result.new, result.duplicate, result.failed = len(new), dupes, len(failures)
    return result


def _store_blobs(parsed) -> None:
    rows: dict[str, Blob] = {}
    for p in parsed:
        rows.setdefault(p.raw_sha256, Blob(sha256=p.raw_sha256, size=p.size))
        for a in p.attachments:
            rows.setdefault(
                a.sha256, Blob(sha256=a.sha256, size=a.size, text=a.text, text_error=a.text_error)
            )
    Blob.objects.bulk_create(rows.values(), ignore_conflicts=True, batch_size=500)


def _split_new(parsed: list[tuple[Member, ParsedMessage]]) -> tuple[list[ParsedMessage], int]:
    """New messages (first copy of each identity not yet stored) and the count of duplicates."""
    identities = list({p.identity for _, p in parsed})
    stored: set[str] = set()
    for start in range(0, len(identities), 500):
        chunk = identities[start : start + 500]
        stored.update(Message.objects.filter(identity__in=chunk).values_list("identity", flat=True))
    new: dict[str, ParsedMessage] = {}
    duplicates = 0
    for _, p in parsed:
        if p.identity in stored or p.identity in new:
            duplicates += 1
        else:
            new[p.identity] = p
    return list(new.values()), duplicates


def _addresses_text(pairs: list[tuple[str, str]]) -> str:
    return ", ".join(f"{name} <{addr}>" if name else addr for name, addr in pairs)


def _create_messages(new: list[ParsedMessage], collection_id: int) -> dict[str, int]:
    items = [Threadable(p.identity, p.subject, p.references) for p in new]
    ThreadAssigner().assign(items)
    rows = [
        _message_row(p, item.thread_id, collection_id) for p, item in zip(new, items, strict=True)
    ]
    Message.objects.bulk_create(rows, batch_size=500)
    refresh_thread_stats(item.thread_id for item in items if item.thread_id)
    return {row.identity: row.id for row in rows}


def _message_row(p: ParsedMessage, thread_id: int | None, collection_id: int) -> Message:
    domain = p.from_addr.rpartition("@")[2] if "@" in p.from_addr else ""
    return Message(
        identity=p.identity,
        message_id=p.message_id,
        collection_id=collection_id,
        thread_id=thread_id,
        raw_id=p.raw_sha256,
        subject=p.subject,
        from_addr=p.from_addr[:320],
        from_name=p.from_name,
        sender_domain=domain[:255],
        to_addrs=[addr for _, addr in p.to],
        cc_addrs=[addr for _, addr in p.cc],
        date=p.date,
        month=p.date.strftime("%Y-%m") if p.date else "",
        in_reply_to=p.in_reply_to,
        references=list(p.references),
        has_attachments=bool(p.attachments),
        size=p.size,
        body_text=p.body_text,
        from_text=_addresses_text([(p.from_name, p.from_addr)]),
        to_text=_addresses_text(p.to),
        cc_text=_addresses_text(p.cc),
        attachment_text="\n\n".join(a.text for a in p.attachments if a.text),
        filenames=" ".join(a.filename for a in p.attachments if a.filename),
    )


def _create_locations(
    parsed: list[tuple[Member, ParsedMessage]], ids: dict[str, int], collection_id: int
) -> None:
    missing = [p.identity for _, p in parsed if p.identity not in ids]
    if missing:
        ids = dict(ids)
        for start in range(0, len(missing), 500):
            chunk = missing[start : start + 500]
            ids.update(Message.objects.filter(identity__in=chunk).values_list("identity", "id"))
    rows = [
        Location(
            message_id=ids[p.identity],
            collection_id=collection_id,
            source_path=m.source_path,
            position=m.position,
            container=m.container,
            raw_id=p.raw_sha256,
        )
        for m, p in parsed
    ]
    Location.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)


def _create_attachments(new: list[ParsedMessage], ids: dict[str, int]) -> int:
    rows = [
        Attachment(
            message_id=ids[p.identity],
            part=a.part,
            filename=a.filename,
            content_type=a.content_type[:255],
            size=a.size,
            blob_id=a.sha256,
        )
        for p in new
        for a in p.attachments
    ]
    Attachment.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
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
