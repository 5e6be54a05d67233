"""Parse the user's search text into an AST (``nodes.py``); the grammar is in
``docs/query-language.md``.

    query   := or_expr
    or_expr := and_expr ("OR" and_expr)*
    and_expr:= unary (["AND"] unary)*          # juxtaposition is AND; AND binds tighter than OR
    unary   := ("NOT" | "-")* primary
    primary := "(" or_expr ")" | field ":" "(" or_expr ")" | [field ":"] (word | "phrase")

Any text gives an AST or a ``QueryError`` whose message a person can act on; nothing else.
"""

from __future__ import annotations

import re

from dossier.corpus.search.dates import parse_date_range
from dossier.corpus.search.lexer import STARTS, Lexeme, balance, lex, resolve_operators
from dossier.corpus.search.nodes import (
    TEXT_FIELDS,
    FromAddress,
    FromDomain,
    HasAttachment,
    InCollection,
    InThread,
    Node,
    Text,
    and_,
    leaves,
    not_,
    or_,
)
from dossier.corpus.search.words import tokenize
from dossier.errors import QueryError

MAX_LENGTH = 10_000
MAX_TERMS = 100
MAX_TOKENS = 500
MIN_PREFIX = 2
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_THREAD = re.compile("[0-9]{1,18}")
# from: values read as a sender address or domain (see sender_leaf); anything else is words.
_LABEL = r"[^\W_](?:(?:[^\W_]|-)*[^\W_])?"
_DOMAIN = rf"(?:{_LABEL}\.)+[^\W\d_]{{2,}}"
_ADDRESS = re.compile(rf"<?([^\s@<>()\[\],;:\"\\]+@{_DOMAIN})>?")
_AT_DOMAIN = re.compile(rf"(?:\*?@)?({_DOMAIN})")


def parse(text: str) -> Node:
    """The AST of ``text``; ``QueryError`` (with a position where useful) when there is none."""
    if not isinstance(text, str):
        raise QueryError("the query must be text")
    if len(text) > MAX_LENGTH:
        raise QueryError(f"the query is too long ({len(text):,} characters; the most is 10,000)")
    clean = _CONTROL.sub(" ", text)
    parser = _Parser(resolve_operators(balance(lex(clean), len(clean))))
    node = parser.parse_or(None)
    if parser.peek() != "end":
        raise QueryError("could not read the query from here", parser.position())
    if node is None:
        if not clean.strip():
            raise QueryError("empty query")
        raise QueryError("nothing to search for: the query has no letters or digits in it")
    _check_size(node)
    return node


class _Parser:
    """Recursive descent over a balanced lexeme list; ``field`` is the enclosing field group's."""

    def __init__(self, lexemes: list[Lexeme]):
        self.lexemes = lexemes
        self.index = 0

    def peek(self) -> str:
        return self.lexemes[self.index].kind if self.index < len(self.lexemes) else "end"

    def position(self) -> int | None:
        return self.lexemes[self.index].position if self.index < len(self.lexemes) else None

    def take(self) -> Lexeme:
        self.index += 1
        return self.lexemes[self.index - 1]

    def parse_or(self, field: str | None) -> Node | None:
        parts = [self.parse_and(field)]
        while self.peek() == "or":
            self.take()
            parts.append(self.parse_and(field))
        return or_(*parts)

    def parse_and(self, field: str | None) -> Node | None:
        parts = []
        while self.peek() in STARTS:
            parts.append(self.parse_unary(field))
            if self.peek() == "and":
                self.take()
        return and_(*parts)

    def parse_unary(self, field: str | None) -> Node | None:
        negations = 0
        while self.peek() in ("not", "neg"):
            self.take()
            negations += 1
        node = self.parse_primary(field)
        return not_(node) if negations % 2 else node

    def parse_primary(self, field: str | None) -> Node | None:
        kind = self.peek()
        if kind == "term":
            return make_leaf(self.take(), field)
        if kind not in ("lparen", "field"):
            return None
        opener = self.take()
        if kind == "field":
            self.take()  # the "(" the lexer saw right after "field:"
            field = opener.field
        node = self.parse_or(field)
        self.take()  # the ")" that balance() guarantees
        return node


def make_leaf(lexeme: Lexeme, default_field: str | None) -> Node | None:
    """The AST leaf for one term; None when a text term has no words (``-``, ``*``, emoji)."""
    field = lexeme.field or default_field
    value, position = lexeme.value, lexeme.position
    if field == "from" and not lexeme.quoted and not lexeme.prefix:
        sender = sender_leaf(value)
        if sender is not None:
            return sender
    if field is None or field in TEXT_FIELDS:
        tokens = tokenize(value)
        if tokens and lexeme.prefix and len(tokens[-1]) < MIN_PREFIX:
            raise QueryError(
                f"{tokens[-1]}* is too short to search as a prefix;"
                f" give at least {MIN_PREFIX} letters",
                position,
            )
        return Text(tuple(tokens), field, lexeme.prefix) if tokens else None
    if field == "date":
        return parse_date_range(value, position)
    if field == "collection":
        if not value.strip():
            raise QueryError("collection: needs a collection name", position)
        return InCollection(value.strip())
    if field == "thread":
        if not _THREAD.fullmatch(value.strip()):
            raise QueryError(f"thread:{value} is not a thread number", position)
        return InThread(int(value.strip()))
    if value.strip().lower() not in ("attachment", "attachments"):
        raise QueryError(f"has:{value} is not understood; the one form is has:attachment", position)
    return HasAttachment()


def sender_leaf(value: str) -> FromAddress | FromDomain | None:
    """``from:alice@example.com`` (or ``<...>``) is that sender address exactly, and
    ``from:example.com`` (or ``@example.com``, ``*@example.com``) any sender at that domain or a
    subdomain, both case-insensitive and answered from the indexed sender columns. None for any
    other value, which is searched as words in the sender's name and address (as is a quoted
    value: ``from:"alice@example.com"`` matches those words in that order, e.g. also
    ``alice@example.com.au``)."""
    domain = _AT_DOMAIN.fullmatch(value)
    if domain is not None:
        return FromDomain(domain.group(1).lower())
    address = _ADDRESS.fullmatch(value)
    return FromAddress(address.group(1).lower()) if address is not None else None


def _check_size(node: Node) -> None:
    found = list(leaves(node))
    if len(found) > MAX_TERMS:
        raise QueryError(f"the query has {len(found)} terms; the most is {MAX_TERMS}")
    tokens = sum(len(leaf.tokens) for leaf in found if isinstance(leaf, Text))
    if tokens > MAX_TOKENS:
        raise QueryError(f"the query has {tokens} words; the most is {MAX_TOKENS}")
