"""The query AST: small frozen dataclasses built by ``query.parse`` and compiled per backend.

Text leaves carry index tokens (see ``words.py``), never raw user text. Boolean nodes are n-ary and
flattened by the ``and_``/``or_``/``not_`` constructors, which also drop empty operands (``None``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

# Query field name -> the column of the full-text index it searches.
TEXT_FIELDS: dict[str, str] = {
    "subject": "subject",
    "from": "from_text",
    "to": "to_text",
    "cc": "cc_text",
    "body": "body_text",
    "attachment": "attachment_text",
    "filename": "filenames",
}
FILTER_FIELDS = ("date", "collection", "thread", "has")


@dataclass(frozen=True)
class Text:
    """A word or phrase (a sequence of tokens that must be adjacent), in one field or in all."""

    tokens: tuple[str, ...]
    field: str | None = None
    prefix: bool = False


@dataclass(frozen=True)
class DateRange:
    """Messages dated in ``[start, end)``, UTC; ``None`` leaves that side open."""

    start: datetime | None
    end: datetime | None


@dataclass(frozen=True)
class FromAddress:
    """Messages whose sender address (the first From mailbox, lowercased) is ``address``."""

    address: str


@dataclass(frozen=True)
class FromDomain:
    """Messages whose sender address is at ``domain`` or at one of its subdomains.

    ``within``, once resolved (``senders.resolve``), lists exactly the stored sender domains
    that qualify, so the filter is an index lookup; None means unresolved (a slower LIKE).
    """

    domain: str
    within: tuple[str, ...] | None = None


@dataclass(frozen=True)
class InCollection:
    """Messages with a Location in the collection of this name (case-insensitive)."""

    name: str


@dataclass(frozen=True)
class InThread:
    thread_id: int


@dataclass(frozen=True)
class HasAttachment:
    pass


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    child: Node


Node = (
    Text | FromAddress | FromDomain | DateRange | InCollection | InThread | HasAttachment
    | And | Or | Not
)  # fmt: skip


def and_(*nodes: Node | None) -> Node | None:
    """Conjunction of the non-empty operands, flattened; a single operand is returned as is."""
    return _combine(And, nodes)


def or_(*nodes: Node | None) -> Node | None:
    """Disjunction of the non-empty operands, flattened; a single operand is returned as is."""
    return _combine(Or, nodes)


def not_(node: Node | None) -> Node | None:
    """Negation; ``NOT NOT x`` is ``x`` and the negation of nothing is nothing."""
    if node is None:
        return None
    return node.child if isinstance(node, Not) else Not(node)


def _combine(kind: type[And] | type[Or], nodes: tuple[Node | None, ...]) -> Node | None:
    flat: list[Node] = []
    for node in nodes:
        if isinstance(node, kind):
            flat.extend(node.children)
        elif node is not None:
            flat.append(node)
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else kind(tuple(flat))


def leaves(node: Node) -> Iterator[Node]:
    """Every leaf (text or filter) of the tree, left to right."""
    if isinstance(node, And | Or):
        for child in node.children:
            yield from leaves(child)
    elif isinstance(node, Not):
        yield from leaves(node.child)
    else:
        yield node


def positive_texts(node: Node) -> list[Text]:
    """Text leaves not under any NOT: the terms that rank results and highlight snippets."""
    if isinstance(node, Text):
        return [node]
    if isinstance(node, And | Or):
        return [text for child in node.children for text in positive_texts(child)]
    return []
