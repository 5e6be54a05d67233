"""The MIME walk: which parts are the body (text and HTML) and which are attachments.

Body: ``text/plain`` and ``text/html`` leaves that are not attachments, in order. In a
``multipart/alternative`` the plain version is the text and the HTML version the HTML; an
HTML-only body is converted to text with inscriptis. Further inline text parts (a footer in a
``multipart/mixed``) are appended. Attachments: every other leaf, and every ``message/*`` part.
"""

from __future__ import annotations

import binascii
from dataclasses import dataclass, field
from email.message import Message

from dossier.corpus.ingest.extractors import clean_text
from dossier.corpus.ingest.extractors.html import html_to_text
from dossier.corpus.ingest.extractors.text import ascii_compatible, decode_bytes
from dossier.corpus.ingest.headers import unescape_8bit

BODY_TYPES = ("text/plain", "text/html")
MAX_DEPTH = 50  # deeper MIME nesting is hostile; the rest of the tree is ignored
_PARAM_HEADERS = ("content-type", "content-disposition")
# What get_payload(decode=True) decodes; every other transfer encoding leaves the payload as is.
_DECODED = frozenset({"base64", "quoted-printable", "x-uuencode", "uuencode", "uue", "x-uue"})
_LINE_BREAKS = str.maketrans("", "", "\r\n")  # the stdlib joins a base64 payload's lines


@dataclass
class Segment:
    """One piece of the body: a plain text, an HTML text, or both (alternatives)."""

    plain: str | None = None
    html: str | None = None

    def text(self) -> str:
        """The plain version, unless it is blank and an HTML version exists."""
        blank = not self.plain or self.plain.isspace()  # not .strip(): that copies the text
        if self.plain is not None and (not blank or not self.html):
            return self.plain
        return html_to_text(self.html or "")


@dataclass
class Body:
    """What the walk found: body segments in order, attachment parts, decoding defects."""

    segments: list[Segment] = field(default_factory=list)
    attachments: list[Message] = field(default_factory=list)
    defects: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join(filter(None, (segment.text() for segment in self.segments)))

    @property
    def html(self) -> str:
        return "\n".join(segment.html for segment in self.segments if segment.html)


def extract_body(message: Message) -> Body:
    """Walk ``message`` and sort its parts into body segments and attachment parts."""
    body = Body()
    _visit(message, body, depth=0, root=True)
    return body


def _visit(part: Message, body: Body, *, depth: int, root: bool = False) -> None:
    """Sort one part (and, for a multipart, its children) into ``body``."""
    if depth > MAX_DEPTH:
        body.defects.append(f"MIME nesting deeper than {MAX_DEPTH} levels ignored")
        return
    fix_param_headers(part)
    content_type = part.get_content_type()
    if content_type.startswith("multipart/") and not part.is_multipart():
        content_type = "text/plain"  # a multipart without boundary: its content is text
    if content_type.startswith("message/") or (
        part.is_multipart() and not content_type.startswith("multipart/")
    ):
        body.attachments.append(part)
    elif part.is_multipart():
        if content_type == "multipart/alternative":
            _visit_alternative(part, body, depth=depth)
        else:
            for child in part.get_payload():
                _visit(child, body, depth=depth + 1)
    elif is_attachment(part, content_type, root=root):
        body.attachments.append(part)
    else:
        text = part_text(part, body.defects)
        if content_type == "text/html":
            body.segments.append(Segment(html=text))
        else:
            body.segments.append(Segment(plain=text))


def _visit_alternative(part: Message, body: Body, *, depth: int) -> None:
    """One segment from the alternatives: the first plain version, the last (richest) HTML."""
    merged = Segment()
    for child in part.get_payload():
        version = Body(attachments=body.attachments, defects=body.defects)
        _visit(child, version, depth=depth + 1)
        plains = [segment.plain for segment in version.segments if segment.plain is not None]
        htmls = [segment.html for segment in version.segments if segment.html is not None]
        if plains and merged.plain is None:
            merged.plain = "\n\n".join(plains)
        if htmls:
            merged.html = "\n".join(htmls)
    if merged.plain is not None or merged.html is not None:
        body.segments.append(merged)


