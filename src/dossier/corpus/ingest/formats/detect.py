"""Which format a file (or a zip member) is in: content first, then the extension.

Each format's ``sniff`` looks at the first bytes and libmagic's MIME type, most specific first. The
extension decides only when the content is inconclusive (plain text, unknown binary, mail-like):
a PNG named ``photo.eml`` is a PNG, an unreadable ``notes.eml`` is still handed to the eml reader.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePath

import magic

from dossier.corpus.ingest.formats import eml, mbox, msg, pst
from dossier.corpus.ingest.formats import zip as zip_
from dossier.corpus.ingest.formats.base import HEAD_SIZE

SNIFF_ORDER = (pst, msg, zip_, mbox, eml)
BY_EXTENSION = {ext: fmt.NAME for fmt in SNIFF_ORDER for ext in fmt.EXTENSIONS}
INCONCLUSIVE = ("text/", "message/", "application/octet-stream", "application/CDFV2")


@dataclass(frozen=True)
class Detection:
    format: str | None  # None: not an email format
    mime: str  # libmagic's answer, for the failure reason

    def reason(self, name: str) -> str:
        return f"unsupported file type: {self.mime} ({name})"


def detect_file(path: Path) -> Detection:
    """Detect a file on disk. Raises OSError when it cannot be read."""
    with path.open("rb") as f:
        head = f.read(HEAD_SIZE)
    try:
        mime = magic.from_file(str(path), mime=True)
    except (magic.MagicException, OSError):
        mime = _mime(head)
    return decide(head, mime, path.name)


def detect_head(head: bytes, name: str) -> Detection:
    """Detect from the first ``HEAD_SIZE`` bytes only (a zip member, before extracting it)."""
    return decide(head, _mime(head), name)


def decide(head: bytes, mime: str, name: str) -> Detection:
    for fmt in SNIFF_ORDER:
        if fmt.sniff(head, mime):
            return Detection(fmt.NAME, mime)
    if head and (not mime or mime.startswith(INCONCLUSIVE)):
        by_ext = BY_EXTENSION.get(PurePath(name).suffix.lower())
        if by_ext:
            return Detection(by_ext, mime)
    return Detection(None, mime or "application/octet-stream")


def _mime(head: bytes) -> str:
    try:
        return magic.from_buffer(head, mime=True)
    except magic.MagicException:
        return "application/octet-stream"
