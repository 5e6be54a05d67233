"""The audit log page (``/audit/?user=&action=``), for supervisors and admins."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dossier.accounts.policy import require
from dossier.audit.events import EVENTS
from dossier.audit.selectors import audit_events
from dossier.audit.services import audit_record
from dossier.web.views.common import client_ip

LIMIT = 200


@require_GET
@login_required
def audit_page(request):
    require(request.user, "audit.read")
    username = request.GET.get("user", "").strip()[:150] or None
    action = request.GET.get("action", "").strip()[:100] or None
    with transaction.atomic():
        events = audit_events(username=username, action=action, limit=LIMIT)
        audit_record(
            action="audit.view",
            actor=request.user,
            details={"user": username, "action": action},
            ip=client_ip(request),
        )
    context = {
        "events": [{**e, "details_text": _details(e.get("details"))} for e in events],
        "filter_user": username or "",
        "filter_action": action or "",
        "actions": sorted(EVENTS),
        "limit": LIMIT,
    }
    return render(request, "web/audit.html", context)


def _details(details) -> str:
    if not details:
        return ""
    return json.dumps(details, ensure_ascii=False, sort_keys=True, default=str)
