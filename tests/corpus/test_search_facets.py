"""SQLite's facet plan (hit ids in a temporary table, one pass for sender, domain and month)
counts exactly what the per-facet GROUP BYs count, on every plan it can pick.

The fast plan runs only outside a transaction, so these tests use transactional test cases; the
per-facet plan (the reference) is what ``compute_facets`` takes inside ``transaction.atomic()``.
"""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from dossier.corpus.models import Collection
from dossier.corpus.search import facets, service, topn
from dossier.corpus.search.facets import compute_facets
from dossier.corpus.search.query import parse
from tests.corpus import test_search_corpus, test_search_topn

corpus = test_search_corpus.corpus  # the fixtures
twins = test_search_topn.twins
pytestmark = pytest.mark.django_db(transaction=True)
QUERIES = (
    "twin", "falcon", "falcon*", "twin OR falcon", "twin -seven", "-falcon", "nothing",
    '"twin words"', "from:example.com", "twin date:2011", "date:2011-01",
    "(twin OR falcon) date:2011", "has:attachment", "in:Leaks", "date:2011 -twin",
)  # fmt: skip


def reference(where, scope) -> dict:
    with transaction.atomic():  # the per-facet plan
        return compute_facets(where, scope)


def scopes() -> list:
    leaks = Collection.objects.get(name="Leaks").id
    return [None, {leaks}, {c.id for c in Collection.objects.all()}, set()]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("sparse", [0.0, 1.0])
def test_facets_match_the_per_facet_group_bys(twins, monkeypatch, query, sparse) -> None:
    monkeypatch.setattr(facets, "SPARSE", sparse)
    monkeypatch.setattr(facets, "SPARSE_LOCATIONS", sparse)
    compiled = service.compile_node(parse(query))
    where = (compiled.where, compiled.params)
    assert not connection.in_atomic_block  # so the SQLite plan is the fast one
    for scope in scopes():
        expected = reference(where, scope)
        assert compute_facets(where, scope) == expected, scope
        if scope is None:
            assert compute_facets(where, None, hit_ids=topn.ids_sql(compiled)) == expected
        assert service.facets(query, collection_ids=scope) == expected


def test_facets_are_truncated_and_ordered_as_before(twins, monkeypatch) -> None:
    monkeypatch.setattr(facets, "FACET_LIMIT", 2)
    compiled = service.compile_node(parse("twin OR falcon"))
    where = (compiled.where, compiled.params)
    result = compute_facets(where, None)
    assert result == reference(where, None)
    assert result["sender"]["truncated"] is True
    assert [v["count"] for v in result["sender"]["values"]] == [4, 4]  # p0 and p1, by name


def test_the_hit_table_is_left_empty_and_a_slow_fill_times_out(corpus) -> None:
    slow = (
        "(WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c"
        " WHERE x < 500000000) SELECT count(*) FROM c) > 0"
        if connection.vendor == "sqlite"
        else "EXISTS (SELECT 1 FROM pg_sleep(5))"
    )
    assert compute_facets((slow, []), None, budget=0.05) == dict.fromkeys(
        facets.NAMES, {"timed_out": True}
    )
    assert service.search("falcon", facets=True).facets["sender"]["values"]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {facets.HITS}")
            assert cursor.fetchone()[0] == 0


def test_search_with_facets_gives_the_facets_of_its_query(twins) -> None:
    for query in ("twin", "twin date:2011", "from:example.com date:2011"):
        compiled = service.compile_node(parse(query))
        expected = reference((compiled.where, compiled.params), None)
        assert service.search(query, facets=True, snippets=False).facets == expected
