"""The hash chain: appends link up, verify recomputes it, and any edit, deletion or reordering
done behind the application's back is reported at the first broken seq."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from dossier.audit.events import EVENTS
from dossier.audit.hashing import GENESIS, event_hash
from dossier.audit.models import AppendOnlyError, AuditEvent
from dossier.audit.services import audit_record
from dossier.audit.verify import audit_verify
from tests.audit.tamper import drop_triggers, raw, record_many, set_details, swap_seq

pytestmark = pytest.mark.django_db


def test_events_link_into_a_chain() -> None:
    record_many(3)
    events = list(AuditEvent.objects.order_by("seq"))
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[0].prev_hash == GENESIS
    assert events[1].prev_hash == events[0].hash and events[2].prev_hash == events[1].hash
    first = events[0]
    assert first.hash == event_hash(
        seq=1,
        created_at=first.created_at,
        action="search.run",
        actor_username="",
        target="search",
        details={"query": "q0", "n": 0},
        ip="",
        prev_hash=GENESIS,
    )


def test_verify_intact_chain() -> None:
    assert audit_verify() == audit_verify().__class__(True, 0, None, "chain intact: 0 events")
    record_many(4)
    result = audit_verify()
    assert (result.ok, result.checked, result.first_broken) == (True, 4, None)
    assert result.reason == "chain intact: 4 events"
    assert result.head == AuditEvent.objects.get(seq=4).hash


def test_unknown_action_and_missing_transaction_are_refused() -> None:
    with transaction.atomic(), pytest.raises(ValueError, match="unknown audit action"):
        audit_record(action="nope.never")
    assert "comment.hide" in EVENTS and "audit.view" in EVENTS


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_is_refused() -> None:
    with pytest.raises(RuntimeError, match="transaction.atomic"):
        audit_record(action="search.run")
    assert AuditEvent.objects.count() == 0


def test_details_and_ip_round_trip_unchanged() -> None:
    with transaction.atomic():
        audit_record(
            action="export.run",
            target="export",
            details={"query": "naïve “quotes” \u2028", "count": 3, "nested": {"b": [1, 2]}},
            ip="2001:db8::1",
        )
    assert audit_verify().ok


@pytest.mark.parametrize("seq", [1, 3, 5])
def test_verify_finds_an_edited_detail(seq: int) -> None:
    record_many(5)
    drop_triggers()
    set_details(seq, {"query": "something else", "n": seq - 1})
    result = audit_verify()
    assert (result.ok, result.first_broken, result.checked) == (False, seq, seq - 1)
    assert "content changed" in result.reason


def test_verify_finds_an_edited_column() -> None:
    record_many(4)
    drop_triggers()
    raw("UPDATE audit_auditevent SET actor_username = 'mallory' WHERE seq = 2")
    result = audit_verify()
    assert (result.ok, result.first_broken) == (False, 2)


@pytest.mark.parametrize(("deleted", "reported"), [(2, 2), (1, 1), ((2, 3), 2)])
def test_verify_finds_a_deleted_event(deleted, reported: int) -> None:
    record_many(5)
    drop_triggers()
    for seq in deleted if isinstance(deleted, tuple) else (deleted,):
        raw("DELETE FROM audit_auditevent WHERE seq = %s", [seq])
    result = audit_verify()
    assert (result.ok, result.first_broken) == (False, reported)
    assert "deleted" in result.reason


def test_verify_finds_a_deletion_hidden_by_renumbering() -> None:
    record_many(5)
    drop_triggers()
    raw("DELETE FROM audit_auditevent WHERE seq = 3")
    raw("UPDATE audit_auditevent SET seq = seq - 1 WHERE seq = 4")
    raw("UPDATE audit_auditevent SET seq = seq - 1 WHERE seq = 5")
    result = audit_verify()
    assert (result.ok, result.first_broken) == (False, 3)
    assert "prev_hash" in result.reason


def test_verify_finds_two_events_swapped() -> None:
    record_many(6)
    drop_triggers()
    swap_seq(2, 5)
    result = audit_verify()
    assert (result.ok, result.first_broken) == (False, 2)
    assert "reordered" in result.reason


def test_verify_finds_neighbours_swapped() -> None:
    record_many(4)
    drop_triggers()
    swap_seq(3, 4)
    assert audit_verify().first_broken == 3


def test_model_refuses_changes() -> None:
    record_many(2)
    event = AuditEvent.objects.get(seq=1)
    event.target = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(seq=1).update(target="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert audit_verify().ok


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET target = 'x' WHERE seq = 1",
        "UPDATE audit_auditevent SET actor_id = NULL, target = 'x' WHERE seq = 1",
        "DELETE FROM audit_auditevent WHERE seq = 1",
        "DELETE FROM audit_auditevent",
    ],
)
def test_database_triggers_refuse_raw_sql(sql: str) -> None:
    record_many(2)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw(sql)
    assert AuditEvent.objects.count() == 2 and audit_verify().ok


def test_deleting_a_user_keeps_their_events(django_user_model) -> None:
    user = django_user_model.objects.create_user("gone", password="x" * 12)
    with transaction.atomic():
        audit_record(action="search.run", actor=user, target="search")
    user.delete()
    event = AuditEvent.objects.get(seq=1)
    assert event.actor_id is None and event.actor_username == "gone"
    assert audit_verify().ok


def test_appends_use_the_advisory_lock_on_postgresql(django_assert_num_queries) -> None:
    record_many(1)
    expected = 3 if connection.vendor == "postgresql" else 2  # lock, last event, insert
    with transaction.atomic(), django_assert_num_queries(expected) as ctx:
        audit_record(action="search.run")
    if connection.vendor == "postgresql":
        assert "pg_advisory_xact_lock" in ctx.captured_queries[0]["sql"]


def test_nul_and_lone_surrogates_are_stored_as_replacement_and_verify() -> None:
    """PostgreSQL text and jsonb cannot hold NUL; what is stored is what was hashed."""
    with transaction.atomic():
        audit_record(
            action="auth.login_failed",
            target="user:a\x00b",
            details={"username": "a\x00b", "k\x00": ["x\x00"], "q": "\ud9ea"},
            ip="1\x00",
            actor_username="z\x00",
        )
    event = AuditEvent.objects.get()
    assert event.target == "user:a\ufffdb" and event.ip == "1\ufffd"
    assert event.details == {"username": "a\ufffdb", "k\ufffd": ["x\ufffd"], "q": "\ufffd"}
    assert event.actor_username == "z\ufffd"
    assert audit_verify().ok


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_one_chain() -> None:
    """Writers in parallel threads (own connections) never link to the same predecessor. The
    flush that empties the database after this test also passes the delete trigger."""
    import threading

    from django.db import connections

    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(10):
                with transaction.atomic():
                    audit_record(action="search.run", details={"writer": n, "i": i})
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert list(AuditEvent.objects.values_list("seq", flat=True)) == list(range(1, 41))
    assert audit_verify().checked == 40 and audit_verify().ok
