"""The stdlib's message tree for plain mail, built without the stdlib's parser.

``email``'s FeedParser reads a message one line at a time through a generator, a line buffer and
a regular expression per line (per line and enclosing boundary, in a multipart), builds each
header through ``policy.header_source_parse``, and compiles a regular expression for each MIME
boundary (a fresh one per message, so the ``re`` cache never helps: 0.26 ms each). That was most
of a parser worker's time, although almost all mail is plain: a block of ``Name: value`` lines
(with folded continuations), a blank line, and a body that is single-part or a tree of
multiparts. ``plain_tree`` splits header blocks with one regular expression and multiparts by
searching for lines that start with ``--``, and builds the very ``Message`` tree (``compat32``)
the stdlib would: same headers in the same order, no defects, the same payloads, preambles and
epilogues (with the line end before a boundary dropped as the stdlib drops it), no unix-from.

It answers None (the caller then runs the full parser) whenever the stdlib could read the
message differently, that is for anything but the plain case:

- no blank line (``\\n\\n`` or ``\\n\\r\\n``) ending the top header block;
- a carriage return not followed by a line feed, in the header block or, for a multipart,
  anywhere: the stdlib splits lines on ``\\r\\n``, ``\\r`` and ``\\n`` (never on ``\\x0b``,
  ``\\x0c``, ``\\x1c``... as ``str.splitlines`` would; those stay inside a line here too);
- a header line that is neither ``Name:`` (name characters ``!`` to ``~`` except ``:``, at least
  one) nor a continuation (starting with a space or tab), a continuation as the first line, a
  ``From `` line (a unix-from, or a misplaced one: a defect), a line starting with ``:`` (a
  defect): each is a branch of ``FeedParser._parsegen`` / ``_parse_headers`` with another result;
  a part's header block may be empty (the part starts with a blank line), the top one may not;
- a ``message/*`` content type anywhere (the stdlib parses the embedded message);
- any multipart defect: no boundary parameter, a transfer encoding other than 7bit, 8bit or
  binary, no start or no close boundary, a boundary line of an enclosing multipart inside a part
  (an end of file for the stdlib), a part header block without a blank line after it;
- what the stdlib reads in its own way: ``multipart/digest`` (parts default to
  ``message/rfc822``), a boundary line right after another (skipped), a boundary containing
  ``:`` (a header line could then be a boundary line), nesting deeper than 20 levels.

``tests/corpus/test_parse_fastpath.py`` compares both trees on explicit and generated messages,
and records how many corpus messages take this path (75,564 of 75,576).

Worker CPU for ``workers.parse_all`` over the 20,000-message subset, one process,
``time.process_time``, 3 runs each alternating on a busy 2-core machine: 7.2-9.3 s (median 7.5)
with ``parsebytes(head, headersonly=True)`` for single-part mail and the full parser for the
rest; about 6.2 s with this header splitter for single-part mail only; 4.4-5.4 s (median 4.7)
with multiparts too. Multiparts are 8% of the messages but cost as much as all single-part ones
in the stdlib (half of it compiling boundary expressions). Results were identical.
"""

from __future__ import annotations

import re
from email.message import Message

_NAME = r"[\x21-\x39\x3b-\x7e]+"
_CONTINUATIONS = r"(?:[ \t][^\n]*\n)*"
# One field: its first line and continuation lines; its name; and its value from the first
# character after the colon's spaces and tabs (``header_source_parse`` strips them with
# ``lstrip(' \t')``) to its last line's end.
_FIELD = re.compile(rf"(({_NAME}):[ \t]*([^\n]*\n{_CONTINUATIONS}))")
_BLANK_LINE = re.compile(rb"\n\r?\n")
_BLANK_TEXT = re.compile(r"\n\r?\n")
_LINE_ENDS = ("", "\n", "\r\n")  # what may follow a boundary (and its spaces) on its line
_MULTIPART_ENCODINGS = ("7bit", "8bit", "binary")
_MAX_DEPTH = 20  # deeper trees go to the stdlib, which raises RecursionError far deeper


class _Declined(Exception):
    """The stdlib could read this message differently: it goes to the stdlib."""


def plain_tree(data: bytes) -> Message | None:
    """The stdlib's tree of ``data`` when it is plain mail, else None."""
    blank = _BLANK_LINE.search(data)
    if blank is None:
        return None
    if data.count(b"\r", 0, blank.end()) != data.count(b"\r\n", 0, blank.end()):
        return None  # a lone CR ends a line for the stdlib
    message = _message(data[: blank.start() + 1].decode("ascii", "surrogateescape"))
    if message is None:
        return None
    maintype = message.get_content_maintype()
    if maintype == "message":
        return None  # the stdlib parses the embedded message
    if maintype != "multipart":
        # decoded from a view: a slice would copy the body once more
        message.set_payload(str(memoryview(data)[blank.end() :], "ascii", "surrogateescape"))
        return message
    if data.count(b"\r") != data.count(b"\r\n"):
        return None
    text = data.decode("ascii", "surrogateescape")
    try:
        _multipart(message, text, blank.end(), ())
    except _Declined:
        return None
    return message


