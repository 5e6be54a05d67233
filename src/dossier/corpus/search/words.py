"""Split text into words the way the full-text index does.

The SQLite index uses FTS5's ``unicode61`` tokenizer: a token is a run of letters, numbers and
private-use characters; everything else (punctuation, symbols, spaces, control characters)
separates tokens. Combining marks are kept inside a token (the index removes diacritics later).
The PostgreSQL index is built from text normalised to the same shape (see ``postgres_fts.py``).

So ``INV-2024-0042`` is the three tokens ``inv 2024 0042``, and ``O'Brien`` is ``o brien``.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Marks a field term (``field_terms``): a private-use character, which FTS5 keeps inside a token.
# In text it separates tokens, here and in the index (``index.source_view_sql``), so no text can
# pose as a field term.
FIELD_MARK = "\ue000"

# Characters that make a token on their own; marks (M*) only continue one.
_BASE_CATEGORIES = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo", "Nd", "Nl", "No", "Co", "Cn"})


@lru_cache(maxsize=8192)
def _kind(ch: str) -> int:
    """2 = starts or continues a token, 1 = only continues one (a mark), 0 = separates."""
    if "\ud800" <= ch <= "\udfff" or ch == FIELD_MARK:
        return 0
    category = unicodedata.category(ch)
    if category in _BASE_CATEGORIES:
        return 2
    return 1 if category[0] == "M" else 0


def tokenize(text: str) -> list[str]:
    """Lower-cased index tokens of ``text``; runs made only of combining marks are dropped."""
    tokens: list[str] = []
    start = -1
    has_base = False
    for i, ch in enumerate(text + " "):
        kind = _kind(ch)
        if kind and start < 0:
            start, has_base = i, False
        if kind == 2:
            has_base = True
        elif not kind and start >= 0:
            if has_base:
                tokens.append(text[start:i].lower())
            start = -1
    return tokens


def field_terms(text: str) -> str:
    """``text``'s tokens, each marked as a term of its own field: ``"Re: Scrub"`` → ``"\\ue000re
    \\ue000scrub"``.

    The SQLite index holds a message's subject twice: as words (its ``subject`` column) and as
    these marked terms (``subject_terms``). FTS5 keeps one position list per word for all
    columns, so ``subject:scrub`` as a column filter reads every position of "scrub" in every
    body; the marked term ``\\ue000scrub`` occurs only in subjects, so its list is short
    (notmuch indexes field words as prefixed terms for the same reason). The query compiler
    makes ``subject:`` words the same way (``sqlite_fts.phrase``), so index and query agree
    token for token by construction.
    """
    return " ".join(FIELD_MARK + token for token in tokenize(text))
