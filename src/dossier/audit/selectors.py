"""Read the audit log, newest first. The edges check ``audit.read`` and record ``audit.view``."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from django.utils import timezone

from dossier.audit.hashing import iso
from dossier.audit.models import AuditEvent
from dossier.errors import BadInput

MAX_LIMIT = 10_000


def audit_events(
    *,
    username: str | None = None,
    action: str | None = None,
    since: date | datetime | str | None = None,
    limit: int = 100,
) -> list[dict]:
    """Events filtered by actor username, action (exact, or a prefix ending in ``.``) and a
    start date (``YYYY-MM-DD`` or a date/datetime, UTC)."""
    if not 1 <= limit <= MAX_LIMIT:
        raise BadInput(f"limit must be between 1 and {MAX_LIMIT}, not {limit}")
    qs = AuditEvent.objects.order_by("-seq")
    if username:
        qs = qs.filter(actor_username=username)
    if action:
        qs = (
            qs.filter(action__startswith=action)
            if action.endswith(".")
            else qs.filter(action=action)
        )
    if since is not None:
        qs = qs.filter(created_at__gte=_start(since))
    return [event_to_dict(e) for e in qs[:limit]]


def _start(since: date | datetime | str) -> datetime:
    if isinstance(since, str):
        try:
            since = date.fromisoformat(since.strip())
        except ValueError as exc:
            raise BadInput(f"since must be a date YYYY-MM-DD, not {since!r}") from exc
    if not isinstance(since, datetime):
        since = datetime.combine(since, time.min)
    return since if timezone.is_aware(since) else since.replace(tzinfo=UTC)


def event_to_dict(event: AuditEvent) -> dict:
    return {
        "seq": event.seq,
        "created_at": iso(event.created_at),
        "action": event.action,
        "actor": event.actor_username,
        "target": event.target,
        "details": event.details,
        "ip": event.ip,
        "hash": event.hash,
    }
