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

from dossier.corpus.migrations._frozen import (
    FTS_COLUMNS_V1,
    FTS_SOURCE,
    INDEXED_CHARS_V1,
    create_fts_sql,
    source_view_sql,
)

UP = [source_view_sql(INDEXED_CHARS_V1), *create_fts_sql(FTS_COLUMNS_V1, FTS_SOURCE)]
DOWN = [*create_fts_sql(FTS_COLUMNS_V1, "corpus_message"), f"DROP VIEW {FTS_SOURCE}"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("corpus", "0009_sender_date_indexes")]

    operations = [migrations.RunPython(_run(UP), _run(DOWN))]
