"""Threads: which messages belong together, kept up to date as mail arrives.

Membership is incremental (as notmuch does it): a thread is the set of messages linked through
Message-ID / In-Reply-To / References, directly or through referenced ids never seen as messages.
``ThreadKey`` maps every id seen (as a message or a reference) to its thread, so a new message finds
its thread with one indexed lookup, and a message that links two threads merges them. A reply with
no references at all (a ``Re:`` subject, nothing else) joins the latest thread whose first message
has the same normalised subject: JWZ's subject fallback, limited to replies so that two unrelated
messages both called "hello" stay apart.

The tree inside a thread is computed on demand by ``build_tree`` (JWZ's parent rule on the
thread's own messages), so it is never stored and never goes stale.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection

from dossier.corpus.ingest.rows import column, insert, lookup, padded, table
from dossier.corpus.ingest.rowvalues import id_key
from dossier.corpus.models import Message, Thread, ThreadKey

_PREFIX = re.compile(
    r"^\s*(?:(?:re|fwd?|fw|aw|sv|vs|wg|tr|antw|rif|ref)\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*)+",
    re.IGNORECASE,
)


def normalise_subject(subject: str) -> str:
    """Strip reply/forward prefixes (``Re:``, ``Fwd:``, ``AW:``, ``SV:``, ``RE[2]:``), repeated."""
    return " ".join(_PREFIX.sub("", subject or "").split())


def is_reply_subject(subject: str) -> bool:
    return bool(_PREFIX.match(subject or ""))


def subject_key(subject: str) -> str:
    normalised = normalise_subject(subject).casefold()
    return (
        hashlib.sha256(normalised.encode("utf-8", "surrogatepass")).hexdigest()
        if normalised
        else ""
    )


@dataclass
class Threadable:
    """What threading needs to know about one new message."""

    identity: str
    subject: str
    references: Sequence[str]  # normalised Message-IDs, In-Reply-To included
    thread_id: int | None = None
    keys: list[str] = field(default_factory=list)  # its identity and its references' keys


class ThreadAssigner:
    """Assigns threads to one batch of new messages, inside the writer's transaction."""

    def __init__(self) -> None:
        self.key_thread: dict[str, int] = {}
        self.new_keys: set[str] = set()
        self.touched: set[int] = set()
        self.merged: dict[int, int] = {}  # thread merged away -> the thread it went into

    def assign(self, items: Sequence[Threadable]) -> set[int]:
        """Set ``thread_id`` on every item; return the ids of threads whose messages changed."""
        for item in items:
            if not item.keys:  # not computed by the parser worker
                item.keys = [item.identity, *(id_key(ref) for ref in item.references)]
        all_keys = {key for item in items for key in item.keys}
        self.key_thread.update(_lookup_keys(all_keys))
        for item in items:
            self._assign_one(item)
        for item in items:  # a later message of the batch may have merged an earlier one's thread
            item.thread_id = self._resolve(item.thread_id) if item.thread_id else None
        self._save_keys()
        return {self._resolve(t) for t in self.touched}

    def _resolve(self, thread_id: int) -> int:
        while thread_id in self.merged:
            thread_id = self.merged[thread_id]
        return thread_id

    def _assign_one(self, item: Threadable) -> None:
        found = sorted(
            {self._resolve(self.key_thread[k]) for k in item.keys if k in self.key_thread}
        )
        if not found and not item.references and is_reply_subject(item.subject):
            by_subject = _thread_by_subject(subject_key(item.subject))
            found = [self._resolve(by_subject)] if by_subject else []
        if not found:
            found = [_new_thread(item.subject)]
        target = found[0]
        for other in found[1:]:
            self._merge(other, into=target)
        for key in item.keys:
            if self.key_thread.get(key) != target:
                self.key_thread[key] = target
                self.new_keys.add(key)
        item.thread_id = target
        self.touched.add(target)

    def _merge(self, other: int, *, into: int) -> None:
        Message.objects.filter(thread_id=other).update(thread_id=into)
        ThreadKey.objects.filter(thread_id=other).update(thread_id=into)
        Thread.objects.filter(id=other).delete()
        self.merged[other] = into
        self.touched.discard(other)

    def _save_keys(self) -> None:
        if not self.new_keys:
            return
        rows = [(k, self._resolve(self.key_thread[k])) for k in self.new_keys]
        key, thread = column(ThreadKey, "key"), column(ThreadKey, "thread")
        upsert = f" ON CONFLICT ({key}) DO UPDATE SET {thread} = EXCLUDED.{thread}"
        insert(ThreadKey, ("key", "thread"), rows, conflict=upsert)
        self.new_keys.clear()


