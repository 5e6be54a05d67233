"""Maildir: a folder with ``cur/`` and ``new/`` (``tmp/`` holds deliveries in progress: ignored).

Each file in ``cur/`` and ``new/`` is one message, read in file-name order. Position: the file's
unique name without the ``:2,FLAGS`` info suffix, and without ``cur/`` or ``new/``, because both
change when a mail client reads the message (``new/123.host`` becomes ``cur/123.host:2,S``); the
unique name is unique across the two folders by the Maildir rules. Sub-Maildirs (``.Sent/``) are
separate inputs, found by ``folder.py``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from dossier.corpus.ingest.formats import listing
from dossier.corpus.ingest.formats.base import Origin, describe, is_ignored
from dossier.corpus.ingest.types import Member

NAME = "maildir"
EXTENSIONS: tuple[str, ...] = ()
FOLDERS = ("cur", "new")

# ":2,FLAGS" (";2," or "!2," on file systems that forbid ':')
_INFO = re.compile(r"[:;!][12],[^/]*$")


def is_maildir(path: Path) -> bool:
    return all((path / sub).is_dir() for sub in FOLDERS)


def mtime_ns(path: Path) -> int:
    return max((path / sub).stat().st_mtime_ns for sub in FOLDERS)


def sniff(head: bytes, mime: str) -> bool:
    return False  # a Maildir is a folder; folder.py recognises it


def unique_name(file_name: str) -> str:
    return _INFO.sub("", file_name)


def read(path: Path, origin: Origin) -> Iterator[Member]:
    """Each message file as a ``file`` member: the parser process reads it (a file that cannot
    be read or is empty by then is recorded there, with the same reasons as here). The listing
    is sorted in bounded memory (``listing.py``): a Maildir can hold millions of files."""
    failures: list[Member] = []
    for record in listing.sorted_records(_records(path, origin, failures)):
        raw, sub, size_text = record.split(listing.SEP)
        name, size = os.fsdecode(raw), int(size_text)
        position = unique_name(name)
        if size == 0:
            yield origin.failure(NAME, position, "empty file")
        else:
            # os.path, not pathlib: pathlib interns every name, and a Maildir can hold millions.
            yield origin.file_message(NAME, position, os.path.join(path, sub.decode(), name), size)
    yield from failures  # known once the whole listing has been read


def _records(path: Path, origin: Origin, failures: list[Member]) -> Iterator[bytes]:
    """``name NUL sub NUL size`` for each file in ``cur/`` and ``new/`` (size -1: cannot stat;
    read, and its error recorded, by the parser)."""
    for sub in FOLDERS:
        tail = listing.SEP + sub.encode() + listing.SEP
        try:
            with os.scandir(path / sub) as it:
                for entry in it:
                    if not is_ignored(entry.name):
                        size = _size(entry)
                        if size is not None:
                            yield os.fsencode(entry.name) + tail + str(size).encode()
        except OSError as exc:
            failures.append(origin.failure(NAME, sub, f"cannot read folder: {describe(exc)}"))


def _size(entry: os.DirEntry) -> int | None:
    """A regular file's size, -1 if it cannot be read, None for anything else (folders)."""
    try:
        return entry.stat().st_size if entry.is_file() else None
    except OSError:
        return -1
