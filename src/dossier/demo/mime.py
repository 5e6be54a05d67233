"""Raw RFC 822 / MIME building by hand, so every byte (boundaries included) is deterministic.

The stdlib generator draws random boundaries and re-folds headers; here a message is plain
bytes assembled from header lines and ``Part``s. Line endings are LF (as in mbox and Maildir).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime

from dossier.demo.people import Person

_SPECIALS = set('()<>[]:;@\\,."')


@dataclass
class Part:
    """One MIME entity: its own header lines and its already transfer-encoded body."""

    headers: list[str]
    body: bytes
    attachments: int = 0  # parts with Content-Disposition: attachment, this one included

    def render(self) -> bytes:
        """Header lines, a blank line, then the body."""
        head = b"".join(h.encode("ascii") + b"\n" for h in self.headers)
        return head + b"\n" + self.body


def encoded_word(text: str, charset: str = "utf-8", method: str = "B") -> str:
    """RFC 2047 encoded words for ``text`` (unchanged when plain ASCII), folded with LF+space."""
    if text.isascii():
        return text
    words: list[str] = []
    chunk = ""
    for char in text:
        if len((chunk + char).encode(charset)) > 36 and chunk:
            words.append(_one_word(chunk, charset, method))
            chunk = ""
        chunk += char
    words.append(_one_word(chunk, charset, method))
    return "\n ".join(words)


def _one_word(text: str, charset: str, method: str) -> str:
    data = text.encode(charset)
    if method == "B":
        return f"=?{charset}?B?{base64.b64encode(data).decode('ascii')}?="
    out = []
    for byte in data:
        char = chr(byte)
        if byte == 0x20:
            out.append("_")
        elif 0x21 <= byte <= 0x7E and char not in "=?_":
            out.append(char)
        else:
            out.append(f"={byte:02X}")
    return f"=?{charset}?Q?{''.join(out)}?="


def address(person: Person, charset: str = "utf-8") -> str:
    """``Name <addr>`` with the name quoted or RFC 2047 encoded as needed."""
    name = person.name
    if not name.isascii():
        name = encoded_word(name, charset)
    elif any(c in _SPECIALS for c in name):
        name = '"' + name.replace('"', "") + '"'
    return f"{name} <{person.address}>"


def address_list(people: list[Person], charset: str = "utf-8") -> str:
    """Several addresses, one per folded line."""
    return ",\n ".join(address(p, charset) for p in people)


def mail_date(when: datetime) -> str:
    """An RFC 5322 date in the datetime's own offset."""
    return format_datetime(when)


def text_part(
    text: str, subtype: str = "plain", charset: str | None = None, cte: str | None = None
) -> Part:
    """A text part. Charset defaults to us-ascii or utf-8; encoding to 7bit or quoted-printable."""
    if not text.endswith("\n"):
        text += "\n"
    charset = charset or ("us-ascii" if text.isascii() else "utf-8")
    data = text.encode(charset)
    cte = cte or ("7bit" if data.isascii() else "quoted-printable")
    headers = [f'Content-Type: text/{subtype}; charset="{charset}"']
    headers.append(f"Content-Transfer-Encoding: {cte}")
    return Part(headers, transfer_encode(data, cte))


def transfer_encode(data: bytes, cte: str) -> bytes:
    """Apply a Content-Transfer-Encoding (``7bit``/``8bit`` leave bytes as they are)."""
    if cte == "base64":
        return base64.encodebytes(data)
    if cte == "quoted-printable":
        encoded = binascii.b2a_qp(data, istext=True)
        return encoded if encoded.endswith(b"\n") else encoded + b"\n"
    return data


def attachment_part(data: bytes, content_type: str, filename: str) -> Part:
    """A base64 attachment with both ``name`` and ``filename`` set."""
    headers = [
        f'Content-Type: {content_type}; name="{filename}"',
        f'Content-Disposition: attachment; filename="{filename}"',
        "Content-Transfer-Encoding: base64",
    ]
    return Part(headers, base64.encodebytes(data), attachments=1)


def rfc822_part(raw: bytes, filename: str) -> Part:
    """A whole message attached as ``message/rfc822`` (a forward as attachment)."""
    headers = [
        f'Content-Type: message/rfc822; name="{filename}"',
        f'Content-Disposition: attachment; filename="{filename}"',
        "Content-Transfer-Encoding: 7bit",
    ]
    return Part(headers, raw if raw.endswith(b"\n") else raw + b"\n", attachments=1)


def multipart(subtype: str, parts: list[Part], boundary: str) -> Part:
    """A multipart entity holding ``parts``; its attachment count is theirs summed."""
    mark = boundary.encode("ascii")
    body = b"This is a multi-part message in MIME format.\n\n"
    for part in parts:
        body += b"--" + mark + b"\n" + part.render() + b"\n"
    body += b"--" + mark + b"--\n"
    headers = [f'Content-Type: multipart/{subtype};\n boundary="{boundary}"']
    return Part(headers, body, attachments=sum(p.attachments for p in parts))


def fold_ids(name: str, ids: list[str]) -> str:
    """A header holding message ids, one per line after the first."""
    return f"{name}: " + "\n ".join(f"<{i}>" for i in ids)


def quote(text: str, prefix: str = "> ") -> str:
    """Quote every line of ``text`` the way mail clients do (``>`` without space on blank lines)."""
    lines = text.rstrip("\n").split("\n")
    bare = prefix.rstrip()
    return "\n".join(
        (bare + line if line.startswith(bare) else prefix + line) if line else bare
        for line in lines
    )


def replace_header(raw: bytes, name: str, value: bytes) -> bytes:
    """``raw`` with the first ``name:`` header (and its continuation lines) set to ``value``."""
    head, sep, body = raw.partition(b"\n\n")
    lines = head.split(b"\n")
    key = name.encode("ascii").lower() + b":"
    start = next(i for i, line in enumerate(lines) if line.lower().startswith(key))
    end = start + 1
    while end < len(lines) and lines[end][:1] in (b" ", b"\t"):
        end += 1
    lines[start:end] = [name.encode("ascii") + b": " + value]
    return b"\n".join(lines) + sep + body
