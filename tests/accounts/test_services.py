"""User and grant management: validation, errors, and exactly one audit event per change."""

from __future__ import annotations

import getpass
import json

import pytest
from django.contrib.auth.models import User

from dossier.accounts import services
from dossier.accounts.models import CollectionGrant
from dossier.audit.models import AuditEvent
from dossier.audit.verify import audit_verify
from dossier.corpus.models import Collection
from dossier.errors import BadInput, NotFound, PermissionDenied

pytestmark = pytest.mark.django_db
GOOD = "correct horse battery staple"


def events() -> list[tuple[str, str, str]]:
    return [(e.action, e.actor_username, e.target) for e in AuditEvent.objects.order_by("seq")]


def operator() -> str:
    return f"cli:{getpass.getuser()}"


def test_user_add_hashes_with_argon2_and_records() -> None:
    user = services.user_add(username="ana", password=GOOD, role="Analyst")
    assert user.password.startswith("argon2")
    assert user.profile.role == "analyst" and user.is_active
    assert user.check_password(GOOD)
    assert events() == [("user.add", operator(), "user:ana")]
    assert AuditEvent.objects.get().details == {"role": "analyst"}
    assert audit_verify().ok


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short1!", "at least 10 characters"),
        ("password123", "too common"),
        ("8204719365017", "entirely numeric"),
        ("ana-the-analyst", "too similar"),
    ],
)
def test_weak_passwords_are_refused_with_reasons(password: str, reason: str) -> None:
    with pytest.raises(BadInput, match=reason):
        services.user_add(username="ana-the-analyst", password=password, role="reader")
    assert not User.objects.exists() and not AuditEvent.objects.exists()


@pytest.mark.parametrize("role", ["", "root", "superuser", None])
def test_unknown_role_is_bad_input(role) -> None:
    with pytest.raises(BadInput, match="unknown role"):
        services.user_add(username="x", password=GOOD, role=role)
    services.user_add(username="x", password=GOOD, role="reader")
    with pytest.raises(BadInput, match="unknown role"):
        services.user_set_role(username="x", role=role)


@pytest.mark.parametrize("name", ["", " ", "a b", "x" * 151, "<script>"])
def test_bad_usernames(name: str) -> None:
    with pytest.raises(BadInput):
        services.user_add(username=name, password=GOOD, role="reader")


def test_duplicate_user_is_bad_input() -> None:
    services.user_add(username="ana", password=GOOD, role="reader")
    with pytest.raises(BadInput, match="already exists"):
        services.user_add(username="ana", password=GOOD, role="reader")
    assert len(events()) == 1


def test_unknown_user_or_collection_is_not_found() -> None:
    Collection.objects.create(name="Leaks")
    services.user_add(username="ana", password=GOOD, role="reader")
    calls = [
        lambda: services.user_disable(username="ghost"),
        lambda: services.user_set_role(username="ghost", role="reader"),
        lambda: services.collection_grant(username="ghost", collection="Leaks"),
        lambda: services.collection_grant(username="ana", collection="Nope"),
        lambda: services.collection_revoke(username="ana", collection="Nope"),
        lambda: services.collection_revoke(username="ana", collection="Leaks"),  # not granted
    ]
    for call in calls:
        with pytest.raises(NotFound):
            call()
    assert len(events()) == 1


def test_each_change_writes_exactly_its_event() -> None:
    Collection.objects.create(name="Leaks")
    services.user_add(username="ana", password=GOOD, role="reader")
    services.user_set_role(username="ana", role="editor")
    services.collection_grant(username="ana", collection="Leaks")
    services.collection_grant(username="ana", collection="Leaks")  # no change, no event
    services.collection_revoke(username="ana", collection="Leaks")
    services.user_disable(username="ana")
    op = operator()
    assert events() == [
        ("user.add", op, "user:ana"),
        ("user.set_role", op, "user:ana"),
        ("collection.grant", op, "user:ana"),
        ("collection.revoke", op, "user:ana"),
        ("user.disable", op, "user:ana"),
    ]
    role_event = AuditEvent.objects.get(action="user.set_role")
    assert role_event.details == {"from": "reader", "to": "editor"}
    assert AuditEvent.objects.get(action="collection.grant").details["collection"] == "Leaks"
    user = User.objects.get(username="ana")
    assert not user.is_active and user.profile.role == "editor"
    assert audit_verify().ok


def test_acting_users_need_accounts_manage() -> None:
    Collection.objects.create(name="Leaks")
    boss = services.user_add(username="boss", password=GOOD, role="admin")
    sup = services.user_add(username="sup", password=GOOD, role="supervisor")
    before = len(events())
    with pytest.raises(PermissionDenied):
        services.user_add(username="x", password=GOOD, role="admin", by=sup)
    with pytest.raises(PermissionDenied):
        services.collection_grant(username="sup", collection="Leaks", by=sup)
    assert len(events()) == before
    services.collection_grant(username="boss", collection="Leaks", by=boss)  # self-grant
    grant = CollectionGrant.objects.get()
    assert grant.granted_by == boss
    assert events()[-1] == ("collection.grant", "boss", "user:boss")
    assert AuditEvent.objects.order_by("seq").last().actor == boss


def test_user_and_collection_lists() -> None:
    Collection.objects.create(name="Leaks")
    Collection.objects.create(name="Archive")
    services.user_add(username="bea", password=GOOD, role="reader")
    services.user_add(username="ana", password=GOOD, role="analyst")
    services.collection_grant(username="ana", collection="Leaks")
    services.collection_grant(username="ana", collection="Archive")
    services.user_disable(username="bea")
    assert services.user_list() == [
        {"username": "ana", "role": "analyst", "active": True,
         "collections": ["Archive", "Leaks"], "last_login": None},
        {"username": "bea", "role": "reader", "active": False, "collections": [],
         "last_login": None},
    ]  # fmt: skip
    assert services.collection_list() == [
        {"name": "Archive", "messages": 0, "granted_to": ["ana"]},
        {"name": "Leaks", "messages": 0, "granted_to": ["ana"]},
    ]


def test_set_password_and_enable() -> None:
    services.user_add(username="ana", password=GOOD, role="reader")
    with pytest.raises(BadInput, match="at least 10 characters"):
        services.user_set_password(username="ana", password="short")
    with pytest.raises(NotFound):
        services.user_set_password(username="ghost", password=GOOD)
    services.user_set_password(username="ana", password="another long passphrase")
    services.user_disable(username="ana")
    services.user_disable(username="ana")  # already disabled: no second event
    services.user_enable(username="ana")
    services.user_enable(username="ana")  # already active: no event
    user = User.objects.get(username="ana")
    assert user.is_active and user.check_password("another long passphrase")
    assert [a for a, _, _ in events()] == [
        "user.add", "user.set_password", "user.disable", "user.enable",
    ]  # fmt: skip
    stored = json.dumps(list(AuditEvent.objects.values("details", "target")))
    assert "another long passphrase" not in stored and GOOD not in stored
