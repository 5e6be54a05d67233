"""SQLite's facet plan (the hit ids counted in memory against each message's facet values,
``facets_memory``) counts exactly what the per-facet GROUP BYs count, for every query and scope,
and follows the database as messages and locations are added or deleted.

The fast plan runs only outside a transaction, so these tests use transactional test cases; the
per-facet plan (the reference) is what ``compute_facets`` takes inside ``transaction.atomic()``.
"""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from dossier.corpus.models import Collection, Location, Message
from dossier.corpus.search import facets, facets_memory, service, topn
from dossier.corpus.search.facets import compute_facets
from dossier.corpus.search.query import parse
from tests.corpus import test_search_corpus, test_search_topn
from tests.web.corpus import alpha_messages, ingest, secret_messages

corpus = test_search_corpus.corpus  # the fixtures
twins = test_search_topn.twins
pytestmark = pytest.mark.django_db(transaction=True)
QUERIES = (
    "twin", "falcon", "falcon*", "twin OR falcon", "twin -seven", "-falcon", "nothing",
    '"twin words"', "from:example.com", "twin date:2011", "date:2011-01",
    "(twin OR falcon) date:2011", "has:attachment", "in:Leaks", "date:2011 -twin",
)  # fmt: skip

ALL = ("1 = 1", [])  # every message


def reference(where, scope) -> dict:
    with transaction.atomic():  # the per-facet plan
        return compute_facets(where, scope)


def scopes() -> list:
    leaks = Collection.objects.get(name="Leaks").id
    return [None, {leaks}, {c.id for c in Collection.objects.all()}, set()]


@pytest.mark.parametrize("query", QUERIES)
def test_facets_match_the_per_facet_group_bys(twins, query) -> None:
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


def test_a_slow_hit_query_times_out(corpus) -> None:
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


def test_search_with_facets_gives_the_facets_of_its_query(twins) -> None:
    for query in ("twin", "twin date:2011", "from:example.com date:2011"):
        compiled = service.compile_node(parse(query))
        expected = reference((compiled.where, compiled.params), None)
        assert service.search(query, facets=True, snippets=False).facets == expected


def checked(query: str) -> dict:
    """``compute_facets`` of an unscoped ``query`` (both ways of selecting the hits) and
    ``service.facets``, checked equal to the per-facet plan; on SQLite made in memory."""
    compiled = service.compile_node(parse(query))
    where = (compiled.where, compiled.params)
    expected = reference(where, None)
    for hit_ids in (None, topn.ids_sql(compiled)):
        assert compute_facets(where, None, hit_ids=hit_ids) == expected, hit_ids
    assert service.facets(query) == expected
    if connection.vendor == "sqlite":
        assert facets_memory._values.messages == Message.objects.count()
    return expected


def test_reordered_and_untruncated_as_the_group_bys_do(twins, monkeypatch) -> None:
    monkeypatch.setattr(facets, "FACET_LIMIT", 2)
    everything = reference(ALL, None)
    assert compute_facets(ALL, None) == everything
    assert [v["value"] for v in everything["sender"]["values"]] == [
        "p0@twin.example",
        "p1@twin.example",
    ]
    assert all(everything[name]["truncated"] for name in facets.NAMES)
    falcon = checked("falcon")  # m1, m2, m3: one message per sender
    assert falcon["sender"]["values"] == [
        {"value": "alice@example.com", "count": 1},
        {"value": "bob@firm.example", "count": 1},
    ]
    assert falcon["sender"]["truncated"] is True
    twin = checked("twin")  # twins only: not m1 (Enron, Leaks), m3 (Panama, Enron)
    assert twin["sender_domain"] == {
        "values": [{"value": "twin.example", "count": 14}],
        "truncated": False,
        "timed_out": False,
    }
    assert twin["collection"]["values"] == [{"value": "Leaks", "count": 14}]
    assert twin["collection"]["truncated"] is False
    assert everything["month"]["values"][0] == {"value": None, "count": 15}  # m5, the twins
    assert falcon["month"] == {
        "values": [{"value": "2011-03", "count": 2}, {"value": "2011-06", "count": 1}],
        "truncated": False,
        "timed_out": False,
    }


def test_the_values_follow_each_ingest_and_deletion(db, tmp_path, blobs) -> None:
    ingest(tmp_path / "a", blobs, "alpha", alpha_messages())
    before = checked("falcon")
    ingest(tmp_path / "s", blobs, "secret", secret_messages())  # new messages
    after = checked("falcon")
    assert after != before
    assert {"value": "secret", "count": 1} in after["collection"]["values"]
    ingest(tmp_path / "c", blobs, "copy", alpha_messages())  # new locations only
    copies = checked("falcon")
    assert copies["sender"] == after["sender"]
    assert {"value": "copy", "count": 4} in copies["collection"]["values"]
    assert checked("-falcon") == reference(("1 = 0", []), None)  # no hits
    Location.objects.filter(collection__name="copy").delete()  # a deletion: read again
    assert checked("falcon") == after
