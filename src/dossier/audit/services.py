"""``audit_record``: append one event to the chain, inside the caller's transaction.

The caller's ``transaction.atomic()`` makes the event and the action it records one unit: both
are stored or neither. Appends are serialised so two writers never read the same last event:
PostgreSQL takes a transaction-scoped advisory lock; SQLite's IMMEDIATE transactions (see
``django_settings``) already admit one writer at a time.
"""

from __future__ import annotations

import getpass
from typing import Any

from django.db import connection
from django.utils import timezone

from dossier.audit.events import EVENTS
from dossier.audit.hashing import GENESIS, canonical, clean_text, event_hash
from dossier.audit.models import AuditEvent

# An arbitrary constant naming the audit append lock ("dossaudt" as ASCII bytes).
ADVISORY_LOCK = int.from_bytes(b"dossaudt", "big") >> 1


def cli_operator() -> str:
    """How the local CLI operator (``by=None``) is named in the log."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = "unknown"
    return f"cli:{name}"


def audit_record(
    *,
    action: str,
    actor=None,
    target: str = "",
    details: dict[str, Any] | None = None,
    ip: str = "",
    actor_username: str | None = None,
) -> AuditEvent:
    """Append an event. ``actor`` is a User or None; with None, ``actor_username`` (if given)
    names who acted, e.g. ``cli_operator()``. Must run inside ``transaction.atomic()``."""
    if action not in EVENTS:
        raise ValueError(f"unknown audit action {action!r}; register it in dossier.audit.events")
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record must be called inside transaction.atomic()")
    actor_obj = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    name = actor_obj.get_username() if actor_obj is not None else (actor_username or "")
    _lock()
    last = AuditEvent.objects.order_by("-seq").values("seq", "hash").first()
    seq, prev = (last["seq"] + 1, last["hash"]) if last else (1, GENESIS)
    fields = {
        "seq": seq,
        "created_at": timezone.now(),
        "action": action,
        "actor_username": clean_text(name[:200]),
        "target": clean_text(str(target)[:500]),
        "details": canonical(details),
        "ip": clean_text((ip or "")[:45]),
        "prev_hash": prev,
    }
    event = AuditEvent(actor=actor_obj, hash=event_hash(**fields), **fields)
    event.save()
    return event


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK])
