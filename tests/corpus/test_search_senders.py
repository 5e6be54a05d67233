"""``from:ADDRESS`` and ``from:DOMAIN``: exact sender, domain with its subdomains, from the
indexed sender columns, on both backends; the domain list cached between searches."""

from __future__ import annotations

import pytest

from dossier.corpus.models import Blob, Collection, Message
from dossier.corpus.search import senders
from dossier.corpus.search.index import index_messages
from dossier.corpus.search.service import count, search

SENDERS = {
    "plain": ("Alice", "alice@example.com"),
    "sub": ("", "bob@mail.example.com"),
    "deeper": ("", "carol@eu.mail.example.com"),
    "lookalike": ("", "alice@example.com.au"),
    "suffix": ("", "dave@notexample.com"),
    "named": ("Example Com", "erin@elsewhere.org"),
    "nameless": ("Just A Name", ""),
}


def build() -> dict[str, int]:
    blob = Blob.objects.get_or_create(sha256="0" * 64, defaults={"size": 1})[0]
    collection = Collection.objects.get_or_create(name="c")[0]
    ids = {}
    for key, (name, addr) in SENDERS.items():
        message = Message.objects.create(
            identity=key.ljust(64, "0"),
            collection=collection,
            raw=blob,
            subject=f"note {key}",
            from_addr=addr,
            from_name=name,
            sender_domain=addr.rpartition("@")[2],
            from_text=f"{name} <{addr}>" if name else addr,
            body_text="hello",
        )
        ids[key] = message.id
    index_messages(list(ids.values()))
    return ids


CASES = [
    ("from:alice@example.com", "plain"),
    ("from:ALICE@Example.com", "plain"),
    ("from:<alice@example.com>", "plain"),
    ("from:example.com", "plain sub deeper"),
    ("from:@example.com", "plain sub deeper"),
    ("from:*@example.com", "plain sub deeper"),
    ("from:mail.example.com", "sub deeper"),
    ("from:example.com.au", "lookalike"),
    ("from:nowhere.example", ""),
    ("-from:example.com", "lookalike suffix named nameless"),
    ("from:example.com hello", "plain sub deeper"),
    ("from:example.com OR from:elsewhere.org", "plain sub deeper named"),
    # quoted, prefixed or not an address: the words of the sender's name and address, in order
    ('from:"alice@example.com"', "plain lookalike"),
    ("from:example", "plain sub deeper lookalike named"),
    ("from:just", "nameless"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "expected"), CASES)
def test_sender_hits(query: str, expected: str) -> None:
    ids = build()
    names = {v: k for k, v in ids.items()}
    result = search(query, limit=100, snippets=False)
    assert {names[hit.id] for hit in result.hits} == set(expected.split())
    assert result.total == count(query) == len(expected.split())


def test_unresolved_domains_match_the_same_messages() -> None:
    """Without the domain list (a LIKE) and with it (an IN list): the same SQL meaning."""
    from dossier.corpus.search.nodes import FromDomain
    from dossier.corpus.search.plan import filter_sql

    unresolved = filter_sql(FromDomain("example.com"), str)
    assert unresolved == (
        "(m.sender_domain = %s OR m.sender_domain LIKE %s)",
        ["example.com", "%.example.com"],
    )
    resolved = filter_sql(FromDomain("example.com", ("a.example.com", "example.com")), str)
    assert resolved == ("m.sender_domain IN (%s, %s)", ["a.example.com", "example.com"])
    assert filter_sql(FromDomain("example.com", ()), str) == ("1 = 0", [])


def test_domains_by_suffix() -> None:
    found = senders.by_suffix(["example.com", "mail.example.com", "example.com.au"])
    assert found["example.com"] == ("example.com", "mail.example.com")
    assert found["mail.example.com"] == ("mail.example.com",)
    assert found["com"] == ("example.com", "mail.example.com")
    assert "ample.com" not in found


@pytest.mark.django_db(transaction=True)
def test_the_cached_domain_list_follows_new_messages() -> None:
    """Outside a transaction the list is cached per highest message id: a message from a new
    subdomain is found by the next search."""
    build()
    assert count("from:example.com") == 3
    assert senders._cache  # filled outside a transaction
    cached = next(iter(senders._cache.values()))
    assert count("from:example.com") == 3 and next(iter(senders._cache.values())) is cached
    blob, collection = Blob.objects.get(), Collection.objects.get()
    new = Message.objects.create(
        identity="new".ljust(64, "0"), collection=collection, raw=blob,
        from_addr="zed@new.example.com", sender_domain="new.example.com",
        from_text="zed@new.example.com",
    )  # fmt: skip
    index_messages([new.id])
    assert count("from:example.com") == 4
    assert count("from:new.example.com") == 1
