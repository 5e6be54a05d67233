"""SQLite: index the subject's words a second time, as field terms of their own.

FTS5 keeps one position list per word for all the columns of a row, so ``subject:scrub`` as a
column filter (``{subject} : scrub``) reads the position of every "scrub" in every body to keep
the few in subjects: on the 75k benchmark corpus ``subject:scrub error`` counted in 1.1 ms
against notmuch's 0.5 ms, which keeps subject words as prefixed terms. Now each message also
stores ``subject_terms`` (``words.field_terms``: ``\\ue000scrub \\ue000error``), indexed as an
eighth column; ``subject:`` words are looked up as those terms, whose lists hold subjects only
(0.5 ms on the same table, same hits). Snippets still highlight the subject column itself.
The mark (U+E000, private use) is indexed as a space everywhere else, so no text can pose as a
subject term.

The column is added with a default (no table rebuild), filled for existing messages from their
subjects, and the index is recreated over the new view and rebuilt, as in 0010 (about 30 s per
75,000 messages). PostgreSQL gets the column, which its index does not read; existing rows keep
it empty there rather than rewriting every row.
"""

from django.db import migrations, models

from dossier.corpus.migrations._frozen import (
    FTS_COLUMNS_V1,
    FTS_COLUMNS_V2,
    FTS_SOURCE,
    INDEXED_CHARS_V1,
    INDEXED_CHARS_V2,
    create_fts_sql,
    source_view_sql,
)

ADD = "ALTER TABLE corpus_message ADD COLUMN subject_terms text NOT NULL DEFAULT ''"
DROP = "ALTER TABLE corpus_message DROP COLUMN subject_terms"
# The same terms the parser workers compute (``rowvalues.values``), of the indexed subject.
FILL = (
    "UPDATE corpus_message SET subject_terms = dossier_field_terms(substr(subject, 1, 10000))"
    " WHERE subject != ''"
)


def forwards(apps, schema_editor):
    schema_editor.execute(ADD)
    if schema_editor.connection.vendor != "sqlite":
        return
    # Imported here, not frozen: the terms must be exactly those new messages get.
    from dossier.corpus.search.words import field_terms

    schema_editor.connection.ensure_connection()
    schema_editor.connection.connection.create_function(
        "dossier_field_terms", 1, field_terms, deterministic=True
    )
    for sql in (
        FILL,
        f"DROP VIEW {FTS_SOURCE}",
        source_view_sql(INDEXED_CHARS_V2, unmarked=True),
        *create_fts_sql(FTS_COLUMNS_V2, FTS_SOURCE),
    ):
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in (
            f"DROP VIEW {FTS_SOURCE}",
            source_view_sql(INDEXED_CHARS_V1),
            *create_fts_sql(FTS_COLUMNS_V1, FTS_SOURCE),
        ):
            schema_editor.execute(sql)
    schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("corpus", "0010_fts_capped_source")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(forwards, backwards)],
            state_operations=[
                migrations.AddField(
                    model_name="message",
                    name="subject_terms",
                    field=models.TextField(blank=True, default="", editable=False),
                ),
            ],
        ),
    ]
