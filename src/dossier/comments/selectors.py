"""The comments on a message, as one user may see them: hidden ones only for those who hide."""

from __future__ import annotations

from dossier.accounts import policy
from dossier.comments.models import Comment
from dossier.comments.services import visible_message_id
from dossier.corpus.selectors import iso
from dossier.errors import PermissionDenied


def comments_for(*, user, message_id: int) -> list[dict]:
    """Oldest first. ``PermissionDenied`` for anonymous users, ``NotFound`` for an invisible
    message. Each: id, author, body, created_at, edited_at, hidden, can_edit, can_hide."""
    if policy.role_of(user) is None:
        raise PermissionDenied("sign in to read comments")
    policy.require(user, "corpus.view")
    message = visible_message_id(user, message_id)
    can_hide = policy.can(user, "comment.hide")
    can_add = policy.can(user, "comment.add")
    qs = (
        Comment.objects.filter(message_id=message)
        .select_related("author")
        .order_by("created_at", "id")
    )
    if not can_hide:
        qs = qs.filter(hidden=False)
    return [
        {
            "id": c.id,
            "author": c.author.get_username() if c.author else "(deleted user)",
            "body": c.body,
            "created_at": iso(c.created_at),
            "edited_at": iso(c.edited_at),
            "hidden": c.hidden,
            "can_edit": can_add and not c.hidden and c.author_id == user.pk,
            "can_hide": can_hide and not c.hidden,
        }
        for c in qs
    ]
