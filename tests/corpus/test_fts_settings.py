"""The SQLite full-text index is built as the migrations say (0004, 0006, 0008, 0010): its merge and
memory settings, and no prefix index, while prefix queries still find every match."""

from __future__ import annotations

import pytest
from django.db import connection

from dossier.corpus.search import service

pytestmark = pytest.mark.django_db


def test_index_settings(db_vendor):
    if db_vendor != "sqlite":  # PostgreSQL has a GIN index on a tsvector column instead
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_indexes WHERE tablename = 'corpus_message'"
                " AND indexdef LIKE '%%gin%%search_vector%%'"
            )
            assert cursor.fetchone()[0] == 1
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT k, v FROM corpus_message_fts_config")
        config = dict(cursor.fetchall())
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'corpus_message_fts'")
        create = cursor.fetchone()[0]
    assert config["automerge"] == 16
    assert config["crisismerge"] == 64
    assert config["hashsize"] == 16 * 1024 * 1024
    assert "prefix" not in create
    assert "content='corpus_message_fts_source'" in create  # the capped view (0010)


def test_two_letter_prefixes_match_without_a_prefix_index(tmp_path, blobs):
    from dossier.corpus.ingest.pipeline import ingest_paths

    box = tmp_path / "box"
    box.mkdir()
    words = ["cobalt", "copper", "cork", "zinc", "co", "Corvette"]
    for n, word in enumerate(words):
        (box / f"{n}.eml").write_bytes(
            f"From: a@example.org\nSubject: metal {n}\nMessage-ID: <p{n}@x>\n\n{word}\n".encode()
        )
    ingest_paths([box], collection="c", blobs=blobs, workers=0)
    assert service.count("co*") == 5
    assert service.count("cor*") == 2
    assert service.count("zi*") == 1
    assert service.count("subject:me*") == 6
