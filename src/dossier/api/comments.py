"""Comments on messages: read, post, edit your own, hide (supervisors and admins)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Path, Router, Status
from ninja.responses import codes_4xx

from dossier.api.auth import client_ip
from dossier.api.schemas import MAX_ID, CommentIn, CommentOut, Error
from dossier.comments import selectors, services
from dossier.errors import NotFound

router = Router(tags=["comments"])


def _one(user, message_id: int, comment_id: int) -> dict:
    """A comment as the selector shows it to ``user`` (one rendering, the one the pages use)."""
    for comment in selectors.comments_for(user=user, message_id=message_id):
        if comment["id"] == comment_id:
            return comment
    raise NotFound(f"no comment {comment_id}")


@router.get("/messages/{message_id}/comments", response={200: list[CommentOut], codes_4xx: Error})
def comment_list(request: HttpRequest, message_id: int = Path(..., ge=1, le=MAX_ID)):
    """Comments on a message you can see, oldest first."""
    return selectors.comments_for(user=request.auth, message_id=message_id)


@router.post("/messages/{message_id}/comments", response={201: CommentOut, codes_4xx: Error})
def comment_add(
    request: HttpRequest, payload: CommentIn, message_id: int = Path(..., ge=1, le=MAX_ID)
):
    """Post a comment. Audited as `comment.add`."""
    comment = services.comment_add(
        user=request.auth, message_id=message_id, body=payload.body, ip=client_ip(request)
    )
    return Status(201, _one(request.auth, message_id, comment.id))


@router.patch("/comments/{comment_id}", response={200: CommentOut, codes_4xx: Error})
def comment_edit(
    request: HttpRequest, payload: CommentIn, comment_id: int = Path(..., ge=1, le=MAX_ID)
):
    """Change the text of your own comment. Audited as `comment.edit`."""
    comment = services.comment_edit(
        user=request.auth, comment_id=comment_id, body=payload.body, ip=client_ip(request)
    )
    return _one(request.auth, comment.message_id, comment.id)


@router.post("/comments/{comment_id}/hide", response={200: CommentOut, codes_4xx: Error})
def comment_hide(request: HttpRequest, comment_id: int = Path(..., ge=1, le=MAX_ID)):
    """Hide a comment (needs `comment.hide`: supervisors, admins). Audited as `comment.hide`."""
    comment = services.comment_hide(user=request.auth, comment_id=comment_id, ip=client_ip(request))
    return _one(request.auth, comment.message_id, comment.id)
