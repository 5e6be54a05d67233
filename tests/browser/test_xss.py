"""Hostile mail in real Chromium: HTML bodies and attachment names carrying script payloads.

Each payload would set ``window.__xss`` or open an ``alert`` if any of it ran. Every document
page is opened (HTML and text views); nothing may run, no dialog may open, and the page must
cause no Content-Security-Policy violation (the sanitiser removed it all before CSP had to act).
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import csp_violations, login
from tests.web.corpus import _message, ingest
from tests.web.hostile import FILENAMES, PAYLOADS

pytestmark = pytest.mark.slow


def _hostile_messages() -> list[bytes]:
    messages = []
    for i, (name, payload) in enumerate(sorted(PAYLOADS.items()), start=100):
        messages.append(
            _message(
                i,
                subject=f"Hostile {name} <script>window.__xss=1</script>",
                sender=f'"<img src=x onerror=window.__xss=1>" <x{i}@evil.example>',
                date="Mon, 07 Nov 2011 10:00:00 +0000",
                body=f"plain part for {name} {payload}\n",
                html=f"<p>hostile {name}</p>{payload}",
                attachments=[(FILENAMES[i % len(FILENAMES)], b"text with " + payload.encode())],
            )
        )
    return messages


@pytest.fixture
def hostile(site, tmp_path):
    from dossier.corpus.models import Message

    ingest(tmp_path / "hostile", site["blobs"], "alpha", _hostile_messages())
    return sorted(
        Message.objects.filter(subject__startswith="Hostile").values_list("id", flat=True)
    )


def test_no_payload_runs(site, hostile, page):  # database work first, then the browser
    assert len(hostile) == len(PAYLOADS)
    login(page, site["url"], "reader_with")
    shown_html = 0
    for message_id in hostile:
        for view in ("html", "text"):
            page.goto(f"{site['url']}/message/{message_id}/?view={view}")
            page.wait_for_selector("h1.doc-subject")
            if view == "html" and page.locator(".body-html").count():
                shown_html += 1
            for summary in page.locator("details > summary").all():
                summary.click()  # open every <details>: ontoggle payloads, attachment text
            page.hover(".body")
            assert page.evaluate("typeof window.__xss") == "undefined", (message_id, view)
    page.goto(f"{site['url']}/search/?q=hostile")
    page.wait_for_selector(".hits .hit")
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert not page.dialogs, page.dialogs
    assert not csp_violations(page), csp_violations(page)
    assert shown_html == len(PAYLOADS), "the HTML view of the bodies was not rendered"
