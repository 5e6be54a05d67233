"""Cut the user's query text into lexemes: terms, parentheses, operators, negations.

Nothing here fails on odd input except an empty field value (``from:`` followed by a space);
an unbalanced quote runs to the end of the text. ``balance`` and ``resolve_operators`` then
repair the lexeme list so the parser only ever sees well-formed input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dossier.corpus.search.nodes import FILTER_FIELDS, TEXT_FIELDS
from dossier.errors import QueryError

FIELDS = frozenset(TEXT_FIELDS) | frozenset(FILTER_FIELDS)
EXAMPLES = {
    "subject": 'subject:"hit men"',
    "from": "from:alice@example.com",
    "to": "to:example.com",
    "cc": "cc:bob",
    "body": "body:invoice",
    "attachment": "attachment:contract",
    "filename": "filename:report.pdf",
    "date": "date:2011-03",
    "collection": "collection:enron",
    "thread": "thread:42",
    "has": "has:attachment",
}
MAX_DEPTH = 20
_FIELD = re.compile(r"([A-Za-z]+):")
_OPERATORS = {"AND": "and", "OR": "or", "NOT": "not"}
# Lexeme kinds that can begin an operand, and that can end one.
STARTS = frozenset({"term", "lparen", "neg", "not", "field"})
ENDS = frozenset({"term", "rparen"})


@dataclass(frozen=True)
class Lexeme:
    """kind: term, lparen, rparen, and, or, not, neg (a leading ``-``) or field (``field:(``)."""

    kind: str
    position: int
    value: str = ""
    field: str | None = None
    quoted: bool = False
    prefix: bool = False


def lex(text: str) -> list[Lexeme]:
    """The lexemes of ``text``, in order."""
    out: list[Lexeme] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            out.append(Lexeme("lparen" if ch == "(" else "rparen", i))
            i += 1
        elif ch == '"':
            lexeme, i = _phrase(text, i, i, None)
            out.append(lexeme)
        elif ch == "-":
            if i + 1 < len(text) and not text[i + 1].isspace() and text[i + 1] != ")":
                out.append(Lexeme("neg", i))
            i += 1
        else:
            i = _word(text, i, out)
    return out


def _phrase(text: str, quote: int, start: int, field: str | None) -> tuple[Lexeme, int]:
    """The quoted phrase opening at ``quote``; an unclosed quote runs to the end of the text."""
    end = text.find('"', quote + 1)
    closed = end >= 0
    if not closed:
        end = len(text)
    value = text[quote + 1 : end]
    after = end + 1 if closed else end
    prefix = value.rstrip().endswith("*")
    if closed and after < len(text) and text[after] == "*":
        prefix, after = True, after + 1
    return Lexeme("term", start, value, field, quoted=True, prefix=prefix), after


def _word(text: str, start: int, out: list[Lexeme]) -> int:
    """Append the lexeme(s) of the bare word at ``start``; return where the next one begins."""
    end = start
    while end < len(text) and not text[end].isspace() and text[end] not in '()"':
        end += 1
    word = text[start:end]
    if word in _OPERATORS:
        out.append(Lexeme(_OPERATORS[word], start, word))
        return end
    match = _FIELD.match(word)
    field = match.group(1).lower() if match else None
    if match is None or field not in FIELDS:
        out.append(Lexeme("term", start, word, prefix=word.endswith("*")))
        return end
    value = word[match.end() :]
    if value:
        out.append(Lexeme("term", start, value, field, prefix=value.endswith("*")))
        return end
    if end < len(text) and text[end] == '"':
        lexeme, end = _phrase(text, end, start, field)
        out.append(lexeme)
        return end
    if end < len(text) and text[end] == "(":
        out.append(Lexeme("field", start, field=field))
        return end
    raise QueryError(
        f"{field}: needs a value right after the colon, for example {EXAMPLES[field]}", start
    )


def balance(lexemes: list[Lexeme], length: int) -> list[Lexeme]:
    """Drop ``)`` that close nothing, close every ``(`` left open; refuse deep nesting."""
    out: list[Lexeme] = []
    depth = 0
    for lexeme in lexemes:
        if lexeme.kind == "lparen":
            depth += 1
            if depth > MAX_DEPTH:
                raise QueryError(
                    f"too many nested parentheses (the most is {MAX_DEPTH})", lexeme.position
                )
        elif lexeme.kind == "rparen":
            if depth == 0:
                continue
            depth -= 1
        out.append(lexeme)
    out.extend(Lexeme("rparen", length) for _ in range(depth))
    return out


def resolve_operators(lexemes: list[Lexeme]) -> list[Lexeme]:
    """Read an operator with nothing to apply to (``AND`` alone, ``NOT`` at the end) as a word."""
    out: list[Lexeme] = []
    for i, lexeme in enumerate(lexemes):
        if lexeme.kind in ("and", "or", "not"):
            after = lexemes[i + 1].kind if i + 1 < len(lexemes) else "end"
            before = out[-1].kind if out else "start"
            binary = lexeme.kind != "not"
            if after not in STARTS or (binary and before not in ENDS):
                lexeme = Lexeme("term", lexeme.position, lexeme.value)
        out.append(lexeme)
    return out
