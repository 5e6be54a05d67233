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

# Characters that make a token on their own; marks (M*) only continue one.
_BASE_CATEGORIES = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo", "Nd", "Nl", "No", "Co", "Cn"})


@lru_cache(maxsize=8192)
def _kind(ch: str) -> int:
    """2 = starts or continues a token, 1 = only continues one (a mark), 0 = separates."""
    if "\ud800" <= ch <= "\udfff":
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
