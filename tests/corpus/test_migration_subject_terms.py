"""Migration 0011 on a workspace made before it: subjects become field terms, the index is
recreated and agrees with a fresh ingest, and it can be undone. A SQLite workspace of its own
(in a subprocess), on either suite: the migration's work is SQLite's; on PostgreSQL it only adds
the column, which every PostgreSQL test database is migrated through."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from dossier.workspace import open_workspace

    open_workspace(Path(sys.argv[1]))
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", "corpus", "0010", verbosity=0)  # 0011 backwards
    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM pragma_table_info('corpus_message')"
                  " WHERE name = 'subject_terms'")
        assert c.fetchone()[0] == 0
        c.execute("INSERT INTO corpus_blob (sha256, size, text, text_error, pack, offset)"
                  " VALUES ('r', 1, '', '', '', 0)")
        c.execute("INSERT INTO corpus_collection (name, created_at) VALUES ('c', '2026-11-30')")
        for n, subject in enumerate(["Re: Scrub error", "Lunch", "Zoë's scrubbing"]):
            c.execute(
                "INSERT INTO corpus_message (identity, message_id, collection_id, raw_sha256,"
                " subject, from_addr, from_name, sender_domain, to_addrs, cc_addrs, month,"
                " in_reply_to, \\"references\\", has_attachments, size, body_text, from_text,"
                " to_text, cc_text, attachment_text, filenames, created_at) VALUES (%s, %s, 1,"
                " 'r', %s, '', '', '', '[]', '[]', '', '', '[]', 0, 1, %s, '', '', '', '', '',"
                " '2026-11-30 00:00:00')",
                [str(n), str(n), subject, "scrub error" if n == 1 else "body"],
            )
        c.execute("INSERT INTO corpus_message_fts(corpus_message_fts) VALUES('rebuild')")
    call_command("migrate", verbosity=0)  # 0011 forwards
    from dossier.corpus.search import service
    from dossier.corpus.search.words import field_terms
    from dossier.corpus.models import Message

    for m in Message.objects.all():
        assert m.subject_terms == field_terms(m.subject), m.subject_terms
    assert service.count("subject:scrub") == 1
    assert service.count("subject:scrub*") == 2
    assert service.count("subject:scrub error") == 1
    assert service.count("scrub error") == 2
    assert service.count("subject:zoe") == 1
    with connection.cursor() as c:
        c.execute("INSERT INTO corpus_message_fts(corpus_message_fts, rank)"
                  " VALUES('integrity-check', 1)")
    print("ok")
    """
)


def test_migration_0011_fills_terms_and_rebuilds_the_index(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DOSSIER_DATABASE_URL"}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "ws")],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
