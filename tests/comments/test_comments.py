"""Comments: post on visible messages only, edit your own, supervisors hide; each audited."""

from __future__ import annotations

import hashlib

import pytest
from django.contrib.auth.models import AnonymousUser

from dossier.audit.models import AuditEvent
from dossier.audit.verify import audit_verify
from dossier.comments.models import Comment
from dossier.comments.selectors import comments_for
from dossier.comments.services import MAX_BODY, comment_add, comment_edit, comment_hide
from dossier.errors import BadInput, NotFound, PermissionDenied
from tests.accounts.compartments import World, build, fresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tmp_path, settings) -> World:
    return build(tmp_path, settings)


def user(world: World, name: str):
    return fresh(world.users[name])


def new_events(before: int) -> list[tuple[str, str, str]]:
    rows = AuditEvent.objects.filter(seq__gt=before).order_by("seq")
    return [(e.action, e.actor_username, e.target) for e in rows]


def last_seq() -> int:
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def test_add_edit_hide_each_write_their_event(world: World) -> None:
    a1 = world.ids["a1"]
    start = last_seq()
    comment = comment_add(user=user(world, "reader_a"), message_id=a1, body="  Check the dates.\n")
    assert comment.body == "Check the dates." and comment.author.username == "reader_a"
    comment_edit(user=user(world, "reader_a"), comment_id=comment.id, body="Check the dates!")
    comment_hide(user=user(world, "supervisor_a"), comment_id=comment.id)
    comment_hide(user=user(world, "supervisor_a"), comment_id=comment.id)  # already hidden
    assert new_events(start) == [
        ("comment.add", "reader_a", f"message:{a1}"),
        ("comment.edit", "reader_a", f"message:{a1}"),
        ("comment.hide", "supervisor_a", f"message:{a1}"),
    ]
    edit = AuditEvent.objects.get(action="comment.edit")
    digest = hashlib.sha256(b"Check the dates!").hexdigest()
    assert edit.details == {"comment": comment.id, "message": a1, "length": 16, "sha256": digest}
    comment.refresh_from_db()
    assert comment.edited_at and comment.hidden and comment.hidden_by.username == "supervisor_a"
    assert audit_verify().ok


def test_only_the_author_edits(world: World) -> None:
    comment = comment_add(user=user(world, "reader_a"), message_id=world.ids["a1"], body="mine")
    start = last_seq()
    for other in ("analyst_a", "supervisor_a", "editor_a"):
        with pytest.raises(PermissionDenied):
            comment_edit(user=user(world, other), comment_id=comment.id, body="theirs")
    comment.refresh_from_db()
    assert comment.body == "mine" and last_seq() == start


def test_hidden_comments_cannot_be_edited(world: World) -> None:
    comment = comment_add(user=user(world, "reader_a"), message_id=world.ids["a1"], body="x")
    comment_hide(user=user(world, "supervisor_a"), comment_id=comment.id)
    with pytest.raises(PermissionDenied):
        comment_edit(user=user(world, "reader_a"), comment_id=comment.id, body="y")


@pytest.mark.parametrize("name", ["reader_a", "analyst_a", "editor_a"])
def test_hiding_needs_comment_hide(world: World, name: str) -> None:
    comment = comment_add(user=user(world, "reader_a"), message_id=world.ids["a1"], body="x")
    with pytest.raises(PermissionDenied):
        comment_hide(user=user(world, name), comment_id=comment.id)


def test_invisible_messages_and_comments_are_not_found(world: World) -> None:
    reader_b = user(world, "reader_b")
    theirs = comment_add(user=reader_b, message_id=world.ids["b1"], body="bravo only")
    start = last_seq()
    for message_id in (world.ids["b1"], 10**9, "nope"):
        with pytest.raises(NotFound):
            comment_add(user=user(world, "reader_a"), message_id=message_id, body="hello")
        with pytest.raises(NotFound):
            comments_for(user=user(world, "reader_a"), message_id=message_id)
    with pytest.raises(NotFound):
        comment_hide(user=user(world, "supervisor_a"), comment_id=theirs.id)
    with pytest.raises(NotFound):
        comment_edit(user=user(world, "reader_a"), comment_id=theirs.id, body="x")
    with pytest.raises(NotFound):
        comment_add(user=user(world, "admin"), message_id=world.ids["a1"], body="no grant")
    assert last_seq() == start and Comment.objects.count() == 1


def test_anonymous_users_cannot_comment_or_read(world: World) -> None:
    for anon in (AnonymousUser(), None):
        with pytest.raises(PermissionDenied):
            comment_add(user=anon, message_id=world.ids["a1"], body="hi")
        with pytest.raises(PermissionDenied):
            comments_for(user=anon, message_id=world.ids["a1"])


@pytest.mark.parametrize("body", ["", "   \n\t ", "x" * (MAX_BODY + 1)])
def test_bad_bodies(world: World, body: str) -> None:
    with pytest.raises(BadInput):
        comment_add(user=user(world, "reader_a"), message_id=world.ids["a1"], body=body)
    assert not Comment.objects.exists()


def test_longest_body_is_accepted(world: World) -> None:
    body = "y" * MAX_BODY
    comment = comment_add(user=user(world, "reader_a"), message_id=world.ids["a1"], body=body)
    assert len(comment.body) == MAX_BODY


def test_comments_for_shows_hidden_only_to_those_who_hide(world: World) -> None:
    a1 = world.ids["a1"]
    kept = comment_add(user=user(world, "reader_a"), message_id=a1, body="first")
    gone = comment_add(user=user(world, "analyst_a"), message_id=a1, body="<b>second</b>")
    comment_hide(user=user(world, "supervisor_a"), comment_id=gone.id)
    as_reader = comments_for(user=user(world, "reader_a"), message_id=a1)
    assert [(c["id"], c["author"], c["body"], c["can_edit"], c["can_hide"]) for c in as_reader] == [
        (kept.id, "reader_a", "first", True, False)
    ]
    as_sup = comments_for(user=user(world, "supervisor_a"), message_id=a1)
    assert [(c["id"], c["hidden"], c["can_edit"], c["can_hide"]) for c in as_sup] == [
        (kept.id, False, False, True),
        (gone.id, True, False, False),
    ]
    assert set(as_sup[0]) == {"id", "author", "body", "created_at", "edited_at", "hidden",
                              "can_edit", "can_hide"}  # fmt: skip
    assert as_sup[0]["created_at"].endswith("Z") and as_sup[0]["edited_at"] is None
    assert comments_for(user=user(world, "reader_b"), message_id=world.ids["shared"]) == []
