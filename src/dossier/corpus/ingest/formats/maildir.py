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
    be read or is empty by then is recorded there, with the same reasons as here)."""
    entries: list[tuple[str, str, int]] = []
    for sub in FOLDERS:
        try:
            with os.scandir(path / sub) as it:
                entries.extend(_files(it, sub))
        except OSError as exc:
            yield origin.failure(NAME, sub, f"cannot read folder: {describe(exc)}")
    for name, sub, size in sorted(entries):
        position = unique_name(name)
        if size == 0:
            yield origin.failure(NAME, position, "empty file")
        else:
            # os.path, not pathlib: pathlib interns every name, and a Maildir can hold millions.
            yield origin.file_message(NAME, position, os.path.join(path, sub, name), size)


def _files(entries: Iterator[os.DirEntry], sub: str) -> Iterator[tuple[str, str, int]]:
    for entry in entries:
        if is_ignored(entry.name):
            continue
        try:
            if entry.is_file():
                yield entry.name, sub, entry.stat().st_size
        except OSError:
            yield entry.name, sub, -1  # read (and its error recorded) by the parser
