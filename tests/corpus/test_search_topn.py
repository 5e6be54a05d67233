"""The fast SQLite plans (index-side top-N, index counts, index-scan facets) give exactly what
the generic SQL gives, ties on the rank included."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection

from dossier.corpus.models import Blob, Collection, Location, Message
from dossier.corpus.search import service, sqlite_fts, topn
from dossier.corpus.search.index import index_messages
from dossier.corpus.search.plan import Compiled, page_sql, scope_sql
from dossier.corpus.search.query import parse
from tests.corpus import test_search_corpus

corpus = test_search_corpus.corpus  # the fixture
pytestmark = pytest.mark.django_db
QUERIES = (
    "twin", "twin words", "falcon", "falcon*", "twin OR falcon", "twin -seven", "nothing",
    '"twin words"', "from:alice@example.com", "twin date:2011-02..2011-03", "twin date:2011",
    "from:example.com date:2011", "(twin OR falcon) date:2011", "falcon date:1999",
)  # fmt: skip


@pytest.fixture
def twins(corpus) -> None:
    """Identical messages (equal scores), some on equal dates, some undated."""
    leaks = Collection.objects.get(name="Leaks")
    raw = Blob.objects.first()
    ids = []
    for i in range(14):
        date = None if i % 5 == 0 else datetime(2011, 1 + i % 3, 1, tzinfo=UTC)
        body = "twin words here" + (" seven" if i == 7 else "")
        message = Message.objects.create(
            identity=f"twin{i}".ljust(64, "x"),
            collection=leaks,
            raw=raw,
            body_text=body,
            date=date,
            from_addr=f"p{i % 4}@twin.example",
            sender_domain="twin.example",
        )
        Location.objects.create(
            message=message, collection=leaks, source_path=f"/t{i}", container="eml", raw=raw
        )
        ids.append(message.id)
    index_messages(ids)


def generic(compiled: Compiled, limit: int, offset: int) -> tuple[list[tuple], int | None]:
    with connection.cursor() as cursor:
        cursor.execute(*page_sql(compiled, scope_sql(None), limit, offset))
        rows = cursor.fetchall()
    return [(row[0], pytest.approx(float(row[1]))) for row in rows], (rows[0][2] if rows else None)


@pytest.mark.parametrize("query", QUERIES)
def test_pages_match_the_generic_query(twins, query: str) -> None:
    compiled = service.compile_node(parse(query))
    for limit in (1, 2, 3, 5, 7, 50):
        for offset in (0, 1, 2, 4, 9, 30):
            result = service.search(query, limit=limit, offset=offset, snippets=False)
            expected, total = generic(compiled, limit, offset)
            assert [(h.id, h.rank) for h in result.hits] == expected, (limit, offset)
            if total is not None:
                assert result.total == total
            assert result.total == service.count(query)


@pytest.mark.parametrize(
    "query", ["twin", '"twin words"', "twin date:2011", '"twin words" date:2011']
)
def test_a_tie_past_the_rows_fetched_is_fetched_whole(twins, monkeypatch, query: str) -> None:
    monkeypatch.setattr(topn, "SLACK", 0)
    monkeypatch.setattr(topn, "SLACK_COUNTED", 0)
    compiled = service.compile_node(parse(query))
    for limit, offset in ((1, 0), (2, 1), (3, 3), (5, 2), (4, 8)):
        result = service.search(query, limit=limit, offset=offset, snippets=False)
        expected, total = generic(compiled, limit, offset)
        assert [(h.id, h.rank) for h in result.hits] == expected, (limit, offset)
        assert result.total == total == service.count(query)


def test_a_tie_too_long_to_chase_takes_the_generic_query(twins, monkeypatch) -> None:
    monkeypatch.setattr(topn, "MAX_FETCH", 4)
    monkeypatch.setattr(topn, "SLACK", 0)
    compiled = service.compile_node(parse("twin"))
    for limit, offset in ((1, 0), (2, 1), (3, 3)):
        if connection.vendor == "sqlite":
            assert topn.page(compiled, limit, offset) is None
        result = service.search("twin", limit=limit, offset=offset, snippets=False)
        assert [(h.id, h.rank) for h in result.hits] == generic(compiled, limit, offset)[0]


@pytest.mark.parametrize(
    "query, indexed",
    [
        ("twin date:2011", True),
        ("twin from:p1@twin.example date:2011-01..2011-02", True),
        ("twin from:twin.example", True),
        ("from:p1@twin.example date:2011-01..2011-02", False),  # unranked: in date order
        ("(twin OR falcon) date:2011", True),
        ("twin words date:2011", False),  # ranked by "twin OR words", found by "twin AND words"
        ("twin -seven date:2011", False),
        ("twin has:attachment", False),
    ],
)
def test_only_a_ranking_match_with_indexed_filters_takes_the_top_n(query, indexed) -> None:
    compiled = sqlite_fts.compile_query(parse(query))
    assert bool(compiled.top_match) is indexed
    assert bool(compiled.top_filter[0]) is indexed


def test_postgres_prefixes_boolean_queries_with_an_indexable_tsquery() -> None:
    from dossier.corpus.search import postgres_fts

    compiled = postgres_fts.compile_query(parse("(scrub OR balance) -raid5"))
    assert compiled.where.startswith("(m.search_vector @@ ((phraseto_tsquery(")
    assert compiled.params[:2] == ["scrub", "balance"]
    assert postgres_fts.necessary_query(parse("-a -b")) is None
    assert postgres_fts.necessary_query(parse("a OR -b")) is None
    single = postgres_fts.compile_query(parse("a"))
    assert single.where.count("@@") == 1
