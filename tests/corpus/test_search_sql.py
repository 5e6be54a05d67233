"""The SQL builders are pure: user text only in params, FTS5 strings fully quoted."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dossier.corpus.search import postgres_fts, sqlite_fts
from dossier.corpus.search.nodes import Text
from dossier.corpus.search.plan import count_sql, page_sql, scope_sql
from dossier.corpus.search.query import parse
from dossier.corpus.search.snippets import MARKS
from dossier.errors import QueryError


def test_fts5_strings_are_quoted() -> None:
    assert sqlite_fts.phrase(Text(("hit", "men"))) == '"hit men"'
    assert sqlite_fts.phrase(Text(('a"b',))) == '"a""b"'
    assert sqlite_fts.phrase(Text(("falc",), prefix=True)) == '"falc" *'
    assert sqlite_fts.phrase(Text(("alice",), field="from")) == '{from_text} : "alice"'


def test_sqlite_merges_text_into_one_match() -> None:
    compiled = sqlite_fts.compile_query(parse("a b -c"))
    assert compiled.where == sqlite_fts.MATCH
    assert compiled.params == ['(("a" AND "b") NOT ("c"))']
    assert compiled.join_params == compiled.params and compiled.join_filters


def test_sqlite_mixed_query() -> None:
    compiled = sqlite_fts.compile_query(parse("(a OR b) date:2011 -c"))
    assert compiled.where.count("MATCH") == 1
    assert compiled.join_params == ['"a" OR "b"'] and compiled.join.startswith("LEFT JOIN")
    assert compiled.params == [
        '(("a" OR "b") NOT ("c"))',
        "2011-01-01 00:00:00",
        "2012-01-01 00:00:00",
    ]
    only_negative = sqlite_fts.compile_query(parse("-a -b"))
    assert only_negative.where.count("NOT COALESCE") == 2
    assert only_negative.rank == "0.0" and only_negative.join == ""


def test_postgres_field_leaves_recheck_their_column() -> None:
    compiled = postgres_fts.compile_query(parse("subject:falcon"))
    assert "m.search_vector @@" in compiled.where
    assert "normalize(left(m.subject, 2000), NFD)" in compiled.where
    assert compiled.params == ["falcon", "falcon"]
    prefix = postgres_fts.compile_query(parse('"hit me*"'))
    assert prefix.params == ["hit", "me"] and "':*'" in prefix.where


def test_scope() -> None:
    assert scope_sql(None) == ("1 = 1", [])
    assert scope_sql(set()) == ("1 = 0", [])
    sql, params = scope_sql({3, 1})
    assert params == [1, 3] and "l.collection_id IN (%s, %s)" in sql


WORD = st.text(alphabet="jkqz", min_size=3, max_size=8)
PIECES = st.one_of(
    WORD,
    WORD.map(lambda w: w + "*"),
    st.lists(WORD, min_size=1, max_size=3).map(lambda ws: '"' + " ".join(ws) + '"'),
    st.tuples(st.sampled_from(["subject", "from", "body", "filename"]), WORD).map(":".join),
    st.sampled_from(["OR", "AND", "NOT", "-", "(", ")", "date:2011", "collection:jkqzq"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=12).map(" ".join))
def test_user_words_only_travel_as_params(query: str) -> None:
    try:
        node = parse(query)
    except QueryError:
        assume(False)
    words = {w for w in query.replace('"', " ").replace("*", " ").split() if set(w) <= set("jkqz")}
    for compiled in (sqlite_fts.compile_query(node), postgres_fts.compile_query(node)):
        for sql, params in (
            count_sql(compiled, scope_sql({1})),
            page_sql(compiled, scope_sql(None), 20, 0),
        ):
            assert not any(word in sql for word in words)
            assert sql.count("%s") == len(params)
    for builder in (sqlite_fts.snippet_sql, postgres_fts.snippet_sql):
        built = builder(node, [1, 2], MARKS)
        if built is not None:
            assert not any(word in built[0] for word in words)
            assert built[0].count("%s") == len(built[1])
