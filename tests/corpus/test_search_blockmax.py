"""SQLite: ranking from the blocks' best scores gives exactly the best rows of a full bm25 pass."""

from __future__ import annotations

import random
from concurrent.futures import Future
from datetime import UTC, datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from dossier.corpus.models import Blob, Collection, Location, Message
from dossier.corpus.search import blockmax, service, splitrank
from dossier.corpus.search.index import index_messages
from dossier.corpus.search.sqlite_fts import BM25

WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"]
MATCHES = ['"alpha"', '"bravo"', '"delta"', '"echo"', '"golf"', '"al" *', "{body_text} : \"bravo\"",
           '"alpha bravo"', '"\ue000charlie"', '"nothing"', '("alpha" AND "bravo")',
           '("alpha" OR "golf")', '("alpha" NOT ("bravo"))', '("delta" AND "\ue000charlie")',
           '("al" * OR "echo" OR "hotel")',
           '(("alpha" OR "delta") NOT ("echo" OR "golf"))']  # fmt: skip
FETCHES = (1, 2, 3, 7, 25, 60, 400)


def add_messages(count: int, seed: int) -> list[int]:
    """``count`` messages of skewed random words, some of them identical (tied scores)."""
    rng = random.Random(seed)
    collection, _ = Collection.objects.get_or_create(name="Blocks")
    raw = Blob.objects.first() or Blob.objects.create(sha256="b" * 64, size=1)
    ids, previous = [], None
    for i in range(count):
        if previous is not None and rng.random() < 0.15:
            subject, body = previous
        else:
            length = rng.choice([1, 2, 3, 5, 8, 40, 200])
            body = " ".join(rng.choices(WORDS, weights=[30, 20, 10, 8, 5, 3, 2, 1], k=length))
            subject = " ".join(rng.sample(WORDS, rng.randint(0, 2)))
        previous = subject, body
        message = Message.objects.create(
            identity=f"block{seed}-{i:06d}".ljust(64, "0"), collection=collection, raw=raw,
            subject=subject, body_text=body, date=datetime(2012, 1 + i % 12, 1, tzinfo=UTC),
        )  # fmt: skip
        Location.objects.create(
            message=message, collection=collection, source_path=f"/b{i}", container="eml", raw=raw
        )
        ids.append(message.id)
    index_messages(ids)
    return ids


@pytest.fixture
def committed(transactional_db, monkeypatch):
    """300 committed messages in blocks of 4 ids, and block-max for any number of hits. The
    index is rebuilt first: flushing after other transactional tests leaves it stale."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO corpus_message_fts(corpus_message_fts) VALUES ('rebuild')")
    monkeypatch.setattr(blockmax, "BLOCK_BITS", 2)
    monkeypatch.setattr(blockmax, "MIN_HITS", 1)
    monkeypatch.setattr(blockmax, "_kept", type(blockmax._kept)())
    return add_messages(300, seed=7)


def full_pass(match: str, fetch: int) -> list[tuple]:
    """Every hit scored, the best ``fetch`` kept: what block-max must reproduce."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, {BM25} AS s FROM corpus_message_fts WHERE corpus_message_fts MATCH %s"
            " ORDER BY s LIMIT %s",
            [match, fetch],
        )
        return cursor.fetchall()


def all_scores(match: str) -> dict[int, float]:
    return dict(full_pass(match, 10**6))


def assert_same_best(got: list[tuple], match: str, fetch: int) -> None:
    """Same scores, in order; the same rows, except which of the rows tied at the last place."""
    expected = full_pass(match, fetch)
    assert [score for _, score in got] == [score for _, score in expected], (match, fetch)
    if not expected:
        return
    last = expected[-1][1]
    assert {i for i, s in got if s < last} == {i for i, s in expected if s < last}
    tied = {i for i, s in all_scores(match).items() if s == last}
    assert {i for i, s in got if s == last} <= tied


def test_best_rows_equal_a_full_pass(committed) -> None:
    if connection.vendor != "sqlite":  # PostgreSQL ranks in one statement
        assert not blockmax.applies('"alpha"', 10**9)
        return
    for match in MATCHES:
        for fetch in FETCHES:
            for _ in range(2):  # the first reads the block bests, the second uses them
                assert_same_best(blockmax.best(match, fetch), match, fetch)
    assert {key[2] for key in blockmax._kept} == set(MATCHES)


def test_kept_bests_score_only_the_best_blocks(committed) -> None:
    if connection.vendor != "sqlite":
        return
    blockmax.best('"alpha"', 5)
    with CaptureQueriesContext(connection) as queries:
        got = blockmax.best('"alpha"', 5)
    statement = queries.captured_queries[-2]["sql"]  # the last before COMMIT
    assert "json_each" in statement  # the pruned statement, not a full pass
    blocks = statement.split("json_each('")[1].split("')")[0].strip("[]").split(",")
    with_hits = {i >> 2 for i in all_scores('"alpha"')}
    assert 5 <= len(blocks) < len(with_hits) / 2
    assert_same_best(got, '"alpha"', 5)


