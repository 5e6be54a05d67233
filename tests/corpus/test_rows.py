"""The writer's direct value adaptation equals Django's ``get_db_prep_save`` for its fields."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.db import connection

from dossier.corpus.ingest.rows import _prep
from dossier.corpus.models import Message

VALUES = {
    "date": [
        None,
        datetime(2011, 3, 4, 5, 6, 7, tzinfo=UTC),
        datetime(2011, 3, 4, 5, 6, 7, 890123, tzinfo=UTC),
        datetime(1999, 12, 31, 23, 0, tzinfo=timezone(timedelta(hours=-5))),
        datetime(2030, 1, 1, tzinfo=timezone(timedelta(hours=5, minutes=30))),
    ],
    "created_at": [datetime(2026, 11, 29, 18, 0, 0, 1, tzinfo=UTC)],
    "to_addrs": [[], ["a@b.org"], ["zoë@x.org", 'q"uote@x.org', "back\\\\slash@x"], None],
    "references": [["<x@y>", "\\u2028 odd"]],
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(VALUES))
def test_direct_adaptation_equals_djangos(name):
    field = Message._meta.get_field(name)
    prep = _prep(field)
    assert prep is not None
    for value in VALUES[name]:
        expected = field.get_db_prep_save(value, connection)
        got = prep(value)
        if connection.vendor == "sqlite":
            assert got == expected
        else:  # PostgreSQL keeps Django's own adapters (Jsonb objects, aware datetimes)
            assert type(got) is type(expected)


@pytest.mark.django_db
def test_worker_row_values_equal_djangos_for_every_field():
    """``rowvalues.sqlite_values`` (computed in the parser worker) holds, field by field, what
    Django's ``get_db_prep_save`` makes of ``rowvalues.values`` on SQLite."""
    from dossier.corpus.ingest.rowvalues import WORKER_FIELDS, sqlite_values, values
    from dossier.corpus.ingest.types import ParsedAttachment, ParsedMessage

    parsed = ParsedMessage(
        identity="i" * 64,
        message_id="m@x",
        raw_sha256="r" * 64,
        size=123,
        subject="Zoë \u2028 subject",
        from_addr="a@B.example.org",
        from_name="Ann",
        to=[("Bob", "bob@x.org"), ("", 'q"uote@x.org')],
        cc=[],
        date=datetime(1999, 12, 31, 23, 0, tzinfo=timezone(timedelta(hours=-5))),
        in_reply_to="p@x",
        references=["o@x", "p@x"],
        body_text="body",
        attachments=[ParsedAttachment(0, "a.pdf", "application/pdf", 3, "s" * 64, text="pdf")],
    )
    plain, adapted = values(parsed), sqlite_values(parsed)
    for name, value, got in zip(WORKER_FIELDS, plain, adapted, strict=True):
        field = Message._meta.get_field(name)
        expected = field.get_db_prep_save(value, connection)
        if connection.vendor == "sqlite":
            assert got == expected, name
    assert dict(zip(WORKER_FIELDS, plain, strict=True))["to_text"] == (
        'Bob <bob@x.org>, q"uote@x.org'
    )


@pytest.mark.django_db
def test_lookups_of_any_length_use_few_statements_and_find_the_same_rows():
    """IN lists are padded to powers of two, so lookups of 1 to 600 keys compile at most 10
    statements, and the padding (repeats of the last key) changes nothing found."""
    from django.test.utils import CaptureQueriesContext

    from dossier.corpus.ingest.rows import lookup, padded
    from dossier.corpus.models import Blob, Collection

    raw = Blob.objects.create(sha256="c" * 64, size=1)
    collection = Collection.objects.create(name="rows")
    ids = {}
    for i in range(40):
        message = Message.objects.create(
            identity=f"row{i:04d}".ljust(64, "0"), collection=collection, raw=raw
        )
        ids[message.identity] = message.id
    keys = sorted(ids)
    assert padded([]) == [] and padded([7]) == [7] and padded([1, 2, 3]) == [1, 2, 3, 3]
    with CaptureQueriesContext(connection) as queries:
        for n in range(1, 601):
            found = keys[: n % 41]
            wanted = found + [f"missing{n}-{j}" for j in range(n - len(found))]
            assert lookup(Message, "identity", "id", wanted) == {k: ids[k] for k in found}
    lengths = {q["sql"].split(" IN (")[1].count(",") + 1 for q in queries.captured_queries}
    assert lengths <= {2**i for i in range(10)}  # 1, 2, 4 ... 512: ten statements


def test_the_message_row_keeps_the_attachment_text_the_index_reads():
    """``attachment_text`` in the message row stops at ``ATTACHMENT_TEXT_KEPT`` characters (all
    that either index reads); each attachment keeps its whole text with its blob."""
    from dossier.corpus.ingest.rowvalues import ATTACHMENT_TEXT_KEPT, attachments_text
    from dossier.corpus.ingest.types import ParsedAttachment, ParsedMessage
    from dossier.corpus.search.index import INDEXED_CHARS
    from dossier.corpus.search.postgres_fts import INDEXED_CHARS as PG_INDEXED_CHARS

    assert ATTACHMENT_TEXT_KEPT >= INDEXED_CHARS["attachment_text"]
    assert ATTACHMENT_TEXT_KEPT >= PG_INDEXED_CHARS["attachment_text"]

    def message(*texts: str) -> ParsedMessage:
        return ParsedMessage(
            identity="i" * 64, message_id="m@x", raw_sha256="r" * 64, size=1,
            attachments=[
                ParsedAttachment(i, f"{i}.txt", "text/plain", len(t), f"{i}" * 64, text=t)
                for i, t in enumerate(texts)
            ],
        )  # fmt: skip

    small = message("first", "", "third")
    assert attachments_text(small) == "first\n\nthird"
    texts = [letter * 600_000 for letter in "abc"]
    kept = attachments_text(message(*texts))
    full = "\n\n".join(texts)
    assert kept == full[:ATTACHMENT_TEXT_KEPT]
    exact = "x" * ATTACHMENT_TEXT_KEPT
    assert attachments_text(message(exact, "more")) == exact
