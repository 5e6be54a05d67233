"""Values the migrations were written against, frozen here: a migration must build the same
schema whatever the code it ships with says today (``search/index.py`` moves on; these do
not). Django's loader skips modules whose names start with an underscore."""

# The columns of the SQLite full-text index from 0002 to 0010, in order.
FTS_COLUMNS_V1 = (
    "subject",
    "from_text",
    "to_text",
    "cc_text",
    "body_text",
    "attachment_text",
    "filenames",
)

# Characters of each column the index held from 0010 (``index.INDEXED_CHARS`` then).
INDEXED_CHARS_V1 = {
    "subject": 10_000,
    "from_text": 10_000,
    "to_text": 100_000,
    "cc_text": 100_000,
    "body_text": 1_000_000,
    "attachment_text": 1_000_000,
    "filenames": 10_000,
}

FTS_SOURCE = "corpus_message_fts_source"


def source_view_sql(columns: dict[str, int], unmarked: bool = False) -> str:
    """The view the SQLite index reads its content from: ``columns`` capped, by message id;
    ``unmarked`` (0011): the field mark U+E000 as a space in all but ``subject_terms``."""

    def value(name: str, cap: int) -> str:
        text = f"substr({name}, 1, {cap})"
        if unmarked and name != "subject_terms":
            text = f"replace({text}, char(57344), ' ')"
        return f"{text} AS {name}"

    capped = ", ".join(value(name, cap) for name, cap in columns.items())
    return f"CREATE VIEW {FTS_SOURCE} AS SELECT id, {capped} FROM corpus_message"


# From 0011: the subject's words once more as field terms (``search/words.field_terms``).
FTS_COLUMNS_V2 = (*FTS_COLUMNS_V1, "subject_terms")
INDEXED_CHARS_V2 = {**INDEXED_CHARS_V1, "subject_terms": 30_000}

# The index's settings, set again whenever it is recreated: merges, and the size of the hash
# a transaction's new terms are gathered in (0006).
FTS_SETTINGS = (("automerge", 16), ("crisismerge", 64), ("hashsize", 16 * 1024 * 1024))


def create_fts_sql(columns: tuple[str, ...], content: str) -> list[str]:
    """Drop the index and create it again over ``content`` with ``columns``, rebuilt."""
    return [
        "DROP TABLE corpus_message_fts",
        "CREATE VIRTUAL TABLE corpus_message_fts USING fts5("
        + ", ".join(columns)
        + f", content='{content}', content_rowid='id',"
        " tokenize='unicode61 remove_diacritics 2')",
        "INSERT INTO corpus_message_fts(corpus_message_fts) VALUES('rebuild')",
        *(
            f"INSERT INTO corpus_message_fts(corpus_message_fts, rank) VALUES('{name}', {value})"
            for name, value in FTS_SETTINGS
        ),
    ]
