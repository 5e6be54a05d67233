"""Raw RFC 822 bytes to a ``ParsedMessage``: headers, body, attachments and identity.

Runs in worker processes: no database, only the blob store. Parsing uses the stdlib's
``compat32`` policy (several times faster than ``policy.default``, and it does not trip on group
syntax), whose tree ``headblock.py`` builds without the stdlib's parser for plain mail; headers
are decoded in ``headers.py`` and the MIME tree is sorted in ``bodies.py``.
Only bytes without any header are refused (``IngestError``); anything else parses, with what
was wrong recorded in ``defects``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from email.message import Message
from email.parser import BytesParser
from email.policy import compat32

from dossier.blobs import BlobStore
from dossier.corpus.ingest.bodies import (
    declared_charset,
    declared_filename,
    extract_body,
    part_bytes,
)
from dossier.corpus.ingest.encoded import leave_out_encoded
from dossier.corpus.ingest.extractors import ExtractionError, extract_text
from dossier.corpus.ingest.headblock import plain_tree
from dossier.corpus.ingest.headers import (
    first_id,
    header_text,
    parse_addresses,
    parse_date,
    parse_sender,
    references,
)
from dossier.corpus.ingest.types import ParsedAttachment, ParsedMessage
from dossier.errors import IngestError

_HEADER_LINE = re.compile(rb"[\x21-\x39\x3b-\x7e]+:")
_MBOX_QUOTED_FROM = re.compile(r"^>+From ", re.MULTILINE)
_SPACE = re.compile(r"\s")  # what str.split() splits on (checked for every code point)
_WINDOW = 1 << 16  # characters of a body collapsed at once for its identity
_WANTED = frozenset(
    {"message-id", "from", "to", "cc", "subject", "date", "in-reply-to", "references"}
)
_IDENTITY_FIELDS = ("from", "to", "cc", "subject", "date")
_FORWARDED_FIELDS = ("From", "To", "Cc", "Date", "Subject")
FORWARDED_TYPES = frozenset({"message/rfc822", "message/global", "message/news"})
_FORWARD_DEPTH = 5  # forwarded messages inside forwarded messages whose text is extracted
_PARSER = BytesParser(policy=compat32)


def parse_message(data: bytes, *, blobs: BlobStore, ocr: bool = False) -> ParsedMessage:
    """Parse one message and store its raw bytes and attachments in ``blobs``.

    Raises ``IngestError`` only when ``data`` holds no header at all (empty, whitespace, or no
    ``Field-Name: value`` line before the first blank line)."""
    start = header_start(data)
    message = parse_bytes(data[start:])
    headers = first_headers(message)
    body = extract_body(message)
    defects = [f"{start} bytes before the first header ignored"] if _junk(data, start) else []
    parsed = _parsed_headers(headers, defects)
    parsed.raw_sha256, parsed.size = blobs.put_message(data), len(data)
    parsed.raw_pack, parsed.raw_offset = blobs.placement(parsed.raw_sha256)
    body_text, parsed.body_html = body.text, body.html
    parsed.identity = message_identity(parsed.message_id, headers, body_text)
    parsed.body_text = leave_out_encoded(body_text)
    parsed.attachments = [
        build_attachment(index, part, blobs=blobs, ocr=ocr, defects=defects)
        for index, part in enumerate(body.attachments)
    ]
    parsed.defects = list(dict.fromkeys(defects + body.defects + stdlib_defects(message)))
    return parsed


def header_start(data: bytes) -> int:
    """Offset of the first header line before the first blank line; IngestError if none.

    The demo generator and the end-to-end tests count failures by this exact rule."""
    if not data or data.isspace():  # not data.strip(): that copies the message
        raise IngestError("empty message (no bytes, or only whitespace)")
    position = 0
    while position < len(data):
        end = data.find(b"\n", position)
        end = len(data) if end == -1 else end
        line = data[position:end]
        if not line.strip():  # a blank (or whitespace-only) line ends the header section
            break
        if _HEADER_LINE.match(line):
            return position
        position = end + 1
    raise IngestError("not an email message: no 'Field-Name: value' header line")


def _junk(data: bytes, start: int) -> bool:
    """Whether bytes were skipped before the headers, other than an mbox ``From `` line."""
    return start > 0 and not (data.startswith(b"From ") and data.find(b"\n") + 1 == start)


def parse_bytes(data: bytes) -> Message:
    """The stdlib message tree (built by ``headblock.plain_tree`` for plain mail, several times
    faster); absurdly deep MIME nesting is refused, not a crash."""
    try:
        return plain_tree(data) or _PARSER.parsebytes(data)
    except RecursionError as exc:
        raise IngestError("MIME structure nested too deeply to parse") from exc


def first_headers(message: Message) -> dict[str, str]:
    """The first raw value of each header the parser uses, by lowercased name."""
    found: dict[str, str] = {}
    for name, value in message.raw_items():
        key = name.lower()
        if key in _WANTED and key not in found and isinstance(value, str):
            found[key] = value
    return found


def _parsed_headers(headers: dict[str, str], defects: list[str]) -> ParsedMessage:
    from_name, from_addr = parse_sender(headers.get("from"))
    date, date_problem = parse_date(headers.get("date"))
    if date_problem:
        defects.append(f"date: {date_problem}")
    in_reply_to = first_id(headers.get("in-reply-to"), require_at=True)
    return ParsedMessage(
        identity="",
        message_id=first_id(headers.get("message-id")),
        raw_sha256="",
        size=0,
        subject=header_text(headers.get("subject")),
        from_addr=from_addr,
        from_name=from_name,
        to=parse_addresses(headers.get("to")),
        cc=parse_addresses(headers.get("cc")),
        date=date,
        in_reply_to=in_reply_to,
        references=references(headers.get("references"), in_reply_to),
    )


def message_identity(message_id: str, headers: dict[str, str], body_text: str) -> str:
    """sha256 of ``mid:<id>``; without an id, of ``content:`` and the decoded, whitespace-
    collapsed From, To, Cc, Subject, Date and body, so that copies of one message found in
    different mailboxes (other line endings, flags, Status or Received headers, ``>From ``
    quoting in mbox bodies) agree."""
    if message_id:
        return hashlib.sha256(("mid:" + message_id).encode("utf-8")).hexdigest()
    fields = [header_text(headers.get(name)) for name in _IDENTITY_FIELDS]
    digest = hashlib.sha256(("content:" + "\n".join([*fields, ""])).encode("utf-8"))
    for piece in _collapsed(_MBOX_QUOTED_FROM.sub("From ", body_text)):
        digest.update(piece.encode("utf-8"))
    return digest.hexdigest()


def _collapsed(text: str) -> Iterator[str]:
    """``headers.collapse(text)`` in pieces, a window at a time: collapsing a 3 MB body at once
    made a list of its half a million words (40 MiB; ``re.sub`` makes a list of pieces too).
    Windows end at whitespace, so no word is cut in two."""
    first = True
    at = 0
    while at < len(text):
        space = _SPACE.search(text, at + _WINDOW)
        end = space.start() if space else len(text)
        words = text[at:end].replace("\x00", "").split()
        if words:
            if not first:
                yield " "
            yield " ".join(words)
            first = False
        at = end


def build_attachment(
    index: int, part: Message, *, blobs: BlobStore, ocr: bool, defects: list[str]
) -> ParsedAttachment:
    """Store one attachment's decoded bytes and extract its text; extraction failures are
    kept in ``text_error``. A forwarded message is stored as ``.eml``, its text read here."""
    content_type = part.get_content_type()
    filename = safe_filename(header_text(declared_filename(part) or ""))
    if part.is_multipart():  # message/*: the stdlib parsed the embedded message(s)
        payload, inner = embedded_messages(part, defects)
    else:
        payload, inner = part_bytes(part), []
    if content_type in FORWARDED_TYPES:
        filename = filename or "forwarded.eml"
        texts = (forwarded_text(message, defects, depth=0) for message in inner)
        text, error = "\n\n".join(filter(None, texts)), ""
    else:
        charset = declared_charset(part)
        full_type = f"{content_type}; charset={charset}" if charset else content_type
        text, error = attachment_text(payload, full_type, filename, ocr=ocr)
    return ParsedAttachment(
        part=index,
        filename=filename,
        content_type=content_type,
        size=len(payload),
        sha256=blobs.put(payload),
        text=leave_out_encoded(text),
        text_error=error,
    )


def attachment_text(data: bytes, content_type: str, filename: str, *, ocr: bool) -> tuple[str, str]:
    """``(text, "")``, or ``("", reason)`` when the document cannot be read."""
    try:
        return extract_text(data, content_type, filename, ocr=ocr), ""
    except ExtractionError as exc:
        return "", str(exc)
    except Exception as exc:  # a format library failing on a hostile file must not lose the mail
        return "", f"extraction failed: {exc.__class__.__name__}: {exc}"


def embedded_messages(part: Message, defects: list[str]) -> tuple[bytes, list[Message]]:
    """The bytes of a ``message/*`` part and the message(s) parsed from them."""
    inner = [item for item in part.get_payload() if isinstance(item, Message)]
    data = b"\n".join(flatten(item, defects) for item in inner)
    encoding = str(part.get("content-transfer-encoding", "")).strip().lower()
    if encoding in ("base64", "quoted-printable"):  # not allowed by RFC 2046, seen anyway
        data = _undo_transfer_encoding(data, encoding)
        try:
            inner = [parse_bytes(data)]
        except IngestError as exc:
            defects.append(f"embedded message not parsed: {exc}")
            inner = []
    return data, inner


def forwarded_text(message: Message, defects: list[str], depth: int) -> str:
    """An embedded message as text: its main headers, its body, and the messages it embeds."""
    headers = {name: header_text(value) for name, value in first_headers(message).items()}
    lines = [
        f"{label}: {headers[label.lower()]}"
        for label in _FORWARDED_FIELDS
        if headers.get(label.lower())
    ]
    body = extract_body(message)
    texts = ["\n".join(lines), body.text]
    if depth < _FORWARD_DEPTH:
        for part in body.attachments:
            if part.get_content_type() in FORWARDED_TYPES and part.is_multipart():
                inner = embedded_messages(part, defects)[1]
                texts += [forwarded_text(item, defects, depth + 1) for item in inner]
    return "\n\n".join(filter(None, texts))


def flatten(message: Message, defects: list[str]) -> bytes:
    """An embedded message back to bytes; when the stdlib generator cannot rebuild a damaged
    tree, the headers and undecoded payload are written out plainly."""
    try:
        return message.as_bytes()
    except Exception as exc:  # the generator re-folds headers and may reject what it parsed
        defects.append(f"embedded message rebuilt plainly: {exc.__class__.__name__}")
    head = "".join(f"{name}: {value}\n" for name, value in message.raw_items())
    payload = message.get_payload()
    text = payload if isinstance(payload, str) else ""
    return (head + "\n" + text).encode("utf-8", "surrogateescape")


def _undo_transfer_encoding(data: bytes, encoding: str) -> bytes:
    holder = Message()
    holder["Content-Transfer-Encoding"] = encoding
    holder.set_payload(data.decode("ascii", "surrogateescape"))
    return part_bytes(holder)


def safe_filename(name: str) -> str:
    """A display name only: path components, drive letters and control characters removed."""
    name = re.split(r"[\\/]", name)[-1]
    name = re.sub(r"^[A-Za-z]:", "", name)
    name = "".join(char for char in name if char.isprintable()).strip()
    return "" if name in ("", ".", "..") else name[:255]


def stdlib_defects(message: Message) -> list[str]:
    """Names of the defects the stdlib parser and decoders noted, over the whole tree."""
    found, stack = [], [message]
    while stack:
        part = stack.pop()
        found += [defect.__class__.__name__ for defect in part.defects]
        # Only a multipart's payload is a list of parts; asking a leaf for its payload decodes
        # it by its charset (wasted work, and a ValueError when the charset holds a NUL).
        if part.is_multipart():
            payload = part.get_payload()
            stack += [item for item in reversed(payload) if isinstance(item, Message)]
    return found
