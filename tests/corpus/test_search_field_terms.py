"""``subject:`` words are looked up as the subject's field terms on SQLite (migration 0011): the
same hits as a column filter, on both databases, whatever the subject holds."""

from __future__ import annotations

import pytest
from django.db import connection

from dossier.corpus.models import Message
from dossier.corpus.search import service, sqlite_fts
from dossier.corpus.search.index import FTS_SOURCE, source_view_sql
from dossier.corpus.search.query import parse
from dossier.corpus.search.words import FIELD_MARK, field_terms

pytestmark = pytest.mark.django_db

SUBJECTS = {
    "scrub": ("Re: scrub error on raid1", "the scrub found nothing"),
    "noscrub": ("balance stuck", "scrub error in the body only"),
    "accents": ("Zoë's Café-Crème résumé", "body"),
    "cjk": ("数据 丢失 scrub", "body"),
    "punct": ("[PATCH v2 3/7] btrfs: send/receive fix", "body"),
    "emoji": ("send 😀receive", "body"),
    # hostile: the field mark in the subject itself, and in a body posing as a subject term
    "marked": (f"{FIELD_MARK}scrub subject", "body"),
    "poser": ("nothing here", f"{FIELD_MARK}scrub {FIELD_MARK}error posing"),
}

QUERIES = {
    "subject:scrub": {"scrub", "cjk", "marked"},
    "subject:scrub error": {"scrub"},
    "subject:scrub -subject:error": {"cjk", "marked"},
    'subject:"scrub error"': {"scrub"},
    "subject:scr*": {"scrub", "cjk", "marked"},
    "subject:cafe": {"accents"},
    "subject:résumé": {"accents"},
    "subject:zoë": {"accents"},
    "subject:数据": {"cjk"},
    'subject:"send receive"': {"punct", "emoji"},
    "subject:receive": {"punct", "emoji"},
    "subject:patch btrfs": {"punct"},
    "subject:subject": {"marked"},
    "scrub": {"scrub", "noscrub", "cjk", "marked", "poser"},  # the mark is a space
    "subject:posing": set(),
}


def test_field_terms_mark_each_token() -> None:
    assert field_terms("Re: Zoë's Scrub-Error") == " ".join(
        FIELD_MARK + t for t in ("re", "zoë", "s", "scrub", "error")
    )
    assert field_terms("") == ""
    assert field_terms("—!?") == ""
    assert field_terms(f"{FIELD_MARK}scrub") == f"{FIELD_MARK}scrub"  # the mark separates


def test_subject_words_compile_to_field_terms_and_snippets_keep_the_column() -> None:
    node = parse('subject:"send receive" body:x')
    where = sqlite_fts.fts_expression(node)
    assert f'"{FIELD_MARK}send {FIELD_MARK}receive"' in where
    assert "{subject}" not in where and "{body_text}" in where
    sql, params = sqlite_fts.snippet_sql(node, [1], ("<", ">", "…"))
    match = params[len(sqlite_fts.SNIPPET_COLUMNS) * 3]
    assert match == '{subject} : "send receive" OR {body_text} : "x"'


@pytest.fixture
def ingested(tmp_path, blobs) -> dict[str, int]:
    from dossier.corpus.ingest.pipeline import ingest_paths

    box = tmp_path / "box"
    box.mkdir()
    for name, (subject, body) in SUBJECTS.items():
        (box / f"{name}.eml").write_bytes(
            f"From: a@example.org\nSubject: {subject}\nMessage-ID: <{name}@x>\n"
            f"Content-Type: text/plain; charset=utf-8\n\n{body}\n".encode()
        )
    ingest_paths([box], collection="c", blobs=blobs, workers=0)
    return {m.message_id.partition("@")[0]: m.id for m in Message.objects.all()}


@pytest.mark.parametrize("query", sorted(QUERIES))
def test_subject_queries_find_the_same_messages_on_both_databases(ingested, query) -> None:
    by_id = {v: k for k, v in ingested.items()}
    hits = {by_id[h.id] for h in service.search(query, limit=50, snippets=False).hits}
    assert hits == QUERIES[query]
    assert service.count(query) == len(QUERIES[query])


def test_stored_terms_follow_the_subject(ingested) -> None:
    """The workers' value (ingest) and ``Message.save`` agree with ``field_terms``."""
    for message in Message.objects.all():
        assert message.subject_terms == field_terms(message.subject)
    saved = Message.objects.get(message_id="scrub@x")
    saved.pk, saved.identity, saved.message_id = None, "z" * 64, "copy"
    saved.subject = "Fresh Subject"
    saved.save()
    assert Message.objects.get(pk=saved.pk).subject_terms == field_terms("Fresh Subject")


def test_snippets_highlight_the_subject_itself(ingested) -> None:
    hit = service.search("subject:scrub error", limit=5).hits[0]
    assert hit.id == ingested["scrub"]
    assert FIELD_MARK not in hit.snippet
    assert "scrub" in hit.snippet.lower()


def test_the_index_reads_the_view_the_code_describes(db_vendor) -> None:
    with connection.cursor() as cursor:
        if db_vendor != "sqlite":  # the column exists there; PostgreSQL's index ignores it
            cursor.execute(
                "SELECT count(*) FROM information_schema.columns"
                " WHERE table_name = 'corpus_message' AND column_name = 'subject_terms'"
            )
            assert cursor.fetchone()[0] == 1
            return
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [FTS_SOURCE])
        assert cursor.fetchone()[0] == source_view_sql()
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'corpus_message_fts'")
        assert "subject_terms" in cursor.fetchone()[0]