def test_a_change_to_the_index_reads_the_bests_again(committed) -> None:
    if connection.vendor != "sqlite":
        return
    before = blockmax.best('"golf"', 3)
    assert_same_best(before, '"golf"', 3)
    raw, collection = Blob.objects.first(), Collection.objects.get(name="Blocks")
    message = Message.objects.create(
        identity="g".ljust(64, "0"), collection=collection, raw=raw, subject="golf",
        body_text="golf golf golf",
    )  # fmt: skip
    index_messages([message.id])
    after = blockmax.best('"golf"', 3)
    assert after[0][0] == message.id  # a short row all golf: the best, in a block never read
    assert_same_best(after, '"golf"', 3)


def test_bests_read_in_two_states_are_not_kept(committed, monkeypatch) -> None:
    """The upper half of the first pass runs on another connection: if it saw another index
    state than this transaction (an ingest committed in between), its bests are not kept."""
    if connection.vendor != "sqlite":
        return
    real = splitrank.apart

    def other_state(sql: str, params: list):
        rows = real(sql, params).result()
        future = Future()
        future.set_result([row if row[0] != 2 else (2, b"other", row[2]) for row in rows])
        return future

    monkeypatch.setattr(splitrank, "apart", other_state)
    assert_same_best(blockmax.best('"alpha"', 5), '"alpha"', 5)
    assert not blockmax._kept
    monkeypatch.setattr(splitrank, "apart", real)
    assert_same_best(blockmax.best('"alpha"', 5), '"alpha"', 5)
    assert len(blockmax._kept) == 1


def test_one_core_reads_the_bests_in_one_statement(committed, monkeypatch) -> None:
    if connection.vendor != "sqlite":
        return
    monkeypatch.setattr(blockmax.os, "cpu_count", lambda: 1)
    monkeypatch.setattr(splitrank, "apart", None)  # not called
    for fetch in FETCHES:
        assert_same_best(blockmax.best('"bravo"', fetch), '"bravo"', fetch)


def test_service_pages_equal_the_plain_plan(committed, monkeypatch) -> None:
    queries = ["alpha", "bravo", "subject:charlie", "al*", '"alpha bravo"', "delta",
               "alpha OR golf", "alpha -bravo", "delta subject:charlie"]  # fmt: skip
    pages = [(q, limit, offset) for q in queries for limit in (1, 4, 50) for offset in (0, 3)]

    def run() -> list:
        return [
            [(h.id, h.rank) for h in service.search(q, limit=limit, offset=offset,
                                                   snippets=False).hits]
            for q, limit, offset in pages
        ]  # fmt: skip

    with monkeypatch.context() as plain:
        plain.setattr(blockmax, "applies", lambda *a: False)
        expected = run()
    used = []
    real = blockmax.best
    monkeypatch.setattr(blockmax, "best", lambda *a: used.append(a) or real(*a))
    assert run() == expected
    assert run() == expected  # from the kept bests
    assert bool(used) is (connection.vendor == "sqlite")
    several = '("alpha" OR "golf")' in {match for match, _ in used}
    assert several is (connection.vendor == "sqlite")


def test_not_inside_a_transaction_nor_for_few_hits(committed, monkeypatch) -> None:
    assert blockmax.applies('"alpha"', 5) is (connection.vendor == "sqlite")
    assert blockmax.applies('("alpha" OR "bravo")', 5) is (connection.vendor == "sqlite")
    with transaction.atomic():
        assert not blockmax.applies('"alpha"', 5)
    monkeypatch.setattr(blockmax, "MIN_HITS", 6)
    assert not blockmax.applies('"alpha"', 5)


def test_least_recently_used_bests_are_dropped(committed, monkeypatch) -> None:
    if connection.vendor != "sqlite":
        return
    for match in ('"alpha"', '"bravo"', '"delta"'):
        blockmax.best(match, 1)
    blockmax.best('"alpha"', 1)  # used again: the last to be dropped
    assert [key[2] for key in blockmax._kept] == ['"bravo"', '"delta"', '"alpha"']
    kept = sum(bests.scores.nbytes for bests in blockmax._kept.values())
    monkeypatch.setattr(blockmax, "MEMORY", kept)
    blockmax.best('"echo"', 1)
    assert [key[2] for key in blockmax._kept][0] != '"bravo"'
    assert [key[2] for key in blockmax._kept][-2:] == ['"alpha"', '"echo"']
    assert sum(bests.scores.nbytes for bests in blockmax._kept.values()) <= kept
