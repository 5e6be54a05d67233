"""Header decoding: 8-bit bytes, RFC 2047 encoded words, addresses, dates and message ids.

Headers come from ``BytesParser(policy=compat32)`` as raw strings in which non-ASCII bytes are
surrogate escapes. Each function here takes such a raw value and never raises: a header that
cannot be understood yields "" (or None, with the reason) instead.
"""

from __future__ import annotations

import base64
import binascii
import re
from datetime import UTC, datetime
from email.utils import getaddresses, parsedate_to_datetime

from dossier.corpus.ingest.addresses import split_plain
from dossier.corpus.ingest.extractors.text import decode_bytes

_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?]*?)\?=")
_BRACKETED_ID = re.compile(r"<([^<>]+)>")
_FIRST_YEAR, _LAST_YEAR = 1980, 2100


def collapse(text: str) -> str:
    """Runs of whitespace as one space, ends trimmed, NULs dropped."""
    return " ".join(text.replace("\x00", "").split())


def unescape_8bit(raw: str) -> str:
    """Raw header text with its 8-bit bytes decoded as UTF-8, else cp1252, and NULs dropped."""
    raw = raw.replace("\x00", "")
    if raw.isascii():
        return raw
    data = raw.encode("utf-8", "surrogateescape")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def header_text(raw: str | None) -> str:
    """A header value as a person reads it: 8-bit and encoded words decoded, spaces collapsed."""
    if not raw:
        return ""
    return collapse(decode_rfc2047(unescape_8bit(raw)))


def decode_rfc2047(text: str) -> str:
    """Decode RFC 2047 encoded words, tolerating unknown charsets and broken base64.

    Adjacent words in one charset are joined before decoding (mailers split characters across
    words), whitespace between encoded words is dropped, and a word that cannot be decoded is
    kept as written."""
    if "=?" not in text:
        return text
    pieces: list[str | tuple[bytes, str]] = []
    position = 0
    for match in _ENCODED_WORD.finditer(text):
        gap = text[position : match.start()]
        if gap and not (gap.isspace() and pieces and isinstance(pieces[-1], tuple)):
            pieces.append(gap)
        position = match.end()
        charset = match.group(1).split("*", 1)[0]
        decoded = _decode_word(match.group(2).lower(), match.group(3))
        if decoded is None:
            pieces.append(match.group(0))
        elif pieces and isinstance(pieces[-1], tuple) and pieces[-1][1] == charset:
            pieces[-1] = (pieces[-1][0] + decoded, charset)
        else:
            pieces.append((decoded, charset))
    pieces.append(text[position:])
    return "".join(p if isinstance(p, str) else decode_bytes(p[0], p[1]).text for p in pieces)


def _decode_word(encoding: str, payload: str) -> bytes | None:
    """The bytes of one encoded word's payload, or None when they cannot be recovered."""
    data = payload.encode("utf-8")
    if encoding == "q":
        return binascii.a2b_qp(data, header=True)
    data = b"".join(data.split())
    for attempt in (data, data[:-1]):
        try:
            return base64.b64decode(attempt + b"=" * (-len(attempt) % 4), validate=False)
        except (binascii.Error, ValueError):
            continue
    return None


def parse_addresses(raw: str | None) -> list[tuple[str, str]]:
    """``(display name, lowercased address)`` pairs; groups and garbage yield what they can."""
    if not raw:
        return []
    text = collapse(unescape_8bit(raw))
    pairs = split_plain(text)  # plain lists, fast; None sends the rest to the stdlib
    if pairs is None:
        try:
            pairs = getaddresses([text])
        except (ValueError, IndexError, TypeError):  # the stdlib parser on hostile input
            return []
    found = []
    for name, address in pairs:
        name, address = header_text(name), collapse(address).lower()
        if name or address:
            found.append((name, address))
    return found


def parse_sender(raw: str | None) -> tuple[str, str]:
    """``(name, address)`` of the From header; a bare name without address keeps the name."""
    text = header_text(raw)
    if text and "@" not in text and "<" not in text:
        return text, ""
    pairs = parse_addresses(raw)
    return pairs[0] if pairs else ("", "")


def parse_date(raw: str | None) -> tuple[datetime | None, str]:
    """The Date header as an aware UTC datetime, or ``(None, reason)``.

    Missing, unparseable and implausible dates (before 1980, after 2100) are None: an invalid
    date never becomes the epoch."""
    text = collapse(unescape_8bit(raw or ""))
    if not text:
        return None, "no Date header"
    try:
        value = parsedate_to_datetime(text)
        if value.tzinfo is None:  # "-0000": time in UTC, origin unknown (RFC 5322)
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None, f"unparseable Date {text[:80]!r}"
    if not _FIRST_YEAR <= value.year <= _LAST_YEAR:
        return None, f"implausible Date {text[:80]!r}"
    return value, ""


def message_ids(raw: str | None, *, require_at: bool = False) -> list[str]:
    """The ids in a Message-ID, In-Reply-To or References header: without ``<>`` and
    whitespace, in order, without repeats. Unbracketed ids are split on whitespace; with
    ``require_at`` such words must contain "@" (In-Reply-To often holds prose)."""
    if not raw:
        return []
    text = unescape_8bit(raw)
    found = _BRACKETED_ID.findall(text)
    if not found:
        found = [word for word in text.split() if "@" in word or not require_at]
    ids = ("".join(item.split()).strip("<>") for item in found)
    return list(dict.fromkeys(item for item in ids if item))


def first_id(raw: str | None, *, require_at: bool = False) -> str:
    """The first normalised id of a header, "" when there is none."""
    ids = message_ids(raw, require_at=require_at)
    return ids[0] if ids else ""


def references(references_raw: str | None, in_reply_to: str) -> list[str]:
    """The References ids, oldest first, then the In-Reply-To id when not among them."""
    ids = message_ids(references_raw, require_at=True)
    if in_reply_to and in_reply_to not in ids:
        ids.append(in_reply_to)
    return ids
