"""The permission table and the compartment rule, in one place.

``role_of`` is None for anonymous, inactive or profile-less users: they may do nothing.
``visible_collection_ids`` is deny by default: only collections granted, whatever the role.
"""

from __future__ import annotations

from dossier.accounts.models import CollectionGrant, Profile, Role
from dossier.errors import PermissionDenied

_ALL = frozenset(Role.values)
_STAFF = frozenset({Role.ANALYST, Role.HANDLER, Role.EDITOR, Role.SUPERVISOR, Role.ADMIN})
_OVERSIGHT = frozenset({Role.SUPERVISOR, Role.ADMIN})

PERMISSIONS: dict[str, frozenset[str]] = {
    "corpus.search": _ALL,
    "corpus.view": _ALL,
    "comment.add": _ALL,
    "corpus.download_raw": _STAFF,
    "corpus.export": _STAFF,
    "comment.hide": _OVERSIGHT,
    "audit.read": _OVERSIGHT,
    "accounts.manage": frozenset({Role.ADMIN}),
}


def _active(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def role_of(user) -> str | None:
    """The user's role, or None when anonymous, inactive or without a profile."""
    if not _active(user):
        return None
    try:
        return user.profile.role
    except Profile.DoesNotExist:
        return None


def visible_collection_ids(user) -> frozenset[int]:
    """Ids of the collections granted to ``user``; empty for anyone without a role."""
    if role_of(user) is None:
        return frozenset()
    grants = CollectionGrant.objects.filter(user_id=user.pk)
    return frozenset(grants.values_list("collection_id", flat=True))


def can(user, permission: str) -> bool:
    """Whether ``user``'s role carries ``permission``; unknown permissions are a bug."""
    if permission not in PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}")
    role = role_of(user)
    return role is not None and role in PERMISSIONS[permission]


def require(user, permission: str) -> None:
    """``PermissionDenied`` unless ``user`` may ``permission``."""
    if not can(user, permission):
        raise PermissionDenied(f"not allowed: {permission}")
