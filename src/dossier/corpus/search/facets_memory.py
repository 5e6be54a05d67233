"""SQLite facets counted in process memory from each message's facet values.

The SQL plans of ``facets.py`` pay per message of the corpus or per hit in SQLite: a pass over
the facets index probing a table of hit ids, or a row lookup per hit. On the 75k benchmark
corpus that was 27 ms for the 4,965 hits of ``balance`` and 42 ms for the 14,005 of
``filesystem``, more than the page of hits itself. Here each process keeps, per message id, the
number of its sender, domain and month among their distinct values, and the collections it was
found in (numpy arrays); a facet of a hit set is then one ``numpy.bincount`` over the hits'
numbers, and only the values that can be among the top are sorted in Python.

The values are loaded on first use and topped up as messages and locations are added: both are
only ever added (nothing deletes them or changes their facet columns; ids are AUTOINCREMENT),
so rows past the last id seen are the new ones, and a count that disagrees (a deletion, or a
different database) loads everything again. Hits and values are read in one read transaction,
so an ingest running meanwhile is wholly seen or not at all; outside a transaction only (as
searches run), so nothing uncommitted is ever kept. Memory: 16 bytes per message id (about
16 MB a process at a million messages) plus each distinct value once. The first faceted search
of a process reads them all (0.28 s on the 75k corpus, SQLite grouping the ids by value); after
an ingest, the next one reads only what it added.

Same rows as ``facets.facet_sql``: the top ``FACET_LIMIT`` + 1 by count, then value, empty
values as NULL, collections limited to those the caller may see.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass, field

import numpy as np
from django.db import connection

from dossier.corpus.search import facets as base
from dossier.corpus.search import snapshot
from dossier.corpus.search.plan import Sql

MESSAGE_FACETS = ("sender", "sender_domain", "month")
# New messages' ids by value of each facet column, from the narrow index of these columns
# (migration 0007; the table's rows are wide): SQLite groups, Python handles a row per value.
NEW_MESSAGES = {
    name: f"SELECT NULLIF({column}, ''), json_group_array(id) FROM corpus_message"
    " INDEXED BY corpus_message_facets WHERE id > %s GROUP BY 1"
    for name, column in zip(MESSAGE_FACETS, ("from_addr", "sender_domain", "month"), strict=True)
}
NEW_LOCATIONS = (
    "SELECT collection_id, json_group_array(message_id), max(id), count(*) FROM corpus_location"
    " WHERE id > %s GROUP BY 1 ORDER BY 1"
)
SIZES = (
    "SELECT (SELECT count(*) FROM corpus_message), (SELECT count(*) FROM corpus_location),"
    " (SELECT max(id) FROM corpus_message), (SELECT max(id) FROM corpus_location)"
)
NAMES = "SELECT id, name FROM corpus_collection"


def _empty() -> np.ndarray:
    return np.zeros(0, dtype=np.int32)


@dataclass
class Values:
    """Per message id: the number of each facet value (-1: no such message) and collections."""

    database: tuple = ()
    messages: int = 0
    locations: int = 0
    last_message: int = 0
    last_location: int = 0
    codes: dict[str, np.ndarray] = field(default_factory=lambda: dict.fromkeys(MESSAGE_FACETS))
    values: dict[str, list] = field(default_factory=lambda: {n: [] for n in MESSAGE_FACETS})
    index: dict[str, dict] = field(default_factory=lambda: {n: {} for n in MESSAGE_FACETS})
    collection: np.ndarray = field(default_factory=_empty)  # first collection found in, 0: none
    pairs: set[tuple[int, int]] = field(default_factory=set)  # (message, further collection)
    more: tuple[np.ndarray, np.ndarray] = field(default_factory=lambda: (_empty(), _empty()))


_values = Values()


def memory_rows(
    hits: Sql, names: tuple[str, ...], collection_ids: Collection[int] | None, budget: float
) -> dict[str, list[tuple] | None] | None:
    """Rows of each facet in ``names`` for the hits ``hits`` selects (a facet is None if
    finding the hits ran past ``budget``); None inside a transaction (the caller's plans)."""
    if not snapshot.outside_transaction():
        return None
    with snapshot.read_transaction():
        select, params = hits
        query = f"WITH h(id) AS ({select}) SELECT json_group_array(id) FROM h"
        found = base.run_with_budget((query, params), budget)
        if found is None:
            return dict.fromkeys(names)
        values = _current()
        with connection.cursor() as cursor:
            cursor.execute(NAMES)
            collections = dict(cursor.fetchall())
    ids = np.array(json.loads(found[0][0]), dtype=np.int64)
    if ids.size and (ids.min() < 0 or ids.max() >= len(values.collection)):
        ids = ids[(ids >= 0) & (ids < len(values.collection))]
    rows: dict[str, list[tuple] | None] = {}
    for name in names:
        if name == "collection":
            visible = collections if collection_ids is None else set(collection_ids)
            counts = _collections(values, ids)
            named = [(collections[int(c)], counts[c]) for c in _top(counts) if int(c) in visible]
        else:
            codes = values.codes[name][ids]
            counts = np.bincount(codes[codes >= 0])
            named = [(values.values[name][c], counts[c]) for c in _top(counts)]
        rows[name] = sorted(((v, int(n)) for v, n in named), key=_order)[: base.FACET_LIMIT + 1]
    return rows


def _top(counts: np.ndarray) -> np.ndarray:
    """Indexes of the non-zero counts that can be among the top ``FACET_LIMIT`` + 1 (ties
    included: the order among equal counts is by value, which the caller sorts by)."""
    nonzero = np.flatnonzero(counts)
    limit = base.FACET_LIMIT + 1
    if len(nonzero) <= limit:
        return nonzero
    least = np.partition(counts[nonzero], -limit)[-limit]
    return nonzero[counts[nonzero] >= least]


def _collections(values: Values, ids: np.ndarray) -> np.ndarray:
    """Hits per collection id, each hit once per collection it was found in."""
    first = values.collection[ids]
    counts = np.bincount(first[first > 0])
    messages, collections = values.more
    if messages.size:
        hit = np.zeros(len(values.collection), dtype=bool)
        hit[ids] = True
        further = np.bincount(collections[hit[messages]])
        size = max(len(counts), len(further))
        counts = np.pad(counts, (0, size - len(counts))) + np.pad(further, (0, size - len(further)))
    return counts


def _current() -> Values:
    """The values, topped up with the rows added since they were read (or read again)."""
    global _values
    with connection.cursor() as cursor:
        cursor.execute(SIZES)
        messages, locations, last_message, last_location = cursor.fetchone()
        database = (connection.alias, connection.settings_dict["NAME"])
        v = _values
        if v.database != database or messages < v.messages or locations < v.locations:
            v = _values = Values(database=database)
        if (last_message or 0) > v.last_message:
            _grow(v, last_message)
            for name, sql in NEW_MESSAGES.items():
                cursor.execute(sql, [v.last_message])
                added = _add_messages(v, name, cursor.fetchall())
            v.messages += added
            v.last_message = last_message
        if (last_location or 0) > v.last_location:
            cursor.execute(NEW_LOCATIONS, [v.last_location])
            _add_locations(v, cursor.fetchall())
        if (v.messages, v.locations) != (messages, locations):  # something was deleted
            _values = Values()
            return _current()
    return v


def _grow(v: Values, last: int) -> None:
    """Room for message ids up to ``last``: no value (-1), no collection (0)."""
    for name in MESSAGE_FACETS:
        codes = np.full(last + 1, -1, dtype=np.int32)
        if v.codes[name] is not None:
            codes[: len(v.codes[name])] = v.codes[name]
        v.codes[name] = codes
    collection = np.zeros(last + 1, dtype=np.int32)
    collection[: len(v.collection)] = v.collection
    v.collection = collection


def _add_messages(v: Values, name: str, rows: list[tuple]) -> int:
    """Number the values of facet ``name`` of new messages from ``(value, ids)`` rows; the
    number of messages."""
    index, codes = v.index[name], v.codes[name]
    added = 0
    for value, ids in rows:
        code = index.setdefault(value, len(index))  # numbers given in order, from 0
        ids = json.loads(ids)
        codes[ids] = code
        added += len(ids)
    v.values[name] = list(index)
    return added


def _add_locations(v: Values, rows: list[tuple]) -> None:
    """Record new locations from ``(collection, message ids, last id, count)`` rows, in
    collection order: a message's collection is the first found, any other a further pair."""
    added = False
    for collection, ids, last, count in rows:
        messages = np.unique(np.array(json.loads(ids), dtype=np.int64))
        current = v.collection[messages]
        v.collection[messages[current == 0]] = collection
        further = messages[(current != 0) & (current != collection)]
        if further.size:
            v.pairs.update((int(m), collection) for m in further)
            added = True
        v.locations += count
        v.last_location = max(v.last_location, last)
    if added:
        both = np.array(sorted(v.pairs), dtype=np.int64).reshape(-1, 2)
        v.more = (both[:, 0], both[:, 1])


def _order(row: tuple) -> tuple:
    """``ORDER BY n DESC, value ASC NULLS LAST`` (text by code point, as SQLite's BINARY)."""
    value, n = row
    return (-n, value is None, value if isinstance(value, str) else "")