def _message(head: str) -> Message | None:
    """A message with the header fields of ``head`` (whole lines), or None if some line is
    not a field line."""
    fields = _FIELD.findall(head)
    # The matches do not overlap, so they are the whole block only if their lengths add up;
    # otherwise some line is not a field line (findall skipped it, or part of it).
    if sum(len(field) for field, _, _ in fields) != len(head):
        return None
    message = Message()
    for _, name, value in fields:
        message.set_raw(name, value.rstrip("\r\n"))
    return message


def _multipart(message: Message, text: str, pos: int, outer: tuple[str, ...]) -> int:
    """Fill ``message``'s parts, preamble and epilogue from its body at ``pos``, as
    ``FeedParser._parsegen`` does; ``outer`` holds the enclosing multiparts' separators.
    Returns where the body ends: the start of the next enclosing boundary line, or the end."""
    boundary = message.get_boundary()
    if boundary is None or message.get_content_type() == "multipart/digest":
        raise _Declined  # a defect; a digest's parts default to message/rfc822
    encoding = str(message.get("content-transfer-encoding", "8bit")).lower()
    separator = "--" + boundary
    if encoding not in _MULTIPART_ENCODINGS or ":" in separator or len(outer) >= _MAX_DEPTH:
        raise _Declined  # a defect; with a colon, a field line could be a boundary line
    separators = (*outer, separator)
    start, end, kind = _own_boundary(text, pos, separators)
    if kind != "part":
        raise _Declined  # the close boundary first: StartBoundaryNotFoundDefect
    if start > pos:  # the line end before a boundary belongs to the boundary
        message.preamble = _strip_line_end(text[pos:start])
    while kind == "part":
        part, body = _part(text, end, separators)
        message.attach(part)
        maintype = part.get_content_maintype()
        if maintype == "multipart":
            start = _multipart(part, text, body, separators)
            epilogue = part.epilogue or ""
            part.epilogue = _strip_line_end(epilogue) if epilogue else None
        elif maintype == "message":
            raise _Declined
        else:
            start = _next_boundary(text, body, separators)[0]
            part.set_payload(text[body : _line_end_start(text, body, start)])
        start, end, kind = _own_boundary(text, start, separators)
    region = _next_boundary(text, end, outer)[0] if outer else len(text)
    message.epilogue = text[end:region]
    return region


def _part(text: str, pos: int, separators: tuple[str, ...]) -> tuple[Message, int]:
    """The part after a boundary line: its headers (none when it starts with a blank line),
    and where its body starts. Another boundary line right after one is declined (the stdlib
    skips repeated boundaries), and so is a header block without a blank line after it."""
    line_end = text.find("\n", pos) + 1 or len(text)
    if any(_kinds(text[pos:line_end], separators)):
        raise _Declined
    if text.startswith("\n", pos) or text.startswith("\r\n", pos):
        return Message(), line_end
    blank = _BLANK_TEXT.search(text, pos)
    message = _message(text[pos : blank.start() + 1]) if blank is not None else None
    if message is None:
        raise _Declined
    return message, blank.end()


def _own_boundary(text: str, pos: int, separators: tuple[str, ...]) -> tuple[int, int, str]:
    """The next boundary line, which must be the innermost multipart's: a line that also
    matches an enclosing boundary is an end of file for the stdlib (a defect here)."""
    start, end, kinds = _next_boundary(text, pos, separators)
    if any(kinds[:-1]) or not kinds[-1]:
        raise _Declined
    return start, end, kinds[-1]


def _next_boundary(text: str, pos: int, separators: tuple[str, ...]) -> tuple[int, int, list[str]]:
    """Start and end of the first line from ``pos`` (a line start) that is a boundary line of
    one of ``separators``, with what it is for each ("part", "close" or ""). Declined when
    there is none (the stdlib reads to the end of the file and notes a missing boundary)."""
    start = pos if text.startswith("--", pos) else text.find("\n--", pos) + 1
    while start > 0:
        end = text.find("\n", start) + 1 or len(text)
        kinds = _kinds(text[start:end], separators)
        if any(kinds):
            return start, end, kinds
        start = text.find("\n--", end - 1) + 1
    raise _Declined


def _kinds(line: str, separators: tuple[str, ...]) -> list[str]:
    """For each separator, whether ``line`` matches the stdlib's boundary expression
    ``sep(--)?[ \\t]*(\\r\\n|\\r|\\n)?$`` as a part boundary, a close boundary, or not."""
    kinds = []
    for separator in separators:
        kind = ""
        if line.startswith(separator):
            rest = line[len(separator) :]
            if rest.startswith("--"):
                kind = "close" if rest[2:].lstrip(" \t") in _LINE_ENDS else ""
            else:
                kind = "part" if rest.lstrip(" \t") in _LINE_ENDS else ""
        kinds.append(kind)
    return kinds


def _line_end_start(text: str, start: int, end: int) -> int:
    """Where ``text[start:end]`` ends without one final line end (there are no lone CRs here),
    found without copying the part: a payload of megabytes is sliced once."""
    if end - start >= 2 and text.startswith("\r\n", end - 2):
        return end - 2
    return end - 1 if end > start and text.startswith("\n", end - 1) else end


def _strip_line_end(text: str) -> str:
    """``text`` without one final line end."""
    return text[: _line_end_start(text, 0, len(text))]
