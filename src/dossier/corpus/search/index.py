"""Keeps the full-text index in step with the message rows, in the caller's transaction.

SQLite: ``corpus_message_fts`` is an FTS5 external-content table over ``corpus_message`` (rowid =
message id), so the text is stored once. PostgreSQL: ``corpus_message.search_vector`` holds one
weighted ``tsvector`` (subject A; from/to/cc B; body C; attachments and file names D) under a GIN
index; field queries re-check the single column (see ``postgres_fts.py``). SQLite keeps no prefix
index: ``ab*`` reads every term beginning with "ab", which only 2-letter prefixes matching most
of the corpus notice (migration 0008 has the figures), and indexing is a third cheaper.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection

from dossier.corpus.ingest.rowvalues import ATTACHMENT_TEXT_KEPT, SUBJECT_INDEXED
from dossier.corpus.search.postgres_fts import document_vector_sql
from dossier.corpus.search.words import FIELD_MARK

FTS_COLUMNS = (
    "subject",
    "from_text",
    "to_text",
    "cc_text",
    "body_text",
    "attachment_text",
    "filenames",
    "subject_terms",
)

# SQLite: characters of each column the index holds; the rest is stored, shown and exported, but
# not searchable. FTS5 gathers a row's terms in memory before writing them: one body of 3.7
# million characters (a patch series in the benchmark corpus) took 60 MB there, a 100 MB text
# attachment would take 1.6 GB. Capped, the ingest's memory is bounded whatever a message holds.
# The index reads its content through the view ``FTS_SOURCE`` (migration 0010), which applies
# the same caps, so snippets and a rebuild see what was indexed.
INDEXED_CHARS = {
    "subject": SUBJECT_INDEXED,
    "from_text": 10_000,
    "to_text": 100_000,
    "cc_text": 100_000,
    "body_text": 1_000_000,
    "attachment_text": ATTACHMENT_TEXT_KEPT,  # all the row holds
    "filenames": 10_000,
    # The subject's words as field terms (``words.field_terms`` of the first 10,000 characters
    # of the subject, at most three characters per character): never cut.
    "subject_terms": 30_000,
}
FTS_SOURCE = "corpus_message_fts_source"
_CAPS = tuple(INDEXED_CHARS[column] for column in FTS_COLUMNS)
_TERMS = 1 + FTS_COLUMNS.index("subject_terms")  # position in an (id, *columns) row; the last

# Normalised (Latin accents dropped, ASCII punctuation as spaces) and capped per column, exactly as
# the query compiler expects: see postgres_fts.document_vector_sql.
PG_VECTOR_SQL = document_vector_sql()


def index_rows(rows: Sequence[tuple]) -> None:
    """Add new messages to the full-text index from values the caller already holds: ``(id,
    *FTS_COLUMNS)`` tuples exactly as just stored in ``corpus_message`` (an external-content
    index must be given the stored values, or deleting them later corrupts it).

    SQLite: the ingest writer's path. Inserting the values directly instead of selecting them
    back (``index_messages``) saves reading every new body again from the table pages just
    written: 30,000 benchmark messages in batches of 1,000 took 5.0–5.1 s of CPU against
    5.3–5.6 s. PostgreSQL computes the vector from the stored row, so it takes the ids."""
    if not rows:
        return
    if connection.vendor != "sqlite":
        index_messages([row[0] for row in rows])
        return
    cols = ", ".join(FTS_COLUMNS)
    marks = ", ".join(["%s"] * (len(FTS_COLUMNS) + 1))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO corpus_message_fts(rowid, {cols}) VALUES ({marks})",
            [_capped(row) for row in rows],
        )


def _capped(row: tuple) -> tuple:
    """``(id, *columns)`` as the view gives them: each column cut to its ``INDEXED_CHARS`` (as
    ``substr`` cuts), and the field mark a space outside ``subject_terms`` (as ``replace``)."""
    if all(len(value) <= cap for value, cap in zip(row[1:], _CAPS, strict=True)) and not any(
        FIELD_MARK in value for value in row[1:_TERMS]
    ):
        return row
    values = [value[:cap] for value, cap in zip(row[1:], _CAPS, strict=True)]
    for i in range(_TERMS - 1):
        values[i] = values[i].replace(FIELD_MARK, " ")
    return (row[0], *values)


def source_view_sql() -> str:
    """The view the SQLite index reads its content from: the capped columns, by message id. The
    field mark (``words.FIELD_MARK``) is read as a space in all but ``subject_terms``: a body
    holding ``\ue000scrub`` must not match ``subject:scrub``."""
    columns = ", ".join(
        f"{_unmarked(column, f'substr({column}, 1, {INDEXED_CHARS[column]})')} AS {column}"
        for column in FTS_COLUMNS
    )
    return f"CREATE VIEW {FTS_SOURCE} AS SELECT id, {columns} FROM corpus_message"


def _unmarked(column: str, sql: str) -> str:
    return sql if column == "subject_terms" else f"replace({sql}, char({ord(FIELD_MARK)}), ' ')"


def index_messages(ids: Sequence[int]) -> None:
    """Add these (new) messages to the full-text index, reading their text from the table."""
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
                    f"SELECT id, {cols} FROM {FTS_SOURCE} WHERE id IN ({marks})",
                    chunk,
                )
            else:
                cursor.execute(
                    f"UPDATE corpus_message SET search_vector = {PG_VECTOR_SQL} "
                    f"WHERE id IN ({marks})",
                    chunk,
                )
