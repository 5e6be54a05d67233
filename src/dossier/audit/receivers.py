"""Sign-in, failed sign-in and sign-out, recorded from Django's auth signals.

A failed sign-in records the username tried, never the password (Django passes credentials with
the password already masked; only ``username`` is read here).
"""

from __future__ import annotations

from django.db import transaction

from dossier.audit.services import audit_record


def client_ip(request) -> str:
    return (request.META.get("REMOTE_ADDR") or "") if request is not None else ""


def on_login(sender, request, user, **kwargs) -> None:
    with transaction.atomic():
        audit_record(
            action="auth.login",
            actor=user,
            target=f"user:{user.get_username()}",
            ip=client_ip(request),
        )


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    tried = str((credentials or {}).get("username") or "")[:150]
    with transaction.atomic():
        audit_record(
            action="auth.login_failed",
            target=f"user:{tried}",
            details={"username": tried},
            ip=client_ip(request),
        )


def on_logout(sender, request, user, **kwargs) -> None:
    if user is None or not getattr(user, "is_authenticated", False):
        return
    with transaction.atomic():
        audit_record(
            action="auth.logout",
            actor=user,
            target=f"user:{user.get_username()}",
            ip=client_ip(request),
        )
