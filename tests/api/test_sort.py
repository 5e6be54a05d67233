"""``GET /api/search?sort=newest|oldest``: the same hits in date order; audited with the order."""

from __future__ import annotations

import pytest

from dossier.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_search_in_date_order(api, sort: str) -> None:
    ranked = api.get("/api/search", {"q": "falcon OR plan OR replies"}).json()
    ordered = api.get("/api/search", {"q": "falcon OR plan OR replies", "sort": sort}).json()
    assert ordered["total"] == ranked["total"] > 1
    assert sorted(h["id"] for h in ordered["hits"]) == sorted(h["id"] for h in ranked["hits"])
    dates = [h["date"] for h in ordered["hits"]]
    assert dates == sorted(dates, reverse=sort == "newest")
    event = AuditEvent.objects.filter(action="search.run").order_by("-seq").first()
    assert event.details["sort"] == sort


def test_an_unknown_order_is_refused(api) -> None:
    response = api.get("/api/search", {"q": "falcon", "sort": "best"})
    assert response.status_code in (400, 422)
    assert "sort" in response.content.decode()
    assert not AuditEvent.objects.filter(action="search.run").exists()
