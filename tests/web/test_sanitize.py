"""The email HTML sanitiser against a list of XSS and tracking payloads (no database)."""

from __future__ import annotations

import re

import pytest

from dossier.web.sanitize import sanitize_html
from dossier.web.views.common import safe_filename
from tests.web.hostile import FILENAMES, PAYLOADS

DANGEROUS = re.compile(
    r"<\s*(script|style|iframe|object|embed|form|input|button|meta|base|link|svg|math|body|"
    r"template|noscript|img)\b|\bon[a-z]+\s*=|javascript:|vbscript:|data:|expression\(|"
    r"url\(|srcdoc|\bstyle\s*=|\bsrc\s*=|http-equiv",
    re.I,
)


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_payload_is_neutralised(name):
    cleaned = sanitize_html(f"<p>before</p>{PAYLOADS[name]}<p>after</p>")
    assert not DANGEROUS.search(cleaned), cleaned
    assert "evil.example" not in cleaned
    assert "<p>before</p>" in cleaned and "<p>after</p>" in cleaned


def test_every_href_left_is_http_https_or_mailto():
    cleaned = sanitize_html("".join(PAYLOADS.values()))
    for href in re.findall(r'href="([^"]*)"', cleaned):
        assert href.split(":", 1)[0] in {"http", "https", "mailto"}, href


def test_links_are_made_safe():
    cleaned = sanitize_html('<a href="https://ok.example/x" target="_top" class="c">ok</a>')
    assert cleaned == ('<a href="https://ok.example/x" rel="noopener noreferrer nofollow">ok</a>')
    assert sanitize_html('<a href="mailto:a@b.example">m</a>').startswith('<a href="mailto:')
    assert "href" not in sanitize_html('<a href="/logout/">relative</a>')


def test_remote_images_are_replaced_by_a_note():
    cleaned = sanitize_html('<img src="http://tracker.example/p.gif" alt="Logo &amp; co">')
    assert cleaned == '<span class="blocked-image">[image blocked: Logo &amp; co]</span>'
    assert sanitize_html("<img src=data:image/png;base64,AAAA>") == (
        '<span class="blocked-image">[image blocked]</span>'
    )


def test_structure_text_and_tables_survive():
    markup = (
        "<h2>T</h2><p>a <b>b</b> <i>c</i></p><ul><li>x</li></ul>"
        '<table><tr><td colspan="2">t</td></tr></table><blockquote>q</blockquote>'
    )
    cleaned = sanitize_html(markup)
    for part in ("<h2>T</h2>", "<b>b</b>", "<li>x</li>", 'colspan="2"', "<blockquote>q"):
        assert part in cleaned


def test_ids_and_classes_cannot_clobber_the_page():
    cleaned = sanitize_html('<div id="search-area" class="layout" name="x">d</div>')
    assert cleaned == "<div>d</div>"


def test_empty_and_none():
    assert sanitize_html("") == ""
    assert sanitize_html(None) == ""


@pytest.mark.parametrize("name", FILENAMES)
def test_download_names_are_safe(name):
    safe = safe_filename(name)
    assert safe and not re.search(r'[\x00-\x1f"\\/<>]', safe)
    assert ".." not in safe.split("/")


def test_download_name_keeps_unicode_and_extension():
    assert safe_filename("Überweisung März.pdf") == "Überweisung März.pdf"
    assert safe_filename("a" * 300 + ".pdf").endswith(".pdf")
    assert len(safe_filename("a" * 300 + ".pdf")) <= 150
    assert safe_filename("") == "attachment"
