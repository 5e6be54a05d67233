"""SQL shared by both backends: non-text filters, the boolean walk, and the page/count queries.

Everything here is a pure function returning ``(sql, params)``; user text only ever travels in
``params``. A backend compiler (``sqlite_fts.py``, ``postgres_fts.py``) supplies the text leaves
and the rank expression and gets back a ``Compiled`` query.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from dossier.corpus.search.nodes import (
    And,
    DateRange,
    FromAddress,
    FromDomain,
    HasAttachment,
    InCollection,
    InThread,
    Node,
    Not,
    Or,
    Text,
)

Sql = tuple[str, list[Any]]
# The lowest and highest message ids, each read from the end of the rowid B-tree (one statement
# with ``min(id), max(id)`` would scan the table instead).
ID_SPAN = "SELECT (SELECT min(id) FROM corpus_message), (SELECT max(id) FROM corpus_message)"
IN_COLLECTION = (
    "m.id IN (SELECT l.message_id FROM corpus_location l"
    " JOIN corpus_collection c ON c.id = l.collection_id WHERE lower(c.name) = lower(%s))"
)


@dataclass(frozen=True)
class Compiled:
    """A compiled query: the WHERE predicate over ``corpus_message m`` and how to rank it.

    ``rank`` is an SQL expression (higher is better, 0 for unranked rows) that may need
    ``join`` (a clause after ``FROM corpus_message m``); each comes with its params. When
    ``join_filters`` is set the join alone selects the hits, and the page query skips ``where``.
    ``count``, if set, counts the hits of an unscoped query more cheaply than ``where`` (same
    ``params``), e.g. straight from the full-text index.

    ``top_match`` (SQLite), if set, is the one FTS5 expression that every hit matches and that
    ranks them; the hits are exactly its matches that also satisfy ``top_filter``, a predicate
    on ``corpus_message m`` over indexed columns only ("" for none). ``topn.py`` ranks them on
    the index side.
    """

    where: str
    params: list[Any]
    rank: str = "0.0"
    rank_params: list[Any] = field(default_factory=list)
    join: str = ""
    join_params: list[Any] = field(default_factory=list)
    join_filters: bool = False
    count: str = ""
    top_match: str = ""
    top_filter: Sql = ("", [])

    @property
    def ranked(self) -> bool:
        """Whether hits have scores; without, every rank is 0 and the order is the date's."""
        return self.rank != "0.0"


def boolean_sql(node: Node, text_sql: Callable[[Text], Sql], date_param: Callable) -> Sql:
    """Compile ``node`` into a predicate, text leaves by ``text_sql``, filters here."""
    if isinstance(node, And | Or):
        parts = [boolean_sql(child, text_sql, date_param) for child in node.children]
        return join_sql(" AND " if isinstance(node, And) else " OR ", parts)
    if isinstance(node, Not):
        return negate(boolean_sql(node.child, text_sql, date_param))
    if isinstance(node, Text):
        return text_sql(node)
    return filter_sql(node, date_param)


def join_sql(operator: str, parts: list[Sql]) -> Sql:
    """``(a OP b OP ...)`` with the params in order."""
    if len(parts) == 1:
        return parts[0]
    return "(" + operator.join(sql for sql, _ in parts) + ")", [p for _, ps in parts for p in ps]


def negate(part: Sql) -> Sql:
    """NOT that treats unknown (NULL) as false, so ``-x`` is all messages minus the x ones."""
    return f"NOT COALESCE({part[0]}, FALSE)", part[1]


def filter_sql(node: Node, date_param: Callable[[datetime], Any]) -> Sql:
    """The predicate of a non-text leaf; ``date_param`` adapts datetimes for the backend."""
    if isinstance(node, DateRange):
        parts: list[Sql] = []
        if node.start is not None:
            parts.append(("m.date >= %s", [date_param(node.start)]))
        if node.end is not None:
            parts.append(("m.date < %s", [date_param(node.end)]))
        return join_sql(" AND ", parts) if parts else ("m.date IS NOT NULL", [])
    if isinstance(node, FromAddress):
        return "m.from_addr = %s", [node.address]
    if isinstance(node, FromDomain):
        return domain_sql(node)
    if isinstance(node, InCollection):
        return IN_COLLECTION, [node.name]
    if isinstance(node, InThread):
        return "m.thread_id = %s", [node.thread_id]
    if isinstance(node, HasAttachment):
        return "m.has_attachments = %s", [True]
    raise TypeError(f"not a filter node: {node!r}")


def domain_sql(node: FromDomain) -> Sql:
    """Sender at the domain or a subdomain: an index lookup per qualifying domain once they are
    known (``senders.resolve``), else a LIKE over every row. Domains hold no ``%`` or ``_``."""
    if node.within is None:
        return "(m.sender_domain = %s OR m.sender_domain LIKE %s)", [
            node.domain,
            "%." + node.domain,
        ]
    if not node.within:
        return "1 = 0", []
    return f"m.sender_domain IN ({', '.join(['%s'] * len(node.within))})", list(node.within)


def scope_sql(collection_ids: Collection[int] | None) -> Sql:
    """Restrict to messages with a Location in these collections; None = all, empty = none."""
    inside, params = in_ids("l.collection_id", collection_ids)
    if collection_ids is None or not params:
        return inside, params
    return f"m.id IN (SELECT l.message_id FROM corpus_location l WHERE {inside})", params


def in_ids(column: str, ids: Collection[int] | None) -> Sql:
    """``column IN (...)``; None means no restriction, an empty collection matches nothing."""
    if ids is None:
        return "1 = 1", []
    values = sorted({int(i) for i in ids})
    if not values:
        return "1 = 0", []
    return f"{column} IN ({', '.join(['%s'] * len(values))})", values


def count_sql(compiled: Compiled, scope: Sql) -> Sql:
    """How many messages match."""
    if compiled.count and scope == scope_sql(None):
        return compiled.count, list(compiled.params)
    sql = f"SELECT count(*) FROM corpus_message m WHERE {compiled.where} AND {scope[0]}"
    return sql, [*compiled.params, *scope[1]]


def page_sql(compiled: Compiled, scope: Sql, limit: int, offset: int) -> Sql:
    """``id, rank, total`` of one page: best rank first, then newest, then highest id."""
    where, params = (
        ("", []) if compiled.join_filters else (f"{compiled.where} AND ", compiled.params)
    )
    sql = (
        f"SELECT m.id, {compiled.rank} AS rank, count(*) OVER () AS total"
        f" FROM corpus_message m {compiled.join} WHERE {where}{scope[0]}"
        " ORDER BY rank DESC, m.date DESC NULLS LAST, m.id DESC LIMIT %s OFFSET %s"
    )
    params = [*compiled.rank_params, *compiled.join_params, *params, *scope[1]]
    return sql, [*params, limit, offset]
