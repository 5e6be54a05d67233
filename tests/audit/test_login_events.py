"""Sign-in, failed sign-in and sign-out are recorded through Django's auth signals, with the
client's address; a failed sign-in keeps the username tried and never the password."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from dossier.audit.models import AuditEvent
from dossier.audit.verify import audit_verify

pytestmark = pytest.mark.django_db
SECRET = "correct horse battery staple"


def request(ip: str = "192.0.2.7"):
    req = RequestFactory().post("/login/", REMOTE_ADDR=ip)
    req.session = SessionStore()
    req.user = AnonymousUser()  # as AuthenticationMiddleware leaves it
    return req


@pytest.fixture
def user() -> User:
    return User.objects.create_user("ana", password=SECRET)


def test_login_and_logout_are_recorded(user: User) -> None:
    req = request()
    found = authenticate(req, username="ana", password=SECRET)
    assert found == user
    login(req, found)
    logout(req)
    rows = list(AuditEvent.objects.order_by("seq"))
    assert [(e.action, e.actor_username, e.actor_id, e.ip, e.target) for e in rows] == [
        ("auth.login", "ana", user.id, "192.0.2.7", "user:ana"),
        ("auth.logout", "ana", user.id, "192.0.2.7", "user:ana"),
    ]
    assert audit_verify().ok


def test_failed_login_records_the_username_never_the_password(user: User) -> None:
    wrong = "Wrong-Password-Zq8"
    assert authenticate(request("198.51.100.4"), username="ana", password=wrong) is None
    assert authenticate(request(), username="nobody", password=wrong) is None
    rows = list(AuditEvent.objects.order_by("seq"))
    assert [(e.action, e.actor_id, e.details, e.ip) for e in rows] == [
        ("auth.login_failed", None, {"username": "ana"}, "198.51.100.4"),
        ("auth.login_failed", None, {"username": "nobody"}, "192.0.2.7"),
    ]
    stored = json.dumps(list(AuditEvent.objects.values()), default=str)
    assert wrong not in stored and "*****" not in stored


def test_anonymous_logout_records_nothing() -> None:
    logout(request())
    assert not AuditEvent.objects.exists()
