"""The SQLite full-text index holds at most ``index.INDEXED_CHARS`` characters of each column.

FTS5 gathers a row's terms in an in-memory hash before writing them, so one large text costs the
ingest's writer many times its size at once: the 3.7-million-character body of one benchmark
message took 60 MB there (a peak of 285 MiB for the whole ingest against about 225 MiB without
it), and a 100 MB text attachment would take 1.6 GB. The index now holds the first million
characters of the body and of the attachment text (and less of the headers); the whole text
is still stored, shown and exported. PostgreSQL's index has always been capped (a ``tsvector``
holds at most 1 MB: ``postgres_fts.INDEXED_CHARS``).

The index reads its content (for snippets, and to rebuild) from a view that applies the same
caps, so it is recreated over that view and rebuilt from the message rows: nothing is lost, and
its settings (merges, hash size) are set again. About 20 s per 75,000 messages.
"""

from django.db import migrations

from dossier.corpus.search.index import FTS_COLUMNS, FTS_SOURCE, source_view_sql

SETTINGS = (("automerge", 16), ("crisismerge", 64), ("hashsize", 16 * 1024 * 1024))


def _create(content: str) -> list[str]:
    return [
        "DROP TABLE corpus_message_fts",
        "CREATE VIRTUAL TABLE corpus_message_fts USING fts5("
        + ", ".join(FTS_COLUMNS)
        + f", content='{content}', content_rowid='id',"
        " tokenize='unicode61 remove_diacritics 2')",
        "INSERT INTO corpus_message_fts(corpus_message_fts) VALUES('rebuild')",
        *(
            f"INSERT INTO corpus_message_fts(corpus_message_fts, rank) VALUES('{name}', {value})"
            for name, value in SETTINGS
        ),
    ]


UP = [source_view_sql(), *_create(FTS_SOURCE)]
DOWN = [*_create("corpus_message"), f"DROP VIEW {FTS_SOURCE}"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("corpus", "0009_sender_date_indexes")]

    operations = [migrations.RunPython(_run(UP), _run(DOWN))]
