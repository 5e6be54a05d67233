"""SQLite facets of a dense, unscoped hit set: counts over all messages minus the non-hits'.

A query matching nearly every message (``btrfs``: 74,620 of 75,496) costs the plan of
``facets.py`` a temporary table of every hit and a pass over the whole facets index. But hits
and non-hits partition the messages, so a value's count over the hits is its count over all
messages less its count over the non-hits, and likewise each collection's distinct messages.
The counts over all messages (every value: a subtraction can reorder them) are kept in process
memory; the non-hits, few, are looked up by id. Same rows as ``facet_sql``: top
``FACET_LIMIT`` + 1 by count then value.

The non-hits are the ids from the first to the last message id that the hit query does not
return. Its ids come back as one JSON array, cheaper than a row each or an anti-join in SQL
(74,620 ids: 10 ms against 25 and 35 on a loaded machine); an id that is no message's is simply
not found. Each non-hit costs a row lookup in the wide message table (a few us, against well
under 1 us a hit on the other plan): on the 75k corpus the two plans cost the same at about 13%
of non-hits, hence ``DENSE``. A hit set that is not dense fills the hit table from the same
JSON array, so the query still runs once.

The cache key is (first id, last id, count) of messages and (last id, count) of locations. Both
are only ever added: nothing deletes them or changes their facet columns (thread merges change
``thread_id`` only), and ids are AUTOINCREMENT, never reused, so every insert raises the last id
and every delete lowers the count. Everything is read in one read transaction, so an ingest
running meanwhile is wholly seen or not at all; outside one only (as searches run), so no
uncommitted row is ever cached.
"""

from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection

from dossier.corpus.search import facets as base
from dossier.corpus.search.plan import Sql

DENSE = 0.1  # share of all messages up to which the non-hits are counted instead of the hits
KEY = (
    "(SELECT min(id) FROM corpus_message), (SELECT max(id) FROM corpus_message),"
    " (SELECT count(*) FROM corpus_message), (SELECT max(id) FROM corpus_location),"
    " (SELECT count(*) FROM corpus_location)"
)
IDS = "(SELECT value FROM json_each(%s))"
MESSAGES = "SELECT m.from_addr, m.sender_domain, m.month, count(*) FROM corpus_message m"
COLLECTIONS = (
    "SELECT c.name, x.n FROM (SELECT l.collection_id, count(DISTINCT l.message_id) AS n"
    " FROM corpus_location l{} GROUP BY 1) x JOIN corpus_collection c ON c.id = x.collection_id"
)
ALL_MESSAGES = f"{MESSAGES} INDEXED BY corpus_message_facets GROUP BY 1, 2, 3"  # migration 0007
NON_HIT_MESSAGES = f"{MESSAGES} WHERE m.id IN {IDS} GROUP BY 1, 2, 3"
ALL_COLLECTIONS = COLLECTIONS.format("")
NON_HIT_COLLECTIONS = COLLECTIONS.format(f" WHERE l.message_id IN {IDS}")

Counts = dict[Any, int]
Totals = tuple[Counts, list[tuple]]  # value -> count, and the (value, count) pairs in order
_cache: dict[str, tuple[tuple, dict[str, Totals]]] = {}  # per group of facets: key, totals


def dense_rows(hits: Sql, names: tuple[str, ...], budget: float) -> tuple[dict | None, str | None]:
    """``(rows, None)``: rows of each facet in ``names`` (None: timed out) for the hits that
    ``hits`` selects, if they are dense (or finding them timed out); ``(None, ids)`` if not,
    with their ids as a JSON array, to be counted without running the query again; ``(None,
    None)`` inside a transaction."""
    connection.ensure_connection()
    if connection.in_atomic_block or connection.connection.in_transaction:
        return None, None
    rows: dict[str, Any] = dict.fromkeys(names)
    with _read_transaction():
        answer = base.run_with_budget(hits_sql(hits), budget)
        if answer is None:
            return rows, None
        ids, found, low, high, messages, *key = answer[0]
        if low is None or high - low + 1 - found > DENSE * messages:
            return None, ids
        non_hits = [json.dumps(_missing(json.loads(ids), low, high))]
        key = (connection.alias, connection.settings_dict["NAME"], low, high, messages, *key)
        message_names = [name for name in names if name in base.VALUES]
        if message_names:
            seconds = budget * len(message_names)
            totals = _totals("messages", key, ALL_MESSAGES, _by_facet, seconds)
            minus = base.run_with_budget((NON_HIT_MESSAGES, non_hits), seconds)
            if totals is not None and minus is not None:
                by_facet = _by_facet(minus)
                rows.update({n: _top(totals[n], by_facet[n]) for n in message_names})
        if "collection" in names:
            totals = _totals("collections", key, ALL_COLLECTIONS, _by_collection, budget)
            minus = base.run_with_budget((NON_HIT_COLLECTIONS, non_hits), budget)
            if totals is not None and minus is not None:
                rows["collection"] = _top(totals["collection"], dict(minus))
    return rows, None


