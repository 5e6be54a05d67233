"""Facets: counts of all matching messages by sender, sender domain, month and collection.

Each facet is the top ``FACET_LIMIT`` values by count then value over the whole hit set (not just
the page). A facet that overruns its time budget comes back as ``{"timed_out": true}`` instead
of failing the search (as datasette does).

PostgreSQL: one GROUP BY per facet (``facet_sql``). SQLite: the hit ids are found once and
counted in process memory against each message's facet values (``facets_memory``), outside a
transaction only (as searches run); inside one (tests, callers' atomic blocks) SQLite takes the
per-facet GROUP BYs too. Budgets: finding the hits gets one (SQLite), each GROUP BY one.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import OperationalError, connection, transaction

from dossier.corpus.search import facets_memory
from dossier.corpus.search.plan import Sql, in_ids, scope_sql
from dossier.corpus.search.sqlite_fts import MATCH

FACET_LIMIT = 10
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
ORDER = f" ORDER BY n DESC, value ASC NULLS LAST LIMIT {FACET_LIMIT + 1}"


def facet_sql(name: str, where: Sql, collection_ids: Collection[int] | None) -> Sql:
    """Top values of facet ``name`` over messages matching ``where``, plus one to see if more.

    The collection facet counts messages by Location, and only in collections the caller may
    see, so it never names a collection outside ``collection_ids``.
    """
    if name == "collection":
        select = COLLECTION_SELECT
        scope, scope_params = in_ids("l.collection_id", collection_ids)
    else:
        select = f"SELECT {VALUES[name]} AS value, count(*) AS n FROM corpus_message m"
        scope, scope_params = scope_sql(collection_ids)
    sql = f"{select} WHERE {where[0]} AND {scope} GROUP BY 1{ORDER}"
    return sql, [*where[1], *scope_params]


def compute_facets(
    where: Sql,
    collection_ids: Collection[int] | None,
    *,
    budget: float = DEFAULT_BUDGET,
    names: tuple[str, ...] = NAMES,
    hit_ids: Sql | None = None,
) -> dict[str, dict[str, Any]]:
    """``{name: {"values": [{"value", "count"}], "truncated", "timed_out": False}}`` per facet,
    or ``{name: {"timed_out": True}}`` for a facet that ran past ``budget`` seconds.

    ``hit_ids`` (SQLite), if given, selects the ids of the unscoped hits more cheaply than
    ``where`` (``topn.ids_sql``)."""
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        found = _sqlite_facets(where, hit_ids, collection_ids, budget, names)
        if found is not None:
            return found
    rows = {name: run_with_budget(facet_sql(name, where, collection_ids), budget) for name in names}
    return {name: _facet(rows[name]) for name in names}


def _facet(rows: list[tuple] | None) -> dict[str, Any]:
    if rows is None:
        return {"timed_out": True}
    values = [{"value": value, "count": int(n)} for value, n in rows[:FACET_LIMIT]]
    return {"values": values, "truncated": len(rows) > FACET_LIMIT, "timed_out": False}


def _sqlite_facets(
    where: Sql,
    hit_ids: Sql | None,
    collection_ids: Collection[int] | None,
    budget: float,
    names: tuple[str, ...],
) -> dict[str, dict[str, Any]] | None:
    """The facets counted in memory, or None inside a transaction."""
    unscoped = scope_sql(collection_ids) == scope_sql(None)
    if unscoped and (hit_ids or where[0] == MATCH):
        fts = "SELECT rowid FROM corpus_message_fts WHERE corpus_message_fts MATCH %s"
        hits = hit_ids or (fts, list(where[1]))
    else:
        scope = scope_sql(collection_ids)
        hits = (
            f"SELECT m.id FROM corpus_message m WHERE {where[0]} AND {scope[0]}",
            [*where[1], *scope[1]],
        )
    rows = facets_memory.memory_rows(hits, names, collection_ids, budget)
    return None if rows is None else {name: _facet(rows[name]) for name in names}


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
