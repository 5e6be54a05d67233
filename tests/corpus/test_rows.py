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
