"""The document page, downloads, threads and comments, through the pages."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def test_document_page_headers_body_attachments_provenance(client_for, corpus):
    response = client_for("reader_with").get(f"/message/{corpus.ids['ledger']}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Falcon ledger" in html and "alice@agency.example" in html
    assert "desk@news.example" in html
    assert "ledger.txt" in html and "ledger falcon 42 payments" in html  # extracted text
    assert f'href="/attachment/{corpus.attachments["ledger.txt"]}/download"' in html
    assert re.search(r'class="mono hash">[0-9a-f]{64}<', html)  # SHA-256
    assert "alpha.mbox" in html  # the original file
    assert "Log in to comment" not in html and 'name="body"' in html


def test_thread_tree_collapsed_with_current_message_marked(client_for, corpus):
    html = client_for("reader_with").get(f"/message/{corpus.ids['reply']}/").content.decode()
    tree = re.search(r'<details class="thread-tree">(.*?)</details>', html, re.S).group(1)
    assert "Thread: 3 messages" in tree
    assert 'class="current" aria-current="page"' in tree
    assert f'href="/message/{corpus.ids["ledger"]}/"' in tree
    assert tree.count('<ul class="tree">') == 3  # nested: ledger > reply > reply2


def test_html_view_is_sanitised_and_text_view_available(client_for, corpus):
    client = client_for("reader_with")
    html = client.get(f"/message/{corpus.ids['ledger']}/").content.decode()
    body = re.search(r'<div class="body body-html">(.*?)</div>', html, re.S).group(1)
    assert "<b>falcon</b>" in body
    assert "tracker.example" not in body and "image blocked: tracker" in body
    assert 'href="https://news.example/" rel="noopener noreferrer nofollow"' in body
    assert '<a href="?view=text">Text</a>' in html
    text = client.get(f"/message/{corpus.ids['ledger']}/", {"view": "text"}).content.decode()
    assert '<pre class="body body-text">The falcon ledger is attached.' in text
    plain = client.get(f"/message/{corpus.ids['lunch']}/").content.decode()
    assert 'class="body body-text"' in plain and "Text only" in plain


def test_hostile_html_body_is_sanitised_on_the_page(client_for, corpus, workspace, tmp_path):
    from dossier.blobs import BlobStore
    from dossier.corpus.models import Message
    from tests.web.corpus import _message, ingest
    from tests.web.hostile import PAYLOADS

    payload = "".join(PAYLOADS.values())
    raw = _message(
        50,
        subject="Hostile",
        sender="x@evil.example",
        date="Mon, 07 Nov 2011 10:00:00 +0000",
        body="plain",
        html=f"<p>hostile</p>{payload}",
    )
    ingest(tmp_path / "hostile", BlobStore(workspace.blobs_path), "alpha", [raw])
    message_id = Message.objects.get(subject="Hostile").id
    html = client_for("reader_with").get(f"/message/{message_id}/").content.decode()
    body = re.search(r'<div class="body body-html">(.*?)</div>\s*<details', html, re.S).group(1)
    assert "<p>hostile</p>" in body
    for bad in (
        "<script",
        "onerror",
        "javascript:",
        "<iframe",
        "<svg",
        "<form",
        "<base",
        "<meta",
        "style=",
        "evil.example/",
        "<object",
        "<embed",
        "<style",
    ):
        assert bad not in body.lower(), bad


def test_related_documents_stay_in_the_readers_collections(client_for, corpus):
    html = client_for("reader_with").get(f"/message/{corpus.ids['lunch']}/").content.decode()
    related = re.search(r'<section class="side-box related">(.*?)</section>', html, re.S).group(1)
    assert f"/message/{corpus.ids['secret']}/" not in related
    assert "Secret falcon" not in html


def test_document_outside_the_compartment_is_not_found(client_for, corpus):
    for actor in ("reader_without", "reader_with", "admin"):
        response = client_for(actor).get(f"/message/{corpus.ids['secret']}/")
        assert response.status_code == 404, actor
        assert b"NIGHTJAR" not in response.content and b"Secret falcon" not in response.content
    assert client_for("reader_with").get("/message/999999/").status_code == 404
    attachment = corpus.attachments["nightjar.txt"]
    assert client_for("admin").get(f"/attachment/{attachment}/download").status_code == 404
    assert client_for("admin").get(f"/thread/{corpus.threads['secret']}/").status_code == 404


def test_attachment_download_headers(client_for, corpus):
    response = client_for("reader_with").get(
        f"/attachment/{corpus.attachments['ledger.txt']}/download"
    )
    assert response.status_code == 200
    assert response.content == b"ledger falcon 42 payments\n"
    assert response["Content-Disposition"] == 'attachment; filename="ledger.txt"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] in {"text/plain", "application/octet-stream"}
    assert "sandbox" in response["Content-Security-Policy"]


def test_raw_download_needs_the_permission(client_for, corpus):
    url = f"/message/{corpus.ids['ledger']}/raw"
    assert client_for("reader_with").get(url).status_code == 403
    response = client_for("analyst").get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"Message-ID: <m1@firm.example>" in response.content
    page = client_for("reader_with").get(f"/message/{corpus.ids['ledger']}/").content
    assert b"Download original" not in page


def test_thread_page(client_for, corpus):
    response = client_for("reader_with").get(f"/thread/{corpus.threads['ledger']}/")
    assert response.status_code == 200
    assert response.content.count(b'<a href="/message/') == 3


def test_comments_add_edit_hide(client_for, corpus, actors):
    url = f"/message/{corpus.ids['ledger']}/"
    reader, analyst, admin = (client_for(n) for n in ("reader_with", "analyst", "admin"))
    response = reader.post(url + "comments/", {"body": "Check <b>this</b> ledger"})
    assert response.status_code == 302 and response["Location"].endswith("#comments")
    page = reader.get(url).content.decode()
    assert "Check &lt;b&gt;this&lt;/b&gt; ledger" in page
    comment_id = int(re.search(r'id="comment-(\d+)"', page).group(1))
    assert f"/comments/{comment_id}/edit" in page
    # someone else may not edit it
    assert analyst.post(f"{url}comments/{comment_id}/edit", {"body": "x"}).status_code == 403
    assert f"/comments/{comment_id}/edit" not in analyst.get(url).content.decode()
    reader.post(f"{url}comments/{comment_id}/edit", {"body": "Checked the ledger"})
    assert "Checked the ledger" in reader.get(url).content.decode()
    # only supervisors and admins hide
    assert reader.post(f"{url}comments/{comment_id}/hide").status_code == 403
    assert admin.post(f"{url}comments/{comment_id}/hide").status_code == 302
    assert "Checked the ledger" not in reader.get(url).content.decode()
    assert "Checked the ledger" in admin.get(url).content.decode()
    assert reader.post(url + "comments/", {"body": "   "}).status_code == 400


def test_comment_on_an_invisible_message_is_not_found(client_for, corpus):
    url = f"/message/{corpus.ids['secret']}/comments/"
    assert client_for("admin").post(url, {"body": "hello"}).status_code == 404


def test_document_views_are_audited(client_for, corpus):
    from dossier.audit.selectors import audit_events

    client_for("reader_with").get(f"/message/{corpus.ids['ledger']}/")
    actions = {e["action"] for e in audit_events(username="reader_with")}
    assert {"document.view", "thread.view"} <= actions
