"""The full-text index: an FTS5 external-content table on SQLite, a tsvector + GIN on PostgreSQL.

Both are filled by the ingest writer in the same transaction as the message rows
(``corpus/search/index.py``); neither is part of Django's model state.
"""

from django.db import migrations

from dossier.corpus.migrations._frozen import FTS_COLUMNS_V1 as FTS_COLUMNS

SQLITE_UP = [
    "CREATE VIRTUAL TABLE corpus_message_fts USING fts5("
    + ", ".join(FTS_COLUMNS)
    + ", content='corpus_message', content_rowid='id', prefix='2 3',"
    " tokenize='unicode61 remove_diacritics 2')",
]
SQLITE_DOWN = ["DROP TABLE corpus_message_fts"]
POSTGRES_UP = [
    "ALTER TABLE corpus_message ADD COLUMN search_vector tsvector",
    "CREATE INDEX corpus_message_search_gin ON corpus_message USING gin (search_vector)",
]
POSTGRES_DOWN = [
    "DROP INDEX corpus_message_search_gin",
    "ALTER TABLE corpus_message DROP COLUMN search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("corpus", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        )
    ]
