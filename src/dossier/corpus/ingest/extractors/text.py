"""Plain text attachments, and the charset decoding every text in a message goes through.

Mail declares charsets wrongly, vaguely (``latin1``, ``x-unknown``) or not at all, so decoding
is a chain: the declared charset (mapped through WHATWG-style aliases), then UTF-8, then cp1252,
then a statistical guess by ``charset-normalizer``. It never raises: the last resort is UTF-8
with replacement characters.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from functools import lru_cache

MIME_TYPES = frozenset(
    {
        "application/json",
        "application/ld+json",
        "application/xml",
        "application/csv",
        "application/x-csv",
        "application/yaml",
        "application/x-yaml",
        "application/javascript",
        "application/x-sh",
        "message/delivery-status",
        "message/disposition-notification",
    }
)
MIME_PREFIXES = ("text/",)
MIME_SUFFIXES = ("+xml", "+json")
EXTENSIONS = frozenset(
    ".txt .text .csv .tsv .json .xml .md .log .yaml .yml .ics .vcf .ini .cfg .conf .eml .rtf"
    " .sql .srt".split()
)

# Names mail software sends that Python does not know, or knows as a narrower charset.
_ALIASES: dict[str, str | None] = {
    "x-unknown": None,
    "unknown-8bit": None,
    "x-user-defined": None,
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "ks_c_5601-1987": "cp949",
    "euc-kr": "cp949",
    "x-sjis": "shift_jis",
    "shift-jis": "shift_jis",
    "x-mac-roman": "mac-roman",
    "iso-8859-8-i": "iso8859-8",
    "iso-8859-6-i": "iso8859-6",
    "x-mac-cyrillic": "mac-cyrillic",
}
# Codecs that are not character sets and must never be applied to mail bytes.
_REFUSED = frozenset({"unicode-escape", "raw-unicode-escape", "idna", "punycode", "undefined"})
# As in browsers: ASCII and Latin-1 labels mean windows-1252 in practice.
_WHATWG = {"ascii": "cp1252", "iso8859-1": "cp1252"}
# Single-byte charsets that decode anything: a text that is valid UTF-8 was mislabelled.
_NEVER_FAIL = frozenset({"cp1252", "iso8859-1", "iso8859-15"})
# Charsets whose bytes can be ASCII-range yet mean something else: no ASCII fast path for them.
_NOT_ASCII_COMPATIBLE = ("utf-16", "utf-32", "utf-7", "iso2022", "hz")
_GUESS_LIMIT = 1 << 20


@dataclass(frozen=True)
class Decoded:
    text: str
    note: str = ""  # why the declared charset was not used, "" when it was (or none was declared)


@lru_cache(maxsize=512)
def resolve_charset(name: str | None) -> str | None:
    """The Python codec name for a declared charset, or None when unknown or unusable."""
    if not name:
        return None
    key = name.strip().strip("\"'").lower()
    if key in _ALIASES:
        key = _ALIASES[key]
        if key is None:
            return None
    try:
        info = codecs.lookup(key)
    except (LookupError, ValueError):
        return None
    # bytes-to-bytes codecs (base64, zlib, rot13) are not charsets
    if info.name in _REFUSED or not getattr(info, "_is_text_encoding", True):
        return None
    return _WHATWG.get(info.name, info.name)


def decode_bytes(data: bytes, declared: str | None = None) -> Decoded:
    """Decode ``data``: declared charset, then UTF-8, then cp1252, then a guess. Never raises.

    The text never holds lone surrogates (UTF-7 can produce them; databases refuse them)."""
    if data.isascii() and ascii_compatible(declared):
        return Decoded(data.decode("ascii"))
    codec = resolve_charset(declared)
    decoded = _decode_chain(data, declared, codec)
    return Decoded(scrub_surrogates(decoded.text), decoded.note)


def ascii_compatible(declared: str | None) -> bool:
    """Whether ASCII bytes in the declared charset read as themselves (an unknown or absent
    charset falls back to UTF-8, which they do)."""
    codec = resolve_charset(declared)
    return codec is None or not codec.startswith(_NOT_ASCII_COMPATIBLE)


def scrub_surrogates(text: str) -> str:
    """``text`` with any lone surrogate replaced by "?" (they cannot be stored as UTF-8)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", errors="replace").decode("utf-8")
    return text


def _decode_chain(data: bytes, declared: str | None, codec: str | None) -> Decoded:
    label = repr((declared or "")[:40])
    note = f"unknown charset {label}" if declared and codec is None else ""
    if codec is not None:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            note = f"bytes are not valid {label}"
        else:
            if codec in _NEVER_FAIL and _is_utf8(data):
                return Decoded(data.decode("utf-8"), f"declared {label} but is UTF-8")
            return Decoded(text)
    for fallback in ("utf-8", "cp1252"):
        if fallback == codec:
            continue
        try:
            return Decoded(data.decode(fallback), note)
        except UnicodeDecodeError:
            pass
    return Decoded(_guess(data), note)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _guess(data: bytes) -> str:
    """charset-normalizer's best guess for the bytes, else UTF-8 with replacement characters."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[:_GUESS_LIMIT]).best()
    codec = resolve_charset(best.encoding) if best is not None else None
    return data.decode(codec or "utf-8", errors="replace")


def extract(data: bytes, *, charset: str | None, ocr: bool) -> str:
    """The text of a textual attachment (csv, json, xml, .txt...), decoded with fallbacks."""
    return decode_bytes(data, charset).text