def hits_sql(hits: Sql) -> Sql:
    """One row: the hit ids as a JSON array, the number of them that are message ids (the
    index of a test database may keep those of deleted rows), the first and last message id,
    the number of messages, then the rest of the cache key (last location id, locations)."""
    select, params = hits
    first, last = (f"(SELECT {f}(id) FROM corpus_message)" for f in ("min", "max"))
    return (
        f"WITH h(id) AS ({select}) SELECT json_group_array(h.id), count(*) FILTER"
        f" (WHERE h.id BETWEEN {first} AND {last}), {KEY} FROM h",
        params,
    )


def _missing(ids: list[int], low: int, high: int) -> list[int]:
    """The integers from ``low`` to ``high`` not in ``ids``."""
    ids.sort()  # already ascending from the index, so this costs little
    missing: list[int] = []
    previous = low - 1
    for i in ids[bisect_left(ids, low) : bisect_right(ids, high)]:
        if i - previous > 1:
            missing.extend(range(previous + 1, i))
        previous = i
    missing.extend(range(previous + 1, high + 1))
    return missing


def _totals(group: str, key: tuple, sql: str, split, budget: float) -> dict[str, Totals] | None:
    """The all-messages counts of a group of facets, from the cache if ``key`` is current
    (None if the query ran past ``budget``)."""
    cached = _cache.get(group)
    if cached is not None and cached[0] == key:
        return cached[1]
    rows = base.run_with_budget((sql, []), budget)
    if rows is None:
        return None
    totals = {
        name: (counts, sorted(counts.items(), key=_order)) for name, counts in split(rows).items()
    }
    _cache[group] = (key, totals)
    return totals


def _by_facet(rows: list[tuple]) -> dict[str, Counts]:
    """Counts per sender, domain and month value from ``(from, domain, month, n)`` rows, an
    empty value counted as NULL (as ``VALUES`` has it)."""
    counts: dict[str, Counts] = {name: {} for name in base.VALUES}
    for *values, n in rows:
        for name, value in zip(base.VALUES, values, strict=True):
            value = value or None
            counts[name][value] = counts[name].get(value, 0) + n
    return counts


def _by_collection(rows: list[tuple]) -> dict[str, Counts]:
    return {"collection": dict(rows)}


def _top(totals: Totals, minus: Counts) -> list[tuple]:
    """The first ``FACET_LIMIT`` + 1 ``(value, count)`` of ``totals`` less ``minus``, in facet
    order, without zeros. Values not in ``minus`` keep their order, so only the first of them
    can be among the top."""
    counts, ordered = totals
    limit = base.FACET_LIMIT + 1
    rows = [(value, counts[value] - n) for value, n in minus.items() if counts[value] > n]
    kept = 0
    for value, n in ordered:
        if kept == limit:
            break
        if value not in minus:
            rows.append((value, n))
            kept += 1
    rows.sort(key=_order)
    return rows[:limit]


def _order(row: tuple) -> tuple:
    """``ORDER BY n DESC, value ASC NULLS LAST`` (text compares by code point, as SQLite's
    BINARY collation compares UTF-8)."""
    value, n = row
    return (-n, value is None, value or "")


@contextmanager
def _read_transaction() -> Iterator[None]:
    """A deferred transaction: reads see one state of the database and take no write lock
    (Django's own transactions here are IMMEDIATE)."""
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
    try:
        yield
    finally:
        if connection.connection.in_transaction:
            with connection.cursor() as cursor:
                cursor.execute("COMMIT")
