"""SQLite: the best bm25 scores of a query matching most messages, without scoring every hit.

FTS5 computes bm25 for every hit before it can keep the best: ``btrfs``, in 74,620 of the 75k
benchmark messages, took 85 ms for a page of 50, most of it reading each hit's instances and
column sizes. Here, as in block-max indexes (Ding and Suel, SIGIR 2011; Lucene's block-max WAND),
the message ids are cut into blocks of 64 (``BLOCK_BITS``) and, for one MATCH expression, each
process keeps the best score of its hits in every block. The first ranked search of the
expression reads them while answering (one bm25 pass over all its hits, split over two threads
as in ``splitrank.py``); the next ones score only the hits in the few blocks that can hold the
best ``k``: 61 blocks for the best 61 of ``btrfs``, 16 ms.

Why that is exact: let ``T`` be the ``k``-th highest block best. The ``k`` blocks at or above
``T`` each hold a hit scoring its best, so the ``k``-th best hit scores at least ``T``, and
every hit scoring at least that lies in a block whose best is at least ``T``. Scoring those
blocks' hits therefore finds the ``k`` best and every hit tied with the ``k``-th. The bests are
scores from the same index state as the statement that uses them (bm25 depends on the number of
rows, the phrases' hits and the average row length, which every ingest changes), so they are
read inside one read transaction with the statement, and read again once the index changed:
its averages record (row count and column token totals) or its last row differs.

Bests are kept per MATCH text, not per word: summing per-phrase bests into bounds for queries of
several words was tried and pruned too little (``btrfs patch``: 79 -> 108 ms). Applies to a
MATCH without filters, with at least ``MIN_HITS`` hits, outside any transaction
(``snapshot.py``). Memory: 8 bytes per block of message ids per expression kept (9 KB at 75k
messages, 690 KB at 5.5M); expressions kept until ``MEMORY`` bytes, least recently used
dropped first.
"""

from __future__ import annotations

import json
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from django.db import connection

from dossier.corpus.search import snapshot, splitrank
from dossier.corpus.search.plan import ID_SPAN
from dossier.corpus.search.sqlite_fts import BM25, HITS

BLOCK_BITS = 6  # blocks of 64 ids: 3,900 hits scored for btrfs's best 61 (16 blocks: 747)
MIN_HITS = 20_000  # below this one bm25 pass over every hit costs little
MEMORY = 32 << 20  # bytes of block bests kept per process, over all expressions
# The index state: FTS5's averages record (row count, token totals) and the last row.
STATE_DATA = "SELECT block FROM corpus_message_fts_data WHERE id = 1"
STATE_LAST = "SELECT max(id) FROM corpus_message_fts_docsize"
STATE = f"SELECT ({STATE_DATA}), ({STATE_LAST})"


@dataclass
class Bests:
    """The lowest bm25 of an expression's hits in each block (+inf: none there), for one index
    state."""

    state: tuple
    bits: int  # blocks of 2**bits ids
    scores: np.ndarray


_kept: OrderedDict[tuple, Bests] = OrderedDict()
_lock = threading.Lock()


def applies(match: str, hits: int) -> bool:
    """Whether ``best`` answers for this MATCH with this many hits, here and now."""
    return connection.vendor == "sqlite" and hits >= MIN_HITS and snapshot.outside_transaction()


def best(match: str, fetch: int) -> list[tuple]:
    """The ``fetch`` best ``(id, bm25)`` hits of ``match``, lowest bm25 first (as ``ORDER BY
    bm25 LIMIT fetch``: which of several rows tied at the last place come is not fixed)."""
    with snapshot.read_transaction(), connection.cursor() as cursor:
        cursor.execute(STATE)
        state = tuple(cursor.fetchone())
        key = _key(match)
        kept = _current(key, state)
        if kept is None:
            return _first(cursor, key, state, match, fetch)
        scores = kept.scores
        if fetch >= len(scores):
            return _all(cursor, match, fetch)
        threshold = np.partition(scores, fetch - 1)[fetch - 1]  # the fetch-th lowest block best
        if not np.isfinite(threshold):  # fewer blocks with hits than rows asked
            return _all(cursor, match, fetch)
        return _scored(cursor, match, kept.bits, np.flatnonzero(scores <= threshold), fetch)


