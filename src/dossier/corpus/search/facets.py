"""Facets: counts of all matching messages by sender, sender domain, month and collection.

Each facet is the top ``FACET_LIMIT`` values by count then value over the whole hit set (not just
the page). A facet that overruns its time budget comes back as ``{"timed_out": true}`` instead
of failing the search (as datasette does).

PostgreSQL: one GROUP BY per facet (``facet_sql``). SQLite: re-evaluating the query for each
facet and reading each hit's row in ``corpus_message`` (wide rows, a page read per hit) was most
of the cost. So the hit ids are written once into a temporary table keyed by id (in memory; the
main database is not written), and the facets are read against it: sender, domain and month
together, in one pass over the narrow index ``corpus_message_facets`` (migration 0007) that
probes the table for each message, or, for a small hit set (under ``SPARSE`` of all messages),
by looking the hits up; the collection facet likewise over ``corpus_location``. Same counts,
same order as ``facet_sql``. Budgets: the hit table gets one, the message facets one each
(shared, in one statement), the collection facet one. Only outside a transaction (as searches
run): a write stopped by its budget rolls back the whole transaction it is in, so inside one
(tests, callers' atomic blocks) SQLite takes the per-facet plan, whose reads stop harmlessly.
An unscoped hit set of nearly all messages is counted by its complement (``facets_dense``).
"""

from __future__ import annotations

import time
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import OperationalError, connection, transaction

from dossier.corpus.search import facets_dense
from dossier.corpus.search.plan import Sql, in_ids, scope_sql
from dossier.corpus.search.sqlite_fts import MATCH

FACET_LIMIT = 10
SPARSE = 0.05  # share of all messages under which SQLite facets look each hit up
SPARSE_LOCATIONS = 0.25  # share of all locations under which hits are looked up per collection
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
HITS = "temp.dossier_facet_hits"
FACETS_INDEX = "corpus_message_facets"


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
        return _sqlite_facets(where, hit_ids, collection_ids, budget, names)
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
) -> dict[str, dict[str, Any]]:
    """The SQLite plan described above."""
    select = _index_select(where, hit_ids, collection_ids)
    if collection_ids is None:
        hits = select or (f"SELECT m.id FROM corpus_message m WHERE {where[0]}", list(where[1]))
        dense, hit_json = facets_dense.dense_rows(hits, names, budget)
        if dense is not None:
            return {name: _facet(dense[name]) for name in names}
        if hit_json is not None:  # the hits, found once
            select = ("SELECT value FROM json_each(%s)", [hit_json])
    message_names = [name for name in names if name in VALUES]
    rows: dict[str, list[tuple] | None] = dict.fromkeys(names)
    with _hit_table() as cursor:
        if run_with_budget(_fill_sql(where, select, collection_ids), budget) is not None:
            cursor.execute(SIZES_SQL)
            found, messages, locations, collections = cursor.fetchone()
            if message_names:
                query = message_facets_sql(message_names, found < SPARSE * (messages or 0))
                grouped = run_with_budget(query, budget * len(message_names))
                rows.update(_split(grouped, message_names))
            if "collection" in names:
                sparse = found * collections < SPARSE_LOCATIONS * (locations or 0)
                rows["collection"] = run_with_budget(collection_sql(collection_ids, sparse), budget)
    return {name: _facet(rows[name]) for name in names}


def _split(grouped: list[tuple] | None, names: list[str]) -> dict[str, list[tuple] | None]:
    """The ``(facet, value, n)`` rows of several facets, by facet, in their order."""
    return {n: None if grouped is None else [r[1:] for r in grouped if r[0] == n] for n in names}


SIZES_SQL = (
    f"SELECT count(*), (SELECT max(id) FROM corpus_message), (SELECT max(id) FROM"
    f" corpus_location), (SELECT count(*) FROM corpus_collection) FROM {HITS}"
)


def message_facets_sql(names: list[str], sparse: bool) -> Sql:
    """``(name, value, n)`` rows of the sender/domain/month facets of the hit table, each
    ordered as ``facet_sql`` orders it, from one pass grouping by all three columns."""
    if sparse:  # CROSS JOIN: look each hit up, never scan (the planner would)
        source = f"FROM {HITS} h CROSS JOIN corpus_message m ON m.id = h.id"
    else:
        source = f"FROM corpus_message m INDEXED BY {FACETS_INDEX} WHERE +m.id IN {HITS}"
    grouped = (
        f"SELECT m.from_addr, m.sender_domain, m.month, count(*) AS n {source} GROUP BY 1, 2, 3"
    )
    arms = [
        f"SELECT * FROM (SELECT %s AS facet, {VALUES[name]} AS value, sum(m.n) AS n"
        f" FROM g AS m GROUP BY 2{ORDER})"
        for name in names
    ]
    return f"WITH g AS MATERIALIZED ({grouped}) " + " UNION ALL ".join(arms), list(names)


def collection_sql(collection_ids: Collection[int] | None, sparse: bool) -> Sql:
    """The collection facet of the hit table (collection names are unique).

    Sparse: for each visible collection, each hit is looked up in the (collection, message)
    index; otherwise that index is scanned once, keeping the rows of hits."""
    if sparse:
        scope, params = in_ids("c.id", collection_ids)
        counted = (
            f"SELECT c.name AS value, (SELECT count(*) FROM {HITS} h WHERE EXISTS (SELECT 1"
            " FROM corpus_location l WHERE l.collection_id = c.id AND l.message_id = h.id)) AS n"
            f" FROM corpus_collection c WHERE {scope}"
        )
        return f"SELECT value, n FROM ({counted}) WHERE n > 0{ORDER}", params
    scope, params = in_ids("l.collection_id", collection_ids)
    sql = (
        "SELECT c.name AS value, x.n FROM (SELECT l.collection_id, count(DISTINCT"
        f" l.message_id) AS n FROM corpus_location l WHERE +l.message_id IN {HITS} AND {scope}"
        f" GROUP BY 1) x JOIN corpus_collection c ON c.id = x.collection_id{ORDER}"
    )
    return sql, params


def _index_select(
    where: Sql, hit_ids: Sql | None, collection_ids: Collection[int] | None
) -> Sql | None:
    """A SELECT of the hit ids from the full-text index alone, if the query allows it (not
    scoped, one MATCH or ``hit_ids``)."""
    if scope_sql(collection_ids) != scope_sql(None) or not (hit_ids or where[0] == MATCH):
        return None
    fts = "SELECT rowid FROM corpus_message_fts WHERE corpus_message_fts MATCH %s"
    return hit_ids or (fts, list(where[1]))


def _fill_sql(where: Sql, select: Sql | None, collection_ids: Collection[int] | None) -> Sql:
    """Write the ids of the hits into the hit table: by ``select`` (``_index_select``) if
    given, else by ``where``."""
    if select is None:
        scope = scope_sql(collection_ids)
        select = (
            f"SELECT m.id FROM corpus_message m WHERE {where[0]} AND {scope[0]}",
            [*where[1], *scope[1]],
        )
    return f"INSERT INTO {HITS} (id) {select[0]}", list(select[1])


@contextmanager
def _hit_table() -> Iterator[Any]:
    """A cursor, with the (per-connection) hit table created and emptied before and after."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {HITS[5:]} (id INTEGER PRIMARY KEY)")
        cursor.execute(f"DELETE FROM {HITS}")
        try:
            yield cursor
        finally:
            cursor.execute(f"DELETE FROM {HITS}")


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
