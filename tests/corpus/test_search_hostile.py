"""Hostile queries against the real database: results or a QueryError, never anything else."""

from __future__ import annotations

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dossier.corpus.search.facets import compute_facets, run_with_budget
from dossier.corpus.search.service import count, facets, search
from dossier.errors import QueryError
from tests.corpus import test_search_corpus

corpus = test_search_corpus.corpus  # the fixture
pytestmark = pytest.mark.django_db

HOSTILE = [
    '"unbalanced',
    "((falcon",
    "falcon))",
    ")(",
    "O'Brien",
    "INV-2024-0042",
    "alice@example.com",
    "-",
    "*",
    "AND",
    "NOT",
    "falcon NOT",
    "OR OR OR",
    "NEAR(a b)",
    "a NEAR b",
    '"" "" ""',
    "'; DROP TABLE corpus_message; --",
    '"); DROP TABLE corpus_message; --',
    "falcon\x00lunch",
    "\x00",
    "emoji 😀🎉 falcon",
    "subject:😀",
    "from:'",
    "{subject}: falcon",
    "subject : falcon",
    "falcon^2",
    "col:falcon",
    "rowid:1",
    "collection:'; DROP TABLE x; --",
    "collection:\x00",
    "thread:0",
    "date:0001",
    "date:9999-12-31",
    "date:0001..9999",
    "a" * 3000,
    "falcon* *falcon f*a*l",
    "%s %(x)s %% ?",
    "\\ \\\\ \\'",
    "falcon " * 99,
    "x" * 10_000,
    "garbage " + "".join(chr(c) for c in range(32, 2000)),
    ("(a OR " * 20) + "b" + ")" * 20,
    "-(" * 15 + "falcon",
    "\ud800",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries(corpus, query: str) -> None:
    try:
        result = search(query, facets=True)
    except QueryError as exc:
        assert str(exc)
    else:
        assert result.total == count(query) >= len(result.hits)


def test_the_table_survives(corpus) -> None:
    search("'; DROP TABLE corpus_message; --")
    assert search("falcon").total == 3


FRAGMENTS = st.sampled_from(
    ["falcon", "lunch", "hit", "men", "AND", "OR", "NOT", "-", "*", '"', "(", ")", " ", "  ",
     "from:", "subject:", "to:", "date:", "2011", "-03", "..", "collection:", "Enron", "thread:",
     "1", "has:", "attachment", ":", "@", "example.com", "O'Brien", "😀", "\x00", "'", "%", "{",
     "}", "^", "\\"]
)  # fmt: skip
QUERIES = st.one_of(st.text(max_size=60), st.lists(FRAGMENTS, max_size=20).map("".join))


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=QUERIES)
def test_any_text_gives_results_or_a_query_error(corpus, query: str) -> None:
    try:
        result = search(query, limit=5, facets=True)
    except QueryError as exc:
        assert str(exc)
    else:
        assert 0 <= len(result.hits) <= min(5, result.total)


def _slow_predicate() -> str:
    if connection.vendor == "sqlite":
        return (
            "(WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c"
            " WHERE x < 500000000) SELECT count(*) FROM c) > 0"
        )
    return "EXISTS (SELECT 1 FROM pg_sleep(5))"


def test_a_slow_facet_times_out_instead_of_failing(corpus) -> None:
    result = compute_facets((_slow_predicate(), []), None, budget=0.05, names=("sender",))
    assert result == {"sender": {"timed_out": True}}
    # The connection and its transaction are still usable afterwards.
    assert search("falcon").total == 3
    assert run_with_budget(("SELECT 1", []), 1.0) == [(1,)]


def test_huge_message_is_searchable_without_database_errors(corpus) -> None:
    # 300,000 distinct words: more than a PostgreSQL tsvector may hold (1 MB).
    from dossier.corpus.models import Blob, Collection, Location, Message

    body = " ".join(f"w{i}x" for i in range(300_000))
    leaks = Collection.objects.get(name="Leaks")
    message = Message.objects.create(
        identity="h" * 64, collection=leaks, raw=Blob.objects.get(), body_text=body
    )
    Location.objects.create(
        message=message, collection=leaks, source_path="/big", container="eml", raw=message.raw
    )
    for query in ("body:w7x", "w7x", "body:w299999x", "-body:w7x"):
        assert 0 <= search(query, facets=True).total <= 7


def test_facets_function(corpus) -> None:
    data = facets("falcon", collection_ids=None)
    assert set(data) == {"sender", "sender_domain", "month", "collection"}
    assert data["month"]["values"][0] == {"value": "2011-03", "count": 2}
