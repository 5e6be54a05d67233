"""Compile a query AST to SQL for PostgreSQL full-text search (``tsvector``/``tsquery``).

PostgreSQL's default parser reads ``alice@example.com``, ``INV-2024-0042`` or ``3.14`` as single
tokens, where SQLite's ``unicode61`` reads letters-and-digits runs. So both the document vector and
every query go through ``normalised()``: decompose, drop the accents of Latin letters, and turn
ASCII punctuation into spaces, which leaves the parser nothing to glue. The two backends then
agree on words, phrases and accents (``Juarez`` finds ``Juárez``).

Text leaves become tsqueries built from bound parameters only: ``phraseto_tsquery`` for words and
phrases, ``to_tsquery`` of one quoted, normalised token plus ``:*`` for a prefix. They are tested
against the GIN-indexed vector, and field leaves re-check the one column. Ranking is
``ts_rank_cd`` over the weighted vector (subject A, addresses B, body C, attachments D).
"""

from __future__ import annotations

from collections.abc import Sequence

from dossier.corpus.search.nodes import TEXT_FIELDS, And, Node, Or, Text, positive_texts
from dossier.corpus.search.plan import Compiled, Sql, boolean_sql

STORED_VECTOR = "m.search_vector"
# Characters of each column that PostgreSQL indexes: a tsvector holds at most 1 MB, and
# to_tsvector fails outright past that, so the vector and every field re-check read only these.
INDEXED_CHARS = {
    "subject": 2_000,
    "from_text": 10_000,
    "to_text": 10_000,
    "cc_text": 10_000,
    "body_text": 150_000,
    "attachment_text": 100_000,
    "filenames": 5_000,
}
_LATIN_ACCENTS = r"'([A-Za-z])[\u0300-\u036f]+'"
_PUNCTUATION = "'[!-/:-@[-`{-~]+'"
_HEADLINE_PUNCTUATION = "'([!-/:-@[-`{-~])'"
RANK_WEIGHTS = "'{0.1, 0.2, 0.4, 1.0}'::float4[]"  # D, C, B, A
HEADLINE_INPUT = 50_000
SNIPPET_FIELDS = {"body": "body_text", "attachment": "attachment_text", "subject": "subject"}


def normalised(expression: str) -> str:
    """SQL for ``expression`` without the accents of Latin letters (as FTS5's
    ``remove_diacritics`` does: decompose, drop them, recompose the rest), and with ASCII
    punctuation turned into spaces."""
    plain = f"regexp_replace(normalize({expression}, NFD), {_LATIN_ACCENTS}, '\\1', 'g')"
    return f"regexp_replace(normalize({plain}, NFC), {_PUNCTUATION}, ' ', 'g')"


def document_vector_sql(prefix: str = "") -> str:
    """The weighted tsvector of a message row (``prefix`` qualifies its columns, e.g. ``m.``)."""
    groups = (
        ("A", ("subject",)),
        ("B", ("from_text", "to_text", "cc_text")),
        ("C", ("body_text",)),
        ("D", ("attachment_text", "filenames")),
    )
    parts = []
    for weight, columns in groups:
        text = " || ' ' || ".join(
            f"coalesce(left({prefix}{column}, {INDEXED_CHARS[column]}), '')" for column in columns
        )
        parts.append(f"setweight(to_tsvector('simple', {normalised(text)}), '{weight}')")
    return " || ".join(parts)


def compile_query(node: Node, *, vector: str = STORED_VECTOR) -> Compiled:
    """The WHERE predicate and rank of ``node``; ``vector`` is the document tsvector SQL."""
    where, params = boolean_sql(node, lambda text: text_sql(text, vector), lambda value: value)
    if isinstance(node, And | Or) and (needed := necessary_query(node)) is not None:
        where, params = f"({vector} @@ {needed[0]} AND {where})", [*needed[1], *params]
    ranking = ranking_query(node)
    if ranking is None:
        return Compiled(where, params)
    rank = f"ts_rank_cd({RANK_WEIGHTS}, {vector}, {ranking[0]})"
    return Compiled(where, params, rank, ranking[1])


