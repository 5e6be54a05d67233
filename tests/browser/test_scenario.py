"""A reader's session in real Chromium: log in, search, narrow by a facet (htmx swap, no reload),
open a document, expand its thread, comment, log out. Screenshots go to test-artifacts/."""

from __future__ import annotations

import pytest

from tests.browser.conftest import ARTIFACTS, csp_violations, login

pytestmark = pytest.mark.slow


def test_reader_session(site, page):
    url, corpus = site["url"], site["corpus"]
    login(page, url, "reader_with")
    assert page.url.rstrip("/") == url

    page.fill("input[name=q]", "falcon")
    page.press("input[name=q]", "Enter")
    page.wait_for_selector(".hits .hit")
    assert "q=falcon" in page.url
    assert "4" in page.inner_text(".summary strong")
    assert page.locator(".snippet mark").count() >= 1
    assert page.locator("svg.histogram rect").count() == 3

    page.evaluate("window.__same_document = 1")  # survives an htmx swap, not a reload
    page.click(".facet[data-facet=sender] a:text('alice@agency.example')")
    page.wait_for_url("**f=from%3Aalice%40agency.example**")
    page.wait_for_function("document.querySelector('.summary strong').textContent === '2'")
    assert page.evaluate("window.__same_document") == 1
    assert page.locator(".filters li").count() == 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "search.png"), full_page=True)
    page.go_back()  # the pushed URL is real history: back shows the unfiltered search
    page.wait_for_function("document.querySelector('.summary strong').textContent === '4'")
    assert "f=" not in page.url
    page.go_forward()
    page.wait_for_function("document.querySelector('.summary strong').textContent === '2'")

    page.locator(".hit a.subject").get_by_text("Falcon ledger", exact=True).click()
    page.wait_for_url(f"**/message/{corpus.ids['ledger']}/")
    tree = page.locator("details.thread-tree")
    assert not tree.evaluate("d => d.open")
    assert not page.locator(".tree li.current").is_visible()
    page.click("details.thread-tree > summary")
    assert tree.evaluate("d => d.open")
    assert page.locator(".tree li.current").is_visible()
    assert page.locator(".tree a").count() == 2  # the other two messages of the thread

    page.fill("#comment-body", "Ledger totals match the bank records.")
    page.click("form.comment-form button[type=submit]")
    page.wait_for_selector(".comment .comment-body:text('Ledger totals match')")
    page.click("details.thread-tree > summary")  # the reloaded page shows it collapsed again
    page.screenshot(path=str(ARTIFACTS / "document.png"), full_page=True)

    page.click("form.logout button")
    page.wait_for_url("**/login/**")
    page.goto(url + "/search/?q=falcon")
    assert "/login/" in page.url  # signed out
    assert not csp_violations(page), page.console_messages
    assert not page.dialogs
