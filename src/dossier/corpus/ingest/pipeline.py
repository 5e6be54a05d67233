"""``ingest_paths``: walk inputs, parse in workers, write in batches, report progress.

Resuming: an input (a mailbox, or a single message file) read to the end and unchanged since
(size, mtime) is skipped whole; inside any other input, members whose (source path, position) is
already stored are skipped before they are parsed. So a rerun adds nothing, and a run killed at
any point and rerun ends with exactly the rows of an uninterrupted run.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from django.utils import timezone

from dossier.blobs import BlobStore
from dossier.corpus.ingest import registry
from dossier.corpus.ingest.checkpoints import bulk_writes
from dossier.corpus.ingest.registry import Input
from dossier.corpus.ingest.rows import stored_positions
from dossier.corpus.ingest.types import Member
from dossier.corpus.ingest.workers import ParsePool, default_workers, release_memory
from dossier.corpus.ingest.writer import Batch, write_batch
from dossier.corpus.models import Collection, CompletedInput, IngestRun, Location

BATCH_MESSAGES = 1000
# A batch closes at 1,000 messages or 4 MiB of input. Input bytes held by the writer (an mbox's
# messages are read there and shipped to the workers) are one batch being written, one being
# parsed and one being read: 8 MiB batches took the whole ingest to 293 MiB (75k messages from
# one mbox) and 301 MiB (225k), 4 MiB batches to 259 and 262 MiB, at the same speed within the
# machine's noise (bench/profiles/README.md, fifth round).
BATCH_BYTES = 4 * 1024 * 1024


@dataclass
class IngestSummary:
    run_id: int
    collection: str
    new: int = 0
    duplicate: int = 0
    skipped: int = 0  # members already stored by an earlier run
    unchanged_inputs: int = 0  # inputs skipped whole: read to the end before, and unchanged
    failed: int = 0
    attachments: int = 0
    elapsed: float = 0.0

    @property
    def messages_per_second(self) -> float:
        done = self.new + self.duplicate
        return done / self.elapsed if self.elapsed > 0 else 0.0

    def to_json(self) -> dict:
        data = asdict(self)
        data["elapsed"] = round(self.elapsed, 3)
        data["messages_per_second"] = round(self.messages_per_second, 1)
        return data


class Progress:
    """What the pipeline reports as it goes; the CLI draws it, tests ignore it."""

    def start(self, total_bytes: int) -> None: ...

    def advance(self, nbytes: int, summary: IngestSummary) -> None: ...


def ingest_paths(
    paths: Iterable[Path],
    *,
    collection: str,
    blobs: BlobStore,
    workers: int | None = None,
    ocr: bool = False,
    progress: Progress | None = None,
    batch_size: int = BATCH_MESSAGES,
    start_method: str = "fork",
) -> IngestSummary:
    paths = [Path(p).expanduser().resolve() for p in paths]
    progress = progress or Progress()
    coll, _ = Collection.objects.get_or_create(name=collection)
    run = IngestRun.objects.create(inputs=[str(p) for p in paths], collection=collection)
    summary = IngestSummary(run_id=run.id, collection=collection)
    started = time.monotonic()
    progress.start(_total_bytes(paths))
    workers = default_workers() if workers is None else workers
    batches = _batches(registry.discover(paths), summary, progress, batch_size)
    try:
        pool = ParsePool(blobs=blobs, workers=workers, ocr=ocr, start_method=start_method)
        with pool, bulk_writes() as checkpointer:
            for batch, outcomes in pool.map_batches(batches, _datas):
                batch.outcomes = outcomes
                result = write_batch(batch, collection_id=coll.id, run_id=run.id)
                if checkpointer is not None:
                    checkpointer.poke()
                summary.new += result.new
                summary.duplicate += result.duplicate
                summary.failed += result.failed
                summary.attachments += result.attachments
                summary.elapsed = time.monotonic() - started
                progress.advance(batch.size, summary)
                del batch, outcomes  # let go before the next batch's results are read
                release_memory()
    finally:
        summary.elapsed = time.monotonic() - started
        _finish_run(run, summary)
    return summary


def _datas(batch: Batch) -> list[bytes | str]:
    return [m.data if m.data is not None else (m.file or b"") for m in batch.members]


def _finish_run(run: IngestRun, summary: IngestSummary) -> None:
    run.finished_at = timezone.now()
    run.status = "finished"
    for name in ("new", "duplicate", "skipped", "failed", "attachments"):
        setattr(run, name, getattr(summary, name))
    run.save()


def _total_bytes(paths: list[Path]) -> int:
    """Bytes under ``paths``, for the progress bar only. ``os.scandir``, not ``Path.rglob``:
    on the 75,576-file benchmark Maildir 0.2 s against 0.9 s, all before the first parse."""
    total, folders = 0, []
    for path in paths:
        if path.is_file():
            total += path.stat().st_size
        elif path.is_dir():
            folders.append(str(path))
    while folders:
        try:
            with os.scandir(folders.pop()) as entries:
                for entry in entries:
                    try:
                        if entry.is_dir(follow_symlinks=False):
                            folders.append(entry.path)
                        elif entry.is_file():
                            total += entry.stat().st_size
                    except OSError:
                        continue
        except OSError:
            continue
    return total


def _is_unchanged(inp: Input) -> bool:
    row = CompletedInput.objects.filter(path=str(inp.path)).first()
    return row is not None and row.size == inp.size and row.mtime_ns == inp.mtime_ns


def _events(
    found: Iterator[Input | Member], summary: IngestSummary, skipped_bytes: Callable[[int], None]
) -> Iterator[Member | tuple[str, int, int]]:
    """Members in input order, and a (path, size, mtime) marker after each container's last one."""
    for item in found:
        if isinstance(item, Member):
            yield item
            continue
        if _is_unchanged(item):
            summary.unchanged_inputs += 1
            skipped_bytes(item.size)
            continue
        yield from registry.read(item)
        yield (str(item.path), item.size, item.mtime_ns)


