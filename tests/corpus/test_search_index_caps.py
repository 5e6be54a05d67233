"""The index holds the first characters of each column only (SQLite: ``index.INDEXED_CHARS``;
PostgreSQL: ``postgres_fts.INDEXED_CHARS``): words past the cap are stored and shown but not
found, and SQLite's index stays consistent with its content view."""

from __future__ import annotations

import pytest
from django.db import connection

from dossier.corpus.models import Blob, Collection, Message
from dossier.corpus.search import index, postgres_fts
from dossier.corpus.search.index import FTS_COLUMNS, index_messages, index_rows
from dossier.corpus.search.service import count, search

pytestmark = pytest.mark.django_db


def long_message(key: str) -> Message:
    caps = index.INDEXED_CHARS if connection.vendor == "sqlite" else postgres_fts.INDEXED_CHARS
    filler = "lorem " * ((caps["body_text"] - 2000) // 6)
    body = f"openingword {filler} nearcapword " + "x" * 2000 + f" pastcapword{key} tailword"
    assert body.index("nearcapword") < caps["body_text"] < body.index("pastcapword")
    return Message.objects.create(
        identity=key.ljust(64, "0"),
        collection=Collection.objects.get_or_create(name="c")[0],
        raw=Blob.objects.get_or_create(sha256="0" * 64, defaults={"size": 1})[0],
        subject=f"long {key}",
        body_text=body,
    )


@pytest.mark.parametrize("path", ["writer", "from-rows"])
def test_words_past_the_cap_are_stored_but_not_indexed(path: str) -> None:
    sqlite = connection.vendor == "sqlite"
    if sqlite:  # flushes after transactional tests leave the index stale
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO corpus_message_fts(corpus_message_fts) VALUES('rebuild')")
    message = long_message(path)
    if path == "writer":  # the ingest writer hands over the values it stored
        values = Message.objects.values_list("id", *FTS_COLUMNS).get(id=message.id)
        index_rows([values])
    else:
        index_messages([message.id])
    assert count("openingword") == count("nearcapword") == 1
    assert count(f"pastcapword{path}") == 0 and count("tailword") == 0
    assert Message.objects.get(id=message.id).body_text.endswith("tailword")
    (hit,) = search("nearcapword").hits
    if not sqlite:  # PostgreSQL cuts snippets from the first postgres_fts.HEADLINE_INPUT only
        return
    assert "nearcapword" in hit.snippet
    with connection.cursor() as cursor:  # raises if index and content view disagree
        cursor.execute(
            "INSERT INTO corpus_message_fts(corpus_message_fts, rank) VALUES('integrity-check', 1)"
        )
