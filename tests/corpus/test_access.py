"""The access layer: permissions, compartments and audit events for every read the web and the
API make. A user granted Alpha must never see a trace of Bravo: documents, counts, facets,
snippets, thread members, thread subjects, related documents, collection names, raw bytes."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import AnonymousUser

from dossier.audit.models import AuditEvent
from dossier.corpus import access
from dossier.corpus.search.service import result_to_json
from dossier.errors import NotFound, PermissionDenied, QueryError
from tests.accounts.compartments import (
    ALPHA,
    BRAVO,
    CANARIES,
    HOSTILE_HTML,
    World,
    build,
    fresh,
)

pytestmark = pytest.mark.django_db

ALPHA_NAMES = ("a1", "a2", "a3", "a5", "a6", "shared", "dup")
BRAVO_ONLY = ("b1", "b2", "b3")


@pytest.fixture
def world(tmp_path, settings) -> World:
    return build(tmp_path, settings)


def assert_no_canary(data) -> None:
    text = json.dumps(data, default=str, ensure_ascii=False)
    for canary in CANARIES:
        assert canary.lower() not in text.lower(), f"{canary!r} leaked: {text[:2000]}"


def everything_shown_to(world: World, user) -> list:
    """Every read the access layer offers, on every id there is, as this user."""
    shown: list = []
    for query in ("zanzibarcanary", "turbine", "pipeline OR budget", "-nothingatall", "carol",
                  "from:secret.example", f'collection:"{BRAVO}"', "secret", "has:attachment",
                  f'turbine -collection:"{BRAVO}"'):  # fmt: skip
        try:
            result = result_to_json(access.search_as(user=user, query=query, facets=True))
        except QueryError:  # collection:Bravo, for those without it
            continue
        shown.append({k: v for k, v in result.items() if k != "query"})  # the echo
        shown.append(access.facets_as(user=user, query=query))
    for message_id in world.ids.values():
        for read in (access.document_as, access.related_as):
            try:
                shown.append(read(user=user, message_id=message_id))
            except NotFound:
                pass
        try:
            shown.append(access.raw_as(user=user, message_id=message_id).decode("utf-8", "replace"))
        except (NotFound, PermissionDenied):
            pass
    for thread_id in {world.thread(name) for name in world.ids}:
        try:
            shown.append(access.thread_as(user=user, thread_id=thread_id))
        except NotFound:
            pass
    for attachment_id in world.attachments.values():
        for read in (access.attachment_as, access.attachment_detail_as):
            try:
                shown.append(read(user=user, attachment_id=attachment_id))
            except NotFound:
                pass
    return shown


@pytest.mark.parametrize("name", ["reader_a", "analyst_a", "supervisor_a"])
def test_alpha_users_never_see_bravo(world: World, name: str) -> None:
    user = fresh(world.users[name])
    shown = everything_shown_to(world, user)
    assert len(shown) > 20
    assert_no_canary(shown)


def test_bravo_user_does_see_the_canary(world: World) -> None:
    """The canary test is not vacuous: the same reads as Bravo's reader show it."""
    user = fresh(world.users["reader_b"])
    text = json.dumps(everything_shown_to(world, user), default=str)
    assert "zanzibarcanary" in text and BRAVO in text


@pytest.mark.parametrize("name", ["reader_none", "admin"])
def test_no_grant_means_nothing_even_for_admins(world: World, name: str) -> None:
    user = fresh(world.users[name])
    result = access.search_as(user=user, query="-nothingatall", facets=True)
    assert result.total == 0 and result.hits == []
    for message_id in world.ids.values():
        with pytest.raises(NotFound):
            access.document_as(user=user, message_id=message_id)
    with pytest.raises(NotFound):
        access.thread_as(user=user, thread_id=world.thread("a1"))


def test_anonymous_and_inactive_users_are_refused(world: World) -> None:
    inactive = fresh(world.users["reader_a"])
    inactive.is_active = False
    inactive.save()
    for user in (AnonymousUser(), inactive, None):
        with pytest.raises(PermissionDenied):
            access.search_as(user=user, query="turbine")
        with pytest.raises(PermissionDenied):
            access.document_as(user=user, message_id=world.ids["a1"])
        with pytest.raises(PermissionDenied):
            access.related_as(user=user, message_id=world.ids["a1"])
    assert not AuditEvent.objects.filter(action="search.run").exists()


def test_counts_and_facets_cover_only_alpha(world: World) -> None:
    user = fresh(world.users["reader_a"])
    result = access.search_as(user=user, query="turbine", facets=True)
    assert result.total == 5
    assert {hit.id for hit in result.hits} == {
        world.ids[n] for n in ALPHA_NAMES if n not in ("a6", "dup")
    }
    collections = {row["value"] for row in result.facets["collection"]["values"]}
    assert collections == {ALPHA}
    assert {h.collection for h in result.hits} == {ALPHA}
    thread = next(h for h in result.hits if h.id == world.ids["a1"])
    assert thread.thread_size == 2  # a1 and a2; Bravo's reply is not counted


