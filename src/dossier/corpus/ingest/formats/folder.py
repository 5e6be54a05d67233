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

from dossier.corpus.ingest.formats import maildir
from dossier.corpus.ingest.formats.base import Input, describe, is_ignored
from dossier.corpus.ingest.formats.detect import detect_file
from dossier.corpus.ingest.types import Member

NAME = "folder"


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
    try:
        with os.scandir(path) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        yield _failure(path, f"cannot read folder: {describe(exc)}")
        return
    for entry in entries:
        child = path / entry.name
        if is_maildir and entry.name in ("cur", "new", "tmp"):
            continue
        if entry.is_dir(follow_symlinks=False):
            if not entry.name.startswith(".") or maildir.is_maildir(child):
                yield from _folder(child)
        elif not is_ignored(entry.name):
            yield from _file(child)


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
