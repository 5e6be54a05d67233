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
    entries: list[tuple[str, str]] = []
    for sub in FOLDERS:
        try:
            with os.scandir(path / sub) as it:
                entries.extend((e.name, sub) for e in it if not is_ignored(e.name) and e.is_file())
        except OSError as exc:
            yield origin.failure(NAME, sub, f"cannot read folder: {describe(exc)}")
    for name, sub in sorted(entries):
        position = unique_name(name)
        try:
            # os.path, not pathlib: pathlib interns every name, and a Maildir can hold millions.
            with open(os.path.join(path, sub, name), "rb") as handle:
                data = handle.read()
        except OSError as exc:
            yield origin.failure(NAME, position, f"cannot read: {describe(exc)}")
            continue
        if not data:
            yield origin.failure(NAME, position, "empty file")
        else:
            yield origin.message(NAME, position, data)
