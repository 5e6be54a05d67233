"""The records that flow through the ingest pipeline.

Format modules (``formats/``) yield ``Member``s: the raw RFC 822 bytes of one message and where it
was found, or the reason it could not be read. The parser (``parse.py``) turns one member's bytes
into a ``ParsedMessage``. Both are plain picklable data, so parsing runs in worker processes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Member:
    """One message inside an input, or a failure to read one.

    ``source_path``: the input file or folder given on the command line, or found under it
    (absolute). ``position``: where inside it ("" for a single .eml; the byte offset of the
    ``From `` line in an mbox; the file name without flags in a Maildir; the member name in a zip,
    with ``!`` between nesting levels; the folder path and index in a PST). ``container``: the
    format name that yielded it. ``data``: RFC 822 bytes, or None with ``error`` set.
    """

    source_path: str
    position: str
    container: str
    data: bytes | None = None
    error: str | None = None
    file: str | None = None  # a file holding the whole message, read by the parser process
    file_size: int = 0


@dataclass
class ParsedAttachment:
    part: int
    filename: str
    content_type: str
    size: int
    sha256: str
    text: str = ""
    text_error: str = ""


@dataclass
class ParsedMessage:
    identity: str  # sha256 hex of "mid:<normalised id>" or "content:<hash>"
    message_id: str  # normalised Message-ID without <>, "" when none
    raw_sha256: str
    size: int
    raw_pack: str = ""  # the pack file holding the raw bytes; "" for a loose blob file
    raw_offset: int | None = None
    subject: str = ""
    from_addr: str = ""
    from_name: str = ""
    to: list[tuple[str, str]] = field(default_factory=list)  # (name, address)
    cc: list[tuple[str, str]] = field(default_factory=list)
    date: datetime | None = None  # aware, UTC; None when missing or invalid
    in_reply_to: str = ""  # normalised, without <>
    references: list[str] = field(default_factory=list)  # normalised, oldest first
    body_text: str = ""
    body_html: str = ""  # the HTML part as sent (never rendered unsanitised)
    attachments: list[ParsedAttachment] = field(default_factory=list)
    defects: list[str] = field(default_factory=list)
    # Filled by the parser worker for the writer (``rowvalues.prepare``): the thread keys of
    # ``references``, and the message's row values as SQLite stores them.
    reference_keys: list[str] = field(default_factory=list)
    sqlite_row: tuple = ()
