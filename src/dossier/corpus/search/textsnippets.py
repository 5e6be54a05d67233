"""Snippets cut in Python from the start of each hit's stored text.

FTS5's ``snippet()`` (SQLite 3.40) slows down with the number of matches in a document: a page of
50 hits for a word found in nearly every message took 300 ms on the benchmark corpus, most of it
in a few long patches. ``ts_headline`` on PostgreSQL re-parses whole documents. Here the body,
attachment text and subject of the page's hits are searched, up to ``HEAD_CHARS`` characters
each, with one regular expression made from the query's positive words and phrases (each phrase
a span: its tokens separated by anything that is not a token character, as the index splits
them). Case is ignored and Latin diacritics are folded position for position, as the index does
(``remove_diacritics``). A hit whose match lies beyond the head, or in a script whose marks
this folding does not cover, gets no snippet here; the caller asks the database for those only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from dossier.corpus.search.nodes import Node, Text, positive_texts
from dossier.corpus.search.snippets import ELLIPSIS, START, STOP

HEAD_CHARS = 20_000
WINDOW_TOKENS = 24
LEAD_TOKENS = 6  # tokens shown before the first match
FIELDS = {
    "body": ("body", None),
    "attachment": ("attachment", None),
    "subject": ("subject", None),
}
_TOKEN = re.compile(r"[^\W_]+")
_SEP = r"[\W_]+"


def _fold_table() -> dict[int, str]:
    """Latin letters with diacritics to their base letter: one character for one, so positions
    in the folded text are positions in the original."""
    table = {}
    for code in range(0xC0, 0x250):
        base = unicodedata.normalize("NFD", chr(code))
        if len(base) > 1 and all(unicodedata.combining(c) for c in base[1:]):
            table[code] = base[0]
    return table


_FOLD = _fold_table()
_FOLDABLE = re.compile("[" + "".join(re.escape(chr(code)) for code in sorted(_FOLD)) + "]")


def fold(text: str) -> str:
    """``text`` with Latin diacritics dropped, character for character. Most mail is ASCII
    but for a few quotes or dashes; only the characters that fold are replaced (translating
    every character of a 20,000-character head took 2 ms, 0.1 ms to find none to replace)."""
    if text.isascii() or not _FOLDABLE.search(text):
        return text
    return _FOLDABLE.sub(lambda match: _FOLD[ord(match.group())], text)


def pattern(node: Node, field: str) -> re.Pattern[str] | None:
    """One case-insensitive expression for the positive terms that can match in ``field``."""
    texts = [t for t in positive_texts(node) if t.field in FIELDS[field]]
    return _compiled(tuple(texts))


@lru_cache(maxsize=256)
def _compiled(texts: tuple[Text, ...]) -> re.Pattern[str] | None:
    alternatives = []
    for text in texts:
        tokens = [re.escape(fold(token)) for token in text.tokens]
        if not tokens:
            continue
        if text.prefix:
            tokens[-1] += r"[^\W_]*"
        alternatives.append(_SEP.join(tokens))
    if not alternatives:
        return None
    body = "|".join(sorted(alternatives, key=len, reverse=True))
    return re.compile(rf"(?<![^\W_])(?:{body})(?![^\W_])", re.IGNORECASE)


def snippet(text: str, expression: re.Pattern[str]) -> str | None:
    """``WINDOW_TOKENS`` tokens around the first match, matches between START and STOP;
    None when nothing matches in the head of ``text``."""
    head = text[:HEAD_CHARS]
    folded = fold(head)
    first = expression.search(folded)
    if first is None:
        return None
    start = _window_start(folded, first.start())
    end = _window_end(folded, start)
    out, position = [], start
    for match in expression.finditer(folded, start, end):
        if match.end() > end:
            break
        out += [head[position : match.start()], START, head[match.start() : match.end()], STOP]
        position = match.end()
    out.append(head[position:end])
    lead = ELLIPSIS if start > 0 else ""
    tail = ELLIPSIS if end < len(text.rstrip()) else ""
    return lead + "".join(out) + tail


def _window_start(folded: str, at: int) -> int:
    """Where the window begins: ``LEAD_TOKENS`` tokens before the match, or the text's start."""
    low = max(0, at - 400)
    before = [m.start() for m in _TOKEN.finditer(folded, low, at)]
    if len(before) >= LEAD_TOKENS:
        return before[-LEAD_TOKENS]
    return 0 if low == 0 else (before[0] if before else at)


def _window_end(folded: str, start: int) -> int:
    """After ``WINDOW_TOKENS`` tokens from ``start``; the end of the text if fewer remain."""
    for count, match in enumerate(_TOKEN.finditer(folded, start), start=1):
        if count == WINDOW_TOKENS:
            return match.end()
    return len(folded)


def page_snippets(
    node: Node, rows: Iterable[tuple[int, str, str, str]]
) -> tuple[dict[int, str], list[int]]:
    """Snippets for ``(id, body, attachment text, subject)`` rows: the first of body,
    attachment and subject that shows a match; and the ids that found none in their heads."""
    patterns = {field: pattern(node, field) for field in FIELDS}
    found: dict[int, str] = {}
    missing: list[int] = []
    for row_id, body, attachment, subject in rows:
        for field, text in (("body", body), ("attachment", attachment), ("subject", subject)):
            expression = patterns[field]
            cut = snippet(text or "", expression) if expression is not None else None
            if cut is not None:
                found[row_id] = cut
                break
        else:
            if any(patterns.values()):
                missing.append(row_id)
    return found, missing
