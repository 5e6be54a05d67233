"""SQLite during an ingest: write-ahead-log checkpoints in a thread of their own.

A checkpoint copies the pages committed to the write-ahead log (WAL) into the database file and
syncs both. SQLite runs one automatically in the committing connection once the log passes
``wal_autocheckpoint`` pages, so the writer stopped for it: on the benchmark corpus its commits
took 6.4 s of wall time of which 2.8 s was waiting for the disk (``bench/profiles/README.md``).

Here the writer's connection never checkpoints (``wal_autocheckpoint=0``); after each commit it
wakes a thread that runs a ``PASSIVE`` checkpoint on its own connection. A passive checkpoint
never blocks the writer and never takes its lock; it copies what was committed when it started,
and the writer restarts the log from the beginning once everything in it has been copied. So the
log stays about one batch long, the writer does not wait for syncs, and durability is unchanged
(``synchronous=NORMAL``: a commit is in the log before the writer goes on).

PostgreSQL needs none of this: ``bulk_writes`` is a no-op there.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

DEFAULT_AUTOCHECKPOINT = 1000  # SQLite's default, restored afterwards (pages)


class Checkpointer:
    """A thread that checkpoints the WAL of the SQLite database at ``path`` when poked."""

    def __init__(self, path: str):
        self.path = path
        self.wake = threading.Event()
        self.stopping = False
        self.error: BaseException | None = None
        self.fallen_back = False
        self.thread = threading.Thread(target=self._run, name="wal-checkpoint", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def poke(self) -> None:
        """Something was committed: checkpoint it when the thread is free. Called by the writer;
        if the thread has failed, the writer's connection checkpoints for itself again."""
        if self.error is not None and not self.fallen_back:
            self.fallen_back = True
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA wal_autocheckpoint={DEFAULT_AUTOCHECKPOINT}")
        self.wake.set()

    def stop(self) -> None:
        self.stopping = True
        self.wake.set()
        self.thread.join()

    def _run(self) -> None:
        try:
            db = sqlite3.connect(self.path, timeout=60, check_same_thread=False)
        except sqlite3.Error as exc:  # the writer's own checkpoint at the end still runs
            self.error = exc
            return
        try:
            while True:
                self.wake.wait()
                self.wake.clear()
                db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                if self.stopping:
                    return
        except sqlite3.Error as exc:
            self.error = exc
        finally:
            db.close()


@contextmanager
def bulk_writes() -> Iterator[Checkpointer | None]:
    """Checkpoint in a thread while the block runs (SQLite); yields the checkpointer to poke
    after each commit, or None on PostgreSQL. The thread's last checkpoint runs after the
    last commit."""
    if connection.vendor != "sqlite":
        yield None
        return
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint=0")
    checkpointer = Checkpointer(str(connection.settings_dict["NAME"]))
    checkpointer.start()
    try:
        yield checkpointer
    finally:
        checkpointer.stop()
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA wal_autocheckpoint={DEFAULT_AUTOCHECKPOINT}")
