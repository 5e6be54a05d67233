"""``dossier serve`` (gunicorn, whitenoise) and ``dossier demo`` end to end, as subprocesses.

On SQLite each subprocess uses its own workspace file; on PostgreSQL it shares the test
database (``transactional_db``), see tests/e2e_helpers.py.
"""

from __future__ import annotations

import http.cookiejar
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager

import pytest

from tests.e2e_helpers import cli_env, dossier

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(env: dict, workspace):
    port = _free_port()
    cmd = [sys.executable, "-m", "dossier", "serve", "--port", str(port), "--workers", "1"]
    cmd += ["--workspace", str(workspace)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/login/", timeout=2)
                break
            except (urllib.error.URLError, ConnectionError):
                assert proc.poll() is None, proc.stdout.read().decode()
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _login(base: str, username: str, password: str):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(base + "/login/", data=data, headers={"Referer": base})
    response = opener.open(request)
    return opener, response


def test_serve_runs_gunicorn_with_static_files_and_headers(tmp_path):
    env = cli_env(tmp_path / "ws")
    with serving(env, tmp_path / "ws") as base:
        page = urllib.request.urlopen(base + "/login/")
        assert page.status == 200
        assert page.headers["Server"].startswith("gunicorn")
        assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
        assert page.headers["X-Frame-Options"] == "DENY"
        for path in ("/static/django_htmx/htmx-2.min.js", "/static/dossier/app.css"):
            static = urllib.request.urlopen(base + path)
            assert static.status == 200 and len(static.read()) > 1000, path
        home = urllib.request.urlopen(base + "/")
        assert home.url.endswith("/login/")  # anonymous: sent to the login form


def test_demo_creates_a_one_time_admin_and_serves_its_collection(tmp_path):
    env = cli_env(tmp_path / "demo")
    args = ["demo", "--messages", "150", "--workers", "0", "--no-serve"]
    args += ["--workspace", str(tmp_path / "demo")]
    first = dossier(*args, env=env).stdout
    password = re.search(r"user admin\s+password (\S+)", first).group(1)
    assert "http://127.0.0.1:8000/" in first
    second = dossier(*args, env=env).stdout
    new_password = re.search(r"user admin\s+password (\S+)", second).group(1)
    assert new_password != password  # reset by each run
    with serving(env, tmp_path / "demo") as base:
        opener, response = _login(base, "admin", new_password)
        assert response.url == base + "/"
        results = opener.open(base + "/search/?q=ledger").read().decode()
        assert re.search(r"<strong>\d+</strong> messages?", results)
        _, refused = _login(base, "admin", password)  # the old password is gone
        assert refused.url.endswith("/login/") and b"did not match" in refused.read()
