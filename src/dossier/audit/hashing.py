"""The hash of one audit event: SHA-256 over a canonical JSON of its recorded fields.

The link (``prev_hash``) is inside the hashed text, so each event seals the one before it.
The actor's database id is not hashed: deleting a user nulls it, the recorded username stays.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64


def iso(value: datetime) -> str:
    """UTC with microseconds: what both databases store and give back unchanged."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def clean_text(value: str) -> str:
    """NUL and lone surrogates as U+FFFD: PostgreSQL cannot store NUL, neither database (nor
    UTF-8) a lone surrogate, and both must store exactly what was hashed."""
    return _UNSTORABLE.sub("\ufffd", value)


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(str(k)): _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def canonical(details: Any) -> Any:
    """``details`` as the JSON column will give it back (tuples become lists, keys strings),
    with NUL characters replaced."""
    plain = json.loads(json.dumps(details if details is not None else {}, ensure_ascii=False))
    return _clean(plain)


def event_hash(
    *,
    seq: int,
    created_at: datetime,
    action: str,
    actor_username: str,
    target: str,
    details: Any,
    ip: str,
    prev_hash: str,
) -> str:
    payload = {
        "seq": seq,
        "created_at": iso(created_at),
        "action": action,
        "actor_username": actor_username,
        "target": target,
        "details": details,
        "ip": ip,
        "prev_hash": prev_hash,
    }
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
