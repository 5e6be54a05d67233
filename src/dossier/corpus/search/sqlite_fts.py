"""Compile a query AST to SQL for SQLite, using the FTS5 table ``corpus_message_fts``.

Text leaves become FTS5 expressions in which every token is a double-quoted string (quotes
doubled), so no user text is ever read as FTS5 syntax. The boolean structure is compiled to SQL,
because FTS5's NOT is binary and non-text filters are predicates on ``corpus_message``; adjacent
text operands of one AND/OR are merged into a single ``MATCH`` so FTS5 does the work once.
Ranking is bm25 with the subject and sender weighted up.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from dossier.corpus.search.nodes import (
    TEXT_FIELDS,
    And,
    DateRange,
    FromAddress,
    FromDomain,
    InThread,
    Node,
    Not,
    Or,
    Text,
    positive_texts,
)
from dossier.corpus.search.plan import Compiled, Sql, filter_sql, join_sql, negate
from dossier.corpus.search.words import FIELD_MARK

# The hits of a MATCH in the index, as a FROM clause (rowid = message id).
HITS = "corpus_message_fts WHERE corpus_message_fts MATCH %s"
MATCH = "m.id IN (SELECT rowid FROM corpus_message_fts WHERE corpus_message_fts MATCH %s)"
# bm25 weights, in the column order of the FTS table (see index.FTS_COLUMNS): the subject's
# field terms weigh as the subject does.
BM25 = "bm25(corpus_message_fts, 8.0, 4.0, 2.0, 1.5, 1.0, 0.75, 2.0, 8.0)"
RANKED = (
    f"JOIN (SELECT rowid AS rid, {BM25} AS score FROM corpus_message_fts"
    " WHERE corpus_message_fts MATCH %s) r ON r.rid = m.id"
)
RANK = "COALESCE(-r.score, 0.0)"
# Every message has exactly one row in the index (rowid = id), so a lone MATCH counts there.
COUNT = "SELECT count(*) FROM corpus_message_fts WHERE corpus_message_fts MATCH %s"
SNIPPET_COLUMNS = {"body": 4, "attachment": 5, "subject": 0}
# Filters answered from an index on corpus_message alone (date; thread, date; sender address,
# sender domain), without its rows.
INDEXED_FILTERS = (DateRange, InThread, FromAddress, FromDomain)


def compile_query(node: Node) -> Compiled:
    """The WHERE predicate and rank of ``node``.

    When the whole query is one MATCH, the page query joins it once and ranks it directly;
    otherwise the hits are left-joined to a MATCH of their positive terms for ranking.
    """
    where, params = where_sql(node)
    if where == MATCH:
        return Compiled(
            where, params, RANK, [], RANKED, params,
            join_filters=True, count=COUNT, top_match=params[0],
        )  # fmt: skip
    rank_match = ranking_match(node)
    if rank_match is None:
        return Compiled(where, params)
    top_filter = indexed_filter(node, rank_match)
    return Compiled(
        where, params, RANK, [], "LEFT " + RANKED, [rank_match],
        top_match=rank_match if top_filter else "", top_filter=top_filter or ("", []),
    )  # fmt: skip


def indexed_filter(node: Node, rank_match: str) -> Sql | None:
    """For ``text AND filters`` whose text is ``rank_match`` itself, the filters' predicate.

    Then every hit matches the ranking expression, so a hit's rank is its bm25 for the very
    MATCH that finds it, and the filters (indexed columns only) can be applied on the index
    side (``topn.py``). None for any other shape.
    """
    if not isinstance(node, And):
        return None
    filters = [child for child in node.children if isinstance(child, INDEXED_FILTERS)]
    texts = [child for child in node.children if not isinstance(child, INDEXED_FILTERS)]
    if not filters or not texts:
        return None
    expression = fts_expression(texts[0] if len(texts) == 1 else And(tuple(texts)))
    if expression not in (rank_match, f"({rank_match})"):
        return None
    return join_sql(" AND ", [filter_sql(child, sqlite_datetime) for child in filters])


def where_sql(node: Node) -> Sql:
    """A predicate over ``corpus_message m`` matching ``node``."""
    expression = fts_expression(node)
    if expression is not None:
        return MATCH, [expression]
    if isinstance(node, And | Or):
        return _merged(node)
    if isinstance(node, Not):
        return negate(where_sql(node.child))
    return filter_sql(node, sqlite_datetime)


def _merged(node: And | Or) -> Sql:
    """Children FTS5 can evaluate go into one MATCH; the rest are compiled one by one."""
    is_and = isinstance(node, And)
    text, rest = [], []
    for child in node.children:
        inner = child.child if is_and and isinstance(child, Not) else child
        (text if fts_expression(inner) is not None else rest).append(child)
    merged = (And if is_and else Or)(tuple(text)) if len(text) > 1 else None
    parts = [where_sql(merged)] if merged and fts_expression(merged) else []
    parts += [where_sql(child) for child in (rest if parts else node.children)]
    return join_sql(" AND " if is_and else " OR ", parts)


def fts_expression(node: Node) -> str | None:
    """The FTS5 query for ``node``, or None when FTS5 alone cannot answer it.

    FTS5 can answer text leaves, ORs of such, and ANDs of such with at least one positive
    operand (``a AND b NOT c``); a lone NOT and the non-text filters need SQL.
    """
    if isinstance(node, Text):
        return phrase(node)
    if isinstance(node, Or):
        parts = _all(fts_expression(child) for child in node.children)
        return None if parts is None else "(" + " OR ".join(parts) + ")"
    if not isinstance(node, And):
        return None
    positive = _all(fts_expression(c) for c in node.children if not isinstance(c, Not))
    negative = _all(fts_expression(c.child) for c in node.children if isinstance(c, Not))
    if not positive or negative is None:
        return None
    expression = positive[0] if len(positive) == 1 else "(" + " AND ".join(positive) + ")"
    if negative:
        expression = f"({expression} NOT ({' OR '.join(negative)}))"
    return expression


def _all(expressions: Iterable[str | None]) -> list[str] | None:
    """The expressions, or None if any is None."""
    found = list(expressions)
    return None if None in found else [e for e in found if e is not None]


def phrase(text: Text, field_terms: bool = True) -> str:
    """``{column} : "tok1 tok2" *`` — tokens quoted, quotes doubled, column and prefix optional.

    ``subject:`` words become the subject's field terms (``"\ue000tok1 \ue000tok2"``, see
    ``words.field_terms``), which only subjects hold: same hits as the column filter, without
    reading the word's positions in every other column. With ``field_terms=False`` (snippets)
    the column filter is kept, so the subject's own words are the ones highlighted."""
    tokens = text.tokens
    if text.field == "subject" and field_terms:
        tokens = tuple(FIELD_MARK + token for token in tokens)
    quoted = '"' + " ".join(tokens).replace('"', '""') + '"'
    if text.prefix:
        quoted += " *"
    if text.field is not None and not (text.field == "subject" and field_terms):
        quoted = "{" + TEXT_FIELDS[text.field] + "} : " + quoted
    return quoted


