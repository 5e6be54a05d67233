"""Comments through the API: post, edit your own, hide (supervisors), and their audit events."""

from __future__ import annotations

import pytest

from dossier.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def post(client, message_id: int, body: str):
    return client.post(
        f"/api/messages/{message_id}/comments", {"body": body}, content_type="application/json"
    )


def test_post_edit_hide(api, corpus, make_user, token_client) -> None:
    message_id = corpus.ids["a1"]
    made = post(api, message_id, "  <script>alert(1)</script> check the ledger  ")
    assert made.status_code == 201
    comment = made.json()
    assert comment["body"] == "<script>alert(1)</script> check the ledger"  # text, as typed
    assert (comment["author"], comment["can_edit"], comment["can_hide"]) == ("reader", True, False)

    edited = api.patch(
        f"/api/comments/{comment['id']}", {"body": "the ledger"}, content_type="application/json"
    )
    assert edited.status_code == 200 and edited.json()["edited_at"]

    other = token_client(make_user("other", "reader", ["Alpha"]))
    assert other.get(f"/api/messages/{message_id}/comments").json()[0]["can_edit"] is False
    refused = other.patch(
        f"/api/comments/{comment['id']}", {"body": "mine now"}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert other.post(f"/api/comments/{comment['id']}/hide").status_code == 403

    supervisor = token_client(make_user("sup", "supervisor", ["Alpha"]))
    hidden = supervisor.post(f"/api/comments/{comment['id']}/hide")
    assert hidden.status_code == 200 and hidden.json()["hidden"] is True
    assert api.get(f"/api/messages/{message_id}/comments").json() == []
    assert supervisor.get(f"/api/messages/{message_id}/comments").json()[0]["hidden"] is True

    actions = list(
        AuditEvent.objects.filter(action__startswith="comment.").values_list("action", flat=True)
    )
    assert actions == ["comment.add", "comment.edit", "comment.hide"]


def test_empty_or_huge_comments_are_refused(api, corpus) -> None:
    assert post(api, corpus.ids["a1"], "").status_code == 422
    assert post(api, corpus.ids["a1"], "   ").status_code == 400
    assert post(api, corpus.ids["a1"], "x" * 10_001).status_code == 422
    assert not AuditEvent.objects.filter(action="comment.add").exists()


def test_comments_from_another_compartment_are_not_found(api, corpus, make_user, token_client):
    bravo = token_client(make_user("bravo", "reader", ["Bravo"]))
    made = post(bravo, corpus.ids["b1"], "bravo only").json()
    response = api.patch(
        f"/api/comments/{made['id']}", {"body": "x"}, content_type="application/json"
    )
    assert response.status_code == 404
    assert "bravo only" not in response.content.decode()
