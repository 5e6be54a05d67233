"""A fast path for address headers, equal to ``email.utils.getaddresses`` where it applies.

The stdlib's address parser walks the text one character at a time; on mailing-list mail with
long To and Cc lists it was a third of a parser worker's time (``bench/profiles/README.md``).
Most address lists are plain: ``Name <a@b>``, ``"Quoted, Name" <a@b>`` or ``a@b``, separated by
commas. ``split_plain`` parses exactly those with regular expressions and returns None for
anything else (comments, groups, escapes, route addresses, unbalanced brackets, odd spacing), so
the caller falls back to the stdlib. ``tests/corpus/test_addresses.py`` checks that both give
the same pairs on every address header of the benchmark corpus and on generated lists.
"""

from __future__ import annotations

import re

# One mailbox: an optional display name (a phrase of plain words, or one quoted string without
# escapes) and an angle address, or a bare address. Dots are allowed in phrase words, as the
# stdlib allows them. Specials that change the stdlib's reading send the text to the fallback.
_ATOM = r"[^\s()<>\[\]@,;:\\\".]+"
_LOCAL = rf"{_ATOM}(?:\.{_ATOM})*"
_DOMAIN = rf"{_ATOM}(?:\.{_ATOM})*"
_ADDR = rf"{_LOCAL}@{_DOMAIN}"
_WORD = r"[^\s()<>\[\]@,;:\\\"]+"
_PHRASE = rf"{_WORD}(?: {_WORD})*"
_QUOTED = r"\"[^\"\\]*\""
_MAILBOX = re.compile(
    rf" ?(?:(?P<phrase>{_PHRASE}) |(?P<quoted>{_QUOTED}) ?)?<(?P<angle>{_ADDR})>"
    rf"| ?(?P<bare>{_ADDR})"
)
_SEPARATOR = re.compile(r" ?, ?")


def split_plain(text: str) -> list[tuple[str, str]] | None:
    """``(name, address)`` pairs of a collapsed, plain address list, or None when the text is
    anything else. ``text`` has single spaces only (``headers.collapse``)."""
    pairs: list[tuple[str, str]] = []
    position, end = 0, len(text)
    while position < end:
        match = _MAILBOX.match(text, position)
        if match is None:
            return None
        phrase, quoted = match.group("phrase"), match.group("quoted")
        if phrase is not None and phrase.endswith("."):
            return None  # the stdlib reads a phrase's trailing dot as a separate atom
        name = phrase or (quoted[1:-1] if quoted is not None else "")
        pairs.append((name, match.group("angle") or match.group("bare")))
        position = match.end()
        if position == end:
            break
        separator = _SEPARATOR.match(text, position)
        if separator is None:
            return None
        position = separator.end()
        if position == end:
            return None  # a trailing comma: leave the stdlib's reading to the stdlib
    return pairs