def _scored(cursor, match: str, bits: int, blocks: np.ndarray, fetch: int) -> list[tuple]:
    """The ``fetch`` best hits in these blocks (block numbers, ascending)."""
    low, high = int(blocks[0]) << bits, ((int(blocks[-1]) + 1) << bits) - 1
    cursor.execute(
        f"SELECT rowid, {BM25} AS score FROM {HITS} AND rowid BETWEEN %s AND %s"
        f" AND (rowid >> {bits}) IN (SELECT value FROM json_each(%s)) ORDER BY score LIMIT %s",
        [match, low, high, json.dumps(blocks.tolist()), fetch],
    )
    return cursor.fetchall()


def _key(match: str) -> tuple:
    return (connection.alias, connection.settings_dict["NAME"], match)


def _current(key: tuple, state: tuple) -> Bests | None:
    """The kept bests of ``key`` if they belong to ``state`` (and now the most recently used)."""
    with _lock:
        kept = _kept.get(key)
        if kept is None or kept.state != state:
            return None
        _kept.move_to_end(key)
        return kept


def _first(cursor, key: tuple, state: tuple, match: str, fetch: int) -> list[tuple]:
    """Answer with one pass over every hit, keeping the block bests it reads. As in
    ``splitrank.py``, the upper half of the ids is scored at once on another thread's
    connection; that statement also reads the index state it saw, and the bests are kept only if
    it is the one this transaction sees (an ingest may commit in between)."""
    bits = BLOCK_BITS
    cursor.execute(ID_SPAN)
    low, high = cursor.fetchone()
    if low is None:
        return []
    middle = ((low + high) // 2 >> bits) << bits  # the halves meet at a block's start
    split = (os.cpu_count() or 1) >= 2 and low < middle
    upper = None
    if split:
        upper = splitrank.apart(_pass_sql(bits, state=True), [match, middle, high, fetch])
    cursor.execute(_pass_sql(bits), [match, low, middle - 1 if split else high, fetch])
    found = cursor.fetchall() + (upper.result() if upper is not None else [])
    rows, blocks, seen = [], [], state
    for kind, number, score in found:
        if kind == 0:
            rows.append((number, score))
        elif kind == 1:
            blocks.append((number, score))
        else:
            seen = (number, score)
    rows.sort(key=lambda row: row[1])
    if seen == state:
        numbers = np.array([block for block, _ in blocks], dtype=np.int64)
        scores = np.full(int(numbers.max()) + 1 if blocks else 0, np.inf)
        np.minimum.at(scores, numbers, [score for _, score in blocks])
        _keep(key, Bests(state, bits, scores))
    return rows[:fetch]


def _pass_sql(bits: int, state: bool = False) -> str:
    """One bm25 pass over the hits in a range of ids: the best rows (``kind`` 0), each block's
    best (1) and, if asked, the index state it read (2)."""
    sql = (
        f"WITH s AS MATERIALIZED (SELECT rowid AS id, {BM25} AS score FROM {HITS}"
        " AND rowid BETWEEN %s AND %s)"
        " SELECT * FROM (SELECT 0, id, score FROM s ORDER BY score LIMIT %s)"
        f" UNION ALL SELECT 1, id >> {bits}, min(score) FROM s GROUP BY 2"
    )
    return sql + f" UNION ALL SELECT 2, ({STATE_DATA}), ({STATE_LAST})" if state else sql


def _all(cursor, match: str, fetch: int) -> list[tuple]:
    cursor.execute(f"SELECT rowid, {BM25} AS score FROM {HITS} ORDER BY score LIMIT %s",
                   [match, fetch])  # fmt: skip
    return cursor.fetchall()


def _keep(key: tuple, bests: Bests) -> None:
    with _lock:
        _kept.pop(key, None)
        _kept[key] = bests
        used = sum(kept.scores.nbytes for kept in _kept.values())
        while used > MEMORY and len(_kept) > 1:
            _, dropped = _kept.popitem(last=False)
            used -= dropped.scores.nbytes
