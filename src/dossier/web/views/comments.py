"""Comment forms on the document page: add, edit one's own, hide (supervisors). POST only."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from dossier.comments import services
from dossier.web.views.common import client_ip


def _back(message_id: int):
    return redirect(reverse("web:message", args=[message_id]) + "#comments")


def _body(request) -> str:
    return request.POST.get("body", "")  # the service checks it (empty, too long)


@require_POST
@login_required
def comment_add(request, message_id: int):
    services.comment_add(
        user=request.user, message_id=message_id, body=_body(request), ip=client_ip(request)
    )
    return _back(message_id)


@require_POST
@login_required
def comment_edit(request, message_id: int, comment_id: int):
    services.comment_edit(
        user=request.user, comment_id=comment_id, body=_body(request), ip=client_ip(request)
    )
    return _back(message_id)


@require_POST
@login_required
def comment_hide(request, message_id: int, comment_id: int):
    services.comment_hide(user=request.user, comment_id=comment_id, ip=client_ip(request))
    return _back(message_id)
