"""Tampering as an intruder with database access would: drop the append-only triggers, then
change rows with raw SQL. Inside a test's transaction, the rollback restores the triggers."""

from __future__ import annotations

import json

from django.db import connection, transaction

from dossier.audit import guard
from dossier.audit.services import audit_record


def drop_triggers() -> None:
    with connection.cursor() as cursor:
        for sql in guard.statements(connection.vendor, create=False):
            cursor.execute(sql)


def raw(sql: str, params: list | tuple = ()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def set_details(seq: int, details: dict) -> None:
    cast = "::jsonb" if connection.vendor == "postgresql" else ""
    raw(
        f"UPDATE audit_auditevent SET details = %s{cast} WHERE seq = %s", [json.dumps(details), seq]
    )


def swap_seq(a: int, b: int) -> None:
    raw("UPDATE audit_auditevent SET seq = -1 WHERE seq = %s", [a])
    raw("UPDATE audit_auditevent SET seq = %s WHERE seq = %s", [a, b])
    raw("UPDATE audit_auditevent SET seq = %s WHERE seq = -1", [b])


def record_many(n: int) -> None:
    for i in range(n):
        with transaction.atomic():
            audit_record(action="search.run", target="search", details={"query": f"q{i}", "n": i})
