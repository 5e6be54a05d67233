"""Pack files: raw messages appended to a few large files instead of one file each.

A file per message cost a parser worker more kernel time than the parsing itself (a new inode,
a temporary name, a rename and, below a million blobs, a new folder for almost every message:
``bench/profiles/README.md``). During ingest each worker process appends the raw bytes of the
messages it parses to its own pack, ``blobs/packs/<time>-<pid>-<random>.pack``, and reports
where each landed; the writer stores (pack, offset) in the message's ``Blob`` row in the same
transaction as the message. Reading is one ``pread`` at that offset, checked against the
SHA-256 the blob is named by.

Crash safety: packs are append-only and flushed before the writer is told where the bytes are,
so a committed row always points at complete bytes. A run killed mid-batch leaves bytes no row
points at (the rerun writes them again to a new pack); they cost space, never correctness.
Attachments stay loose files (``blobs.py``): they repeat across messages, and a loose file is
stored once.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import time
from pathlib import Path

from dossier.errors import NotFound

PACK_LIMIT = 1 << 30  # start a new pack after 1 GiB
_NAME_CHARS = frozenset("0123456789abcdefT-")


class PackWriter:
    """Appends blobs to this process's current pack; ``flush`` before reporting locations."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.pid = os.getpid()
        self.name = ""
        self.handle = None
        self.size = 0

    def append(self, data: bytes) -> tuple[str, int]:
        """Append ``data``; return (pack name, offset)."""
        if self.handle is None or self.size + len(data) > PACK_LIMIT:
            self._open_next()
        offset = self.size
        self.handle.write(data)
        self.size += len(data)
        return self.name, offset

    def flush(self) -> None:
        if self.handle is not None:
            self.handle.flush()

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None

    def _open_next(self) -> None:
        self.close()
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
        self.name = f"{stamp}-{self.pid:x}-{secrets.token_hex(4)}"
        path = self.folder / f"{self.name}.pack"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o600)
        self.handle = os.fdopen(fd, "ab", buffering=1 << 20)
        self.size = 0


def pack_path(folder: Path, name: str) -> Path:
    """The file of pack ``name``; names come from the database, so they are checked."""
    if not name or not set(name) <= _NAME_CHARS:
        raise NotFound(f"not a pack name: {name[:80]!r}")
    return Path(folder) / f"{name}.pack"


def read_packed(folder: Path, name: str, offset: int, size: int, sha256: str) -> bytes:
    """The ``size`` bytes at ``offset`` of pack ``name``, checked against ``sha256``."""
    try:
        fd = os.open(pack_path(folder, name), os.O_RDONLY)
    except FileNotFoundError as exc:
        raise NotFound(f"pack {name} is missing from {folder}") from exc
    try:
        data = os.pread(fd, size, offset)
    finally:
        os.close(fd)
    if len(data) != size or hashlib.sha256(data).hexdigest() != sha256:
        raise NotFound(f"blob {sha256} in pack {name} is damaged or truncated")
    return data
