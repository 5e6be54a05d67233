"""SQLite: bm25 ranked in two rowid halves at once gives the pages of the one-statement plan."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from dossier.corpus.search import service, splitrank
from tests.corpus.test_search_corpus import build_corpus
from tests.corpus.test_search_topn import twins

QUERIES = ("twin", "falcon", "twin OR falcon", "twin date:2011", "words", "nothing")


@pytest.fixture
def committed(transactional_db):
    """The search corpus and the twins, committed: the second connection sees only that. The
    index is rebuilt first: flushing after other transactional tests leaves it stale."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO corpus_message_fts(corpus_message_fts) VALUES ('rebuild')")
    corpus = build_corpus()
    twins.__wrapped__(corpus)
    return corpus


def pages(query: str) -> list:
    return [
        (
            [(hit.id, hit.rank) for hit in service.search(query, limit=limit, offset=offset,
                                                           snippets=False).hits],
            service.search(query, limit=limit, offset=offset, snippets=False).total,
        )
        for limit in (1, 3, 7, 50)
        for offset in (0, 2, 9)
    ]  # fmt: skip


def test_split_pages_equal_whole_pages(committed, monkeypatch) -> None:
    if connection.vendor != "sqlite":  # PostgreSQL ranks in one statement
        monkeypatch.setattr(splitrank, "MIN_HITS", 1)
        assert not splitrank.available(10**9)
        return
    whole = {query: pages(query) for query in QUERIES}
    calls = []
    monkeypatch.setattr(splitrank, "MIN_HITS", 1)
    real = splitrank.best
    monkeypatch.setattr(splitrank, "best", lambda *a: calls.append(a) or real(*a))
    for query in QUERIES:
        assert pages(query) == whole[query], query
    assert len(calls) > 20  # the split answered (all but "nothing")


def test_no_split_inside_a_transaction(committed, monkeypatch) -> None:
    monkeypatch.setattr(splitrank, "MIN_HITS", 1)
    assert splitrank.available(5) is (connection.vendor == "sqlite")
    with transaction.atomic():
        assert not splitrank.available(5)
    monkeypatch.setattr(splitrank, "MIN_HITS", 6)
    assert not splitrank.available(5)
