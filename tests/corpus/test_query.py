"""The query parser: AST shapes for each construct, recoveries, errors, and hostile input."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dossier.corpus.search.nodes import (
    And,
    DateRange,
    FromAddress,
    FromDomain,
    HasAttachment,
    InCollection,
    InThread,
    Not,
    Or,
    Text,
    positive_texts,
)
from dossier.corpus.search.query import parse
from dossier.corpus.search.words import tokenize
from dossier.errors import QueryError


def t(*tokens: str, field: str | None = None, prefix: bool = False) -> Text:
    return Text(tuple(tokens), field, prefix)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("falcon", t("falcon")),
        ("Falcon", t("falcon")),
        ("a b", And((t("a"), t("b")))),
        ("a AND b", And((t("a"), t("b")))),
        ("a OR b", Or((t("a"), t("b")))),
        ("a OR b c", Or((t("a"), And((t("b"), t("c")))))),
        ("a b OR c", Or((And((t("a"), t("b"))), t("c")))),
        ("a AND b OR c AND d", Or((And((t("a"), t("b"))), And((t("c"), t("d")))))),
        ("(a OR b) c", And((Or((t("a"), t("b"))), t("c")))),
        ("NOT a", Not(t("a"))),
        ("-a", Not(t("a"))),
        ("a -b", And((t("a"), Not(t("b"))))),
        ("a NOT b", And((t("a"), Not(t("b"))))),
        ("-(a b)", Not(And((t("a"), t("b"))))),
        ("NOT NOT a", t("a")),
        ("--a", t("a")),
        ('"hit men"', t("hit", "men")),
        ('-"hit men"', Not(t("hit", "men"))),
        ("falc*", t("falc", prefix=True)),
        ('"hit me*"', t("hit", "me", prefix=True)),
        ('"hit men"*', t("hit", "men", prefix=True)),
        ("a and b or not c", And(tuple(t(w) for w in "a and b or not c".split()))),
        ("INV-2024-0042", t("inv", "2024", "0042")),
        ("O'Brien", t("o", "brien")),
        ("alice@example.com", t("alice", "example", "com")),
        ("Juárez", t("juárez")),
        ("http://x.example/path", t("http", "x", "example", "path")),
        ("re:foo", t("re", "foo")),
        ("a (b", And((t("a"), t("b")))),
        ("a) b", And((t("a"), t("b")))),
        ("((a)", t("a")),
        ("()", None),
    ],
)
def test_constructs(query: str, expected) -> None:
    if expected is None:
        with pytest.raises(QueryError):
            parse(query)
    else:
        assert parse(query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("subject:falcon", t("falcon", field="subject")),
        ('subject:"hit men"', t("hit", "men", field="subject")),
        ("Subject:falcon", t("falcon", field="subject")),
        ("body:falcon", t("falcon", field="body")),
        ("attachment:invoice", t("invoice", field="attachment")),
        ("filename:report.pdf", t("report", "pdf", field="filename")),
        ("from:alice@example.com", FromAddress("alice@example.com")),
        ("from:<Alice@Example.COM>", FromAddress("alice@example.com")),
        ("from:a.b+tag@mail.example.co.uk", FromAddress("a.b+tag@mail.example.co.uk")),
        ("from:example.com", FromDomain("example.com")),
        ("from:*@firm.example", FromDomain("firm.example")),
        ("from:@Firm.Example", FromDomain("firm.example")),
        ("from:münchen.de", FromDomain("münchen.de")),
        ('from:"alice@example.com"', t("alice", "example", "com", field="from")),
        ("from:example.com*", t("example", "com", field="from", prefix=True)),
        ("from:alice@localhost", t("alice", "localhost", field="from")),
        ("from:report.c", t("report", "c", field="from")),
        ("from:v5.10", t("v5", "10", field="from")),
        ("from:a_b.example", t("a", "b", "example", field="from")),
        ("from:alice", t("alice", field="from")),
        ("from:ali*", t("ali", field="from", prefix=True)),
        ("to:bob", t("bob", field="to")),
        ("cc:carol", t("carol", field="cc")),
        ("-to:bob", Not(t("bob", field="to"))),
        ("subject:(a OR b)", Or((t("a", field="subject"), t("b", field="subject")))),
        ("subject:(a from:b)", And((t("a", field="subject"), t("b", field="from")))),
        ("has:attachment", HasAttachment()),
        ("has:attachments", HasAttachment()),
        ("thread:42", InThread(42)),
        ("collection:enron", InCollection("enron")),
        ('collection:"Panama Papers"', InCollection("Panama Papers")),
        ("date:2011", DateRange(utc(2011, 1, 1), utc(2012, 1, 1))),
        ("date:2011-03", DateRange(utc(2011, 3, 1), utc(2011, 4, 1))),
        ("date:2011-12", DateRange(utc(2011, 12, 1), utc(2012, 1, 1))),
        ("date:2011-03-05", DateRange(utc(2011, 3, 5), utc(2011, 3, 6))),
        ("date:2011-01..2011-06-30", DateRange(utc(2011, 1, 1), utc(2011, 7, 1))),
        ("date:..2011-03", DateRange(None, utc(2011, 4, 1))),
        ("date:2011-01..", DateRange(utc(2011, 1, 1), None)),
        ("date:2011..2011", DateRange(utc(2011, 1, 1), utc(2012, 1, 1))),
        ("date:9999", DateRange(utc(9999, 1, 1), None)),
        (
            "date:(2011 OR 2013)",
            Or(
                (
                    DateRange(utc(2011, 1, 1), utc(2012, 1, 1)),
                    DateRange(utc(2013, 1, 1), utc(2014, 1, 1)),
                )
            ),
        ),
    ],
)
def test_fields(query: str, expected) -> None:
    assert parse(query) == expected


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "empty query"),
        ("   \n\t", "empty query"),
        ("-", "nothing to search for"),
        ("*", "nothing to search for"),
        ('"', "nothing to search for"),
        ("😀 🎉", "nothing to search for"),
        ("from: alice", "from: needs a value"),
        ("subject:", "subject: needs a value"),
        ("date:2011-13", "not a valid date"),
        ("date:2011-02-30", "not a valid date"),
        ("date:March", "is not a date"),
        ("date:..", "at least one side"),
        ("date:2012..2011", "ends before it starts"),
        ("thread:abc", "not a thread number"),
        ("thread:99999999999999999999", "not a thread number"),
        ("has:pdf", "has:attachment"),
        ("a*", "too short to search as a prefix"),
        ('"hit m*"', "too short to search as a prefix"),
        ('collection:""', "collection: needs"),
        ("x" * 10_001, "too long"),
        ("(" * 25 + "a", "nested parentheses"),
        (" ".join(f"w{i}" for i in range(101)), "terms"),
        ('"' + " ".join(f"w{i}" for i in range(501)) + '"', "words"),
    ],
)
def test_errors(query: str, message: str) -> None:
    with pytest.raises(QueryError) as raised:
        parse(query)
    assert message in str(raised.value)


def test_error_positions() -> None:
    with pytest.raises(QueryError) as raised:
        parse("falcon date:2011-13")
    assert raised.value.position == 7
    with pytest.raises(QueryError) as raised:
        parse("a b from: c")
    assert raised.value.position == 4


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("AND", t("and")),
        ("OR", t("or")),
        ("NOT", t("not")),
        ("a NOT", And((t("a"), t("not")))),
        ("a OR", And((t("a"), t("or")))),
        ("AND a", And((t("and"), t("a")))),
        ("(OR)", t("or")),
        ("-AND", Not(t("and"))),
        ("a - b", And((t("a"), t("b")))),
        ('"unbalanced phrase', t("unbalanced", "phrase")),
        ('subject:"open to the end', t("open", "to", "the", "end", field="subject")),
        ("a\x00b", And((t("a"), t("b")))),
        ("a\ud800b", And((t("a"), t("b")))),
        ("-falcon", Not(t("falcon"))),
        ("-a -b", And((Not(t("a")), Not(t("b"))))),
    ],
)
def test_recoveries(query: str, expected) -> None:
    assert parse(query) == expected


def test_deep_negation_does_not_recurse() -> None:
    assert parse("-" * 5000 + "a") == t("a")
    assert parse("NOT " * 2001 + "a") == Not(t("a"))


def test_positive_texts_skip_negated_terms() -> None:
    node = parse("a -b (c OR NOT d) date:2011")
    assert positive_texts(node) == [t("a"), t("c")]


def test_tokenize_matches_the_index_tokenizer() -> None:
    assert tokenize("Ünïcödé, INV-2024-0042; foo_bar x²y") == [
        "ünïcödé",
        "inv",
        "2024",
        "0042",
        "foo",
        "bar",
        "x²y",
    ]
    assert tokenize("नमस्ते") == ["नमस्ते"]  # vowel signs stay inside the word
    assert tokenize("\u0301 😀 -- ''") == []


FRAGMENTS = st.sampled_from(
    [
        "a",
        "b",
        "AND",
        "OR",
        "NOT",
        "-",
        "*",
        '"',
        "(",
        ")",
        "from:",
        "subject:",
        "date:",
        "date:2011",
        "..",
        "collection:",
        "thread:",
        "has:",
        ":",
        "@",
        "O'Brien",
        "😀",
        "\x00",
        " ",
    ]
)
QUERIES = st.one_of(st.text(max_size=200), st.lists(FRAGMENTS, max_size=30).map("".join))


@settings(max_examples=400, deadline=None)
@given(QUERIES)
def test_parse_returns_an_ast_or_a_query_error(query: str) -> None:
    try:
        node = parse(query)
    except QueryError as exc:
        assert str(exc)
    else:
        assert node is not None
