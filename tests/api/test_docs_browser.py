"""Swagger UI at /api/docs really renders in Chromium, offline and under the site's CSP."""

from __future__ import annotations

import shutil

import pytest

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Debian's chromium"),
]


def test_swagger_ui_renders_offline_without_csp_violations(live_server) -> None:
    from playwright.sync_api import sync_playwright

    origin = live_server.url
    outside: list[str] = []
    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=shutil.which("chromium"), headless=True, args=["--no-sandbox"]
        )
        page = browser.new_page()

        def only_local(route) -> None:
            if route.request.url.startswith(origin):
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        page.route("**/*", only_local)
        page.on("console", lambda m: m.type == "error" and problems.append(m.text))
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.goto(f"{origin}/api/docs")
        page.wait_for_selector(".opblock", timeout=20_000)
        paths = page.locator(".opblock-summary-path").all_inner_texts()
        title = page.locator(".title").first.inner_text()
        browser.close()
    assert "Dossier API" in title
    assert "/api/search" in paths and len(paths) == 16
    assert outside == []
    assert problems == []  # no CSP refusal, no script error, no missing asset
