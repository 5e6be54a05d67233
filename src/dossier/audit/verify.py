"""``audit_verify``: walk the chain in ``seq`` order and report the first broken link.

Each event's hash is recomputed from its stored fields and compared, and its ``prev_hash`` must
equal the previous event's hash; ``seq`` must run 1, 2, 3… without gaps. This finds an event
edited, deleted from the middle, inserted, or moved, even when done outside the application
(e.g. with the ``sqlite3`` shell or ``psql`` after dropping the append-only triggers).

It cannot prove that events were not cut from the end, nor that the whole chain was not
recomputed by someone able to write the table: compare ``head`` with a copy kept elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from dossier.audit.hashing import GENESIS, event_hash
from dossier.audit.models import AuditEvent

_FIELDS = ("seq", "created_at", "action", "actor_username", "target", "details", "ip")


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_broken: int | None
    reason: str
    head: str = GENESIS  # hash of the last event checked: note it to detect truncation later


def audit_verify() -> VerifyResult:
    """Recompute the whole chain; stream it so memory stays flat on a long log."""
    prev_hash, expected, checked = GENESIS, 1, 0
    rows = AuditEvent.objects.order_by("seq").values(*_FIELDS, "prev_hash", "hash")
    for row in rows.iterator(chunk_size=2000):
        problem = _check(row, expected, prev_hash)
        if problem is not None:
            seq, reason = problem
            return VerifyResult(False, checked, seq, reason, prev_hash)
        prev_hash, expected, checked = row["hash"], row["seq"] + 1, checked + 1
    return VerifyResult(True, checked, None, f"chain intact: {checked} events", prev_hash)


def _check(row: dict, expected: int, prev_hash: str) -> tuple[int, str] | None:
    seq = row["seq"]
    if seq != expected:
        gap = f"{expected}" if seq == expected + 1 else f"{expected}-{seq - 1}"
        return expected, f"seq {gap} missing: event deleted (next present is {seq})"
    if row["prev_hash"] != prev_hash:
        return seq, (
            f"seq {seq}: prev_hash does not match the hash of seq {seq - 1}"
            " (events reordered, removed or inserted)"
        )
    fields = {name: row[name] for name in _FIELDS}
    if event_hash(**fields, prev_hash=row["prev_hash"]) != row["hash"]:
        return seq, f"seq {seq}: content changed (stored hash does not match its fields)"
    return None
