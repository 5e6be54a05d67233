"""Encoded binary data in message text: left out of the text Dossier stores, shows and indexes.

Mail carries binary data as text: the ``GIT binary patch`` sections of patches (base85), PGP
armour and undecoded MIME parts (base64). Read as words they are noise (every line is a new
"word" nobody types into a search box), and they are costly: the largest message of the
benchmark corpus is a 3.7-million-character patch series, almost all base85, whose first million
characters hold 98,000 distinct "words"; the index holds every one in memory while the row goes
in (15 MiB), and the message's text is copied several times on its way there.

So a block of such lines is replaced by one line saying how many lines were left out. Nothing
is lost: the original message is stored as it came (raw blob), and that is what the raw download
(web, API, ``dossier show --raw``) and the mbox export give. notmuch leaves uuencoded blocks out
of its index for the same reason.

A block is at least ``MIN_LINES`` consecutive lines drawn only from the base64 and base85
alphabets (no space, no ``.``, ``:`` or ``,``: sentences, paths and addresses never qualify),
all of one width of at least ``MIN_WIDTH`` characters except a shorter last line, as encoders
write them, and in at least half of which every one of lower case, upper case and digits occurs
``MIXED`` times or more, as in random data. Identifiers, configuration lines (``CONFIG_X=y``)
and hexadecimal hashes (one case) stay text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

MIN_LINES = 4
MIN_WIDTH = 40
MAX_WIDTH = 200
MIXED = 4
_ALPHABET = r"A-Za-z0-9+/=!#$%&()*\-;<>?@^_`{|}~"  # base64 and git's base85
# Candidates: a line of the alphabet at least ``MIN_WIDTH`` wide, and the lines of the alphabet
# after it (``_blocks`` sorts them into blocks). Possessive, so the regex engine keeps no state
# per line (a 57,000-line candidate took 8 MiB with a backtracking repeat), and starting with a
# newline, so it jumps from newline to newline (4x faster than ``^`` in multi-line mode: 0.11 s
# for the benchmark corpus's first 30,000 bodies). A candidate opening the text is matched apart.
_LINES = (
    rf"[{_ALPHABET}]{{{MIN_WIDTH},{MAX_WIDTH}}}(?![^\n])"
    rf"(?:\n[{_ALPHABET}]{{1,{MAX_WIDTH}}}(?![^\n]))*+"
)
_CANDIDATES = re.compile(rf"\n({_LINES})")
_OPENING = re.compile(_LINES)
_RANDOM = re.compile(
    rf"(?=(?:[^a-z]*[a-z]){{{MIXED}}})(?=(?:[^A-Z]*[A-Z]){{{MIXED}}})"
    rf"(?=(?:[^0-9]*[0-9]){{{MIXED}}})"
)


def leave_out_encoded(text: str) -> str:
    """``text`` with each block of encoded lines replaced by a line saying so (``marker``).
    Works on offsets: a block's lines are never copied out of ``text``."""
    if len(text) < MIN_LINES * MIN_WIDTH:
        return text
    opening = _OPENING.match(text)
    spans = [opening.span()] if opening else []
    spans += (m.span(1) for m in _CANDIDATES.finditer(text, opening.end() if opening else 0))
    pieces: list[str] = []
    done = 0
    for start, end in spans:
        for block_start, block_end, lines in _blocks(text, start, end):
            pieces += (text[done:block_start], marker(lines))
            done = block_end
    if not pieces:
        return text
    pieces.append(text[done:])
    return "".join(pieces)


def marker(lines: int) -> str:
    return f"[{lines:,} lines of encoded data left out; the original message has them]"


def is_encoded_block(lines: list[str]) -> bool:
    """Whether ``lines``, all of them, make one block by the rule ``leave_out_encoded`` applies."""
    text = "\n".join(lines)
    return [block[:2] for block in _blocks(text, 0, len(text))] == [(0, len(text))]


def _qualifies(lines: int, random: int) -> bool:
    return lines >= MIN_LINES and 2 * random >= lines


def _blocks(text: str, start: int, end: int) -> Iterator[tuple[int, int, int]]:
    """``(start, end, lines)`` of each block among the lines of ``text[start:end]``: runs of
    lines of one width, each with the shorter line that ends it when that still qualifies."""
    run: list[int] | None = None  # start, end, width, lines, random lines
    pos = start
    while pos <= end:
        eol = text.find("\n", pos, end)
        eol = end if eol < 0 else eol
        width, random = eol - pos, int(_RANDOM.match(text, pos, eol) is not None)
        if run is not None and width == run[2]:
            run[1], run[3], run[4] = eol, run[3] + 1, run[4] + random
        else:
            if run is not None:
                if width < run[2] and _qualifies(run[3] + 1, run[4] + random):
                    yield run[0], eol, run[3] + 1
                    run, pos = None, eol + 1
                    continue
                if _qualifies(run[3], run[4]):
                    yield run[0], run[1], run[3]
            run = [pos, eol, width, 1, random]
        pos = eol + 1
    if run is not None and _qualifies(run[3], run[4]):
        yield run[0], run[1], run[3]
