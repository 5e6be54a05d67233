"""``GET /api/audit``: the audit log, newest first, for supervisors and admins."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from ninja import Query, Router
from ninja.responses import codes_4xx

from dossier.api.auth import client_ip
from dossier.api.schemas import AuditEventOut, Error
from dossier.api.services import audit_log_as
from dossier.audit.selectors import MAX_LIMIT

router = Router(tags=["audit"])


@router.get("/audit", response={200: list[AuditEventOut], codes_4xx: Error})
def audit_log(
    request: HttpRequest,
    user: str | None = Query(None, max_length=200, description="Only events by this username."),
    action: str | None = Query(
        None, max_length=64, description="An event name, or a prefix ending in '.' (search.)."
    ),
    since: date | None = Query(None, description="Only events from this day on (UTC)."),
    limit: int = Query(100, ge=1, le=MAX_LIMIT, description="At most this many events."),
):
    """Needs the `audit.read` permission (supervisor, admin). Audited as `audit.view`."""
    return audit_log_as(
        user=request.auth,
        username=user,
        action=action,
        since=since,
        limit=limit,
        ip=client_ip(request),
    )
