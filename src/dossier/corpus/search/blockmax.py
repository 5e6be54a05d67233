"""SQLite: the best bm25 scores of a word found in most messages, without scoring every hit.

FTS5 computes bm25 for every hit before it can keep the best: ``btrfs``, in 74,620 of the 75k
benchmark messages, took 85 ms for a page of 50, most of it reading each hit's instances and
column sizes. Here, as in block-max indexes (Ding and Suel, SIGIR 2011; Lucene's block-max WAND),
the message ids are cut into blocks of ``BLOCK`` ids and, for one phrase, each process keeps the
best score of the phrase in every block. The first ranked search of a phrase reads them while
answering (one bm25 pass over all its hits, about a third dearer than the plain one); the next
ones score only the hits in the few blocks that can hold the best ``k``: 61 blocks for the best
61 of ``btrfs``, 16 ms.

Why that is exact: let ``T`` be the ``k``-th highest block best. The ``k`` blocks at or above
``T`` each hold a hit scoring its best, so the ``k``-th best hit scores at least ``T``, and
every hit scoring at least that lies in a block whose best is at least ``T``. Scoring those
blocks' hits therefore finds the ``k`` best and every hit tied with the ``k``-th. The bests are
scores from the same index state as the statement that uses them (bm25 depends on the number of
rows, the phrase's hits and the average row length, which every ingest changes), so they are
read inside one read transaction with the statement, and read again once the index changed:
its averages record (row count and column token totals) or its last row differs.

Applies to a MATCH of one phrase (a word, a field's word, a phrase, a prefix) without filters,
with at least ``MIN_HITS`` hits, outside any transaction (``snapshot.py``). Memory: 8 bytes per
``BLOCK`` message ids per phrase kept (9 KB for a phrase at 75k messages, 690 KB at 5.5M);
phrases kept until ``MEMORY`` bytes, least recently used dropped first.
"""

from __future__ import annotations

import json
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from django.db import connection

from dossier.corpus.search import snapshot
from dossier.corpus.search.sqlite_fts import BM25

BLOCK_BITS = 6  # blocks of 64 ids: 3,900 hits scored for btrfs's best 61 (16 blocks: 747)
MIN_HITS = 20_000  # below this one bm25 pass over every hit costs little
MEMORY = 32 << 20  # bytes of block bests kept per process, over all phrases
ONE_PHRASE = re.compile(r'(\{[^{}]*\} : )?"[^"]*"( \*)?')  # as sqlite_fts.phrase writes it
STATE = (
    "SELECT (SELECT block FROM corpus_message_fts_data WHERE id = 1),"
    " (SELECT max(id) FROM corpus_message_fts_docsize)"
)
HITS = "corpus_message_fts WHERE corpus_message_fts MATCH %s"


@dataclass
class Bests:
    """The lowest bm25 of a phrase in each block (+inf: no hit there), for one index state."""

    state: tuple
    bits: int  # blocks of 2**bits ids
    scores: np.ndarray


_kept: OrderedDict[tuple, Bests] = OrderedDict()
_lock = threading.Lock()


def applies(match: str, hits: int) -> bool:
    """Whether ``best`` answers for this MATCH with this many hits, here and now."""
    return (
        connection.vendor == "sqlite"
        and hits >= MIN_HITS
        and ONE_PHRASE.fullmatch(match) is not None
        and snapshot.outside_transaction()
    )


def best(match: str, fetch: int) -> list[tuple]:
    """The ``fetch`` best ``(id, bm25)`` hits of ``match``, lowest bm25 first (as ``ORDER BY
    bm25 LIMIT fetch``: which of several rows tied at the last place come is not fixed)."""
    key = (connection.alias, connection.settings_dict["NAME"], match)
    with snapshot.read_transaction(), connection.cursor() as cursor:
        cursor.execute(STATE)
        state = tuple(cursor.fetchone())
        with _lock:
            kept = _kept.get(key)
            if kept is not None:
                _kept.move_to_end(key)
        if kept is None or kept.state != state:
            return _first(cursor, key, state, match, fetch)
        bits = kept.bits
        scores = kept.scores
        if fetch >= len(scores):
            return _all(cursor, match, fetch)
        threshold = np.partition(scores, fetch - 1)[fetch - 1]  # the fetch-th lowest block best
        if not np.isfinite(threshold):  # fewer blocks with hits than rows asked
            return _all(cursor, match, fetch)
        blocks = np.flatnonzero(scores <= threshold)
        low, high = int(blocks[0]) << bits, ((int(blocks[-1]) + 1) << bits) - 1
        cursor.execute(
            f"SELECT rowid, {BM25} AS score FROM {HITS} AND rowid BETWEEN %s AND %s"
            f" AND (rowid >> {bits}) IN (SELECT value FROM json_each(%s)) ORDER BY score LIMIT %s",
            [match, low, high, json.dumps(blocks.tolist()), fetch],
        )
        return cursor.fetchall()


def _first(cursor, key: tuple, state: tuple, match: str, fetch: int) -> list[tuple]:
    """Answer with one pass over every hit, keeping the block bests it reads (``kind`` 0: one
    of the best rows, 1: a block's best)."""
    bits = BLOCK_BITS
    cursor.execute(
        f"WITH s AS MATERIALIZED (SELECT rowid AS id, {BM25} AS score FROM {HITS})"
        " SELECT * FROM (SELECT 0, id, score FROM s ORDER BY score LIMIT %s)"
        f" UNION ALL SELECT 1, id >> {bits}, min(score) FROM s GROUP BY 2",
        [match, fetch],
    )
    rows, blocks = [], []
    for kind, number, score in cursor.fetchall():
        (blocks if kind else rows).append((number, score))
    numbers = np.array([block for block, _ in blocks], dtype=np.int64)
    scores = np.full(int(numbers.max()) + 1 if blocks else 0, np.inf)
    scores[numbers] = [score for _, score in blocks]
    _keep(key, Bests(state, bits, scores))
    return rows


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
