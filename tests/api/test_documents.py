"""Documents, raw bytes, threads and attachments through the API, and the audit events they
write (the access layer writes them; here we check the API reaches it)."""

from __future__ import annotations

import pytest

from dossier.audit.models import AuditEvent
from tests.api.conftest import ALPHA

pytestmark = pytest.mark.django_db


def last_event(action: str) -> AuditEvent:
    return AuditEvent.objects.filter(action=action).order_by("-seq").first()


def test_document_detail(api, corpus) -> None:
    response = api.get(f"/api/messages/{corpus.ids['a1']}")
    assert response.status_code == 200
    data = response.json()
    assert (data["subject"], data["from"], data["collection"]) == (
        "Falcon plan",
        "alice@alpha.example",
        "Alpha",
    )
    assert "falcon plan, in alpha" in data["body"].lower()
    assert ["Subject", "Falcon plan"] in data["headers"]
    (attachment,) = data["attachments"]
    assert attachment["id"] == corpus.attachments["notes.txt"]
    assert (attachment["filename"], attachment["content_type"]) == ("notes.txt", "text/plain")
    assert "text" not in attachment and attachment["text_length"] > 0
    assert data["provenance"]["sha256"] == data["raw_sha256"]
    assert data["locations"][0]["container"] and data["thread_id"] == corpus.thread("a1")
    event = last_event("document.view")
    assert (event.actor_username, event.target) == ("reader", f"message:{corpus.ids['a1']}")


def test_raw_needs_download_permission(api, corpus, make_user, token_client) -> None:
    path = f"/api/messages/{corpus.ids['a1']}/raw"
    refused = api.get(path)
    assert refused.status_code == 403 and refused.json()["error"] == "permission_denied"
    analyst = token_client(make_user("analyst", "analyst", ["Alpha"]))
    response = analyst.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "message/rfc822"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.replace(b"\r\n", b"\n") == ALPHA["a1"].replace(b"\r\n", b"\n")
    assert last_event("raw.download").actor_username == "analyst"


def test_attachment_download_is_a_safe_download(api, corpus) -> None:
    attachment_id = corpus.attachments["notes.txt"]
    response = api.get(f"/api/attachments/{attachment_id}/download")
    assert response.status_code == 200 and response.content == b"falcon notes alpha"
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="notes.txt"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert last_event("attachment.download").target == f"attachment:{attachment_id}"


def test_attachment_detail_has_the_extracted_text(api, corpus) -> None:
    attachment_id = corpus.attachments["notes.txt"]
    data = api.get(f"/api/attachments/{attachment_id}").json()
    assert (data["id"], data["filename"], data["message_id"]) == (
        attachment_id,
        "notes.txt",
        corpus.ids["a1"],
    )
    assert "falcon notes alpha" in data["text"]
    assert last_event("attachment.view").target == f"attachment:{attachment_id}"


def test_thread_detail_is_a_tree(api, corpus) -> None:
    data = api.get(f"/api/threads/{corpus.thread('a1')}").json()
    first, reply = data["messages"]
    assert (first["parent_id"], first["depth"]) == (None, 0)
    assert (reply["parent_id"], reply["depth"]) == (corpus.ids["a1"], 1)
    assert last_event("thread.view").target == f"thread:{corpus.thread('a1')}"


def test_related_messages(api, corpus) -> None:
    related = api.get(f"/api/messages/{corpus.ids['a1']}/related", {"limit": 5}).json()
    assert {r["id"] for r in related} <= {corpus.ids["s1"]}
    assert all(r["reason"] in {"participants", "terms"} for r in related)


def test_search_is_audited_with_its_query(api) -> None:
    api.get("/api/search", {"q": "falcon plan", "limit": 5})
    event = last_event("search.run")
    assert event.actor_username == "reader"
    assert event.details["query"] == "falcon plan" and event.details["total"] == 2


def test_search_paging_and_snippets(api) -> None:
    page = api.get("/api/search", {"q": "falcon", "limit": 1, "offset": 1}).json()
    assert (page["total"], page["limit"], page["offset"], len(page["hits"])) == (3, 1, 1, 1)
    hits = api.get("/api/search", {"q": "falcon"}).json()["hits"]
    assert all("<mark>" in h["snippet"].lower() for h in hits)
    bare = api.get("/api/search", {"q": "falcon", "snippets": "false"}).json()["hits"]
    assert all(h["snippet"] == "" for h in bare) and bare[0]["from"]


def test_bad_query_is_400_with_position(api) -> None:
    response = api.get("/api/search", {"q": "has:nonsense"})
    assert response.status_code == 400
    data = response.json()
    assert data["error"] == "query_error" and isinstance(data["position"], int)
    assert "has:nonsense" in data["detail"]


@pytest.mark.parametrize(
    "params", [{"q": "x", "limit": 0}, {"q": "x", "limit": 5000}, {"q": "x", "offset": -1}, {}]
)
def test_bad_paging_is_422(api, params) -> None:
    response = api.get("/api/search", params)
    assert response.status_code == 422 and response.json()["error"] == "invalid_request"


@pytest.mark.parametrize("path", ["/api/messages/0", "/api/messages/99999999999999999999999",
                                  "/api/threads/-1", "/api/attachments/abc"])  # fmt: skip
def test_out_of_range_ids_are_client_errors(api, path: str) -> None:
    assert api.get(path).status_code in (404, 422)