def ranking_match(
    node: Node, fields: Sequence[str | None] | None = None, field_terms: bool = True
) -> str | None:
    """One FTS5 query OR-ing the positive text leaves (those in ``fields``, if given)."""
    texts = [t for t in positive_texts(node) if fields is None or t.field in fields]
    return " OR ".join(phrase(t, field_terms) for t in texts) if texts else None


def snippet_sql(node: Node, ids: Sequence[int], marks: tuple[str, str, str]) -> Sql | None:
    """Snippets of the body, attachment text and subject of ``ids``, matches between ``marks``.

    Columns are ``id, body, attachment, subject``; None when the query has no positive text.
    """
    match = ranking_match(node, field_terms=False)
    if match is None or not ids:
        return None
    start, stop, ellipsis = marks
    columns = ", ".join(
        f"snippet(corpus_message_fts, {column}, %s, %s, %s, 24)"
        for column in SNIPPET_COLUMNS.values()
    )
    placeholders = ", ".join(["%s"] * len(ids))
    sql = (
        f"SELECT rowid, {columns} FROM corpus_message_fts"
        f" WHERE corpus_message_fts MATCH %s AND rowid IN ({placeholders})"
    )
    return sql, [*([start, stop, ellipsis] * len(SNIPPET_COLUMNS)), match, *ids]


def sqlite_datetime(value: datetime) -> str:
    """A UTC datetime as Django stores it in SQLite: ``YYYY-MM-DD HH:MM:SS``."""
    return value.replace(tzinfo=None).isoformat(sep=" ")
