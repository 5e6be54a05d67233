"""SQLite: reading one committed state of the database, for the plans that keep data in memory.

Plans that keep what they read between searches (``facets_memory.py``, ``blockmax.py``) run only
outside any transaction, so nothing uncommitted (which a rollback could take back) is ever kept,
and read inside one deferred transaction of their own, so an ingest committing meanwhile is
wholly seen or not at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection


def outside_transaction() -> bool:
    """Whether the default connection is in autocommit with no transaction open."""
    connection.ensure_connection()
    return not (connection.in_atomic_block or connection.connection.in_transaction)


@contextmanager
def read_transaction() -> Iterator[Any]:
    """A deferred transaction: one state of the database, no write lock (Django's own
    transactions here are IMMEDIATE)."""
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
    try:
        yield
    finally:
        if connection.connection.in_transaction:
            with connection.cursor() as cursor:
                cursor.execute("COMMIT")
