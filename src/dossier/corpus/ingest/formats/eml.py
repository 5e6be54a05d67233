"""A single RFC 822 message in a file (``.eml``, or any file that starts with mail headers).

Content detection: the text starts (after blank lines) with a header block, every line of which is a
``Name: value`` field or a continuation, including at least one field that only mail has (From, To,
Subject, Received, Return-Path, Delivered-To, Message-ID, ...). Position: "".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from dossier.corpus.ingest.formats.base import HEAD_SIZE, Origin, describe
from dossier.corpus.ingest.types import Member

NAME = "eml"
EXTENSIONS = (".eml",)
MIME_TYPES = ("message/rfc822", "message/news")

_FIELD = re.compile(rb"([!-9;-~]+)[ \t]*:")  # RFC 5322 field name (printable ASCII but ':')
_MAIL_FIELDS = {
    b"from", b"to", b"cc", b"bcc", b"subject", b"message-id", b"received", b"return-path",
    b"delivered-to", b"x-original-to", b"envelope-to", b"mime-version", b"reply-to", b"sender",
    b"in-reply-to", b"references", b"dkim-signature", b"authentication-results", b"x-mailer",
    b"arc-seal", b"x-received", b"newsgroups",
}  # fmt: skip


def sniff(head: bytes, mime: str) -> bool:
    return mime in MIME_TYPES or looks_like_headers(head)


def looks_like_headers(head: bytes) -> bool:
    lines = head.removeprefix(b"\xef\xbb\xbf").lstrip(b"\r\n").splitlines()
    if len(head) >= HEAD_SIZE:
        lines = lines[:-1]  # the last line may be cut short
    mail_field = False
    for i, line in enumerate(lines):
        if not line.strip():
            break  # end of the header block
        if line[:1] in (b" ", b"\t"):
            if i == 0:
                return False
            continue  # a folded continuation line
        match = _FIELD.match(line)
        if not match:
            return False
        mail_field = mail_field or match.group(1).lower() in _MAIL_FIELDS
    return mail_field


def read(path: Path, origin: Origin) -> Iterator[Member]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield origin.failure(NAME, "", f"cannot read: {describe(exc)}")
        return
    if not data:
        yield origin.failure(NAME, "", "empty file")
    else:
        yield origin.message(NAME, "", data)
