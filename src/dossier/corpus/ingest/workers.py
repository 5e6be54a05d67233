"""Parsing in worker processes, with a bounded number of batches in flight.

Workers only parse and write blobs (content-addressed, so safe in parallel); they never touch the
database. The main process is the one writer: while it writes one batch, the next is being
parsed. Results come back in submission order, so the writer commits batches in input order and a
killed run resumes cleanly.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TypeVar

from dossier.blobs import BlobStore, PackedBlobStore
from dossier.corpus.ingest import rowvalues
from dossier.corpus.ingest.formats.base import describe
from dossier.corpus.ingest.parse import parse_message
from dossier.corpus.ingest.types import ParsedMessage
from dossier.errors import IngestError

Outcome = ParsedMessage | str  # a parsed message, or the reason it failed
# A batch (4 MiB of input, pipeline.BATCH_BYTES) is parsed as this many chunks per worker: what
# a worker holds at once (its chunk's input and results) is then about 1 MiB of input.
CHUNKS_PER_WORKER = 2
# A parser worker is replaced by a fresh one after this many chunks (about 16 MiB of input).
# However freed, a worker's memory grows with what it has parsed (fragments that glibc and
# Python's allocator cannot hand back): from 15 MiB fresh to about 25 MiB after 64 chunks on the
# 75k benchmark corpus. Replaced, every worker stays near a fresh one's size, and the ingest's
# peak grows less with the corpus (at 30k messages: 180 MiB after 64 chunks, 172 after 16). A new
# worker costs a fork of the small forkserver and a pack file of its own (47 packs of about 17 MB
# for 75k messages): lost in the noise of the ingest's time (bench/profiles/README.md, sixth and
# seventh rounds).
TASKS_PER_WORKER = 16
T = TypeVar("T")


_STORES: dict[str, PackedBlobStore] = {}


def _store(blobs_root: str) -> PackedBlobStore:
    """This process's store for ``blobs_root``: one open pack per worker for its whole life."""
    store = _STORES.get(blobs_root)
    if store is None or store.packs.pid != os.getpid():  # never append to a parent's pack
        store = _STORES[blobs_root] = PackedBlobStore(Path(blobs_root))
    return store


def parse_all(items: list[bytes | str], blobs_root: str, ocr: bool) -> list[Outcome]:
    """Parse a chunk of raw messages (bytes, or the path of a file holding one); a failure
    becomes its reason, never an exception. Raw bytes are in the pack (flushed) before the
    results go back to the writer."""
    blobs = _store(blobs_root)
    out: list[Outcome] = []
    for item in items:
        try:
            data = item if isinstance(item, bytes) else read_file(item)
            parsed = parse_message(data, blobs=blobs, ocr=ocr)
            parsed.body_html = ""  # not stored (the raw blob keeps it): don't ship it back
            rowvalues.prepare(parsed)
            out.append(parsed)
        except IngestError as exc:
            out.append(str(exc) or exc.__class__.__name__)
        except Exception as exc:  # a parser bug must not stop the run: record it, go on
            out.append(f"internal parser error: {exc.__class__.__name__}: {exc}")
    blobs.flush()
    release_memory()
    return out


def read_file(path: str) -> bytes:
    """A message file's bytes; IngestError with the reason the container reader would give."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise IngestError(f"cannot read: {describe(exc)}") from exc
    if not data:
        raise IngestError("empty file")
    return data


def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None


_TRIM = _malloc_trim()


def release_memory() -> None:
    """Hand freed memory back to the system after each batch. Batches are big, short-lived byte
    strings; without this glibc keeps their pages and the process grows with the corpus."""
    if _TRIM is not None:
        _TRIM(0)


def _context(start_method: str) -> multiprocessing.context.BaseContext:
    """``fork`` (the default), or ``forkserver`` as the command line uses: workers then start
    from a small server process that imported only the parser. A worker forked from the writer
    inherits Django and the batches in memory and copies those pages as it touches them (about
    65 MB a worker against 35 MB on the benchmark corpus). ``forkserver`` needs the calling
    program's main module to be import-safe (``if __name__ == "__main__":``), as ours is."""
    ctx = multiprocessing.get_context(start_method)
    if start_method == "forkserver":
        ctx.set_forkserver_preload([__name__])
    return ctx


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


class ParsePool:
    """Parses batches in order; ``workers=0`` parses in this process (tests, tiny inputs)."""

    def __init__(
        self, *, blobs: BlobStore, workers: int, ocr: bool = False, start_method: str = "fork"
    ):
        self.blobs_root = str(blobs.root)
        self.ocr = ocr
        self.workers = workers
        self.executor: ProcessPoolExecutor | None = None
        self.context = _context(start_method) if workers > 0 else None
        if workers > 0:
            self.executor = self._executor()

    def _executor(self) -> ProcessPoolExecutor:
        """Workers replaced after ``TASKS_PER_WORKER`` chunks, where the start method allows
        (not ``fork``: Python refuses it there)."""
        assert self.context is not None
        forked = self.context.get_start_method() == "fork"
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=self.context,
            max_tasks_per_child=None if forked else TASKS_PER_WORKER,
        )

    def __enter__(self) -> ParsePool:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)

    def _submit(self, datas: list[bytes | str]) -> list[Future[list[Outcome]]] | list[Outcome]:
        if self.executor is None:
            return parse_all(datas, self.blobs_root, self.ocr)
        size = max(1, -(-len(datas) // (self.workers * CHUNKS_PER_WORKER)))
        return [
            self.executor.submit(parse_all, datas[i : i + size], self.blobs_root, self.ocr)
            for i in range(0, len(datas), size)
        ]

    def map_batches(
        self, batches: Iterator[T], datas_of: Callable[[T], list[bytes | str]], window: int = 1
    ) -> Iterator[tuple[T, list[Outcome]]]:
        """Yield (batch, outcomes) in order, keeping ``window`` more batches parsing meanwhile."""
        pending: deque[tuple[T, object, list[bytes | str]]] = deque()
        for batch in batches:
            datas = datas_of(batch)
            pending.append((batch, self._submit(datas), datas))
            while len(pending) > window:
                yield self._collect(*pending.popleft())
        while pending:
            yield self._collect(*pending.popleft())

    def _collect(
        self, batch: T, submitted: object, datas: list[bytes | str]
    ) -> tuple[T, list[Outcome]]:
        if submitted and isinstance(submitted, list) and isinstance(submitted[0], Future):
            try:
                outcomes: list[Outcome] = []
                for future in submitted:
                    outcomes.extend(future.result())
                return batch, outcomes
            except BrokenProcessPool:
                return batch, self._isolate(datas)
        return batch, list(submitted)  # type: ignore[arg-type]

    def _restart(self) -> None:
        assert self.executor is not None
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.executor = self._executor()

    def _isolate(self, datas: list[bytes | str]) -> list[Outcome]:
        """A worker died (a crash in a native parser): parse one message at a time in fresh
        workers, so only the message that kills its worker is recorded as failed."""
        self._restart()
        outcomes: list[Outcome] = []
        for data in datas:
            assert self.executor is not None
            try:
                future = self.executor.submit(parse_all, [data], self.blobs_root, self.ocr)
                outcomes.extend(future.result())
            except BrokenProcessPool:
                outcomes.append("parser crashed on this message (worker process died)")
                self._restart()
        return outcomes
