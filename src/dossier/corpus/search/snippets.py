"""Snippets: a short extract of a hit with the matched words between sentinel characters.

The database marks matches with ``START``/``STOP`` (``\\x02``/``\\x03``); the edges turn them into
``<mark>`` for HTML, Rich markup for the terminal, or nothing for plain text. Rendering escapes
everything else and always balances the tags, so a stray sentinel in a message can at worst
highlight a few words, never inject markup.
"""

from __future__ import annotations

import html
import re

from rich.markup import escape as rich_escape

START, STOP, ELLIPSIS = "\x02", "\x03", "…"
MARKS = (START, STOP, ELLIPSIS)
FENCE = "\x01"  # fences punctuation in PostgreSQL headlines, removed here
_SPACE = re.compile(r"\s+")
HEAD_WORDS = 30


def clean(snippet: str | None) -> str:
    """A database snippet with fences removed and runs of whitespace made one space."""
    return _SPACE.sub(" ", (snippet or "").replace(FENCE, "")).strip()


def has_match(snippet: str | None) -> bool:
    """Whether the database marked a match in this snippet."""
    return START in (snippet or "")


def head(text: str, words: int = HEAD_WORDS) -> str:
    """The first ``words`` words of ``text`` (no highlights), with an ellipsis if cut."""
    parts = _SPACE.sub(" ", text.replace(START, "").replace(STOP, "")).strip().split(" ")
    return " ".join(parts[:words]) + (" " + ELLIPSIS if len(parts) > words else "")


def _render(snippet: str, escape, open_tag: str, close_tag: str) -> str:
    """Escape the text between sentinels and wrap each match in balanced tags."""
    out: list[str] = []
    inside = False
    for piece in re.split(f"([{START}{STOP}])", snippet):
        if piece == START and not inside:
            out.append(open_tag)
            inside = True
        elif piece == STOP and inside:
            out.append(close_tag)
            inside = False
        elif piece not in (START, STOP):
            out.append(escape(piece))
    if inside:
        out.append(close_tag)
    return "".join(out)


def snippet_html(snippet: str) -> str:
    """HTML-escaped snippet with matches in ``<mark>…</mark>``."""
    return _render(snippet, lambda s: html.escape(s, quote=True), "<mark>", "</mark>")


def snippet_rich(snippet: str) -> str:
    """Rich console markup with matches in bold yellow."""
    return _render(snippet, rich_escape, "[bold yellow]", "[/bold yellow]")


def snippet_plain(snippet: str) -> str:
    """The snippet without its sentinels."""
    return snippet.replace(START, "").replace(STOP, "")
