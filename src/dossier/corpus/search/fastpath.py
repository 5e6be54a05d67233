"""``dossier search --count`` without Django: a script's most frequent call, answered in the time
it takes Python to start.

Setting Django up costs about 0.2 s, more than the query. Counting needs none of it: the query is
parsed and compiled by the same pure functions the service uses (``query.parse``, the backend
compilers, ``plan.count_sql``) and run on a plain DB-API connection. Only when the workspace's
schema is current; otherwise (new workspace, pending migrations) the caller takes the normal path,
which migrates.
"""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path

from dossier.corpus.search import plan, postgres_fts, senders, sqlite_fts
from dossier.corpus.search.query import parse
from dossier.settings import Settings

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
_QMARK = re.compile(r"(?<!%)%s")


def latest_migration() -> str:
    names = [n[:-3] for n in os.listdir(MIGRATIONS) if n[:4].isdigit() and n.endswith(".py")]
    return max(names)


def count(settings: Settings, query: str) -> int | None:
    """The number of messages matching ``query``, or None when this path cannot answer."""
    node = parse(query)  # a QueryError here is the user's, whatever path answers
    if settings.database_url:
        return _count_postgres(settings.database_url, node)
    return _count_sqlite(settings.sqlite_path, node)


def _count_sqlite(path: Path, node) -> int | None:
    if not path.exists():
        return None
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30) as db:
            if not _current(db.execute(_LATEST, ("corpus",)).fetchone()):
                return None
            node = senders.resolve(node, lambda: senders.read_suffixes(db.execute))
            compiled = sqlite_fts.compile_query(node)
            sql, params = plan.count_sql(compiled, plan.scope_sql(None))
            return db.execute(_QMARK.sub("?", sql).replace("%%", "%"), params).fetchone()[0]
    except sqlite3.Error:
        return None


def _count_postgres(url: str, node) -> int | None:
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=10) as db:
            if not _current(db.execute(_LATEST.replace("?", "%s"), ("corpus",)).fetchone()):
                return None
            node = senders.resolve(node, lambda: senders.read_suffixes(db.execute))
            sql, params = plan.count_sql(postgres_fts.compile_query(node), plan.scope_sql(None))
            return db.execute(sql, params).fetchone()[0]
    except psycopg.Error:
        return None


_LATEST = "SELECT max(name) FROM django_migrations WHERE app = ?"


def _current(row: tuple | None) -> bool:
    return bool(row and row[0] == latest_migration())
