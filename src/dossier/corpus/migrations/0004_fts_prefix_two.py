"""The SQLite full-text index keeps a prefix index for 2-letter prefixes only, and merges its
segments less eagerly.

Prefix indexes of 2 and 3 letters made indexing 2.3 times as expensive and the index 2.3 times as
large (20,000 messages of the benchmark corpus: 3.6 s and 82 MB against 1.6 s and 35 MB with
none). Without the 2-letter index a query such as ``co*`` reads every term beginning with "co"
(18 ms against 0.5 ms at 20,000 messages); 3-letter and longer prefixes match few enough terms to
be read directly (``com*`` 4.5 ms, ``compr*`` 0.4 ms). So: ``prefix='2'`` (2.4 s, 58 MB).

Merges: FTS5 merges 4 segments of one level as soon as they exist (``automerge`` 4); at ingest
that merging grows with the index. With ``automerge`` 16 and ``crisismerge`` 64, indexing the
75,576 benchmark messages in batches of 1,000 took 10.4 s of CPU instead of 13.8 s, and counts
for five typical queries were unchanged (0.1–2.2 ms).

The table is rebuilt from the message rows (external content), so nothing is lost.
"""

from django.db import migrations

from dossier.corpus.migrations._frozen import FTS_COLUMNS_V1 as FTS_COLUMNS


def _create(prefix: str) -> list[str]:
    return [
        "DROP TABLE corpus_message_fts",
        "CREATE VIRTUAL TABLE corpus_message_fts USING fts5("
        + ", ".join(FTS_COLUMNS)
        + f", content='corpus_message', content_rowid='id', prefix='{prefix}',"
        " tokenize='unicode61 remove_diacritics 2')",
        "INSERT INTO corpus_message_fts(corpus_message_fts) VALUES('rebuild')",
        *MERGE_SETTINGS,
    ]


MERGE_SETTINGS = [
    "INSERT INTO corpus_message_fts(corpus_message_fts, rank) VALUES('automerge', 16)",
    "INSERT INTO corpus_message_fts(corpus_message_fts, rank) VALUES('crisismerge', 64)",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("corpus", "0003_blob_packs")]

    operations = [migrations.RunPython(_run(_create("2")), _run(_create("2 3")))]
