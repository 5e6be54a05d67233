"""SQLite: the top of a pure full-text query, ranked on the index side before any join.

The generic page query (``plan.page_sql``) joins every hit to ``corpus_message`` to order by
``rank DESC, date DESC, id DESC`` and counts them with ``count(*) OVER ()``: over tens of
thousands of hits that join, not bm25, is most of the time. Here FTS5 keeps only the best
``offset + limit`` scores (a bounded sort), and only those rows are joined for the date
tie-break. The result is exactly the generic one: one more row is fetched to see whether rows
tied with the last kept score were cut off, and if so more are fetched until the whole tie is
in (or the generic query answers). The total comes from the index (``Compiled.count``).
"""

from __future__ import annotations

from django.db import connection

from dossier.corpus.search.plan import Compiled, count_sql, scope_sql
from dossier.corpus.search.sqlite_fts import BM25, COUNT

MAX_DEPTH = 5000  # deeper pages take the generic query
MAX_FETCH = 20000  # rows fetched while looking for the end of a tie
TOP_SQL = (
    f"SELECT rowid, {BM25} AS score FROM corpus_message_fts WHERE corpus_message_fts MATCH %s"
    " ORDER BY score LIMIT %s"
)


def applies(compiled: Compiled, scope: tuple, limit: int, offset: int) -> bool:
    """Whether ``page`` can answer: SQLite, one MATCH, no collection scope, a shallow page."""
    return (
        connection.vendor == "sqlite"
        and compiled.join_filters
        and compiled.count == COUNT
        and scope == scope_sql(None)
        and offset + limit <= MAX_DEPTH
    )


def page(compiled: Compiled, limit: int, offset: int) -> tuple[list[tuple], int] | None:
    """``([(id, rank), ...], total)`` of one page, or None if the generic query must answer."""
    depth = offset + limit
    fetch = depth + 1
    with connection.cursor() as cursor:
        while True:
            cursor.execute(TOP_SQL, [*compiled.params, fetch])
            scored = cursor.fetchall()
            if len(scored) <= depth:
                kept, total = scored, len(scored)
                break
            boundary = scored[depth - 1][1]
            if scored[-1][1] != boundary:
                kept, total = [row for row in scored if row[1] <= boundary], None
                break
            if fetch >= MAX_FETCH:
                return None
            fetch = min(MAX_FETCH, fetch * 4)
        if total is None:
            cursor.execute(*count_sql(compiled, scope_sql(None)))
            total = cursor.fetchone()[0]
        dates = _dates(cursor, [row[0] for row in kept])
    ordered = [row for row in kept if row[0] in dates]
    ordered.sort(key=lambda row: row[0], reverse=True)
    ordered.sort(key=lambda row: (dates[row[0]] is not None, dates[row[0]] or ""), reverse=True)
    ordered.sort(key=lambda row: row[1])
    return [(row_id, -score) for row_id, score in ordered[offset:depth]], total


def _dates(cursor, ids: list[int]) -> dict[int, str | None]:
    """Each message's stored date as text (compared as SQLite compares it), by id."""
    found: dict[int, str | None] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join(["%s"] * len(chunk))
        cursor.execute(f"SELECT id, date || '' FROM corpus_message WHERE id IN ({marks})", chunk)
        found.update(cursor.fetchall())
    return found
