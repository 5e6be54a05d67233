"""Folders: walked recursively in name order, yielding one ``Input`` per mailbox found.

A folder with ``cur/`` and ``new/`` is a Maildir (its ``.Sub`` folders that are Maildirs too are
inputs of their own). Every other file is detected by content, then extension; files that are not
mail, cannot be read, are empty or are not regular files (FIFOs, sockets) give a failure record
(container "folder", position ""). Hidden files and mailbox metadata (``base.IGNORED``) are skipped
silently. Symbolic links to folders are not followed (loops), links to files are.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

from dossier.corpus.ingest.formats import listing, maildir
from dossier.corpus.ingest.formats.base import Input, describe, is_ignored
from dossier.corpus.ingest.formats.detect import detect_file
from dossier.corpus.ingest.types import Member

NAME = "folder"
_FOLDER, _OTHER = b"d", b"f"  # an entry's kind in its listing record


def walk(path: Path) -> Iterator[Input | Member]:
    """Everything under ``path`` (a folder or a single file given by the user)."""
    if path.is_dir():
        yield from _folder(path)
    else:
        yield from _file(path)


def _failure(path: Path, reason: str) -> Member:
    return Member(str(path), "", NAME, error=reason)


def _folder(path: Path) -> Iterator[Input | Member]:
    is_maildir = maildir.is_maildir(path)
    if is_maildir:
        try:
            yield Input(path, maildir.NAME, 0, maildir.mtime_ns(path))
        except OSError as exc:
            yield _failure(path, f"cannot read folder: {describe(exc)}")
    failures: list[Member] = []
    for record in listing.sorted_records(_records(path, failures)):
        raw, kind = record.split(listing.SEP)
        name = os.fsdecode(raw)
        child = path / name
        if is_maildir and name in ("cur", "new", "tmp"):
            continue
        if kind == _FOLDER:
            if not name.startswith(".") or maildir.is_maildir(child):
                yield from _folder(child)
        elif not is_ignored(name):
            yield from _file(child)
    yield from failures


def _records(path: Path, failures: list[Member]) -> Iterator[bytes]:
    """``name NUL kind`` for each entry of the folder, sorted by ``listing`` in bounded memory
    (a folder can hold millions of .eml files)."""
    try:
        with os.scandir(path) as it:
            for entry in it:
                kind = _FOLDER if _is_folder(entry) else _OTHER
                yield os.fsencode(entry.name) + listing.SEP + kind
    except OSError as exc:
        failures.append(_failure(path, f"cannot read folder: {describe(exc)}"))


def _is_folder(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False  # a file to _file, which records why it cannot be read


def _file(path: Path) -> Iterator[Input | Member]:
    try:
        info = path.stat()
    except OSError as exc:
        yield _failure(path, f"cannot read: {describe(exc)}")
        return
    if stat.S_ISDIR(info.st_mode):
        yield _failure(path, "symbolic link to a folder: not followed")
        return
    if not stat.S_ISREG(info.st_mode):
        yield _failure(path, "not a regular file")
        return
    if info.st_size == 0:
        yield _failure(path, "empty file")
        return
    try:
        found = detect_file(path)
    except OSError as exc:
        yield _failure(path, f"cannot read: {describe(exc)}")
        return
    if found.format is None:
        yield _failure(path, found.reason(path.name))
    else:
        yield Input(path, found.format, info.st_size, info.st_mtime_ns)
