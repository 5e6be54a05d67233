"""The ingest's write-ahead-log checkpoints run in their own thread (SQLite), and the writer's
connection gets its own checkpointing back afterwards."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from dossier.corpus.ingest.checkpoints import DEFAULT_AUTOCHECKPOINT, bulk_writes
from dossier.corpus.ingest.pipeline import ingest_paths
from dossier.corpus.models import Message

pytestmark = pytest.mark.django_db(transaction=True)

MESSAGE = b"From: a@example.org\nSubject: checkpoint %d\nMessage-ID: <cp%d@example.org>\n\nbody\n"


def _pragma(name: str) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        return cursor.fetchone()


def test_the_writer_does_not_checkpoint_inside_and_does_again_after(db_vendor):
    with bulk_writes() as checkpointer:
        if db_vendor != "sqlite":  # PostgreSQL has no write-ahead log of ours to copy
            assert checkpointer is None
            return
        assert checkpointer is not None
        assert _pragma("wal_autocheckpoint") == (0,)
    assert _pragma("wal_autocheckpoint") == (DEFAULT_AUTOCHECKPOINT,)
    assert checkpointer.error is None
    assert not checkpointer.thread.is_alive()


def test_committed_pages_are_copied_to_the_database_by_the_thread(db_vendor, tmp_path):
    (tmp_path / "box").mkdir()
    for n in range(30):
        (tmp_path / "box" / f"{n}.eml").write_bytes(MESSAGE % (n, n))
    with bulk_writes() as checkpointer:
        ingest = ingest_paths([tmp_path / "box"], collection="c", blobs=_blobs(tmp_path), workers=0)
        if checkpointer is not None:
            checkpointer.poke()
    assert ingest.new == 30
    assert Message.objects.filter(subject__startswith="checkpoint").count() == 30
    if db_vendor != "sqlite":
        assert checkpointer is None
        return
    # Everything the log holds was copied (log frames == checkpointed frames): the thread's
    # last checkpoint ran after the last commit.
    busy, log_frames, copied = _pragma("wal_checkpoint(PASSIVE)")
    assert busy == 0 and log_frames == copied


def _blobs(tmp_path: Path):
    from dossier.blobs import BlobStore

    return BlobStore(tmp_path / "blobs")