def necessary_query(node: Node) -> Sql | None:
    """A tsquery every match of ``node`` satisfies, or None: a prefix the GIN index can use.

    Each leaf is tested on its own (``v @@ a OR v @@ b``), which the planner cannot answer from
    the index; ``v @@ (a || b)`` it can, and the exact predicate then re-checks the few rows left.
    """
    if isinstance(node, Text):
        return tsquery(node)
    if not isinstance(node, And | Or):
        return None  # NOT and the non-text filters constrain no word
    parts = [necessary_query(child) for child in node.children]
    if isinstance(node, Or) and None in parts:
        return None
    found = [part for part in parts if part is not None]
    if not found:
        return None
    operator = " && " if isinstance(node, And) else " || "
    return "(" + operator.join(sql for sql, _ in found) + ")", [p for _, ps in found for p in ps]


def tsquery(text: Text) -> Sql:
    """The tsquery of one text leaf, from bound, normalised tokens."""
    if not text.prefix:
        return f"phraseto_tsquery('simple', {normalised('%s')})", [" ".join(text.tokens)]
    last = f"to_tsquery('simple', '''' || {normalised('%s')} || ''':*')"
    if len(text.tokens) == 1:
        return last, [text.tokens[0]]
    head = f"phraseto_tsquery('simple', {normalised('%s')})"
    return f"({head} <-> {last})", [" ".join(text.tokens[:-1]), text.tokens[-1]]


def text_sql(text: Text, vector: str) -> Sql:
    """``vector @@ q``; a field leaf also re-checks its own column, which the vector merges."""
    query, params = tsquery(text)
    if text.field is None:
        return f"{vector} @@ {query}", params
    name = TEXT_FIELDS[text.field]
    column = normalised(f"left(m.{name}, {INDEXED_CHARS[name]})")
    sql = f"({vector} @@ {query} AND to_tsvector('simple', {column}) @@ {query})"
    return sql, params + params


def ranking_query(node: Node, fields: Sequence[str | None] | None = None) -> Sql | None:
    """The OR (``||``) of the positive text leaves (those in ``fields``, if given)."""
    texts = [t for t in positive_texts(node) if fields is None or t.field in fields]
    if not texts:
        return None
    parts = [tsquery(text) for text in texts]
    return "(" + " || ".join(sql for sql, _ in parts) + ")", [p for _, ps in parts for p in ps]


def snippet_sql(node: Node, ids: Sequence[int], marks: tuple[str, str, str]) -> Sql | None:
    """``ts_headline`` of the body, attachment text and subject of ``ids``.

    Columns are ``id, body, attachment, subject``; None when the query has no positive text.
    ASCII punctuation is fenced with ``\\x01`` (stripped later) so the headline parser splits
    words exactly as the index did.
    """
    if not ids or not positive_texts(node):
        return None
    start, stop, ellipsis = marks
    options = (
        f"StartSel={start}, StopSel={stop}, MaxWords=30, MinWords=12, ShortWord=0, "
        f'MaxFragments=2, FragmentDelimiter="{ellipsis}"'
    )
    columns, params = [], []
    for field, column in SNIPPET_FIELDS.items():
        query = ranking_query(node, (None, field))
        if query is None:
            columns.append("''")
            continue
        text = f"left(m.{column}, {HEADLINE_INPUT})"
        fenced = f"regexp_replace({text}, {_HEADLINE_PUNCTUATION}, chr(1) || '\\1' || chr(1), 'g')"
        columns.append(f"ts_headline('simple', {fenced}, {query[0]}, %s)")
        params += [*query[1], options]
    placeholders = ", ".join(["%s"] * len(ids))
    sql = f"SELECT m.id, {', '.join(columns)} FROM corpus_message m WHERE m.id IN ({placeholders})"
    return sql, [*params, *ids]
