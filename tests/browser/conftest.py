"""Browser tests: Playwright (sync API) driving Debian's chromium against Django's live server.

The app runs in pytest-django's ``live_server`` thread, on the test database (SQLite file or
PostgreSQL; ``transactional_db`` so the server thread sees the fixture rows). Never
``playwright install``: the browser is ``/usr/bin/chromium``. Without it the tests are skipped
on a workstation, and fail in CI (``CI=true``), where ``.ci/run`` installs it.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from dossier.blobs import BlobStore
from tests.web import corpus as corpus_mod

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def chromium_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    # A required part, in CI and out of it: a missing browser fails, it never skips.
    pytest.fail("chromium is not installed: apt-get install chromium (.ci/run does)")


@pytest.fixture
def browser_workspace(settings, tmp_path):
    settings.DOSSIER = dataclasses.replace(settings.DOSSIER, home=tmp_path / "ws")
    return settings.DOSSIER


@pytest.fixture
def site(transactional_db, browser_workspace, tmp_path, live_server):
    """The live server's URL, with the fixture corpus and users in its database."""
    blobs = BlobStore(browser_workspace.blobs_path)
    corpus = corpus_mod.build(tmp_path / "inputs", blobs)
    actors = corpus_mod.make_actors()
    return {"url": live_server.url, "corpus": corpus, "actors": actors, "blobs": blobs}


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    # Playwright's sync API runs an event loop in this thread: tests do their database work
    # (fixtures) before the browser starts, never while it runs.
    with sync_playwright() as p:
        instance = p.chromium.launch(
            executable_path=executable, headless=True, args=["--no-sandbox"]
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.console_messages = []  # type: ignore[attr-defined]
    page.dialogs = []  # type: ignore[attr-defined]
    page.on("console", lambda m: page.console_messages.append(f"{m.type}: {m.text}"))

    def on_dialog(dialog) -> None:
        page.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    yield page
    context.close()


def login(page, url: str, username: str) -> None:
    page.goto(url + "/")
    page.fill("#id_username", username)
    page.fill("#id_password", corpus_mod.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("form.search-form")


def csp_violations(page) -> list[str]:
    return [m for m in page.console_messages if "Content Security Policy" in m]
