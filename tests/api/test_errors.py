"""Errors are JSON with a code and a status; nothing unexpected ever reaches the client as a
traceback or message text, not even with DEBUG on."""

from __future__ import annotations

import pytest

from dossier.api.handlers import error_code
from dossier.corpus import access
from dossier.errors import BadInput, NotFound, PermissionDenied, QueryError

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("debug", [False, True])
def test_an_unexpected_error_is_a_bare_500(api, monkeypatch, settings, debug: bool) -> None:
    settings.DEBUG = debug

    def broken(**kwargs):
        raise RuntimeError("secret detail /srv/dossier/blobs")

    monkeypatch.setattr(access, "search_as", broken)
    response = api.get("/api/search", {"q": "falcon"})
    assert response.status_code == 500
    assert response.json() == {
        "error": "internal_error",
        "detail": "internal error; see the server log",
    }
    assert b"secret" not in response.content and b"Traceback" not in response.content


def test_unknown_api_paths_and_methods(api) -> None:
    assert api.get("/api/messages/1/nonsense").status_code == 404
    assert api.delete("/api/search").status_code == 405


def test_error_codes_come_from_the_class_names() -> None:
    assert [error_code(e("x")) for e in (BadInput, NotFound, PermissionDenied, QueryError)] == [
        "bad_input",
        "not_found",
        "permission_denied",
        "query_error",
    ]
