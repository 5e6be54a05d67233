"""The permission table and the compartment rule: deny by default, admins included."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, User

from dossier.accounts import policy
from dossier.accounts.models import CollectionGrant, Profile, Role
from dossier.corpus.models import Collection
from dossier.errors import PermissionDenied

pytestmark = pytest.mark.django_db

# role -> the permissions it holds; everything else is refused.
TABLE = {
    "reader": {"corpus.search", "corpus.view", "comment.add"},
    "handler": {"corpus.search", "corpus.view", "comment.add", "corpus.download_raw",
                "corpus.export"},
    "analyst": {"corpus.search", "corpus.view", "comment.add", "corpus.download_raw",
                "corpus.export"},
    "editor": {"corpus.search", "corpus.view", "comment.add", "corpus.download_raw",
               "corpus.export"},
    "supervisor": {"corpus.search", "corpus.view", "comment.add", "corpus.download_raw",
                   "corpus.export", "comment.hide", "audit.read"},
    "admin": {"corpus.search", "corpus.view", "comment.add", "corpus.download_raw",
              "corpus.export", "comment.hide", "audit.read", "accounts.manage"},
}  # fmt: skip


def make_user(name: str, role: str | None, *, active: bool = True) -> User:
    user = User.objects.create_user(name, is_active=active)
    if role is not None:
        Profile.objects.create(user=user, role=role)
    return User.objects.get(pk=user.pk)


def test_the_table_covers_every_role_and_permission() -> None:
    assert set(TABLE) == set(Role.values)
    assert set().union(*TABLE.values()) == set(policy.PERMISSIONS)


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("permission", sorted(policy.PERMISSIONS))
def test_role_permission(role: str, permission: str) -> None:
    user = make_user(f"u-{role}", role)
    expected = permission in TABLE[role]
    assert policy.can(user, permission) is expected
    if expected:
        policy.require(user, permission)
    else:
        with pytest.raises(PermissionDenied):
            policy.require(user, permission)


def test_no_role_means_no_permission() -> None:
    nobody = [AnonymousUser(), None, make_user("noprofile", None),
              make_user("inactive", "admin", active=False)]  # fmt: skip
    for user in nobody:
        assert policy.role_of(user) is None
        assert policy.visible_collection_ids(user) == frozenset()
        assert not any(policy.can(user, p) for p in policy.PERMISSIONS)


def test_unknown_permission_is_a_bug() -> None:
    with pytest.raises(ValueError):
        policy.can(make_user("r", "reader"), "corpus.everything")


def test_visible_collections_are_exactly_the_grants() -> None:
    a, b, c = (Collection.objects.create(name=n) for n in ("A", "B", "C"))
    admin, reader = make_user("boss", "admin"), make_user("r", "reader")
    assert policy.visible_collection_ids(admin) == frozenset()  # deny by default, admins too
    CollectionGrant.objects.create(user=reader, collection=a)
    CollectionGrant.objects.create(user=reader, collection=c)
    CollectionGrant.objects.create(user=admin, collection=b)
    assert policy.visible_collection_ids(reader) == frozenset({a.id, c.id})
    assert policy.visible_collection_ids(admin) == frozenset({b.id})
    assert policy.role_of(reader) == "reader"
