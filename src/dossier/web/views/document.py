"""The document page (``/message/<id>/``), its raw and attachment downloads, and threads."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from dossier.accounts.policy import can
from dossier.comments.selectors import comments_for
from dossier.corpus import access
from dossier.web.sanitize import sanitize_html
from dossier.web.tree import nest
from dossier.web.views.common import client_ip, download

RELATED = 8


@require_GET
@login_required
def message_page(request, message_id: int):
    user, ip = request.user, client_ip(request)
    doc = access.document_as(user=user, message_id=message_id, ip=ip)
    thread = None
    if doc.get("thread_id"):
        thread = access.thread_as(user=user, thread_id=doc["thread_id"], ip=ip)
    html = doc.get("body_html") or ""
    view = request.GET.get("view") or ("html" if html else "text")
    context = {
        "doc": doc,
        "view": "html" if view == "html" and html else "text",
        "has_html": bool(html),
        "body_html": mark_safe(sanitize_html(html)) if html and view == "html" else "",
        "thread": thread,
        "tree": nest(thread["messages"] if thread else [], current=message_id),
        "related": access.related_as(user=user, message_id=message_id, limit=RELATED),
        "comments": comments_for(user=user, message_id=message_id),
        "provenance": _provenance(doc),
        "can_comment": can(user, "comment.add"),
        "can_download_raw": can(user, "corpus.download_raw"),
    }
    return render(request, "web/document.html", context)


def _provenance(doc: dict) -> dict:
    prov = dict(doc.get("provenance") or {})
    locations = list(prov.get("locations") or doc.get("locations") or [])
    prov.setdefault("sha256", doc.get("raw_sha256"))
    prov.setdefault("size", doc.get("size"))
    prov["original"] = locations[0] if locations else None
    prov["others"] = locations[1:]
    return prov


@require_GET
@login_required
def message_raw(request, message_id: int):
    data = access.raw_as(user=request.user, message_id=message_id, ip=client_ip(request))
    return download(data, f"message-{message_id}.eml")


@require_GET
@login_required
def attachment_download(request, attachment_id: int):
    filename, content_type, data = access.attachment_as(
        user=request.user, attachment_id=attachment_id, ip=client_ip(request)
    )
    return download(data, filename, content_type)


@require_GET
@login_required
def thread_page(request, thread_id: int):
    thread = access.thread_as(user=request.user, thread_id=thread_id, ip=client_ip(request))
    context = {"thread": thread, "tree": nest(thread["messages"], current=None)}
    return render(request, "web/thread.html", context)