def test_document_shows_alpha_copy_and_locations(world: World) -> None:
    user = fresh(world.users["reader_a"])
    doc = access.document_as(user=user, message_id=world.ids["shared"])
    assert doc["collection"] == ALPHA
    assert [loc["collection"] for loc in doc["locations"]] == [ALPHA]
    assert doc["provenance"]["locations"] == doc["locations"]
    assert doc["provenance"]["sha256"] == doc["locations"][0]["raw_sha256"]
    assert not any(name.lower() == "x-leak-note" for name, _ in doc["headers"])
    raw = access.raw_as(user=fresh(world.users["analyst_a"]), message_id=world.ids["shared"])
    assert b"zanzibarcanary" not in raw and b"Shared memo turbine" in raw
    assert doc["thread_id"] == world.thread("shared")


def test_document_attachments_carry_their_text(world: World) -> None:
    user = fresh(world.users["reader_a"])
    doc = access.document_as(user=user, message_id=world.ids["a3"])
    (att,) = doc["attachments"]
    assert (att["filename"], att["content_type"]) == ("notes.txt", "text/plain")
    assert att["text"] == "alpha attachment text about the turbine" and att["id"]
    name, ctype, data = access.attachment_as(user=user, attachment_id=att["id"])
    assert (name, ctype, data) == (
        "notes.txt",
        "text/plain",
        b"alpha attachment text about the turbine",
    )
    with pytest.raises(NotFound):
        access.attachment_as(user=user, attachment_id=world.attachments["zanzibarcanary.txt"])
    with pytest.raises(NotFound):
        access.attachment_as(user=user, attachment_id="nope")


def test_invisible_and_missing_look_the_same(world: World) -> None:
    user = fresh(world.users["reader_a"])
    with pytest.raises(NotFound) as hidden:
        access.document_as(user=user, message_id=world.ids["b1"])
    with pytest.raises(NotFound) as missing:
        access.document_as(user=user, message_id=10**9)
    assert str(hidden.value).replace(str(world.ids["b1"]), "N") == str(missing.value).replace(
        str(10**9), "N"
    )


def test_thread_is_trimmed_to_visible_messages(world: World) -> None:
    user = fresh(world.users["reader_a"])
    thread = access.thread_as(user=user, thread_id=world.thread("a1"))
    assert [m["id"] for m in thread["messages"]] == [world.ids["a1"], world.ids["a2"]]
    assert thread["messages"][1]["parent_id"] == world.ids["a1"]
    assert thread["message_count"] == 2 and thread["last_date"].startswith("2011-03-03")
    other = access.thread_as(user=user, thread_id=world.thread("a5"))
    assert other["subject"] == "Different words entirely"
    assert [m["id"] for m in other["messages"]] == [world.ids["a5"]]
    assert other["first_date"].startswith("2011-02-02")
    with pytest.raises(NotFound):
        access.thread_as(user=user, thread_id=world.thread("b1"))


def test_related_finds_participants_and_terms_within_alpha(world: World) -> None:
    user = fresh(world.users["reader_a"])
    related = access.related_as(user=user, message_id=world.ids["a1"])
    ids = [r["id"] for r in related]
    assert world.ids["a1"] not in ids and world.ids["a2"] not in ids  # itself, its thread
    assert world.ids["a3"] in ids  # bob took part in a1's thread and sent a3
    assert {r["reason"] for r in related} <= {"participants", "terms"}
    assert all(r["collection"] == ALPHA for r in related)
    assert set(ids) <= {world.ids[n] for n in ALPHA_NAMES}
    assert len(access.related_as(user=user, message_id=world.ids["a1"], limit=1)) == 1


def test_permissions_for_raw(world: World) -> None:
    with pytest.raises(PermissionDenied):
        access.raw_as(user=fresh(world.users["reader_a"]), message_id=world.ids["a1"])
    raw = access.raw_as(user=fresh(world.users["analyst_a"]), message_id=world.ids["a1"])
    assert b"Message-ID: <a1@alpha.example>" in raw
    with pytest.raises(NotFound):
        access.raw_as(user=fresh(world.users["analyst_a"]), message_id=world.ids["b1"])


