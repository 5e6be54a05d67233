"""The SQLite full-text index keeps no prefix index: ``ab*`` reads the terms beginning with "ab".

Once the parser workers got faster, the ingest's one writer became its bottleneck, and a third
of the writer's indexing went into the 2-letter prefix index (migration 0004). Indexing the
75,496 benchmark messages in batches of 1,000 (contentless copy of the index, one process,
``hashsize`` 16 MB): 13.8 s of CPU with it, 9.2 s without; the index shrinks from 266 MB to
165 MB.

What it cost, counts on the whole benchmark corpus: prefixes of 3 letters and more are read
directly either way (``qgroup*`` 1.8 ms, 1.7 ms without), and so are 1-letter prefixes (``x*``
10.5 ms with, 19 ms without); only exactly 2 letters matching most of the corpus got slower:
``co*`` (75,185 hits) 3.5 ms → 99 ms, ``fi*`` 2.5 ms → 43 ms, ``ab*`` 0.9 ms → 6.8 ms.

The table is rebuilt from the message rows (external content), so nothing is lost, and its
settings (merges, hash size) are set again.
"""

from django.db import migrations

from dossier.corpus.migrations._frozen import FTS_COLUMNS_V1 as FTS_COLUMNS

SETTINGS = (("automerge", 16), ("crisismerge", 64), ("hashsize", 16 * 1024 * 1024))


def _create(prefix: str) -> list[str]:
    option = f" prefix='{prefix}'," if prefix else ""
    return [
        "DROP TABLE corpus_message_fts",
        "CREATE VIRTUAL TABLE corpus_message_fts USING fts5("
        + ", ".join(FTS_COLUMNS)
        + f", content='corpus_message', content_rowid='id',{option}"
        " tokenize='unicode61 remove_diacritics 2')",
        "INSERT INTO corpus_message_fts(corpus_message_fts) VALUES('rebuild')",
        *(
            f"INSERT INTO corpus_message_fts(corpus_message_fts, rank) VALUES('{name}', {value})"
            for name, value in SETTINGS
        ),
    ]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("corpus", "0007_facets_index")]

    operations = [migrations.RunPython(_run(_create("")), _run(_create("2")))]
