"""``GET /api/audit``: supervisors and admins only; reading the log is itself audited."""

from __future__ import annotations

import pytest

from dossier.audit.models import AuditEvent
from dossier.audit.verify import audit_verify

pytestmark = pytest.mark.django_db


def test_reader_cannot_read_the_audit_log(api) -> None:
    response = api.get("/api/audit")
    assert response.status_code == 403 and response.json()["error"] == "permission_denied"
    assert not AuditEvent.objects.filter(action="audit.view").exists()


@pytest.mark.parametrize("role", ["admin", "supervisor"])
def test_oversight_reads_and_filters_the_log(api, make_user, token_client, role: str) -> None:
    api.get("/api/search", {"q": "falcon"})
    boss = token_client(make_user("boss", role, []))
    events = boss.get("/api/audit", {"action": "search.run", "user": "reader"}).json()
    assert len(events) == 1 and events[0]["details"]["query"] == "falcon"
    assert set(events[0]) >= {"seq", "created_at", "action", "actor", "target", "hash"}
    everything = boss.get("/api/audit", {"limit": 1000, "since": "2000-01-01"}).json()
    assert [e["seq"] for e in everything] == sorted((e["seq"] for e in everything), reverse=True)
    assert boss.get("/api/audit", {"action": "token."}).json()[0]["action"] == "token.create"
    viewed = AuditEvent.objects.filter(action="audit.view").order_by("-seq").first()
    assert viewed.actor_username == "boss" and viewed.details == {"action": "token."}
    assert audit_verify().ok


def test_bad_filters_are_client_errors(make_user, token_client) -> None:
    admin = token_client(make_user("admin", "admin", []))
    assert admin.get("/api/audit", {"since": "yesterday"}).status_code == 422
    assert admin.get("/api/audit", {"limit": 0}).status_code == 422
