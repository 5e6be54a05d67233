"""A reader granted Alpha never sees Bravo: not in totals, facets, snippets, documents, threads,
related messages, attachments or comments. Outside the compartment is exactly "not found"."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db

BRAVO_ONLY = ("b1", "b2")


def text_of(response) -> str:
    return json.dumps(response.json()).lower()


def test_search_totals_hits_snippets_and_facets_stay_in_alpha(api, corpus) -> None:
    data = api.get("/api/search", {"q": "falcon", "facets": "true"}).json()
    assert data["total"] == 3
    assert {h["id"] for h in data["hits"]} == {corpus.ids[n] for n in ("a1", "a2", "s1")}
    assert {h["collection"] for h in data["hits"]} == {"Alpha"}  # s1 was first found in Bravo
    assert data["facets"]["collection"]["values"] == [{"value": "Alpha", "count": 3}]
    senders = {v["value"] for v in data["facets"]["sender"]["values"]}
    assert senders == {"alice@alpha.example", "carol@alpha.example", "sam@shared.example"}
    assert "bravo" not in text_of(api.get("/api/search", {"q": "falcon", "facets": "true"}))


@pytest.mark.parametrize("query", ["zebracode", "from:bob@bravo.example"])
def test_bravo_only_queries_find_nothing(api, query: str) -> None:
    data = api.get("/api/search", {"q": query, "facets": "true"}).json()
    assert data["total"] == 0 and data["hits"] == []
    assert all(f.get("values", []) == [] for f in data["facets"].values())


def test_naming_another_compartment_reads_like_naming_none(api) -> None:
    bravo = api.get("/api/search", {"q": "falcon collection:Bravo", "facets": "true"})
    nothing = api.get("/api/search", {"q": "falcon collection:Nowhere", "facets": "true"})
    assert bravo.status_code == nothing.status_code == 400
    assert bravo.json()["error"] == nothing.json()["error"] == "query_error"
    assert bravo.json()["detail"].replace("bravo", "X") == nothing.json()["detail"].replace(
        "nowhere", "X"
    )
    assert api.get("/api/search", {"q": "collection:Alpha"}).json()["total"] == 3


def test_thread_sizes_count_only_visible_messages(api, corpus) -> None:
    hits = api.get("/api/search", {"q": "subject:plan"}).json()["hits"]
    assert {h["thread_size"] for h in hits} == {2}  # a1, a2; b2 (Bravo) is in the same thread


def test_documents_outside_the_compartment_are_not_found(api, corpus) -> None:
    missing = api.get("/api/messages/999999999")
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"
    for name in BRAVO_ONLY:
        message_id = corpus.ids[name]
        for path in ("", "/related", "/comments"):
            response = api.get(f"/api/messages/{message_id}{path}")
            assert response.status_code == 404, (name, path)
            assert response.json()["error"] == "not_found"
        posted = api.post(
            f"/api/messages/{message_id}/comments", {"body": "hi"}, content_type="application/json"
        )
        assert posted.status_code == 404


def test_a_shared_message_shows_only_its_alpha_side(api, corpus) -> None:
    response = api.get(f"/api/messages/{corpus.ids['s1']}")
    assert response.status_code == 200
    data = response.json()
    assert data["collection"] == "Alpha"
    assert {loc["collection"] for loc in data["locations"]} == {"Alpha"}
    assert {loc["collection"] for loc in data["provenance"]["locations"]} == {"Alpha"}
    assert "bravo" not in text_of(response)


def test_threads_hold_only_visible_messages(api, corpus) -> None:
    response = api.get(f"/api/threads/{corpus.thread('a1')}")
    data = response.json()
    assert [m["id"] for m in data["messages"]] == [corpus.ids["a1"], corpus.ids["a2"]]
    assert data["message_count"] == 2 and data["last_date"].startswith("2024-03-02")
    assert "bravo" not in text_of(response) and "zebracode" not in text_of(response)
    assert api.get(f"/api/threads/{corpus.thread('b1')}").status_code == 404
    assert api.get("/api/threads/999999999").status_code == 404


def test_related_suggestions_stay_in_alpha(api, corpus) -> None:
    for name in ("a1", "a2", "s1"):
        related = api.get(f"/api/messages/{corpus.ids[name]}/related").json()
        assert not {r["id"] for r in related} & {corpus.ids[n] for n in BRAVO_ONLY}
        assert {r["collection"] for r in related} <= {"Alpha"}


def test_attachments_outside_the_compartment_are_not_found(api, corpus) -> None:
    bravo = corpus.attachments["bravo.txt"]
    for path in (f"/api/attachments/{bravo}", f"/api/attachments/{bravo}/download"):
        response = api.get(path)
        assert response.status_code == 404 and b"zebracode" not in response.content


def test_a_user_without_grants_sees_nothing(corpus, make_user, token_client) -> None:
    client = token_client(make_user("nobody", "admin", []))  # even an admin: deny by default
    assert client.get("/api/search", {"q": "falcon"}).json()["total"] == 0
    assert client.get(f"/api/messages/{corpus.ids['a1']}").status_code == 404
    assert client.get(f"/api/threads/{corpus.thread('a1')}").status_code == 404


def test_bravo_user_sees_bravo(corpus, make_user, token_client) -> None:
    client = token_client(make_user("bravo", "reader", ["Bravo"]))
    data = client.get("/api/search", {"q": "zebracode"}).json()
    assert data["total"] == 2
    assert client.get(f"/api/messages/{corpus.ids['b1']}").status_code == 200
    assert client.get(f"/api/messages/{corpus.ids['a1']}").status_code == 404