def _new_thread(subject: str) -> int:
    """Insert one thread row and return its id (a plain INSERT ... RETURNING: this runs once per
    new thread, and ``objects.create`` cost more than the insert itself)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table(Thread)} (subject, subject_key, message_count) "
            "VALUES (%s, %s, 0) RETURNING id",
            [normalise_subject(subject), subject_key(subject)],
        )
        return cursor.fetchone()[0]


def _lookup_keys(keys: Iterable[str]) -> dict[str, int]:
    return lookup(ThreadKey, "key", "thread", keys)


def _thread_by_subject(key: str) -> int | None:
    if not key:
        return None
    return (
        Thread.objects.filter(subject_key=key).order_by("-id").values_list("id", flat=True).first()
    )


def refresh_thread_stats(thread_ids: Iterable[int]) -> None:
    """Recount messages and date bounds of these threads (after a batch was written).

    One UPDATE with correlated subqueries per 500 threads: each is answered from the
    ``(thread, date)`` index, where an aggregate query plus ``bulk_update`` (a CASE per row)
    cost more than the rest of the batch's threading."""
    ids = sorted(set(thread_ids))
    msg, thr = table(Message), table(Thread)
    of_thread = f"FROM {msg} m WHERE m.thread_id = {thr}.id"
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            chunk = padded(ids[start : start + 500])
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"UPDATE {thr} SET message_count = (SELECT COUNT(*) {of_thread}), "
                f"first_date = (SELECT MIN(m.date) {of_thread}), "
                f"last_date = (SELECT MAX(m.date) {of_thread}) WHERE id IN ({marks})",
                chunk,
            )


@dataclass
class TreeNode:
    message_id: int
    parent_id: int | None
    depth: int
    date: datetime | None


def build_tree(messages: Sequence[Message]) -> list[TreeNode]:
    """JWZ's parent rule inside one thread: a message's parent is the last of its references that
    is a message of the thread (In-Reply-To counts as the last reference). Returns nodes in
    depth-first order, children by date; messages whose parent is absent are roots."""
    by_mid = {m.message_id: m for m in messages if m.message_id}
    parent: dict[int, int | None] = {}
    for m in messages:
        refs = list(m.references or [])
        chosen = next(
            (by_mid[r] for r in reversed(refs) if r in by_mid and by_mid[r].id != m.id), None
        )
        parent[m.id] = chosen.id if chosen else None
    parent = _break_cycles(parent)
    children: dict[int | None, list[Message]] = {}
    for m in messages:
        children.setdefault(parent[m.id], []).append(m)
    for kids in children.values():
        kids.sort(key=lambda m: (m.date is None, m.date.timestamp() if m.date else 0.0, m.id))
    out: list[TreeNode] = []
    stack = [(m, 0) for m in reversed(children.get(None, []))]
    while stack:
        m, depth = stack.pop()
        out.append(TreeNode(m.id, parent[m.id], depth, m.date))
        stack.extend((c, depth + 1) for c in reversed(children.get(m.id, [])))
    return out


def _break_cycles(parent: dict[int, int | None]) -> dict[int, int | None]:
    """References can loop (forged or broken headers); cut each loop so the tree stays a tree."""
    fixed = dict(parent)
    for start in fixed:
        seen = {start}
        node = fixed[start]
        while node is not None:
            if node == start:
                fixed[start] = None
                break
            if node in seen:
                break  # a loop not through start: cut when its own members come up
            seen.add(node)
            node = fixed.get(node)
    return fixed
