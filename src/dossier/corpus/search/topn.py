"""SQLite: the top of a full-text query, ranked on the index side before any join.

The generic page query (``plan.page_sql``) joins every hit to ``corpus_message`` to order by
``rank DESC, date DESC, id DESC`` and counts them with ``count(*) OVER ()``: over tens of
thousands of hits that join, not bm25, is most of the time. Here FTS5 keeps only the best scores
(a bounded sort), and only those rows are joined for the date tie-break. The query is one MATCH,
optionally with filters on indexed columns (``Compiled.top_filter``: a date range, a thread),
which are applied as ``rowid IN (ids from the index)`` without reading message rows.

The result is exactly the generic one. bm25 is computed for every hit whatever the LIMIT, so a
few more rows than the page are fetched (``SLACK``): rows tied with the last kept score are
then usually in, and when fewer rows than asked come back they are all the hits, so no count
is needed. A tie running past them is fetched whole by one more query that also counts (or,
past ``MAX_FETCH`` rows, the generic query answers). Keeping more rows in the bounded sort is
not free (about 1 ms for 250 rows over 15,000 hits), hence few.

Counting the matches of a phrase of several words (every ``from:address``) reads its position
lists again: a third of the time of ``from:dsterba@suse.com``. For those the scores are
materialized and counted there, in the same statement (for single words a separate count is
cheaper than materializing tens of thousands of scores), and ``SLACK_COUNTED`` rows are kept:
their scores tie often (same sender field, messages of equal length), which the old code
chased with repeated bm25 passes over every hit.
"""

from __future__ import annotations

import re

from django.db import connection

from dossier.corpus.search import blockmax, splitrank
from dossier.corpus.search.plan import Compiled, Sql, scope_sql
from dossier.corpus.search.sqlite_fts import BM25, HITS

MAX_DEPTH = 5000  # deeper pages take the generic query
MAX_FETCH = 20000  # rows of one tie fetched before giving up to the generic query
SLACK = 10  # rows fetched past the page: a few more cost little next to bm25...
SLACK_COUNTED = 200  # ...and more when all scores are materialized anyway (phrases, see above)
FILTERED = " AND +rowid IN (SELECT m.id FROM corpus_message m WHERE {})"  # + : not a rowid lookup
STRING = re.compile(r'"[^"]*"')  # an FTS5 string: tokens never hold quotes, so none is doubled


def applies(compiled: Compiled, scope: tuple, limit: int, offset: int) -> bool:
    """Whether ``page`` can answer: SQLite, one MATCH (and indexed filters), no collection
    scope, a shallow page."""
    return (
        connection.vendor == "sqlite"
        and bool(compiled.top_match)
        and scope == scope_sql(None)
        and offset + limit <= MAX_DEPTH
    )


def hits_sql(compiled: Compiled) -> Sql:
    """``FROM``-clause text selecting the hits in the index, and its params."""
    where, params = compiled.top_filter
    if not where:
        return HITS, [compiled.top_match]
    return HITS + FILTERED.format(where), [compiled.top_match, *params]


def ids_sql(compiled: Compiled) -> Sql | None:
    """A SELECT of the ids of all (unscoped) hits from the index side, if the query allows."""
    if connection.vendor != "sqlite" or not compiled.top_match:
        return None
    hits, params = hits_sql(compiled)
    return f"SELECT rowid FROM {hits}", params


def page(compiled: Compiled, limit: int, offset: int) -> tuple[list[tuple], int] | None:
    """``([(id, rank), ...], total)`` of one page, or None if the generic query must answer."""
    depth = offset + limit
    count = any(" " in string for string in STRING.findall(compiled.top_match))
    fetch = depth + (SLACK_COUNTED if count else SLACK) + 1
    hits, params = hits_sql(compiled)
    with connection.cursor() as cursor:
        scored, total = _best(cursor, hits, params, fetch, count)
        if len(scored) > depth:
            boundary = scored[depth - 1][1]
            if len(scored) == fetch and scored[-1][1] == boundary:  # may go on past them
                tied = _through_tie(cursor, hits, params, depth)
                if tied is None:
                    return None
                scored, total = tied
                boundary = max(row[1] for row in scored)
            scored = [row for row in scored if row[1] <= boundary]
        if total is None:
            cursor.execute(f"SELECT count(*) FROM {hits}", params)
            total = cursor.fetchone()[0]
        dates = _dates(cursor, [row[0] for row in scored])
    ordered = [row for row in scored if row[0] in dates]
    ordered.sort(key=lambda row: row[0], reverse=True)
    ordered.sort(key=lambda row: (dates[row[0]] is not None, dates[row[0]] or ""), reverse=True)
    ordered.sort(key=lambda row: row[1])
    return [(row_id, -score) for row_id, score in ordered[offset:depth]], total


def _best(cursor, hits: str, params: list, fetch: int, count: bool) -> tuple[list, int | None]:
    """The ``fetch`` best ``(id, score)`` rows and, if known (or ``count``), the number of hits.

    Single words: the hits are counted first (cheap from the index), so that a very large hit
    set can be ranked from its blocks' bests (no filter: ``blockmax.py``) or in two
    halves at once (``splitrank.py``)."""
    if not count:
        cursor.execute(f"SELECT count(*) FROM {hits}", params)
        total = cursor.fetchone()[0]
        if hits == HITS and blockmax.applies(params[0], total):
            return blockmax.best(params[0], fetch), total
        scores = f"SELECT rowid, {BM25} AS score FROM {hits}"
        if splitrank.available(total):
            return splitrank.best(scores, params, fetch), total
        cursor.execute(f"{scores} ORDER BY score LIMIT %s", [*params, fetch])
        return cursor.fetchall(), total
    cursor.execute(
        f"WITH s AS MATERIALIZED (SELECT rowid AS id, {BM25} AS score FROM {hits})"
        " SELECT id, score, (SELECT count(*) FROM s) FROM s ORDER BY score LIMIT %s",
        [*params, fetch],
    )
    rows = cursor.fetchall()
    return [row[:2] for row in rows], (rows[0][2] if rows else 0)


def _through_tie(cursor, hits: str, params: list, depth: int) -> tuple[list[tuple], int] | None:
    """Every hit scoring at most the ``depth``-th score, and the number of hits, from one
    bm25 pass; None past ``MAX_FETCH`` rows."""
    cursor.execute(
        f"WITH s AS MATERIALIZED (SELECT rowid AS id, {BM25} AS score FROM {hits})"
        " SELECT id, score, (SELECT count(*) FROM s) FROM s"
        " WHERE score <= (SELECT score FROM s ORDER BY score LIMIT 1 OFFSET %s) LIMIT %s",
        [*params, depth - 1, MAX_FETCH + 1],
    )
    rows = cursor.fetchall()
    if not rows or len(rows) > MAX_FETCH:
        return None
    return [row[:2] for row in rows], rows[0][2]


def _dates(cursor, ids: list[int]) -> dict[int, str | None]:
    """Each message's stored date as text (compared as SQLite compares it), by id."""
    found: dict[int, str | None] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join(["%s"] * len(chunk))
        cursor.execute(f"SELECT id, date || '' FROM corpus_message WHERE id IN ({marks})", chunk)
        found.update(cursor.fetchall())
    return found
