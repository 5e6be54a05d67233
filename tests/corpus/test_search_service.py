"""The search service on a real database: ranking, snippets, paging, scoping, JSON shapes."""

from __future__ import annotations

import pytest

from dossier.corpus.search.service import count, hit_to_json, result_to_json, search
from dossier.corpus.search.snippets import snippet_html, snippet_plain, snippet_rich
from dossier.errors import QueryError
from tests.corpus import test_search_corpus
from tests.corpus.test_search_corpus import Corpus

corpus = test_search_corpus.corpus  # the fixture

pytestmark = pytest.mark.django_db


def names(corpus: Corpus, hits) -> list[str]:
    by_id = {v: k for k, v in corpus.ids.items()}
    return [by_id[hit.id] for hit in hits]


def test_subject_match_outranks_body_match(corpus: Corpus) -> None:
    order = names(corpus, search("falcon").hits)
    assert set(order[:2]) == {"m1", "m2"}
    assert order[2] == "m3"
    ranks = [hit.rank for hit in search("falcon").hits]
    assert ranks == sorted(ranks, reverse=True) and ranks[-1] > 0


def test_without_text_terms_newest_first(corpus: Corpus) -> None:
    result = search("-nothingmatchesthis")
    assert names(corpus, result.hits) == ["m4", "m3", "m2", "m1", "m6", "m5"]
    assert all(hit.rank == 0.0 for hit in result.hits)


def test_pagination_is_stable_and_complete(corpus: Corpus) -> None:
    everything = names(corpus, search("-nothingmatchesthis OR falcon", limit=100).hits)
    pages = [
        names(corpus, search("-nothingmatchesthis OR falcon", limit=2, offset=o).hits)
        for o in (0, 2, 4, 6)
    ]
    assert [n for page in pages for n in page] == everything
    assert pages[-1] == []
    result = search("falcon", limit=1, offset=1)
    assert (result.total, result.limit, result.offset, len(result.hits)) == (3, 1, 1, 1)


@pytest.mark.parametrize(("limit", "offset"), [(0, 0), (1001, 0), (-1, 0), (20, -1), (20, 10**12)])
def test_bad_paging_is_a_query_error(corpus: Corpus, limit: int, offset: int) -> None:
    with pytest.raises(QueryError):
        search("falcon", limit=limit, offset=offset)


def test_hit_fields(corpus: Corpus) -> None:
    (hit,) = search("from:alice").hits
    assert (hit.subject, hit.from_addr, hit.from_name) == (
        "Falcon project kickoff",
        "alice@example.com",
        "Alice Smith",
    )
    assert hit.to == ["bob@firm.example"]
    assert hit.collection == "Enron"
    assert hit.thread_id == corpus.threads["T1"].id and hit.thread_size == 2
    assert hit.has_attachments is True
    data = hit_to_json(hit)
    assert set(data) == {
        "id", "message_id", "subject", "from", "from_name", "to", "date", "collection",
        "thread_id", "thread_size", "snippet", "has_attachments",
    }  # fmt: skip
    assert data["date"] == "2011-03-05T10:00:00Z"
    assert data["from"] == "alice@example.com" and data["message_id"] == "m1@test"
    (undated,) = search("contract").hits
    assert hit_to_json(undated)["date"] is None and undated.thread_size == 1


def test_result_json(corpus: Corpus) -> None:
    data = result_to_json(search("falcon", limit=2, facets=True))
    assert (data["query"], data["total"], data["limit"], data["offset"]) == ("falcon", 3, 2, 0)
    assert len(data["hits"]) == 2 and data["facets"]["sender"]["timed_out"] is False


def test_snippet_highlights_body_match(corpus: Corpus) -> None:
    (hit,) = search("numbers falcon").hits
    html = hit_to_json(hit)["snippet"]
    assert "<mark>falcon</mark>" in html and "<mark>numbers</mark>" in html
    assert snippet_plain(hit.snippet).startswith("The falcon numbers look good. Hit men are")
    assert "[bold yellow]falcon[/bold yellow]" in snippet_rich(hit.snippet)


