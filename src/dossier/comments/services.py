"""Post, edit and hide comments; each change and its audit event in one transaction.

The audit event carries the comment's length and SHA-256, not its text: the audit log is read
by supervisors across compartments, the comment only by those who may see the message.
"""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils import timezone

from dossier.accounts import policy
from dossier.audit.services import audit_record
from dossier.comments.models import Comment
from dossier.corpus.models import Location
from dossier.errors import BadInput, NotFound, PermissionDenied

MAX_BODY = 10_000


def clean_body(body: str) -> str:
    """Trimmed; empty or longer than ``MAX_BODY`` characters is ``BadInput``."""
    text = (body or "").strip()
    if not text:
        raise BadInput("a comment cannot be empty")
    if len(text) > MAX_BODY:
        raise BadInput(f"a comment can be at most {MAX_BODY:,} characters, not {len(text):,}")
    return text


def visible_message_id(user, message_id) -> int:
    """The message id if the message is in one of the user's collections, else ``NotFound``."""
    text = str(message_id).strip()
    ids = policy.visible_collection_ids(user)
    if (
        not text.isdigit()
        or not Location.objects.filter(message_id=int(text), collection_id__in=ids).exists()
    ):
        raise NotFound(f"no message {text[:80]!r} in this workspace")
    return int(text)


def _visible_comment(user, comment_id) -> Comment:
    text = str(comment_id).strip()
    comment = Comment.objects.filter(id=int(text)).first() if text.isdigit() else None
    if comment is None:
        raise NotFound(f"no comment {text[:80]!r}")
    try:
        visible_message_id(user, comment.message_id)
    except NotFound:
        raise NotFound(f"no comment {text[:80]!r}") from None
    return comment


def _details(comment: Comment) -> dict:
    digest = hashlib.sha256(comment.body.encode("utf-8")).hexdigest()
    return {"comment": comment.id, "message": comment.message_id, "length": len(comment.body),
            "sha256": digest}  # fmt: skip


def comment_add(*, user, message_id: int, body: str, ip: str = "") -> Comment:
    policy.require(user, "comment.add")
    text = clean_body(body)
    with transaction.atomic():
        message = visible_message_id(user, message_id)
        comment = Comment.objects.create(message_id=message, author=user, body=text)
        audit_record(action="comment.add", actor=user, target=f"message:{message}",
                     details=_details(comment), ip=ip)  # fmt: skip
    return comment


def comment_edit(*, user, comment_id: int, body: str, ip: str = "") -> Comment:
    """The author edits their own comment; anyone else gets ``PermissionDenied``."""
    policy.require(user, "comment.add")
    text = clean_body(body)
    with transaction.atomic():
        comment = _visible_comment(user, comment_id)
        if comment.author_id != user.pk:
            raise PermissionDenied("only its author can edit a comment")
        if comment.hidden:
            raise PermissionDenied("a hidden comment cannot be edited")
        comment.body, comment.edited_at = text, timezone.now()
        comment.save(update_fields=["body", "edited_at"])
        audit_record(action="comment.edit", actor=user, target=f"message:{comment.message_id}",
                     details=_details(comment), ip=ip)  # fmt: skip
    return comment


def comment_hide(*, user, comment_id: int, ip: str = "") -> Comment:
    """A supervisor or admin hides a comment; hiding a hidden comment changes nothing."""
    policy.require(user, "comment.hide")
    with transaction.atomic():
        comment = _visible_comment(user, comment_id)
        if comment.hidden:
            return comment
        comment.hidden, comment.hidden_by, comment.hidden_at = True, user, timezone.now()
        comment.save(update_fields=["hidden", "hidden_by", "hidden_at"])
        audit_record(action="comment.hide", actor=user, target=f"message:{comment.message_id}",
                     details=_details(comment), ip=ip)  # fmt: skip
    return comment
