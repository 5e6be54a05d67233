"""SQLite: bm25 over a very large hit set, split by rowid between two threads.

FTS5's bm25 costs about 4 ms per statement (the term statistics) plus about 0.9 us per hit (each
hit's column sizes are read from the index): ``btrfs``, 74,620 hits on the 75k benchmark corpus,
took 72 ms, most of a ranked page. Scores do not depend on which other rows a statement sees, so
the hits can be ranked in two rowid ranges at once, each keeping its own best rows, and the two
lists merged: the best ``fetch`` of the union are the best ``fetch`` overall. sqlite3 releases
the GIL while a statement runs, so the halves use both cores: 72 -> 50 ms there (each half
still pays the fixed cost).

The upper half runs in a worker thread on a read-only connection of its own (one per thread and
database file, kept open). Another connection sees only committed rows, so the split is used
only outside any transaction; an ingest committing between the two statements can add rows to
one half, as it can between any two statements of a page.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from django.db import connection

from dossier.corpus.search import snapshot
from dossier.corpus.search.plan import ID_SPAN

MIN_HITS = 20_000  # below this the fixed cost of a second statement outweighs the split
_pool: ThreadPoolExecutor | None = None
_local = threading.local()
_lock = threading.Lock()
_QMARK = re.compile(r"(?<!%)%s")


def available(hits: int) -> bool:
    """Whether ``best`` can split a statement over this many hits here and now."""
    if hits < MIN_HITS or (os.cpu_count() or 1) < 2 or connection.vendor != "sqlite":
        return False
    return snapshot.outside_transaction()


def best(select: str, params: list, fetch: int) -> list[tuple]:
    """``select`` (``SELECT rowid, score FROM ... WHERE ...``, ``%s`` placeholders) restricted to
    each half of the message ids, ``ORDER BY score LIMIT fetch`` each; the best ``fetch`` rows
    of both, by score."""
    with connection.cursor() as cursor:
        cursor.execute(ID_SPAN)
        low, high = cursor.fetchone()
        if low is None:
            return []
        middle = (low + high) // 2
        ranged = f"{select} AND rowid BETWEEN %s AND %s ORDER BY score LIMIT %s"
        upper = apart(ranged, [*params, middle + 1, high, fetch])
        cursor.execute(ranged, [*params, low, middle, fetch])
        rows = cursor.fetchall() + upper.result()
    rows.sort(key=lambda row: row[1])
    return rows[:fetch]


def apart(sql: str, params: list) -> Future:
    """Run ``sql`` (``%s`` placeholders) on the worker thread's own read-only connection to
    this database; its rows, when the future is done."""
    name = connection.settings_dict["NAME"]
    return _executor().submit(_run_apart, name, _QMARK.sub("?", sql).replace("%%", "%"), params)


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dossier-rank")
        return _pool


def _run_apart(name: str, sql: str, params: list) -> list[tuple]:
    """Run ``sql`` on this thread's read-only connection to database file ``name`` (reopened if
    the file was replaced)."""
    path = Path(name)
    key = (name, path.stat().st_ino)
    connections = _local.__dict__.setdefault("connections", {})
    db = connections.get(key)
    if db is None:
        db = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=30)
        db.execute("PRAGMA cache_size=-16384")
        connections[key] = db
    return db.execute(sql, params).fetchall()
