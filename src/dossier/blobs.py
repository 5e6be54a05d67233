"""Content-addressed file store: ``blobs/ab/cd/abcd…`` named by the SHA-256 of the bytes.

Writes go to a temporary file in the same folder and are renamed into place, so a killed process
never leaves a half-written blob under its final name, and two processes writing the same bytes
agree. Safe to call from worker processes.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path

from dossier.errors import NotFound


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
        target = self._name(sha)
        if os.path.exists(target):
            return sha
        folder = os.path.dirname(target)
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        return sha

    def read(self, sha256: str) -> bytes:
        path = self.path(sha256)
        try:
            return path.read_bytes()
        except FileNotFoundError as exc:
            raise NotFound(f"blob {sha256} is missing from {self.root}") from exc

    def exists(self, sha256: str) -> bool:
        return os.path.exists(self._name(sha256))
