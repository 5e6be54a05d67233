"""Who may call the API: personal tokens, browser sessions with CSRF, and nobody else."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from dossier.accounts.services import user_disable
from dossier.api.models import ApiToken
from dossier.api.services import hash_secret, token_authenticate, token_create, token_revoke
from dossier.audit.models import AuditEvent
from tests.api.conftest import TokenClient

pytestmark = pytest.mark.django_db


def csrf_session(user) -> tuple[Client, str]:
    """A signed-in browser that enforces CSRF, and the CSRF token its pages would carry."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.get("/api/docs").status_code == 200  # sets the csrftoken cookie
    return client, client.cookies["csrftoken"].value


def test_no_credentials_is_401_with_a_json_error(corpus) -> None:
    response = Client().get("/api/search", {"q": "falcon"})
    assert response.status_code == 401
    assert response.json()["error"] == "unauthenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_token_authenticates_its_owner(api) -> None:
    response = api.get("/api/search", {"q": "falcon"})
    assert response.status_code == 200 and response.json()["total"] == 3


@pytest.mark.parametrize(
    "header",
    ["Bearer dos_not-a-real-token", "Bearer ", "Basic Zm9vOmJhcg==", "Bearer " + "x" * 5000],
)
def test_unknown_or_malformed_tokens_are_401(corpus, header: str) -> None:
    response = Client(HTTP_AUTHORIZATION=header).get("/api/search", {"q": "falcon"})
    assert response.status_code == 401


def test_revoked_token_is_401(reader) -> None:
    token, secret = token_create(user=reader, name="script")
    client = TokenClient(secret)
    assert client.get("/api/search", {"q": "falcon"}).status_code == 200
    token_revoke(user=reader, token_id=token.id)
    assert client.get("/api/search", {"q": "falcon"}).status_code == 401


def test_disabled_users_token_is_401(reader) -> None:
    _token, secret = token_create(user=reader, name="script")
    user_disable(username="reader")
    assert TokenClient(secret).get("/api/search", {"q": "falcon"}).status_code == 401


def test_only_the_hash_is_stored_and_last_use_is_touched_once_a_minute(reader) -> None:
    token, secret = token_create(user=reader, name="script")
    assert secret.startswith("dos_") and len(secret) > 40
    row = ApiToken.objects.get(id=token.id)
    assert row.token_hash == hash_secret(secret) and secret not in str(row.__dict__)
    assert row.prefix == secret[:8] and row.last_used_at is None
    assert token_authenticate(secret) == reader
    first = ApiToken.objects.get(id=token.id).last_used_at
    assert first is not None
    token_authenticate(secret)
    assert ApiToken.objects.get(id=token.id).last_used_at == first  # within the minute
    ApiToken.objects.filter(id=token.id).update(last_used_at=first - timedelta(minutes=2))
    token_authenticate(secret)
    assert ApiToken.objects.get(id=token.id).last_used_at > first - timedelta(seconds=1)


def test_a_token_cannot_reach_the_token_endpoints(api, reader) -> None:
    own = ApiToken.objects.get(user=reader)
    for method, path, body in [
        ("get", "/api/tokens", None),
        ("post", "/api/tokens", {"name": "escalate"}),
        ("delete", f"/api/tokens/{own.id}", None),
    ]:
        call = getattr(api, method)
        response = call(path, body, content_type="application/json") if body else call(path)
        assert response.status_code == 403, (method, path)
        assert response.json()["error"] == "permission_denied"
    assert ApiToken.objects.filter(user=reader).count() == 1
    assert ApiToken.objects.get(id=own.id).revoked_at is None


def test_session_get_needs_no_csrf_but_post_does(reader) -> None:
    client, csrf = csrf_session(reader)
    assert client.get("/api/search", {"q": "falcon"}).status_code == 200
    refused = client.post("/api/tokens", {"name": "laptop"}, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["error"] == "csrf_failed"
    assert not ApiToken.objects.filter(name="laptop").exists()
    made = client.post(
        "/api/tokens", {"name": "laptop"}, content_type="application/json", HTTP_X_CSRFTOKEN=csrf
    )
    assert made.status_code == 201
    data = made.json()
    assert data["secret"].startswith("dos_") and data["prefix"] == data["secret"][:8]
    assert TokenClient(data["secret"]).get("/api/search", {"q": "x"}).status_code == 200


def test_session_lists_and_revokes_only_its_own_tokens(reader, make_user) -> None:
    other = make_user("other", "reader", ["Alpha"])
    theirs, _ = token_create(user=other, name="theirs")
    mine, secret = token_create(user=reader, name="mine")
    client, csrf = csrf_session(reader)
    listed = client.get("/api/tokens").json()
    assert [t["name"] for t in listed] == ["mine"] and "secret" not in listed[0]
    gone = client.delete(f"/api/tokens/{theirs.id}", HTTP_X_CSRFTOKEN=csrf)
    assert gone.status_code == 404
    assert ApiToken.objects.get(id=theirs.id).revoked_at is None
    assert client.delete(f"/api/tokens/{mine.id}", HTTP_X_CSRFTOKEN=csrf).status_code == 204
    assert client.get("/api/tokens").json()[0]["revoked_at"] is not None
    assert TokenClient(secret).get("/api/search", {"q": "x"}).status_code == 401


def test_token_changes_are_audited(reader) -> None:
    client, csrf = csrf_session(reader)
    made = client.post(
        "/api/tokens", {"name": "ci"}, content_type="application/json", HTTP_X_CSRFTOKEN=csrf
    ).json()
    client.delete(f"/api/tokens/{made['id']}", HTTP_X_CSRFTOKEN=csrf)
    events = list(AuditEvent.objects.filter(action__startswith="token.").order_by("seq"))
    assert [(e.action, e.actor_username, e.target) for e in events[-2:]] == [
        ("token.create", "reader", f"token:{made['id']}"),
        ("token.revoke", "reader", f"token:{made['id']}"),
    ]
    assert made["secret"] not in str([e.details for e in events])


def test_session_of_a_disabled_user_is_401(reader) -> None:
    client = Client()
    client.force_login(reader)
    user_disable(username="reader")
    assert client.get("/api/search", {"q": "falcon"}).status_code == 401


def test_token_revoked_twice_is_one_event(reader) -> None:
    token, _ = token_create(user=reader, name="twice")
    token_revoke(user=reader, token_id=token.id)
    first = ApiToken.objects.get(id=token.id).revoked_at
    token_revoke(user=reader, token_id=token.id)
    assert ApiToken.objects.get(id=token.id).revoked_at == first
    assert AuditEvent.objects.filter(action="token.revoke", target=f"token:{token.id}").count() == 1
    assert timezone.now() >= first
