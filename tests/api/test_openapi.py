"""The OpenAPI document lists every operation, and /api/docs (Swagger UI) works with no network
and under the site's Content-Security-Policy: its scripts are same-origin static files."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

OPERATIONS = {
    ("get", "/api/search"),
    ("get", "/api/messages/{message_id}"),
    ("get", "/api/messages/{message_id}/raw"),
    ("get", "/api/messages/{message_id}/related"),
    ("get", "/api/threads/{thread_id}"),
    ("get", "/api/attachments/{attachment_id}"),
    ("get", "/api/attachments/{attachment_id}/download"),
    ("get", "/api/messages/{message_id}/comments"),
    ("post", "/api/messages/{message_id}/comments"),
    ("patch", "/api/comments/{comment_id}"),
    ("post", "/api/comments/{comment_id}/hide"),
    ("get", "/api/audit"),
    ("get", "/api/export"),
    ("get", "/api/tokens"),
    ("post", "/api/tokens"),
    ("delete", "/api/tokens/{token_id}"),
}


def test_schema_lists_every_operation_with_its_auth() -> None:
    schema = Client().get("/api/openapi.json").json()
    found = {(m, p) for p, ops in schema["paths"].items() for m in ops}
    assert found == OPERATIONS
    schemes = schema["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            names = {name for req in op["security"] for name in req}
            if path.startswith("/api/tokens"):
                assert names == {"SessionOnlyAuth"}, (method, path)
            else:
                assert names == {"TokenAuth", "SessionAuth"}, (method, path)
            assert op.get("summary") and op.get("description"), (method, path)


def test_docs_page_renders_from_local_static_files() -> None:
    client = Client()
    response = client.get("/api/docs")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', html)
    styles = re.findall(r'<link[^>]*href="([^"]+)"', html)
    assert scripts and all(s.startswith("/static/ninja/") for s in scripts)
    assert "cdn" not in html.lower() and "http://" not in html and "https://" not in html
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert all('type="application/json"' in attrs for attrs in inline)  # data, not script
    for url in scripts + styles:
        asset = client.get(url)
        assert asset.status_code == 200, url
        assert b"".join(asset.streaming_content if asset.streaming else [asset.content])


def test_docs_settings_point_at_the_schema() -> None:
    html = Client().get("/api/docs").content.decode()
    assert '"url": "/api/openapi.json"' in html
