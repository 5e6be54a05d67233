"""Folder listings in name order, in bounded memory: an external merge sort.

A Maildir or a folder of .eml files can hold millions of files. Sorted in memory, their names
cost about 200 bytes each as Python tuples, held for the whole ingest: 15 MiB for the benchmark's
75,576-file Maildir, a gigabyte for five million files. Here each entry is one ``bytes`` record,
sorted in runs of ``RUN`` records; when a listing has more than one run, each run goes to an
unlinked temporary file (gone even if the process is killed) and the runs are merged
(``heapq.merge``), at most ``FAN_IN`` at a time. So a listing holds at most ``RUN`` records, plus
one read buffer per run being merged, whatever the folder's size; a folder of up to ``RUN``
entries never touches the disk. Temporary files go where ``tempfile`` puts them (``$TMPDIR``),
about 100 bytes per entry; if they cannot be written, the rest of the listing is sorted in
memory (with a warning), so nothing is lost.

Records sort as bytes. A name is encoded with ``os.fsencode`` (UTF-8 order is code-point order)
and followed by ``SEP`` (NUL, which no file name holds), so a name sorts before every longer name
it begins, as the names themselves do.
"""

from __future__ import annotations

import heapq
import logging
import struct
import tempfile
from collections.abc import Iterable, Iterator
from typing import BinaryIO

RUN = 16_384  # records sorted in memory at once (about 1.6 MiB of Maildir entries)
FAN_IN = 64  # runs merged at once
BUFFER = 64 * 1024  # each run's file buffer
SEP = b"\0"

_LENGTH = struct.Struct("<I")
log = logging.getLogger(__name__)


def sorted_records(records: Iterable[bytes]) -> Iterator[bytes]:
    """``records`` in ascending bytes order, holding at most ``RUN`` of them in memory."""
    run: list[bytes] = []
    files: list[BinaryIO] = []
    spilling = True
    try:
        for record in records:
            run.append(record)
            if spilling and len(run) >= RUN:
                run.sort()
                try:
                    files.append(_spill(run))
                    run = []
                    if len(files) >= FAN_IN:
                        files = [_merged(files)]
                except OSError as exc:  # nothing lost: the rest is sorted in memory
                    log.warning("folder listing sorted in memory: %s", exc)
                    spilling = False
        run.sort()
        if not files:
            yield from run
            return
        yield from heapq.merge(iter(run), *(_read(f) for f in files))
    finally:
        for f in files:
            f.close()


def _spill(sorted_run: Iterable[bytes]) -> BinaryIO:
    f = tempfile.TemporaryFile(prefix="dossier-listing-", buffering=BUFFER)
    try:
        pack = _LENGTH.pack
        f.writelines(part for record in sorted_run for part in (pack(len(record)), record))
        f.seek(0)
    except BaseException:
        f.close()
        raise
    return f


def _merged(files: list[BinaryIO]) -> BinaryIO:
    """One run holding the records of ``files``, which are then closed (kept if this fails)."""
    try:
        merged = _spill(heapq.merge(*(_read(f) for f in files)))
    except OSError:
        for f in files:
            f.seek(0)  # read again from the start by the final merge
        raise
    for f in files:
        f.close()
    return merged


def _read(f: BinaryIO) -> Iterator[bytes]:
    unpack, size = _LENGTH.unpack, _LENGTH.size
    while head := f.read(size):
        (length,) = unpack(head)
        yield f.read(length)