def is_attachment(part: Message, content_type: str, *, root: bool = False) -> bool:
    """A leaf is an attachment when declared so, named (except the message itself), or not
    a body type."""
    if part.get_content_disposition() == "attachment" or content_type not in BODY_TYPES:
        return True
    return not root and declared_filename(part) is not None


def declared_charset(part: Message) -> str | None:
    """The part's charset parameter; None when absent or unusable. The stdlib raises ValueError
    on an RFC 2231 value naming a charset with a NUL in it (``charset*=%00utf-8''x``)."""
    try:
        return part.get_content_charset()
    except (ValueError, LookupError, UnicodeError):
        return None


def declared_filename(part: Message) -> str | None:
    """The part's file name parameter, raw; None when absent or unusable (as for the charset)."""
    try:
        return part.get_filename()
    except (ValueError, LookupError, UnicodeError):
        return None


def part_text(part: Message, defects: list[str]) -> str:
    """A text part's payload decoded with its declared charset and fallbacks."""
    charset = declared_charset(part)
    ascii_text = _ascii_payload(part, charset)
    if ascii_text is not None:
        return clean_text(ascii_text)
    decoded = decode_bytes(part_bytes(part), charset)
    if decoded.note:
        defects.append(f"charset: {decoded.note}")
    return clean_text(decoded.text)


def _ascii_payload(part: Message, charset: str | None) -> str | None:
    """The payload itself when it is ASCII sent as is (no transfer encoding): what decoding its
    bytes would give, without making them (the stdlib encodes the payload back to bytes, then
    they are decoded again: two more copies of the text, four in all with the raw message, for a
    message of several megabytes). None for anything else."""
    payload = _ascii(part)
    if payload is None or _transfer_encoding(part) in _DECODED or not ascii_compatible(charset):
        return None
    return payload


def part_bytes(part: Message) -> bytes:
    """A leaf's payload with its transfer encoding (base64, quoted-printable...) undone: the
    stdlib's ``get_payload(decode=True)``, which makes three or four copies of a base64 payload
    on the way (bytes, a list of its lines, their join), so a 2 MB attachment took 13 MiB to
    parse. An ASCII payload in strict base64 or in quoted-printable is decoded here with the
    functions the stdlib ends in, from the text itself: the same bytes, one copy fewer or three.
    Anything else (bad padding, stray characters: the stdlib records a defect for them) goes
    to the stdlib."""
    payload = _ascii(part)
    if payload is not None:
        encoding = _transfer_encoding(part)
        if encoding == "base64":
            encoded = payload.translate(_LINE_BREAKS)
            if len(encoded) % 4 == 0:  # the stdlib pads it otherwise, and records a defect
                try:  # the stdlib's first try, exactly (b64decode(validate=True))
                    return binascii.a2b_base64(encoded, strict_mode=True)
                except binascii.Error:
                    pass
            del encoded
        elif encoding == "quoted-printable":
            return binascii.a2b_qp(payload)
    decoded = part.get_payload(decode=True)
    return decoded if isinstance(decoded, bytes) else b""


def _ascii(part: Message) -> str | None:
    # The attribute, not get_payload(): that encodes the whole payload to look for surrogates.
    payload = part._payload  # noqa: SLF001
    return payload if isinstance(payload, str) and payload.isascii() else None


def _transfer_encoding(part: Message) -> str:
    """Content-Transfer-Encoding read as ``get_payload(decode=True)`` reads it (not stripped)."""
    return str(part.get("content-transfer-encoding", "")).lower()


def fix_param_headers(part: Message) -> None:
    """Decode 8-bit Content-Type/Disposition values in place, so that filenames and charsets
    read through the stdlib's parameter parsing come out as text, not replacement marks."""
    items = [(name, value) for name, value in part.raw_items() if name.lower() in _PARAM_HEADERS]
    if all(value.isascii() for _, value in items):
        return
    for name in _PARAM_HEADERS:
        del part[name]
    for name, value in items:
        part.set_raw(name, unescape_8bit(value))