def test_each_read_writes_its_event(world: World) -> None:
    user = fresh(world.users["analyst_a"])
    a3 = world.ids["a3"]
    att = world.attachments["notes.txt"]
    cases = [
        (lambda: access.search_as(user=user, query="turbine", ip="10.0.0.9"), "search.run",
         "search"),
        (lambda: access.facets_as(user=user, query="turbine"), "search.run", "facets"),
        (lambda: access.document_as(user=user, message_id=a3), "document.view", f"message:{a3}"),
        (lambda: access.thread_as(user=user, thread_id=world.thread("a3")), "thread.view",
         f"thread:{world.thread('a3')}"),
        (lambda: access.raw_as(user=user, message_id=a3), "raw.download", f"message:{a3}"),
        (lambda: access.attachment_as(user=user, attachment_id=att), "attachment.download",
         f"attachment:{att}"),
    ]  # fmt: skip
    for call, action, target in cases:
        before = AuditEvent.objects.count()
        call()
        new = list(AuditEvent.objects.filter(seq__gt=before))
        assert [(e.action, e.target, e.actor_username) for e in new] == [
            (action, target, "analyst_a")
        ]
    first = AuditEvent.objects.filter(action="search.run").first()
    assert first.details["query"] == "turbine" and first.details["total"] == 5
    assert first.ip == "10.0.0.9"
    before = AuditEvent.objects.count()
    access.related_as(user=user, message_id=a3)
    with pytest.raises(NotFound):
        access.document_as(user=user, message_id=world.ids["b1"])
    assert AuditEvent.objects.count() == before  # related is not audited; refusals write nothing


@pytest.mark.parametrize("limit", [1, 2, 3, 10])
def test_related_terms_equal_the_scoped_search(world: World, limit: int) -> None:
    """The fast path (an unscoped page filtered to visible ids) gives exactly what a search
    scoped to the user's collections would."""
    from dossier.accounts.policy import visible_collection_ids
    from dossier.corpus.models import Message
    from dossier.corpus.search.service import search

    user = fresh(world.users["reader_a"])
    ids = visible_collection_ids(user)
    for name in ALPHA_NAMES:
        message = Message.objects.get(id=world.ids[name])
        query = " OR ".join(f'"{t}"' for t in access.rare_terms(message))
        scoped = search(f"({query}) -thread:{message.thread_id}", limit=limit + 1,
                        snippets=False, collection_ids=ids)  # fmt: skip
        expected = [h.id for h in scoped.hits if h.id != message.id][:limit]
        assert access._by_terms(message, ids, limit) == expected


def test_collection_filter_names_only_granted_collections(world: World) -> None:
    """``collection:Bravo`` would match the Alpha messages Bravo also holds (``shared``): it is
    refused, worded exactly as for a collection that does not exist."""
    user = fresh(world.users["reader_a"])
    messages = set()
    for name in (BRAVO, "no-such-collection", BRAVO.upper()):
        for query in (f'collection:"{name}"', f'turbine -collection:"{name}"'):
            with pytest.raises(QueryError) as error:
                access.search_as(user=user, query=query)
            messages.add(str(error.value).replace(name.lower(), "NAME"))
            with pytest.raises(QueryError):
                access.facets_as(user=user, query=query)
    assert messages == {"collection:NAME is not one of your collections"}
    assert access.search_as(user=user, query=f'collection:"{ALPHA.lower()}"').total == 7
    assert access.search_as(user=fresh(world.users["reader_b"]), query=f"collection:{BRAVO}").total


def test_attachment_detail(world: World) -> None:
    user = fresh(world.users["reader_a"])
    att = world.attachments["notes.txt"]
    before = AuditEvent.objects.count()
    detail = access.attachment_detail_as(user=user, attachment_id=att, ip="10.1.1.1")
    assert detail == {
        "id": att, "message_id": world.ids["a3"], "part": detail["part"],
        "filename": "notes.txt", "content_type": "text/plain", "size": 39,
        "sha256": detail["sha256"], "text": "alpha attachment text about the turbine",
        "text_length": 39, "text_error": None,
    }  # fmt: skip
    (event,) = AuditEvent.objects.filter(seq__gt=before)
    assert (event.action, event.target, event.ip) == (
        "attachment.view",
        f"attachment:{att}",
        "10.1.1.1",
    )
    for bad in (world.attachments["zanzibarcanary.txt"], 10**9, "x"):
        with pytest.raises(NotFound):
            access.attachment_detail_as(user=user, attachment_id=bad)


def test_document_carries_the_html_body_unsanitised_for_the_web(world: World) -> None:
    doc = access.document_as(user=fresh(world.users["reader_a"]), message_id=world.ids["a6"])
    assert doc["body_html"].strip() == HOSTILE_HTML
    assert doc["body"].startswith("Plain part.")
    plain = access.document_as(user=fresh(world.users["reader_a"]), message_id=world.ids["a1"])
    assert plain["body_html"] == ""


def test_document_text_comes_from_the_users_own_copy(world: World) -> None:
    """Same Message-ID, different bytes: the row keeps the first copy ingested (Bravo's); the
    document an Alpha reader opens is read from Alpha's copy. (The full-text index holds the
    first copy's text: a known limit of one row per Message-ID, see the ADR.)"""
    doc = access.document_as(user=fresh(world.users["reader_a"]), message_id=world.ids["dup"])
    assert doc["body"].strip() == "Quarterly figures." and "kestrelword" not in json.dumps(doc)
    theirs = access.document_as(user=fresh(world.users["reader_b"]), message_id=world.ids["dup"])
    assert "kestrelword" in theirs["body"]
