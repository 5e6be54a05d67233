"""The search page and its htmx fragment: results, snippets, facets, filters, paging, errors."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils.html import escape

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_login(client_for):
    response = client_for("anonymous").get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    page = client_for("anonymous").get("/login/")
    assert page.status_code == 200 and b'name="password"' in page.content


def test_home_is_the_search_page_when_signed_in(client_for):
    response = client_for("reader_with").get("/")
    assert response.status_code == 200
    assert b'name="q"' in response.content and b"query language" in response.content


def test_results_snippets_sender_date_thread_size(client_for, corpus):
    response = client_for("reader_with").get("/search/", {"q": "falcon"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>4</strong> messages" in html
    assert "<mark>" in html and "alice@agency.example" in html
    assert "2011-08-01 10:00" in html
    assert f'href="/thread/{corpus.threads["ledger"]}/">thread of 3</a>' in html
    assert f'href="/message/{corpus.ids["ledger"]}/"' in html
    # the other collection's message is not counted, shown, or named
    assert "NIGHTJAR" not in html and "Secret falcon" not in html and "secret" not in html


def test_the_query_is_in_the_url_and_the_form(client_for):
    html = client_for("reader_with").get("/search/", {"q": 'subject:"falcon ledger"'}).content
    assert b'value="subject:&quot;falcon ledger&quot;"' in html


def test_facets_narrow_the_search_and_filters_are_removable(client_for):
    client = client_for("reader_with")
    html = client.get("/search/", {"q": "falcon"}).content.decode()
    facet = re.search(r'<section class="facet" data-facet="sender">(.*?)</section>', html, re.S)
    link = re.search(r'href="(/search/\?[^"]*)"[^>]*>alice@agency.example</a>', facet.group(1))
    url = link.group(1).replace("&amp;", "&")
    assert parse_qs(urlsplit(url).query) == {"q": ["falcon"], "f": ["from:alice@agency.example"]}
    narrowed = client.get(url).content.decode()
    assert "<strong>2</strong> messages" in narrowed
    assert 'aria-label="Remove filter from:alice@agency.example"' in narrowed
    # htmx attributes point at the fragment and push the shareable page URL
    assert 'hx-get="/search/results/?q=falcon&amp;f=from%3Aalice%40agency.example"' in html
    assert 'hx-push-url="/search/?q=falcon&amp;f=from%3Aalice%40agency.example"' in html
    removed = client.get("/search/", {"q": "falcon"}).content.decode()
    assert "<strong>4</strong> messages" in removed


def test_month_and_collection_filters(client_for):
    client = client_for("reader_with")
    by_month = client.get("/search/", {"q": "falcon", "f": "date:2011-08"}).content.decode()
    assert "<strong>2</strong> messages" in by_month
    both = client.get("/search/", {"q": "falcon", "f": ["date:2011-08", "collection:alpha"]})
    assert "<strong>2</strong> messages" in both.content.decode()


def test_fragment_is_the_search_area_only(client_for):
    response = client_for("reader_with").get(
        "/search/results/", {"q": "falcon", "f": "from:bob@firm.example"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="search-area"')
    assert "<html" not in html and "<strong>1</strong> message" in html


def test_histogram_is_server_side_svg_with_links(client_for):
    html = client_for("reader_with").get("/search/", {"q": "falcon"}).content.decode()
    svg = re.search(r"<svg class=\"histogram\".*?</svg>", html, re.S).group()
    assert svg.count("<rect") == 3  # 2011-08, -09, -10
    assert "2011-08: 2 hits" in svg and "2011-09: 1 hits" in svg
    assert "f=date%3A2011-08" in svg
    assert "<script" not in svg


def test_bad_query_says_what_and_where(client_for):
    client = client_for("reader_with")
    page = client.get("/search/", {"q": "falcon date:2011-13"})
    assert page.status_code == 400
    html = page.content.decode()
    assert "This query cannot be run" in html and escape("date:2011-13") in html
    assert 'name="q"' in html  # the page still renders, with the form
    fragment = client.get("/search/results/", {"q": "from: alice"}, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 400
    assert b"from: needs a value" in fragment.content


def test_error_position_is_marked(client_for):
    html = client_for("reader_with").get("/search/", {"q": "falcon a*"}).content.decode()
    assert "too short" in html
    assert re.search(r"at character \d+", html)


def test_paging(client_for, corpus):
    client = client_for("reader_with")
    first = client.get("/search/", {"q": "-zzzz"}).content.decode()
    assert "<strong>4</strong> messages" in first
    assert 'rel="next"' not in first  # one page of 20
    beyond = client.get("/search/", {"q": "-zzzz", "page": "3"}).content.decode()
    assert "page 3 is past the last page" in beyond
    garbage = client.get("/search/", {"q": "falcon", "page": "x"})
    assert garbage.status_code == 200


def test_reader_without_grant_finds_nothing(client_for):
    html = client_for("reader_without").get("/search/", {"q": "falcon"}).content.decode()
    assert "No messages match." in html
    assert "alice@agency.example" not in html and "secret" not in html


def test_searches_are_audited(client_for, actors):
    from dossier.audit.selectors import audit_events

    client_for("reader_with").get("/search/", {"q": "falcon"})
    events = audit_events(username="reader_with", action="search.run")
    assert events and events[0]["details"]["query"] == "falcon"


@pytest.mark.parametrize(
    "query",
    [
        "falcon\x00",
        "\x1b[2J falcon",
        "(" * 30 + "a",
        "a" * 20_000,
        "🦅",
        '"unbalanced',
        "date:..",
        "-",
    ],
)
def test_hostile_queries_never_fail_the_page(client_for, query):
    for path in ("/search/", "/search/results/"):
        response = client_for("reader_with").get(path, {"q": query, "f": query[:100]})
        assert response.status_code in (200, 400), (path, response.status_code)


def _hit_dates(html: str) -> list[str]:
    return re.findall(r"\b(\d{4}-\d\d-\d\d \d\d:\d\d)\b", html)


@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_results_in_date_order_keep_the_order_in_their_links(client_for, corpus, sort):
    client = client_for("reader_with")
    html = client.get("/search/", {"q": "falcon", "sort": sort}).content.decode()
    assert "<strong>4</strong> messages" in html
    dates = _hit_dates(html)
    assert len(dates) >= 2 and dates == sorted(dates, reverse=sort == "newest")
    assert f'<strong aria-current="true">{sort}</strong>' in html
    assert f'<input type="hidden" name="sort" value="{sort}">' in html
    best = re.search(r'href="/search/\?([^"]*)"[^>]*>best</a>', html)
    assert best and "sort=" not in best.group(1)
    facet_links = re.findall(r'href="/search/\?([^"]*f=[^"]*)"', html)
    assert facet_links and all(f"sort={sort}" in link for link in facet_links)


def test_an_unknown_order_falls_back_to_relevance(client_for, corpus):
    html = client_for("reader_with").get("/search/", {"q": "falcon", "sort": "x"}).content
    assert b'<strong aria-current="true">best</strong>' in html
