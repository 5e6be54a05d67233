"""The writer and threading, fed ParsedMessages directly: dedupe, locations, threads, failures."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest

from dossier.corpus.ingest.types import Member, ParsedAttachment, ParsedMessage
from dossier.corpus.ingest.writer import Batch, write_batch
from dossier.corpus.models import (
    Attachment,
    Collection,
    IngestFailure,
    IngestRun,
    Location,
    Message,
    Thread,
    ThreadKey,
)
from dossier.corpus.threading import build_tree, id_key, is_reply_subject, normalise_subject

pytestmark = pytest.mark.django_db


def pm(
    mid: str, subject: str = "s", refs: tuple[str, ...] = (), day: int = 1, **kw
) -> ParsedMessage:
    raw = hashlib.sha256(f"{mid}{subject}{refs}".encode()).hexdigest()
    return ParsedMessage(
        identity=id_key(mid) if mid else hashlib.sha256(subject.encode()).hexdigest(),
        message_id=mid,
        raw_sha256=raw,
        size=100,
        subject=subject,
        from_addr="a@example.com",
        references=list(refs),
        in_reply_to=refs[-1] if refs else "",
        date=datetime(2011, 1, day, tzinfo=UTC),
        **kw,
    )


def write(messages: list[ParsedMessage], source: str = "/x.mbox", failures=()) -> dict:
    coll, _ = Collection.objects.get_or_create(name="c")
    run = IngestRun.objects.create(collection="c")
    members = [Member(source, str(i), "mbox", b"x") for i, _ in enumerate(messages)]
    batch = Batch(members=members, outcomes=list(messages), failures=list(failures))
    result = write_batch(batch, collection_id=coll.id, run_id=run.id)
    return result.__dict__


def thread_of(mid: str) -> int:
    return Message.objects.get(message_id=mid).thread_id


@pytest.mark.parametrize(
    "subject, base, reply",
    [
        ("Re: hello", "hello", True),
        ("RE[2]: hello", "hello", True),
        ("AW: SV: Fwd: hello", "hello", True),
        ("Fw: re: hello", "hello", True),
        ("hello", "hello", False),
        ("Regarding hello", "Regarding hello", False),
        ("[PATCH] Re: x", "[PATCH] Re: x", False),
    ],
)
def test_subject_normalisation(subject, base, reply):
    assert normalise_subject(subject) == base
    assert is_reply_subject(subject) is reply


def test_references_link_messages_into_one_thread():
    write([pm("a@x", "topic"), pm("b@x", "Re: topic", ("a@x",)), pm("c@x", "other")])
    assert thread_of("a@x") == thread_of("b@x") != thread_of("c@x")
    assert Thread.objects.get(id=thread_of("a@x")).message_count == 2


def test_reply_arriving_before_its_parent_and_a_missing_middle_message():
    # c replies to b (never seen) which replied to a; c arrives first, a later in another batch.
    write([pm("c@x", "Re: t", ("a@x", "b@x"))], source="/one")
    write([pm("a@x", "t")], source="/two")
    assert thread_of("a@x") == thread_of("c@x")


def test_a_message_linking_two_threads_merges_them():
    write([pm("a@x", "t1"), pm("b@x", "t2")], source="/one")
    assert thread_of("a@x") != thread_of("b@x")
    write([pm("c@x", "Re: t1", ("a@x", "b@x"))], source="/two")
    merged = thread_of("a@x")
    assert thread_of("b@x") == merged == thread_of("c@x")
    assert Thread.objects.filter(message_count__gt=0).count() == 1
    assert set(ThreadKey.objects.values_list("thread_id", flat=True)) == {merged}


def test_subject_fallback_only_for_replies_without_references():
    write([pm("a@x", "Budget 7"), pm("b@x", "Re: Budget 7"), pm("c@x", "Budget 7")])
    assert thread_of("a@x") == thread_of("b@x")
    assert thread_of("c@x") != thread_of("a@x")  # not a reply: its own thread


def test_duplicates_become_locations_and_nothing_else():
    first = write([pm("a@x", "t"), pm("b@x", "u")], source="/one.mbox")
    again = write([pm("a@x", "t")], source="/two/maildir")
    assert (first["new"], first["duplicate"]) == (2, 0)
    assert (again["new"], again["duplicate"]) == (0, 1)
    assert Message.objects.count() == 2
    message = Message.objects.get(message_id="a@x")
    assert sorted(message.locations.values_list("source_path", flat=True)) == [
        "/one.mbox",
        "/two/maildir",
    ]


def test_same_identity_twice_in_one_batch_is_one_message():
    result = write([pm("a@x", "t"), pm("a@x", "t")])
    assert (result["new"], result["duplicate"]) == (1, 1)
    assert Location.objects.count() == 2


def test_failures_are_recorded_once_with_reason_and_position():
    bad = Member("/in.mbox", "1234", "mbox", None, "truncated")
    write([pm("a@x")], failures=[bad])
    write([], failures=[Member("/in.mbox", "1234", "mbox", None, "still truncated")])
    failure = IngestFailure.objects.get()
    assert (failure.input_path, failure.position, failure.reason) == (
        "/in.mbox",
        "1234",
        "still truncated",
    )


def test_parser_failure_outcome_is_recorded():
    coll = Collection.objects.create(name="c")
    run = IngestRun.objects.create(collection="c")
    batch = Batch(members=[Member("/m", "7", "maildir", b"junk")], outcomes=["no header"])
    result = write_batch(batch, collection_id=coll.id, run_id=run.id)
    assert result.failed == 1
    assert IngestFailure.objects.get().reason == "no header"


def test_attachments_and_search_text_are_stored():
    att = ParsedAttachment(0, "memo.pdf", "application/pdf", 10, "f" * 64, text="plaza ledger")
    write([pm("a@x", "t", attachments=[att])])
    m = Message.objects.get()
    assert m.has_attachments and m.attachment_text == "plaza ledger" and m.filenames == "memo.pdf"
    assert Attachment.objects.get().blob.text == "plaza ledger"


def test_tree_follows_last_present_reference_and_survives_loops():
    write(
        [
            pm("a@x", "t", day=1),
            pm("b@x", "Re: t", ("a@x",), day=2),
            pm("c@x", "Re: t", ("a@x", "b@x"), day=3),
            pm("d@x", "Re: t", ("a@x", "missing@x"), day=4),
        ]
    )
    messages = list(Message.objects.filter(thread_id=thread_of("a@x")))
    nodes = build_tree(messages)
    by_mid = {m.id: m.message_id for m in messages}
    shape = [(by_mid[n.message_id], n.depth) for n in nodes]
    assert shape == [("a@x", 0), ("b@x", 1), ("c@x", 2), ("d@x", 1)]
    # A reference loop (forged headers) still gives every message exactly once.
    for m in messages:
        m.references = ["c@x"] if m.message_id == "a@x" else m.references
    assert sorted(n.message_id for n in build_tree(messages)) == sorted(by_mid)


def test_merge_inside_one_batch_resolves_earlier_messages():
    # a and b start two threads; c (same batch) links them: a and b must end in the survivor.
    write([pm("a@x", "t1"), pm("b@x", "t2"), pm("c@x", "Re: t1", ("a@x", "b@x"))])
    assert thread_of("a@x") == thread_of("b@x") == thread_of("c@x")
    assert Thread.objects.count() == 1
