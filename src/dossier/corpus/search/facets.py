"""Facets: counts of all matching messages by sender, sender domain, month and collection.

Each facet is one GROUP BY over the whole hit set (not just the page), top ``FACET_LIMIT`` values
by count then value. Each runs under its own time budget; a facet that overruns comes back as
``{"timed_out": true}`` instead of failing the search (as datasette does).

SQLite, a pure full-text query matching a large share of the corpus (``DENSE``): looking up each
hit's row in ``corpus_message`` (wide rows, a page read per hit) is most of the cost, so the
facet instead scans the small index on its own column (``from_addr``, ``sender_domain``, ``month``;
``corpus_location (collection_id, message_id)``) in order and keeps the rows whose id is among
the hits: ``+m.id IN (...)`` stops SQLite from driving the query by the hit ids. Same counts.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import OperationalError, connection, transaction

from dossier.corpus.search.plan import Sql, in_ids, scope_sql
from dossier.corpus.search.sqlite_fts import MATCH

FACET_LIMIT = 10
DENSE = 0.1  # share of all messages from which a pure-text facet scans the column's index
DEFAULT_BUDGET = 0.5  # seconds per facet
VALUES = {
    "sender": "NULLIF(m.from_addr, '')",
    "sender_domain": "NULLIF(m.sender_domain, '')",
    "month": "NULLIF(m.month, '')",
}
NAMES = (*VALUES, "collection")
COLLECTION_SELECT = (
    "SELECT c.name AS value, count(DISTINCT m.id) AS n FROM corpus_message m"
    " JOIN corpus_location l ON l.message_id = m.id"
    " JOIN corpus_collection c ON c.id = l.collection_id"
)


def facet_sql(
    name: str, where: Sql, collection_ids: Collection[int] | None, *, dense: bool = False
) -> Sql:
    """Top values of facet ``name`` over messages matching ``where``, plus one to see if more.

    The collection facet counts messages by Location, and only in collections the caller may
    see, so it never names a collection outside ``collection_ids``. ``dense`` (only for the
    SQLite ``MATCH`` predicate) picks the index scan described above.
    """
    if dense:
        return _dense_sql(name, where, collection_ids)
    if name == "collection":
        select = COLLECTION_SELECT
        scope, scope_params = in_ids("l.collection_id", collection_ids)
    else:
        select = f"SELECT {VALUES[name]} AS value, count(*) AS n FROM corpus_message m"
        scope, scope_params = scope_sql(collection_ids)
    sql = (
        f"{select} WHERE {where[0]} AND {scope} GROUP BY 1"
        f" ORDER BY n DESC, value ASC NULLS LAST LIMIT {FACET_LIMIT + 1}"
    )
    return sql, [*where[1], *scope_params]


def _dense_sql(name: str, where: Sql, collection_ids: Collection[int] | None) -> Sql:
    if name == "collection":
        scope, scope_params = in_ids("l.collection_id", collection_ids)
        hits = where[0].replace("m.id IN", "+l.message_id IN", 1)
        sql = (
            "SELECT c.name AS value, x.n FROM (SELECT l.collection_id, count(DISTINCT"
            f" l.message_id) AS n FROM corpus_location l WHERE {hits} AND {scope} GROUP BY 1) x"
            " JOIN corpus_collection c ON c.id = x.collection_id"
        )
    else:
        column = VALUES[name].removeprefix("NULLIF(").split(",")[0]
        scope, scope_params = scope_sql(collection_ids)
        hits = where[0].replace("m.id IN", "+m.id IN", 1)
        sql = (
            f"SELECT {VALUES[name]} AS value, count(*) AS n FROM corpus_message m"
            f" WHERE {hits} AND {scope} GROUP BY {column}"
        )
    sql += f" ORDER BY n DESC, value ASC NULLS LAST LIMIT {FACET_LIMIT + 1}"
    return sql, [*where[1], *scope_params]


def is_dense(where: Sql, hits: int | None) -> bool:
    """Whether ``where`` is one SQLite MATCH with ``hits`` a large share of all messages."""
    if hits is None or connection.vendor != "sqlite" or where[0] != MATCH:
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM corpus_message")
        last = cursor.fetchone()[0] or 0
    return hits >= DENSE * last


def compute_facets(
    where: Sql,
    collection_ids: Collection[int] | None,
    *,
    budget: float = DEFAULT_BUDGET,
    names: tuple[str, ...] = NAMES,
    hits: int | None = None,
) -> dict[str, dict[str, Any]]:
    """``{name: {"values": [{"value", "count"}], "truncated", "timed_out": False}}`` per facet,
    or ``{name: {"timed_out": True}}`` for a facet that ran past ``budget`` seconds.

    ``hits``, the number of matches if known, only picks the query plan."""
    result: dict[str, dict[str, Any]] = {}
    dense = is_dense(where, hits)
    for name in names:
        rows = run_with_budget(facet_sql(name, where, collection_ids, dense=dense), budget)
        if rows is None:
            result[name] = {"timed_out": True}
            continue
        values = [{"value": value, "count": int(n)} for value, n in rows[:FACET_LIMIT]]
        result[name] = {"values": values, "truncated": len(rows) > FACET_LIMIT, "timed_out": False}
    return result


def run_with_budget(query: Sql, seconds: float) -> list[tuple] | None:
    """Rows of ``query``, or None if it ran longer than ``seconds``.

    PostgreSQL: ``statement_timeout`` inside a savepoint, so a cancelled query leaves the
    caller's transaction usable. SQLite: a progress handler that interrupts the statement (an
    interrupted read leaves the transaction alone, and a savepoint would take the write lock).
    """
    try:
        if connection.vendor == "sqlite":
            with _sqlite_deadline(seconds), connection.cursor() as cursor:
                cursor.execute(*query)
                return cursor.fetchall()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('statement_timeout')")
            previous = cursor.fetchone()[0]
            cursor.execute("SELECT set_config('statement_timeout', %s, true)", [_ms(seconds)])
            cursor.execute(*query)
            rows = cursor.fetchall()
            cursor.execute("SELECT set_config('statement_timeout', %s, true)", [previous])
            return rows
    except OperationalError as exc:
        if _timed_out(exc):
            return None
        raise


def _ms(seconds: float) -> str:
    return f"{max(1, round(seconds * 1000))}ms"


@contextmanager
def _sqlite_deadline(seconds: float) -> Iterator[None]:
    connection.ensure_connection()
    raw = connection.connection
    deadline = time.monotonic() + seconds
    raw.set_progress_handler(lambda: int(time.monotonic() > deadline), 1000)
    try:
        yield
    finally:
        raw.set_progress_handler(None, 0)


def _timed_out(exc: OperationalError) -> bool:
    if connection.vendor == "sqlite":
        return "interrupted" in str(exc)
    from psycopg.errors import QueryCanceled

    return isinstance(exc.__cause__, QueryCanceled)
