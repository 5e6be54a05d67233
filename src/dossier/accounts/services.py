"""Manage users, roles and collection grants; each change and its audit event in one transaction.

``by`` is the acting user (who must hold ``accounts.manage``) or None for the local CLI operator,
who is recorded as ``cli:<os user>``. Passwords go through Django's validators (at least 10
characters, not common, not all digits, not like the username).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import (
    CommonPasswordValidator,
    MinimumLengthValidator,
    NumericPasswordValidator,
    UserAttributeSimilarityValidator,
    validate_password,
)
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from dossier.accounts import policy
from dossier.accounts.models import CollectionGrant, Profile, Role
from dossier.audit.services import audit_record, cli_operator
from dossier.corpus.models import Collection
from dossier.errors import BadInput, NotFound

MIN_PASSWORD = 10
VALIDATORS = [
    UserAttributeSimilarityValidator(),
    MinimumLengthValidator(min_length=MIN_PASSWORD),
    CommonPasswordValidator(),
    NumericPasswordValidator(),
]
_USERNAME_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@.+-_")


def _record(action: str, by, *, target: str, details: dict) -> None:
    if by is None:
        audit_record(action=action, target=target, details=details, actor_username=cli_operator())
    else:
        audit_record(action=action, actor=by, target=target, details=details)


def _check_actor(by) -> None:
    if by is not None:
        policy.require(by, "accounts.manage")


def _role(role: str) -> str:
    value = str(role or "").strip().lower()
    if value not in Role.values:
        raise BadInput(f"unknown role {role!r}: choose one of {', '.join(Role.values)}")
    return value


def _user(username: str):
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise NotFound(f"no user {username!r}")
    return user


def _collection(name: str) -> Collection:
    found = Collection.objects.filter(name=name).first()
    if found is None:
        raise NotFound(f"no collection {name!r}")
    return found


def _check_username(username: str) -> str:
    name = (username or "").strip()
    if not name or len(name) > 150 or not set(name) <= _USERNAME_CHARS:
        raise BadInput("a username is 1-150 letters, digits and @ . + - _")
    return name


def user_add(*, username: str, password: str, role: str, by=None):
    """Create an active user with ``role`` and no collections (deny by default)."""
    _check_actor(by)
    name, value = _check_username(username), _role(role)
    model = get_user_model()
    _valid_password(password, model(username=name))
    if model.objects.filter(username=name).exists():
        raise BadInput(f"user {name!r} already exists")
    try:
        with transaction.atomic():
            user = model.objects.create_user(username=name, password=password)
            Profile.objects.create(user=user, role=value)
            _record("user.add", by, target=f"user:{name}", details={"role": value})
    except IntegrityError:
        raise BadInput(f"user {name!r} already exists") from None
    return user


def _valid_password(password: str, user) -> None:
    try:
        validate_password(password, user, password_validators=VALIDATORS)
    except ValidationError as exc:
        raise BadInput("password rejected: " + " ".join(exc.messages)) from None


def user_set_password(*, username: str, password: str, by=None) -> None:
    """Replace a user's password (validated like a new one); the password is never recorded."""
    _check_actor(by)
    with transaction.atomic():
        user = _user(username)
        _valid_password(password, user)
        user.set_password(password)
        user.save(update_fields=["password"])
        _record("user.set_password", by, target=f"user:{user.username}", details={})


def user_enable(*, username: str, by=None) -> None:
    """Let a disabled user sign in again; enabling an active user changes nothing."""
    _check_actor(by)
    with transaction.atomic():
        user = _user(username)
        if user.is_active:
            return
        user.is_active = True
        user.save(update_fields=["is_active"])
        _record("user.enable", by, target=f"user:{user.username}", details={})


def user_disable(*, username: str, by=None) -> None:
    """Disable sign-in; the user's events, comments and grants stay. Idempotent."""
    _check_actor(by)
    with transaction.atomic():
        user = _user(username)
        if not user.is_active:
            return
        user.is_active = False
        user.save(update_fields=["is_active"])
        _record("user.disable", by, target=f"user:{user.username}", details={})


def user_set_role(*, username: str, role: str, by=None) -> None:
    _check_actor(by)
    value = _role(role)
    with transaction.atomic():
        user = _user(username)
        profile, created = Profile.objects.get_or_create(user=user, defaults={"role": value})
        details = {"from": None if created else profile.role, "to": value}
        profile.role = value
        profile.save(update_fields=["role"])
        _record("user.set_role", by, target=f"user:{user.username}", details=details)


def user_list() -> list[dict]:
    """Every user with role, state and granted collections, by username."""
    model = get_user_model()
    users = model.objects.select_related("profile").order_by("username")
    grants: dict[int, list[str]] = {}
    for user_id, name in CollectionGrant.objects.order_by("collection__name").values_list(
        "user_id", "collection__name"
    ):
        grants.setdefault(user_id, []).append(name)
    return [
        {
            "username": u.username,
            "role": getattr(getattr(u, "profile", None), "role", None),
            "active": u.is_active,
            "collections": grants.get(u.id, []),
            "last_login": u.last_login.isoformat() if u.last_login else None,
        }
        for u in users
    ]


def collection_grant(*, username: str, collection: str, by=None) -> None:
    """Let ``username`` see ``collection``; granting twice changes nothing and records nothing."""
    _check_actor(by)
    with transaction.atomic():
        user, coll = _user(username), _collection(collection)
        _, created = CollectionGrant.objects.get_or_create(
            user=user, collection=coll, defaults={"granted_by": by}
        )
        if created:
            details = {"collection": coll.name, "collection_id": coll.id}
            _record("collection.grant", by, target=f"user:{user.username}", details=details)


def collection_revoke(*, username: str, collection: str, by=None) -> None:
    """Take ``collection`` away from ``username``; ``NotFound`` if it was not granted."""
    _check_actor(by)
    with transaction.atomic():
        user, coll = _user(username), _collection(collection)
        deleted, _ = CollectionGrant.objects.filter(user=user, collection=coll).delete()
        if not deleted:
            raise NotFound(f"user {user.username!r} has no grant of collection {coll.name!r}")
        details = {"collection": coll.name, "collection_id": coll.id}
        _record("collection.revoke", by, target=f"user:{user.username}", details=details)


def collection_list() -> list[dict]:
    """Every collection, its message count and who has been granted it."""
    from django.db.models import Count

    holders: dict[int, list[str]] = {}
    for coll_id, name in CollectionGrant.objects.order_by("user__username").values_list(
        "collection_id", "user__username"
    ):
        holders.setdefault(coll_id, []).append(name)
    rows = Collection.objects.annotate(n=Count("locations__message", distinct=True)).order_by(
        "name"
    )
    return [{"name": c.name, "messages": c.n, "granted_to": holders.get(c.id, [])} for c in rows]
