"""Database-side append-only guard: triggers that refuse UPDATE and DELETE on audit events.

On SQLite the delete trigger asks ``dossier_audit_locked()``, a function this process registers
on each connection. It answers 1 (refuse) except while Django's ``flush`` command empties the
whole database (tests, ``django-admin flush``), which deletes rows one by one on SQLite. A client
without the function (the ``sqlite3`` shell) gets an error, so deletes fail closed there too.
PostgreSQL's flush uses TRUNCATE, which row triggers do not see; nothing to unlock there.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

_unlocked = 0

TABLE = "audit_auditevent"
_KEPT = ("id", "seq", "created_at", "action", "actor_username", "target", "details", "ip")
_KEPT += ("prev_hash", "hash")

SQLITE_CREATE = [
    f"""CREATE TRIGGER audit_no_update BEFORE UPDATE ON {TABLE}
    WHEN NOT (NEW.actor_id IS NULL AND {" AND ".join(f"NEW.{c} IS OLD.{c}" for c in _KEPT)})
    BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END""",
    f"""CREATE TRIGGER audit_no_delete BEFORE DELETE ON {TABLE}
    WHEN dossier_audit_locked()
    BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END""",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS audit_no_update", "DROP TRIGGER IF EXISTS audit_no_delete"]

_ROW = ", ".join(f"NEW.{c}" for c in _KEPT), ", ".join(f"OLD.{c}" for c in _KEPT)
POSTGRES_CREATE = [
    f"""CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'UPDATE' AND NEW.actor_id IS NULL
         AND ({_ROW[0]}) IS NOT DISTINCT FROM ({_ROW[1]}) THEN
        RETURN NEW;
      END IF;
      RAISE EXCEPTION 'audit log is append-only';
    END $$ LANGUAGE plpgsql""",
    f"""CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_append_only()""",
]
POSTGRES_DROP = [
    f"DROP TRIGGER IF EXISTS audit_append_only ON {TABLE}",
    "DROP FUNCTION IF EXISTS audit_append_only()",
]


def statements(vendor: str, *, create: bool) -> list[str]:
    if vendor == "sqlite":
        return SQLITE_CREATE if create else SQLITE_DROP
    if vendor == "postgresql":
        return POSTGRES_CREATE if create else POSTGRES_DROP
    return []


def _locked() -> int:
    return 0 if _unlocked else 1


def register_sqlite_function(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: give each SQLite connection ``dossier_audit_locked()``."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("dossier_audit_locked", 0, _locked)


@contextlib.contextmanager
def flushing() -> Iterator[None]:
    """Allow row deletes for the duration of a whole-database flush (this process only)."""
    global _unlocked
    _unlocked += 1
    try:
        yield
    finally:
        _unlocked -= 1