def test_snippet_falls_back_to_attachment_then_subject(corpus: Corpus) -> None:
    (hit,) = search("confidential").hits
    assert "<mark>confidential</mark>" in snippet_html(hit.snippet)
    m2 = [h for h in search("falcon").hits if h.id == corpus.ids["m2"]][0]
    assert snippet_html(m2.snippet) == "Re: <mark>Falcon</mark> project kickoff"


def test_snippet_highlights_words_split_by_punctuation(corpus: Corpus) -> None:
    (hit,) = search("INV-2024-0042").hits
    html = snippet_html(hit.snippet)
    # SQLite marks the whole phrase, PostgreSQL each word: both show the text as written.
    assert "INV-2024-0042" in snippet_plain(hit.snippet)
    assert "<mark>INV" in html and "0042</mark>" in html


def test_snippet_without_text_terms_is_the_start_of_the_body(corpus: Corpus) -> None:
    (hit,) = search("date:2011-03-05").hits
    assert hit.snippet.startswith("Kickoff meeting for the falcon project.")
    assert "\x02" not in hit.snippet
    assert search("falcon", snippets=False).hits[0].snippet == ""


def test_facets_count_all_hits_not_just_the_page(corpus: Corpus) -> None:
    result = search("falcon", limit=1, facets=True)
    facets = result.facets
    assert facets["sender"]["values"] == [
        {"value": "alice@example.com", "count": 1},
        {"value": "bob@firm.example", "count": 1},
        {"value": "carol@example.org", "count": 1},
    ]
    assert [v["value"] for v in facets["sender_domain"]["values"]] == [
        "example.com",
        "example.org",
        "firm.example",
    ]
    assert facets["month"]["values"] == [
        {"value": "2011-03", "count": 2},
        {"value": "2011-06", "count": 1},
    ]
    assert facets["collection"]["values"] == [
        {"value": "Enron", "count": 3},
        {"value": "Leaks", "count": 1},
        {"value": "Panama Papers", "count": 1},
    ]
    assert all(not f["truncated"] and not f["timed_out"] for f in facets.values())
    assert search("falcon").facets is None


def test_facet_unknown_month_is_null(corpus: Corpus) -> None:
    months = search("-falcon", facets=True).facets["month"]["values"]
    assert months == [
        {"value": "2010-12", "count": 1},
        {"value": "2012-01", "count": 1},
        {"value": None, "count": 1},
    ]


def test_collection_ids_restrict_everything(corpus: Corpus) -> None:
    leaks = corpus.collections["Leaks"].id
    panama = corpus.collections["Panama Papers"].id
    result = search("falcon", collection_ids={panama}, facets=True)
    assert names(corpus, result.hits) == ["m3"] and result.total == 1
    assert result.facets["collection"]["values"] == [{"value": "Panama Papers", "count": 1}]
    assert count("falcon", collection_ids={panama}) == 1
    # m1 belongs to Enron but was also found in Leaks: seen through Leaks, it is in Leaks.
    (hit,) = search("kickoff", collection_ids={leaks}).hits
    assert hit.collection == "Leaks" and hit.thread_size == 1
    both = search("falcon", collection_ids={leaks, panama}, facets=True)
    assert sorted(names(corpus, both.hits)) == ["m1", "m3"]
    assert {v["value"] for v in both.facets["collection"]["values"]} == {"Leaks", "Panama Papers"}


def test_empty_collection_ids_give_nothing(corpus: Corpus) -> None:
    result = search("falcon", collection_ids=set(), facets=True)
    assert (result.total, result.hits) == (0, [])
    assert all(f["values"] == [] for f in result.facets.values())
    assert count("-falcon", collection_ids=set()) == 0
