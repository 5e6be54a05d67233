"""Every route × every actor → the expected status, generated from the URL configuration.

The routes come from walking ``get_resolver()`` (the pages and the API under ``/api/``); each
must have a rule in RULES (for API routes: one per HTTP method the route serves), so a new
route without a rule fails ``test_every_route_has_a_rule``. Path parameters are filled with ids
of real objects from the fixture corpus: ``alpha`` (granted to reader_with, analyst, admin) and
``secret`` (granted to nobody). Actors: anonymous, a reader without the collection, a reader with
it, an analyst, an admin (both with it).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.web.corpus import ACTORS

pytestmark = pytest.mark.django_db
ANY = "ANY"  # a page view: methods are part of the rule


@dataclass(frozen=True)
class Rule:
    statuses: tuple[int, int, int, int, int]  # in ACTORS order
    query: dict = field(default_factory=dict)
    body: dict | None = None  # form fields for pages, JSON for the API


# anonymous, reader_without, reader_with, analyst, admin
PAGE = (302, 200, 200, 200, 200)
DOC = (302, 404, 200, 200, 200)
API_DOC = (401, 404, 200, 200, 200)
RULES: dict[tuple[str, str], Rule] = {
    # pages
    ("GET", ""): Rule(PAGE),
    ("GET", "login/"): Rule((200, 302, 302, 302, 302)),
    ("POST", "logout/"): Rule((302, 302, 302, 302, 302)),
    ("GET", "logout/"): Rule((405, 405, 405, 405, 405)),
    ("GET", "search/"): Rule(PAGE, query={"q": "falcon"}),
    ("GET", "search/results/"): Rule(PAGE, query={"q": "falcon", "f": "date:2011-08"}),
    ("GET", "message/<int:message_id>/"): Rule(DOC),
    ("POST", "message/<int:message_id>/"): Rule((405, 405, 405, 405, 405)),  # method first
    ("GET", "message/<int:message_id>/raw"): Rule((302, 403, 403, 200, 200)),
    ("POST", "message/<int:message_id>/comments/"): Rule(
        (302, 404, 302, 302, 302), body={"body": "a note"}
    ),
    ("GET", "message/<int:message_id>/comments/"): Rule((405, 405, 405, 405, 405)),
    ("POST", "message/<int:message_id>/comments/<int:comment_id>/edit"): Rule(
        (302, 404, 302, 403, 403), body={"body": "edited"}
    ),
    # hiding needs the permission before anything is looked up: 403 whatever the id
    ("POST", "message/<int:message_id>/comments/<int:comment_id>/hide"): Rule(
        (302, 403, 403, 403, 302)
    ),
    ("GET", "attachment/<int:attachment_id>/download"): Rule(DOC),
    ("GET", "thread/<int:thread_id>/"): Rule(DOC),
    ("GET", "audit/"): Rule((302, 403, 403, 403, 200)),
    # API
    ("GET", "api/openapi.json"): Rule((200, 200, 200, 200, 200)),
    ("GET", "api/docs"): Rule((200, 200, 200, 200, 200)),
    ("GET", "api/search"): Rule((401, 200, 200, 200, 200), query={"q": "falcon"}),
    ("GET", "api/messages/<message_id>"): Rule(API_DOC),
    ("GET", "api/messages/<message_id>/raw"): Rule((401, 403, 403, 200, 200)),
    ("GET", "api/messages/<message_id>/related"): Rule(API_DOC),
    ("GET", "api/threads/<thread_id>"): Rule(API_DOC),
    ("GET", "api/attachments/<attachment_id>"): Rule(API_DOC),
    ("GET", "api/attachments/<attachment_id>/download"): Rule(API_DOC),
    ("GET", "api/messages/<message_id>/comments"): Rule(API_DOC),
    ("POST", "api/messages/<message_id>/comments"): Rule(
        (401, 404, 201, 201, 201), body={"body": "a note"}
    ),
    ("PATCH", "api/comments/<comment_id>"): Rule((401, 404, 200, 403, 403), body={"body": "x"}),
    ("POST", "api/comments/<comment_id>/hide"): Rule((401, 403, 403, 403, 200)),
    ("GET", "api/audit"): Rule((401, 403, 403, 403, 200)),
    ("GET", "api/export"): Rule((401, 403, 403, 200, 200), query={"q": "falcon"}),
    ("GET", "api/tokens"): Rule((401, 200, 200, 200, 200)),
    ("POST", "api/tokens"): Rule((401, 201, 201, 201, 201), body={"name": "script"}),
    # ninja's root of the API: nothing there
    ("GET", "api/"): Rule((404, 404, 404, 404, 404)),
    # a token is revoked by its owner (reader_with) through the API; others: not found
    ("DELETE", "api/tokens/<token_id>"): Rule((401, 404, 204, 404, 404)),
}


def _path_view(callback):
    """The django-ninja PathView behind an API route (it knows its HTTP methods)."""
    for cell in getattr(callback, "__closure__", None) or ():
        if hasattr(cell.cell_contents, "operations"):
            return cell.cell_contents
    return None


def routes() -> set[tuple[str, str]]:
    """(method or ANY, route) for every URL pattern, recursively."""
    found: set[tuple[str, str]] = set()

    def walk(patterns, prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                view = _path_view(p.callback)
                if view is None:
                    found.add((ANY, prefix + str(p.pattern)))
                else:
                    for op in view.operations:
                        found.update((m.upper(), prefix + str(p.pattern)) for m in op.methods)

    walk(get_resolver().url_patterns, "")
    return found


def test_every_route_has_a_rule_and_every_rule_a_route():
    found = routes()
    ruled_pages = {route for _, route in RULES}
    missing = sorted(
        r
        for r in found
        if (r[0] == ANY and r[1] not in ruled_pages) or (r[0] != ANY and r not in RULES)
    )
    assert not missing, f"routes without an authorisation rule: {missing}"
    known = {route for _, route in found}
    api = {r for r in found if r[0] != ANY}
    api_routes = {route for _, route in api}
    stale = sorted(r for r in RULES if r[1] not in known or (r[1] in api_routes and r not in api))
    assert not stale, f"rules for routes that do not exist: {stale}"
    assert len(found) >= 30  # the walk reached the pages and the API


@pytest.fixture
def objects(corpus, actors):
    from dossier.api.services import token_create
    from dossier.comments.services import comment_add

    comment = comment_add(user=actors["reader_with"], message_id=corpus.ids["ledger"], body="c")
    token, _secret = token_create(user=actors["reader_with"], name="mine")
    return {
        "message_id": corpus.ids["ledger"],
        "thread_id": corpus.threads["ledger"],
        "attachment_id": corpus.attachments["ledger.txt"],
        "comment_id": comment.id,
        "token_id": token.id,
    }


def _url(route: str, objects: dict) -> str:
    def fill(match: re.Match) -> str:
        return str(objects[match.group(1)])

    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", fill, route)


def _request(client, method: str, route: str, rule: Rule, objects: dict):
    url = _url(route, objects)
    if route.startswith("api/"):
        data = json.dumps(rule.body) if rule.body is not None else None
        kwargs = {"content_type": "application/json"} if data is not None else {}
        if method == "GET":
            return client.get(url, rule.query)
        return client.generic(method, url, data or "", **kwargs)
    if method == "GET":
        return client.get(url, rule.query)
    return client.generic(method, url, _form(rule.body), content_type=_FORM)


_FORM = "application/x-www-form-urlencoded"


def _form(body: dict | None) -> str:
    from urllib.parse import urlencode

    return urlencode(body or {})


@pytest.mark.parametrize("key", sorted(RULES), ids=lambda k: f"{k[0]} /{k[1]}")
def test_route_status_per_actor(key, objects, client_for):
    method, route = key
    rule = RULES[key]
    got = {}
    for actor in ACTORS:  # state-changing rules succeed last (admin) or once (the author)
        got[actor] = _request(client_for(actor), method, route, rule, objects).status_code
    assert got == dict(zip(ACTORS, rule.statuses, strict=True))


def test_nothing_of_the_secret_collection_is_reachable(corpus, actors, client_for):
    secret = {
        "message_id": corpus.ids["secret"],
        "thread_id": corpus.threads["secret"],
        "attachment_id": corpus.attachments["nightjar.txt"],
    }
    for (method, route), rule in RULES.items():
        names = set(re.findall(r"<(?:\w+:)?(\w+)>", route))
        readable = rule.statuses[ACTORS.index("reader_with")] == 200
        if method != "GET" or not readable or not names or not names <= set(secret):
            continue
        for actor in ACTORS[1:]:
            response = client_for(actor).get(_url(route, secret))
            assert response.status_code in (403, 404), (actor, route)
            assert b"NIGHTJAR" not in response.content.upper()
