"""What the format modules share: where a member comes from, and which names are not mail.

Every format module declares ``NAME`` (the ``Input.format`` it reads), ``EXTENSIONS`` (the fallback
when content is inconclusive), ``sniff(head, mime)`` (content detection on the first ``HEAD_SIZE``
bytes and libmagic's MIME type) and ``read(path, origin)``, which yields one ``Member`` per message
and never raises for bad content. ``registry.py`` lists them; adding a format is adding a module.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from pathlib import Path

from dossier.corpus.ingest.types import Member

HEAD_SIZE = 8192  # bytes read for content detection
NEST = "!"  # separates nesting levels in a position: "inner.zip!mail.mbox!1234"
MAX_DEPTH = 4  # containers inside containers inside ... (zip bombs by recursion stop here)

# Files that live next to mail but are not mail: skipped silently, like hidden files.
IGNORED = (
    "dovecot-uidlist",
    "dovecot-uidvalidity*",
    "dovecot-keywords",
    "dovecot.index*",
    "dovecot.list.index*",
    "dovecot.mailbox.log*",
    "dovecot-acl*",
    "maildirfolder",
    "maildirsize",
    "subscriptions",
    "courierimap*",
    "*.lock",  # mbox dot-locks (inbox.lock)
    "*.msf",  # Thunderbird mailbox summary files
)


@dataclass(frozen=True)
class Input:
    """One mailbox to read: a file, or a Maildir folder. Re-exported by ``registry``."""

    path: Path  # absolute
    format: str  # "mbox" | "maildir" | "eml" | "zip" | "msg" | "pst"
    size: int  # bytes (Maildir: 0)
    mtime_ns: int  # file mtime (Maildir: the later of cur/'s and new/'s)


def is_ignored(name: str) -> bool:
    """Hidden files and well-known mailbox metadata, which discovery skips without a failure."""
    return name.startswith(".") or any(fnmatch.fnmatchcase(name, p) for p in IGNORED)


@dataclass(frozen=True)
class Origin:
    """Where a container sits: the input it came from and its position inside that input.

    Top-level containers have ``prefix == ""``; a container extracted from a zip member has the
    member's position as prefix, so an mbox message inside ``a.zip`` reads ``inner.mbox!12345``.
    """

    source: str  # Member.source_path: the input on disk (absolute)
    prefix: str = ""
    depth: int = 0

    def position(self, inner: str) -> str:
        if not self.prefix:
            return inner
        return f"{self.prefix}{NEST}{inner}" if inner else self.prefix

    def nested(self, position: str) -> Origin:
        return Origin(self.source, self.position(position), self.depth + 1)

    def message(self, container: str, position: str, data: bytes) -> Member:
        return Member(self.source, self.position(position), container, data=data)

    def file_message(self, container: str, position: str, path: str, size: int) -> Member:
        """A message that is a whole file, read later by the parser process."""
        return Member(self.source, self.position(position), container, file=path, file_size=size)

    def failure(self, container: str, position: str, reason: str) -> Member:
        return Member(self.source, self.position(position), container, error=reason)


def describe(exc: BaseException) -> str:
    """A one-line reason for a failure record: the message, or the exception type when empty."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return text or type(exc).__name__
