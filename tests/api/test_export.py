"""``GET /api/export``: a search as an mbox, from the caller's collections only, audited."""

from __future__ import annotations

import mailbox

import pytest

from dossier.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_analysts_export_their_own_copies(corpus, make_user, token_client, tmp_path):
    analyst = make_user("ana", "analyst", ["Alpha"])
    response = token_client(analyst).get("/api/export", {"q": "falcon"})
    assert response.status_code == 200 and response["Content-Type"] == "application/mbox"
    assert "attachment" in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    assert b"zebracode" not in data and b"bravo.example" not in data
    path = tmp_path / "out.mbox"
    path.write_bytes(data)
    ids = sorted(m["Message-ID"] for m in mailbox.mbox(str(path)))
    assert ids == ["<a1@test>", "<a2@test>", "<s1@test>"]
    event = AuditEvent.objects.filter(action="export.run").latest("seq")
    assert event.actor_username == "ana" and event.details["query"] == "falcon"


def test_readers_may_not_export_and_bad_queries_log_nothing(api, make_user, token_client):
    assert api.get("/api/export", {"q": "falcon"}).status_code == 403
    analyst = token_client(make_user("ana", "analyst", ["Alpha"]))
    assert analyst.get("/api/export", {"q": "a*"}).status_code == 400
    assert not AuditEvent.objects.filter(action="export.run").exists()
