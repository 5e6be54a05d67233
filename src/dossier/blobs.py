"""Content-addressed file store: ``blobs/ab/cd/abcd…`` named by the SHA-256 of the bytes.

Writes go to a temporary file in the same folder and are renamed into place, so a killed process
never leaves a half-written blob under its final name, and two processes writing the same bytes
agree. Safe to call from worker processes.

During ingest, raw messages go to pack files instead (``PackedBlobStore``, ``packs.py``); their
``Blob`` row says where. ``read`` finds a blob either way.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
from pathlib import Path

from dossier.errors import NotFound
from dossier.packs import PackWriter, read_packed

Placement = tuple[str, int | None]  # (pack name, offset); ("", None) for a loose file

# ``makedirs`` before each write and ``mkstemp`` (random names, retried) were a third of a parser
# worker's time. The temporary file is opened first and the folder made only if that fails.
_TEMP_NAMES = itertools.count()


def _write_temp(folder: str, data: bytes) -> str:
    """Write ``data`` to a new temporary file in ``folder``; return its name. The name is unique
    to this process (pid and a counter) and created exclusively, so no random names are needed."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:  # a name left by a killed process with a reused pid is skipped
        tmp = os.path.join(folder, f".tmp-{os.getpid()}-{next(_TEMP_NAMES)}")
        try:
            fd = os.open(tmp, flags, 0o600)
            break
        except FileExistsError:
            continue
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    except BaseException:
        os.close(fd)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    os.close(fd)
    return tmp


class BlobStore:
    def __init__(self, root: Path):
        self.root = Path(root)
        self._root = str(self.root)

    def path(self, sha256: str) -> Path:
        return Path(self._name(sha256))

    def _name(self, sha256: str) -> str:
        # Plain strings, not pathlib, on the hot path: pathlib interns every path component, so
        # millions of blob names would stay in memory for the life of the process.
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise NotFound(f"not a blob name: {sha256[:80]!r}")
        return os.path.join(self._root, sha256[:2], sha256[2:4], sha256)

    def put(self, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        folder = os.path.join(self._root, sha[:2], sha[2:4])
        target = os.path.join(folder, sha)
        if os.path.exists(target):
            return sha
        try:
            tmp = _write_temp(folder, data)
        except FileNotFoundError:  # a new folder: made only when needed, not checked each time
            os.makedirs(folder, exist_ok=True)
            tmp = _write_temp(folder, data)
        try:
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        return sha

    def put_message(self, data: bytes) -> str:
        """Store a raw message; here a loose file like any blob (packed during ingest)."""
        return self.put(data)

    def placement(self, sha256: str) -> Placement:
        """Where ``put_message`` stored this blob: ("", None) for a loose file."""
        return "", None

    def read(self, sha256: str) -> bytes:
        path = self.path(sha256)
        try:
            return path.read_bytes()
        except FileNotFoundError:
            pass
        found = _packed_location(sha256)
        if found is None:
            raise NotFound(f"blob {sha256} is missing from {self.root}")
        pack, offset, size = found
        return read_packed(self.root / "packs", pack, offset, size, sha256)

    def exists(self, sha256: str) -> bool:
        return os.path.exists(self._name(sha256))


def _packed_location(sha256: str) -> tuple[str, int, int] | None:
    """(pack, offset, size) of a packed blob, from its ``Blob`` row; None when not packed."""
    from dossier.corpus.models import Blob  # the database knows where packed blobs are

    row = Blob.objects.filter(sha256=sha256).values_list("pack", "offset", "size").first()
    if row is None or not row[0] or row[1] is None:
        return None
    return row[0], row[1], row[2]


class PackedBlobStore(BlobStore):
    """The ingest workers' store: raw messages appended to this process's pack file, whose
    placements are kept until ``take_placements`` hands them to the writer."""

    def __init__(self, root: Path):
        super().__init__(root)
        self.packs = PackWriter(self.root / "packs")
        self.placed: dict[str, tuple[str, int]] = {}

    def put_message(self, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        if sha not in self.placed:  # the same bytes twice in one chunk: stored once
            self.placed[sha] = self.packs.append(data)
        return sha

    def placement(self, sha256: str) -> Placement:
        return self.placed.get(sha256, ("", None))

    def flush(self) -> None:
        """Make every appended byte visible to readers; before the writer records them."""
        self.packs.flush()
        self.placed.clear()
