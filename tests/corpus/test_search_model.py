"""Differential test: ``search()`` returns exactly what a plain-Python model of the query
language says, for random queries over the test corpus, on whichever backend runs the suite.

The model evaluates the parsed AST over the corpus spec. Its one backend-specific rule is the
documented one: on PostgreSQL an unfielded phrase is matched against the message's columns run
together (one weighted vector), on SQLite within a single column.
"""

from __future__ import annotations

import re
import unicodedata

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dossier.corpus.search.nodes import (
    TEXT_FIELDS,
    And,
    DateRange,
    HasAttachment,
    InCollection,
    InThread,
    Node,
    Not,
    Or,
    Text,
)
from dossier.corpus.search.query import parse
from dossier.corpus.search.service import search
from dossier.corpus.search.words import tokenize
from tests.corpus import test_search_corpus
from tests.corpus.test_search_corpus import MESSAGES, Corpus, _addresses_text

corpus = test_search_corpus.corpus  # the fixture
LATIN_ACCENTS = re.compile("([A-Za-z])[\u0300-\u036f]+")
COLUMNS = (
    "subject",
    "from_text",
    "to_text",
    "cc_text",
    "body_text",
    "attachment_text",
    "filenames",
)


def fold(text: str) -> str:
    """Lower case, without the accents of Latin letters (as both indexes do)."""
    plain = LATIN_ACCENTS.sub(r"\1", unicodedata.normalize("NFD", text))
    return unicodedata.normalize("NFC", plain).lower()


def columns(spec: dict) -> dict[str, list[str]]:
    texts = {
        "subject": spec["subject"],
        "from_text": _addresses_text([spec["sender"]]),
        "to_text": _addresses_text(spec.get("to", [])),
        "cc_text": _addresses_text(spec.get("cc", [])),
        "body_text": spec["body"],
        "attachment_text": spec.get("attachment_text", ""),
        "filenames": spec.get("filenames", ""),
    }
    return {name: tokenize(fold(text)) for name, text in texts.items()}


def contains(haystack: list[str], text: Text) -> bool:
    needle = [fold(token) for token in text.tokens]
    n = len(needle)
    for i in range(len(haystack) - n + 1):
        window = haystack[i : i + n]
        if window[:-1] == needle[:-1] and (
            window[-1].startswith(needle[-1]) if text.prefix else window[-1] == needle[-1]
        ):
            return True
    return False


def matches(node: Node, key: str, corpus: Corpus) -> bool:
    spec = MESSAGES[key]
    if isinstance(node, And):
        return all(matches(child, key, corpus) for child in node.children)
    if isinstance(node, Or):
        return any(matches(child, key, corpus) for child in node.children)
    if isinstance(node, Not):
        return not matches(node.child, key, corpus)
    if isinstance(node, Text):
        cols = columns(spec)
        if node.field is not None:
            return contains(cols[TEXT_FIELDS[node.field]], node)
        if connection.vendor == "postgresql":
            return contains([token for name in COLUMNS for token in cols[name]], node)
        return any(contains(cols[name], node) for name in COLUMNS)
    if isinstance(node, DateRange):
        date = spec["date"]
        return (
            date is not None
            and (node.start is None or node.start <= date)
            and (node.end is None or date < node.end)
        )
    if isinstance(node, InCollection):
        found_in = {spec["collection"], *spec.get("also_in", [])}
        return node.name.lower() in {name.lower() for name in found_in}
    if isinstance(node, InThread):
        thread = spec.get("thread")
        return thread is not None and corpus.threads[thread].id == node.thread_id
    assert isinstance(node, HasAttachment)
    return bool(spec.get("filenames"))


def _vocabulary() -> tuple[list[str], list[str]]:
    words, phrases = set(), set()
    for spec in MESSAGES.values():
        for tokens in columns(spec).values():
            words.update(tokens)
            phrases.update(" ".join(tokens[i : i + 2]) for i in range(len(tokens) - 1))
    return sorted(words | {"zebra", "Juárez", "O'Brien"}), sorted(phrases)


WORDS, PHRASES = _vocabulary()
FILTERS = [
    "has:attachment", "date:2011", "date:2011-03", "date:..2011-03", "date:2011-06-30..",
    "collection:enron", 'collection:"panama papers"', "collection:leaks", "thread:@T1",
    "thread:@T2",
]  # fmt: skip
ATOMS = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from([w for w in WORDS if len(w) > 1 and tokenize(w) == [w]]).map(
        lambda w: w[: max(2, len(w) // 2)] + "*"
    ),
    st.sampled_from(PHRASES).map(lambda p: f'"{p}"'),
    st.tuples(st.sampled_from(sorted(TEXT_FIELDS)), st.sampled_from(WORDS)).map(":".join),
    st.sampled_from(FILTERS),
)
QUERIES = st.recursive(
    ATOMS,
    lambda inner: st.one_of(
        st.tuples(inner, inner).map(" ".join),
        st.tuples(inner, inner).map(" OR ".join),
        st.tuples(inner, inner).map(" AND ".join),
        inner.map(lambda e: f"-{e}"),
        inner.map(lambda e: f"NOT {e}"),
        inner.map(lambda e: f"({e})"),
    ),
    max_leaves=8,
)


@pytest.mark.django_db
@settings(
    max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=QUERIES)
def test_search_agrees_with_the_model(corpus: Corpus, query: str) -> None:
    for name, thread in corpus.threads.items():
        query = query.replace(f"@{name}", str(thread.id))
    node = parse(query)
    expected = {key for key in MESSAGES if matches(node, key, corpus)}
    result = search(query, limit=1000, snippets=False)
    assert corpus.names(hit.id for hit in result.hits) == expected
    assert result.total == len(expected)
