"""Headers, CSRF, login and its throttling, status pages that reveal nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.web.corpus import PASSWORD

pytestmark = pytest.mark.django_db


def _csp(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


@pytest.mark.parametrize("path", ["/login/", "/search/?q=falcon", "/audit/", "/nope/"])
def test_security_headers_on_every_page(client_for, path):
    response = client_for("admin").get(path)
    csp = _csp(response)
    assert csp["default-src"] == "'self'"
    assert csp["script-src"] == "'self'" and csp["style-src"] == "'self'"
    assert csp["img-src"] == "'self' data:"
    assert csp["frame-ancestors"] == "'none'" and csp["object-src"] == "'none'"
    assert csp["base-uri"] == "'none'" and csp["form-action"] == "'self'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_no_inline_scripts_or_styles_in_pages(client_for, corpus):
    client = client_for("admin")
    for path in ("/login/", "/search/?q=falcon", f"/message/{corpus.ids['ledger']}/", "/audit/"):
        html = client.get(path).content.decode()
        for tag in html.split("<script")[1:]:
            assert tag.lstrip().startswith("src="), path
        assert "<style" not in html and " style=" not in html, path
        assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', ""), path


def test_session_cookie_is_http_only(actors):
    client = Client()
    response = client.post("/login/", {"username": "reader_with", "password": PASSWORD})
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_csrf_is_enforced_on_every_form(actors, corpus):
    client = Client(enforce_csrf_checks=True)
    refused = client.post("/login/", {"username": "reader_with", "password": PASSWORD})
    assert refused.status_code == 403
    client.force_login(actors["reader_with"])
    url = f"/message/{corpus.ids['ledger']}/comments/"
    assert client.post(url, {"body": "no token"}).status_code == 403
    assert client.post("/logout/").status_code == 403
    page = client.get(f"/message/{corpus.ids['ledger']}/")
    token = page.cookies["csrftoken"].value if "csrftoken" in page.cookies else None
    token = token or client.cookies["csrftoken"].value
    ok = client.post(url, {"body": "with token", "csrfmiddlewaretoken": token})
    assert ok.status_code == 302


def test_login_logout_and_next(actors):
    client = Client()
    response = client.post(
        "/login/", {"username": "reader_with", "password": PASSWORD, "next": "/search/?q=x"}
    )
    assert response.status_code == 302 and response["Location"] == "/search/?q=x"
    assert client.get("/search/").status_code == 200
    assert client.get("/logout/").status_code == 405  # logging out is a POST
    assert client.post("/logout/").status_code == 302
    assert client.get("/search/").status_code == 302


def test_login_refuses_offsite_next(actors):
    response = Client().post(
        "/login/",
        {"username": "reader_with", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302 and response["Location"] == "/"


def test_bad_password_and_disabled_user(actors):
    from dossier.accounts.services import user_disable

    bad = Client().post("/login/", {"username": "reader_with", "password": "wrong-password-1"})
    assert bad.status_code == 200 and b"did not match" in bad.content
    user_disable(username="analyst")
    off = Client().post("/login/", {"username": "analyst", "password": PASSWORD})
    assert off.status_code == 200 and b"did not match" in off.content


def test_sixth_bad_attempt_is_locked_out_even_with_the_right_password(actors):
    client = Client()
    bad = {"username": "reader_with", "password": "wrong-pass-99"}
    statuses = [client.post("/login/", bad).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]  # the 5th failure reaches the limit
    locked = client.post("/login/", {"username": "reader_with", "password": PASSWORD})
    assert locked.status_code == 429
    assert b"Too many failed attempts" in locked.content
    assert "_auth_user_id" not in client.session
    # another username from the same address is not locked
    other = Client().post("/login/", {"username": "analyst", "password": PASSWORD})
    assert other.status_code == 302


def test_logins_and_failures_are_audited(actors):
    from dossier.audit.selectors import audit_events

    Client().post("/login/", {"username": "reader_with", "password": "wrong-pass-99"})
    Client().post("/login/", {"username": "reader_with", "password": PASSWORD})
    actions = [e["action"] for e in audit_events(action="auth.")]
    assert "auth.login_failed" in actions and "auth.login" in actions


def test_status_pages_reveal_nothing(client_for):
    response = client_for("reader_with").get("/message/abc/")
    assert response.status_code == 404
    assert b"Traceback" not in response.content and b"SECRET" not in response.content
    assert b"404" in response.content
    forbidden = client_for("reader_with").get("/audit/")
    assert forbidden.status_code == 403 and b"Not allowed" in forbidden.content


def test_static_files_are_served_without_a_cdn(client_for):
    client = client_for("anonymous")
    for path in ("/static/dossier/app.css", "/static/django_htmx/htmx-2.min.js"):
        response = client.get(path)
        assert response.status_code == 200, path


def test_api_docs_load_nothing_remote(client_for):
    response = client_for("admin").get("/api/docs")
    if response.status_code == 200:
        html = response.content.decode()
        assert "cdn" not in html.lower() and "/static/ninja/" in html


def test_https_flag_makes_cookies_secure_and_trusts_the_proxy_header(tmp_path):
    import json
    import os
    import subprocess
    import sys

    code = (
        "import json, dossier.django_settings as s; print(json.dumps([s.SESSION_COOKIE_SECURE,"
        " s.CSRF_COOKIE_SECURE, getattr(s, 'SECURE_PROXY_SSL_HEADER', None), s.ALLOWED_HOSTS]))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOSSIER_")}
    env.update(DOSSIER_HOME=str(tmp_path), PYTHONPATH="src")

    def read(**extra) -> list:
        run = subprocess.run(
            [sys.executable, "-c", code], env={**env, **extra}, capture_output=True, text=True
        )
        assert run.returncode == 0, run.stderr
        return json.loads(run.stdout)

    secure, csrf_secure, proxy, hosts = read(
        DOSSIER_HTTPS="1", DOSSIER_ALLOWED_HOSTS="dossier.example, news.example"
    )
    assert secure and csrf_secure and proxy == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert hosts[:2] == ["dossier.example", "news.example"] and "localhost" in hosts
    secure, csrf_secure, proxy, _ = read()
    assert not secure and not csrf_secure and proxy is None
