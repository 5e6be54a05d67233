"""A small corpus built row by row, and the hit sets every backend must return for it.

The same table of queries runs on SQLite and on PostgreSQL (the suite runs once per backend), so
exact expected ids here are what makes the two compilers agree. Other search tests import the
``corpus`` fixture from this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from dossier.corpus.models import Blob, Collection, Location, Message, Thread
from dossier.corpus.search.index import index_messages
from dossier.corpus.search.service import count, search

RAW = "0" * 64


@dataclass
class Corpus:
    """Message ids by short name (m1..m6), collections and threads by name."""

    ids: dict[str, int]
    collections: dict[str, Collection]
    threads: dict[str, Thread]

    def names(self, ids) -> set[str]:
        by_id = {v: k for k, v in self.ids.items()}
        return {by_id[i] for i in ids}


MESSAGES = {
    "m1": dict(
        subject="Falcon project kickoff",
        sender=("Alice Smith", "alice@example.com"),
        to=[("Bob Jones", "bob@firm.example")],
        date=datetime(2011, 3, 5, 10, 0, tzinfo=UTC),
        body="Kickoff meeting for the falcon project. Invoice INV-2024-0042 is attached.",
        attachment_text="Invoice total 4,200 EUR",
        filenames="invoice.pdf",
        collection="Enron",
        also_in=["Leaks"],
        thread="T1",
    ),
    "m2": dict(
        subject="Re: Falcon project kickoff",
        sender=("Bob Jones", "bob@firm.example"),
        to=[("Alice Smith", "alice@example.com")],
        cc=[("", "carol@example.org")],
        date=datetime(2011, 3, 6, 9, 30, tzinfo=UTC),
        body="Thanks Alice. See you in Ciudad Juárez next week.",
        collection="Enron",
        thread="T1",
    ),
    "m3": dict(
        subject="Quarterly numbers",
        sender=("Carol O'Brien", "carol@example.org"),
        to=[("", "alice@example.com")],
        date=datetime(2011, 6, 30, 23, 59, tzinfo=UTC),
        body="The falcon numbers look good. Hit men are not involved.",
        collection="Panama Papers",
        also_in=["Enron"],
    ),
    "m4": dict(
        subject="Lunch",
        sender=("Dave", "dave@firm.example"),
        to=[("", "bob@firm.example")],
        date=datetime(2012, 1, 15, 12, 0, tzinfo=UTC),
        body="Lunch on friday? Nothing about business.",
        collection="Panama Papers",
    ),
    "m5": dict(
        subject="Hit men",
        sender=("", "eve@evil.example"),
        date=None,
        body="contract details",
        attachment_text="strictly confidential hit list",
        filenames="contract.docx",
        collection="Leaks",
        thread="T2",
    ),
    "m6": dict(
        subject="Prefixes",
        sender=("Frank", "frank@example.com"),
        date=datetime(2010, 12, 31, 23, 59, 59, tzinfo=UTC),
        body="falconry and falcons",
        collection="Leaks",
    ),
}


def _addresses_text(pairs) -> str:
    return ", ".join(f"{name} <{addr}>" if name else addr for name, addr in pairs)


def build_corpus() -> Corpus:
    blob = Blob.objects.create(sha256=RAW, size=1)
    collections = {
        name: Collection.objects.create(name=name) for name in ("Enron", "Panama Papers", "Leaks")
    }
    threads = {name: Thread.objects.create(subject=name) for name in ("T1", "T2")}
    ids = {}
    for key, spec in MESSAGES.items():
        name, addr = spec["sender"]
        date = spec["date"]
        message = Message.objects.create(
            identity=key.ljust(64, "0"),
            message_id=f"{key}@test",
            collection=collections[spec["collection"]],
            thread=threads.get(spec.get("thread")),
            raw=blob,
            subject=spec["subject"],
            from_addr=addr,
            from_name=name,
            sender_domain=addr.split("@")[1],
            to_addrs=[a for _, a in spec.get("to", [])],
            cc_addrs=[a for _, a in spec.get("cc", [])],
            date=date,
            month=date.strftime("%Y-%m") if date else "",
            has_attachments=bool(spec.get("filenames")),
            body_text=spec["body"],
            from_text=_addresses_text([spec["sender"]]),
            to_text=_addresses_text(spec.get("to", [])),
            cc_text=_addresses_text(spec.get("cc", [])),
            attachment_text=spec.get("attachment_text", ""),
            filenames=spec.get("filenames", ""),
        )
        ids[key] = message.id
        for where in [spec["collection"], *spec.get("also_in", [])]:
            Location.objects.create(
                message=message,
                collection=collections[where],
                source_path=f"/in/{where}.mbox",
                position=key,
                container="mbox",
                raw=blob,
            )
    for thread in threads.values():
        thread.message_count = Message.objects.filter(thread=thread).count()
        thread.save()
    index_messages(list(ids.values()))
    return Corpus(ids, collections, threads)


@pytest.fixture
def corpus(db) -> Corpus:
    return build_corpus()


EXPECTED = [
    ("falcon", "m1 m2 m3"),
    ("FALCON", "m1 m2 m3"),
    ("falcon*", "m1 m2 m3 m6"),
    ("falcons", "m6"),
    ('"hit men"', "m3 m5"),
    ('"men hit"', ""),
    ("falcon -kickoff", "m3"),
    ("falcon NOT kickoff", "m3"),
    ("-falcon", "m4 m5 m6"),
    ("-falcon -lunch", "m5 m6"),
    ("lunch OR contract", "m4 m5"),
    ("falcon AND numbers OR lunch", "m3 m4"),
    ("falcon (numbers OR lunch)", "m3"),
    ("lunch OR -falcon", "m4 m5 m6"),
    ("from:alice", "m1"),
    ("from:example.com", "m1 m6"),
    ("from:*@firm.example", "m2 m4"),
    ("from:@firm.example", "m2 m4"),
    ("from:alice@example.com", "m1"),
    ("from:ali*", "m1"),
    ("to:alice@example.com", "m2 m3"),
    ("alice@example.com", "m1 m2 m3"),
    ("cc:carol", "m2"),
    ("subject:falcon", "m1 m2"),
    ("body:falcon", "m1 m3"),
    ("subject:(lunch OR prefixes)", "m4 m6"),
    ('subject:"hit men"', "m5"),
    ("attachment:invoice", "m1"),
    ("attachment:confidential", "m5"),
    ("filename:contract.docx", "m5"),
    ("filename:invoice", "m1"),
    ("has:attachment", "m1 m5"),
    ("-has:attachment", "m2 m3 m4 m6"),
    ("date:2011", "m1 m2 m3"),
    ("date:2011-03", "m1 m2"),
    ("date:2011-03-05", "m1"),
    ("date:..2011-03", "m1 m2 m6"),
    ("date:2011-06-30..", "m3 m4"),
    ("date:2011-01..2011-06-30", "m1 m2 m3"),
    ("-date:2011", "m4 m5 m6"),
    ("collection:enron", "m1 m2 m3"),
    ('collection:"panama papers"', "m3 m4"),
    ("collection:leaks falcon", "m1"),
    ("collection:nowhere", ""),
    ("INV-2024-0042", "m1"),
    ("inv 2024", "m1"),
    ("O'Brien", "m3"),
    ("Juarez", "m2"),
    ("juárez", "m2"),
    ("ciudad juarez", "m2"),
    ("http://falcon", ""),
    ("AND", "m6"),
    ("falcon 😀", "m1 m2 m3"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "expected"), EXPECTED)
def test_expected_hits(corpus: Corpus, query: str, expected: str) -> None:
    result = search(query, limit=100, snippets=False)
    assert corpus.names(hit.id for hit in result.hits) == set(expected.split())
    assert result.total == len(expected.split()) == count(query)


@pytest.mark.django_db
def test_thread_filter(corpus: Corpus) -> None:
    t1, t2 = corpus.threads["T1"].id, corpus.threads["T2"].id
    assert corpus.names(h.id for h in search(f"thread:{t1}").hits) == {"m1", "m2"}
    assert corpus.names(h.id for h in search(f"thread:{t2} OR lunch").hits) == {"m4", "m5"}
    assert search(f"thread:{t2 + 1000}").total == 0
