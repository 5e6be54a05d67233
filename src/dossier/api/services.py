"""Token operations: make (secret shown once), revoke, list, and authenticate a secret; and
``audit_log_as``, the API's read of the audit log (checks ``audit.read``, records ``audit.view``).

Each change is one transaction that also writes its audit event. ``by`` is the acting user: by
default the token's owner; None is the local operator at the command line.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from dossier.accounts.policy import require
from dossier.api.models import ApiToken
from dossier.audit.selectors import audit_events
from dossier.audit.services import audit_record, cli_operator
from dossier.errors import BadInput, NotFound, PermissionDenied

SECRET_PREFIX = "dos_"
MAX_NAME = 100
MAX_SECRET = 200  # far longer than any secret we issue; longer input is not even hashed
TOUCH_EVERY = timedelta(minutes=1)
_SELF = object()  # ``by`` default: the owner acts for themselves


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _actor(by) -> dict:
    """``audit_record`` arguments naming who acted; None is the local CLI operator."""
    return {"actor": by} if by is not None else {"actor": None, "actor_username": cli_operator()}


def _active_user(user) -> None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        raise PermissionDenied("only an active user can hold API tokens")


def token_create(*, user, name: str, by=_SELF, ip: str = "") -> tuple[ApiToken, str]:
    """A new token for ``user`` and its secret (``dos_…``), which is never stored or shown again."""
    _active_user(user)
    name = (name or "").strip()
    if not name or len(name) > MAX_NAME:
        raise BadInput(f"a token needs a name of 1 to {MAX_NAME} characters")
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    actor = user if by is _SELF else by
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name, prefix=secret[:8], token_hash=hash_secret(secret)
        )
        audit_record(
            action="token.create",
            **_actor(actor),
            target=f"token:{token.id}",
            details={"owner": user.username, "name": name, "prefix": token.prefix},
            ip=ip,
        )
    return token, secret


def token_revoke(*, user, token_id: int, by=_SELF, ip: str = "") -> ApiToken:
    """Revoke one of ``user``'s tokens (``user=None``: any token, for the operator).

    Another user's token is reported as not found. Revoking a revoked token changes nothing.
    """
    actor = user if by is _SELF else by
    with transaction.atomic():
        tokens = ApiToken.objects.select_for_update().select_related("user")
        if user is not None:
            tokens = tokens.filter(user_id=user.pk)
        token = tokens.filter(id=token_id).first()
        if token is None:
            raise NotFound(f"no token {token_id}")
        if token.revoked_at is not None:
            return token
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            action="token.revoke",
            **_actor(actor),
            target=f"token:{token.id}",
            details={"owner": token.user.username, "name": token.name, "prefix": token.prefix},
            ip=ip,
        )
    return token


def token_authenticate(secret: str | None):
    """The active owner of an unrevoked token with this secret, else None.

    The secret is looked up by its SHA-256 (so no comparison leaks its bytes by timing) and the
    stored hash is compared in constant time. ``last_used_at`` is written at most once a minute.
    """
    if not secret or not secret.startswith(SECRET_PREFIX) or len(secret) > MAX_SECRET:
        return None
    digest = hash_secret(secret)
    token = ApiToken.objects.select_related("user").filter(token_hash=digest).first()
    if token is None or not hmac.compare_digest(token.token_hash, digest):
        return None
    if token.revoked_at is not None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token.user


def token_list(*, user=None, username: str | None = None) -> list[dict]:
    """Tokens (newest first) of ``user``, of ``username``, or of everyone; never the secret."""
    tokens = ApiToken.objects.select_related("user")
    if user is not None:
        tokens = tokens.filter(user_id=user.pk)
    elif username is not None:
        if not get_user_model().objects.filter(username=username).exists():
            raise NotFound(f"no user {username!r}")
        tokens = tokens.filter(user__username=username)
    return [token_json(t) for t in tokens]


def token_json(token: ApiToken) -> dict:
    return {
        "id": token.id,
        "user": token.user.username,
        "name": token.name,
        "prefix": token.prefix,
        "created_at": token.created_at,
        "last_used_at": token.last_used_at,
        "revoked_at": token.revoked_at,
    }


def user_named(username: str):
    """The user called ``username`` (for the command line), or ``NotFound``."""
    found = get_user_model().objects.filter(username=username).first()
    if found is None:
        raise NotFound(f"no user {username!r}")
    return found


def audit_log_as(
    *,
    user,
    username: str | None = None,
    action: str | None = None,
    since=None,
    limit: int = 100,
    ip: str = "",
) -> list[dict]:
    """Audit events for a user holding ``audit.read``; reading the log is itself audited."""
    require(user, "audit.read")
    with transaction.atomic():
        events = audit_events(username=username, action=action, since=since, limit=limit)
        filters = {"user": username, "action": action, "since": since and str(since)}
        audit_record(
            action="audit.view",
            actor=user,
            details={k: v for k, v in filters.items() if v},
            ip=ip,
        )
    return events
