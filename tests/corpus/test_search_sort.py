"""Date order (``sort=newest`` / ``oldest``): every hit, in the order of (date, id), undated last,
pages that add up, and the same total as the relevance order; on the service, CLI and API."""

from __future__ import annotations

import pytest

from dossier.corpus.models import Message
from dossier.corpus.search import datesort, service
from dossier.corpus.search.query import parse
from dossier.errors import QueryError
from tests.corpus import test_search_corpus, test_search_topn

corpus = test_search_corpus.corpus  # fixtures
twins = test_search_topn.twins
pytestmark = pytest.mark.django_db
QUERIES = (*test_search_topn.QUERIES, "collection:Leaks twin", "-twin", "has:attachment")


def expected(query: str, newest: bool) -> list[int]:
    """All hits in date order, by Python: matched by the relevance search, sorted here."""
    total = service.count(query)
    hits = service.search(query, limit=1000, snippets=False).hits if total else []
    assert len(hits) == total
    dates = dict(Message.objects.filter(id__in=[h.id for h in hits]).values_list("id", "date"))
    dated = sorted((i for i in dates if dates[i]), key=lambda i: (dates[i], i), reverse=newest)
    undated = sorted((i for i in dates if not dates[i]), reverse=newest)
    return dated + undated


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("sort", ["newest", "oldest"])
@pytest.mark.parametrize("walk", [True, False], ids=["date-index", "from-hits"])
def test_date_order_holds_every_hit_in_order(twins, monkeypatch, query, sort, walk) -> None:
    """Both SQLite plans (walking the date index, sorting the hits) give the same pages."""
    monkeypatch.setattr(datesort, "walks", lambda cursor, hits, depth: walk)
    parse(query)
    want = expected(query, sort == "newest")
    result = service.search(query, limit=1000, snippets=False, sort=sort)
    assert [h.id for h in result.hits] == want
    assert result.total == len(want)
    pages = []
    for offset in range(0, max(len(want), 1), 3):
        page = service.search(query, limit=3, offset=offset, snippets=False, sort=sort)
        assert page.total == len(want)
        pages += [h.id for h in page.hits]
    assert pages == want


def test_newest_first_puts_undated_messages_last(twins) -> None:
    hits = service.search("twin", limit=100, snippets=False, sort="newest").hits
    dates = [h.date for h in hits]
    assert None in dates and dates[0] is not None
    first_undated = dates.index(None)
    assert all(d is None for d in dates[first_undated:])
    assert dates[:first_undated] == sorted(dates[:first_undated], reverse=True)


def test_a_scope_still_holds_in_date_order(corpus) -> None:
    from dossier.corpus.models import Collection

    leaks = Collection.objects.get(name="Leaks")
    query = "falcon OR twin OR hit"
    everything = service.search(query, limit=1000, snippets=False, sort="newest")
    mine = service.search(
        query, limit=1000, snippets=False, sort="newest", collection_ids={leaks.id}
    )
    assert {h.collection for h in mine.hits} == {"Leaks"}
    assert 0 < mine.total < everything.total
    assert [h.id for h in mine.hits] == [
        h.id for h in everything.hits if h.id in {m.id for m in mine.hits}
    ]
    assert mine.total == service.count(query, collection_ids={leaks.id})


def test_an_unknown_order_is_a_query_error(corpus) -> None:
    with pytest.raises(QueryError, match="sort must be one of"):
        service.search("falcon", sort="best")
