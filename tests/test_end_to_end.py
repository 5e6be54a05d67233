"""End to end: the generated demo corpus, ingested through the real pipeline and CLI, must give
exactly the counts its manifest promises — on SQLite and PostgreSQL — and survive reruns and
``kill -9``."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from dossier.corpus.ingest.pipeline import ingest_paths
from dossier.corpus.models import IngestFailure, Location, Message, Thread
from dossier.corpus.search import service
from dossier.demo.generator import generate
from tests.e2e_helpers import cli_env, dossier, dossier_json


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("corpus"), messages=600, seed=714)


def db_counts() -> dict[str, int]:
    return {
        "messages": Message.objects.count(),
        "locations": Location.objects.count(),
        "failures": IngestFailure.objects.count(),
        "threads": Thread.objects.filter(message_count__gt=0).count(),
    }


def expected(manifest) -> dict[str, int]:
    return {
        "messages": manifest.messages_unique,
        "locations": manifest.member_total,
        "failures": manifest.failures,
        "threads": manifest.threads,
    }


@pytest.mark.django_db
def test_demo_corpus_ingests_to_exact_counts_and_reruns_add_nothing(corpus, blobs):
    first = ingest_paths(corpus.inputs, collection="demo", blobs=blobs, workers=0)
    assert (first.new, first.duplicate, first.failed) == (
        corpus.messages_unique,
        corpus.duplicates,
        corpus.failures,
    )
    assert first.attachments == corpus.attachments
    assert db_counts() == expected(corpus)
    for query, hits in corpus.searches.items():
        assert service.count(query) == hits, query

    again = ingest_paths(corpus.inputs, collection="demo", blobs=blobs, workers=0)
    assert (again.new, again.duplicate) == (0, 0)
    assert db_counts() == expected(corpus)


@pytest.mark.django_db
def test_the_same_message_in_two_mailboxes_is_one_message_with_two_locations(corpus, blobs):
    ingest_paths(corpus.inputs, collection="demo", blobs=blobs, workers=0)
    multi = [m for m in Message.objects.all() if m.locations.count() > 1]
    assert len(multi) >= corpus.duplicates // 2 > 0
    containers = {loc.container for loc in multi[0].locations.all()}
    assert len(multi[0].locations.all()) >= 2 and containers


@pytest.mark.django_db
def test_story_thread_is_found_and_threaded(corpus, blobs):
    ingest_paths(corpus.inputs, collection="demo", blobs=blobs, workers=0)
    hits = service.search('"neither confirmed nor denied"', limit=50).hits
    assert hits, "the agency's reply is in the corpus"
    thread_ids = {h.thread_id for h in hits}
    story = Thread.objects.get(id=next(iter(thread_ids)))
    assert story.message_count >= 2
    assert service.count(f'thread:{story.id} "hit men"') >= 1


def _count_messages(env: dict[str, str]) -> int:
    """Committed messages, read directly (a subprocess per poll would be too slow to catch a run
    in the middle)."""
    if "DOSSIER_DATABASE_URL" in env:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM corpus_message")
            return cursor.fetchone()[0]
    path = Path(env["DOSSIER_HOME"]) / "dossier.sqlite3"
    with sqlite3.connect(path, timeout=30) as db:
        return db.execute("SELECT count(*) FROM corpus_message").fetchone()[0]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_sigkill_mid_ingest_then_rerun_gives_exact_counts(tmp_path):
    manifest = generate(tmp_path / "corpus", messages=3000, seed=99)
    env = cli_env(tmp_path / "ws")
    dossier("stats", env=env)  # create and migrate the workspace before the race starts
    cmd = [
        sys.executable,
        "-m",
        "dossier",
        "ingest",
        "--quiet",
        "--workers",
        "2",
        "--batch-size",
        "40",
        *map(str, manifest.inputs),
    ]
    proc = subprocess.Popen(
        cmd, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if _count_messages(env) >= 200:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "ingest finished before it could be killed; make the corpus bigger"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = _count_messages(env)
    assert 0 < partial < manifest.messages_unique

    dossier("ingest", "--quiet", *map(str, manifest.inputs), env=env)
    stats = dossier_json("stats", env=env)
    assert stats["messages"] == manifest.messages_unique
    assert stats["locations"] == manifest.member_total
    assert stats["failures"] == manifest.failures
    assert stats["threads"] == manifest.threads
    assert stats["attachments"] == manifest.attachments
    rerun = dossier_json("ingest", *map(str, manifest.inputs), env=env)
    assert (rerun["new"], rerun["duplicate"]) == (0, 0)
