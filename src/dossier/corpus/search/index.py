"""Keeps the full-text index in step with the message rows, in the caller's transaction.

SQLite: ``corpus_message_fts`` is an FTS5 external-content table over ``corpus_message`` (rowid =
message id), so the text is stored once. PostgreSQL: ``corpus_message.search_vector`` holds one
weighted ``tsvector`` (subject A; from/to/cc B; body C; attachments and file names D) under a GIN
index; field queries re-check the single column (see ``postgres_fts.py``). SQLite keeps a prefix
index of 2 characters, so ``ab*`` does not read every term beginning with "ab"; longer prefixes
match few enough terms to be read directly (migration 0004 has the figures).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection

from dossier.corpus.search.postgres_fts import document_vector_sql

FTS_COLUMNS = (
    "subject",
    "from_text",
    "to_text",
    "cc_text",
    "body_text",
    "attachment_text",
    "filenames",
)

# Normalised (Latin accents dropped, ASCII punctuation as spaces) and capped per column, exactly as
# the query compiler expects: see postgres_fts.document_vector_sql.
PG_VECTOR_SQL = document_vector_sql()


def index_messages(ids: Sequence[int]) -> None:
    """Add these (new) messages to the full-text index."""
    if not ids:
        return
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            marks = ", ".join(["%s"] * len(chunk))
            if connection.vendor == "sqlite":
                cols = ", ".join(FTS_COLUMNS)
                cursor.execute(
                    f"INSERT INTO corpus_message_fts(rowid, {cols}) "
                    f"SELECT id, {cols} FROM corpus_message WHERE id IN ({marks})",
                    chunk,
                )
            else:
                cursor.execute(
                    f"UPDATE corpus_message SET search_vector = {PG_VECTOR_SQL} "
                    f"WHERE id IN ({marks})",
                    chunk,
                )
