"""mbox (mboxo, mboxrd, mboxcl): messages separated by ``From `` lines.

Streams the file line by line in binary; only the current message is held in memory, so memory is
bounded by the largest message whatever the file size (``mailbox.mbox`` indexes the whole file and
is not used). A separator is a line starting ``From `` at the start of the file (after blank lines)
or after a blank line. The separator line and the blank line before the next one are not part of
the message; ``>From `` quoting is undone (one ``>`` removed from lines matching ``^>+From ``).
Position: the decimal byte offset of the ``From `` line.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from dossier.corpus.ingest.formats.base import Origin, describe
from dossier.corpus.ingest.types import Member

NAME = "mbox"
EXTENSIONS = (".mbox", ".mbx")
BUFFER = 1 << 20

_BLANK = (b"\n", b"\r\n")


def sniff(head: bytes, mime: str) -> bool:
    return head.lstrip(b"\r\n").startswith(b"From ")


def read(path: Path, origin: Origin) -> Iterator[Member]:
    try:
        f = path.open("rb", buffering=BUFFER)
    except OSError as exc:
        yield origin.failure(NAME, "", f"cannot open: {describe(exc)}")
        return
    with f:
        yield from _split(f, origin)


def _split(lines: Iterator[bytes], origin: Origin) -> Iterator[Member]:
    offset = 0
    start: int | None = None  # offset of the current message's From line
    preamble: int | None = None  # offset of text found before the first From line
    body: list[bytes] = []
    after_blank = True  # the file start counts as "after a blank line"
    try:
        for line in lines:
            if after_blank and line.startswith(b"From "):
                if start is not None:
                    yield _message(origin, start, body)
                elif preamble is not None:
                    yield _preamble(origin, preamble)
                start, body = offset, []
            elif start is not None:
                body.append(line[1:] if _quoted_from(line) else line)
            elif preamble is None and line not in _BLANK:
                preamble = offset
            after_blank = line in _BLANK
            offset += len(line)
    except OSError as exc:
        where = start if start is not None else offset
        yield origin.failure(NAME, str(where), f"read error: {describe(exc)}")
        return
    if start is not None:
        yield _message(origin, start, body)
    elif preamble is not None:
        yield _preamble(origin, preamble)


def _quoted_from(line: bytes) -> bool:
    return line.startswith(b">") and line.lstrip(b">").startswith(b"From ")


def _message(origin: Origin, start: int, body: list[bytes]) -> Member:
    if body and body[-1] in _BLANK:
        body.pop()  # the blank line that precedes the next separator
    data = b"".join(body)
    body.clear()
    if not data.strip():
        return origin.failure(NAME, str(start), "empty message")
    return origin.message(NAME, str(start), data)


def _preamble(origin: Origin, offset: int) -> Member:
    reason = "text before the first 'From ' line: not an mbox message"
    return origin.failure(NAME, str(offset), reason)
