"""The SQLite full-text index gathers up to 16 MB of new terms in memory before it writes them.

FTS5 keeps the terms of rows being inserted in an in-memory hash and writes them out as a new
segment when the hash passes ``hashsize`` (1 MB by default) and at each commit. An ingest batch
holds about 8 MB of text, so it used to write several small segments per batch, each merged
again later. With 16 MB a batch becomes one segment. Indexing the 75,496 benchmark messages in
batches of 1,000 (contentless copy of the index, one process) took 13.8 s of CPU instead of 16.8 s
(32 MB: 13.4 s), and the index is the same size. The price is up to 16 MB more memory in the
ingest's writer while a batch is written; nothing else writes to the index.

A configuration value only: the index itself is not rebuilt.
"""

from django.db import migrations

HASHSIZE = 16 * 1024 * 1024
DEFAULT_HASHSIZE = 1024 * 1024


def _set(size: int):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(
                "INSERT INTO corpus_message_fts(corpus_message_fts, rank) VALUES('hashsize', %s)",
                [size],
            )

    return run


class Migration(migrations.Migration):
    dependencies = [("corpus", "0005_fewer_indexes")]

    operations = [migrations.RunPython(_set(HASHSIZE), _set(DEFAULT_HASHSIZE))]