def _batches(
    found: Iterator[Input | Member], summary: IngestSummary, progress: Progress, batch_size: int
) -> Iterator[Batch]:
    batch = Batch()
    pending_bytes = [0]
    seen: dict[str, bool] = {}

    def skipped(nbytes: int) -> None:
        pending_bytes[0] += nbytes

    for event in _events(found, summary, skipped):
        if isinstance(event, tuple):
            batch.completed.append(event)
        elif event.error or (event.data is None and not event.file):
            batch.failures.append(event)
        else:
            batch.members.append(event)
            batch.size += len(event.data) if event.data is not None else max(event.file_size, 0)
        if len(batch.members) >= batch_size or batch.size >= BATCH_BYTES:
            yield _drop_stored(batch, summary, seen)
            batch = Batch()
        if pending_bytes[0]:
            progress.advance(pending_bytes[0], summary)
            pending_bytes[0] = 0
    if batch.members or batch.failures or batch.completed:
        yield _drop_stored(batch, summary, seen)


def _drop_stored(batch: Batch, summary: IngestSummary, seen: dict[str, bool]) -> Batch:
    """Remove members an earlier run already stored (same source path and position).

    ``seen`` remembers, per source path, whether any location of it existed when this run first
    met it: if none did, no member of that input can have been stored by an earlier run, and its
    batches need no lookup (a first ingest then asks one question per input, not one per 500
    members). It holds only this batch's paths: members come in input order, so only the last
    input can go on into the next batch; a dict of every path would grow with the corpus (a
    folder of a million .eml files is a million source paths; a Maildir is one)."""
    if not batch.members:
        return batch
    by_path: dict[str, list[str]] = {}
    for m in batch.members:
        by_path.setdefault(m.source_path, []).append(m.position)
    stored: set[tuple[str, str]] = set()
    for path, positions in by_path.items():
        if path not in seen:
            seen[path] = Location.objects.filter(source_path=path).exists()
        if seen[path]:
            stored.update((path, position) for position in stored_positions(path, positions))
    for path in [p for p in seen if p not in by_path]:
        del seen[path]
    if stored:
        kept = [m for m in batch.members if (m.source_path, m.position) not in stored]
        summary.skipped += len(batch.members) - len(kept)
        batch.members = kept
    return batch
