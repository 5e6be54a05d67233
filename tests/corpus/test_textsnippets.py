"""Snippets cut in Python (``search/textsnippets.py``): windows, phrases, prefixes, diacritics,
fields, and the hits left to the database."""

from __future__ import annotations

from dossier.corpus.search.query import parse
from dossier.corpus.search.snippets import snippet_html, snippet_plain
from dossier.corpus.search.textsnippets import HEAD_CHARS, page_snippets, pattern, snippet


def cut(query: str, text: str, field: str = "body") -> str | None:
    expression = pattern(parse(query), field)
    assert expression is not None
    return snippet(text, expression)


def test_a_short_text_is_whole_with_every_match_marked():
    assert snippet_html(cut("falcon", "Re: Falcon project, falcon!")) == (
        "Re: <mark>Falcon</mark> project, <mark>falcon</mark>!"
    )


def test_a_long_text_is_a_window_from_a_few_words_before_the_first_match():
    words = [f"w{i}" for i in range(100)]
    words[50] = "needle"
    got = cut("needle", " ".join(words))
    assert got.startswith("…w44 w45") and got.endswith("…")
    assert len(snippet_plain(got).strip("…").split()) == 24


def test_phrases_are_one_span_across_punctuation_and_prefixes_take_the_rest_of_a_word():
    assert snippet_html(cut("INV-2024-0042", "Invoice INV-2024-0042 paid")) == (
        "Invoice <mark>INV-2024-0042</mark> paid"
    )
    assert snippet_html(cut("qgroup*", "qgroups and qgroup_limit, not subqgroup")) == (
        "<mark>qgroups</mark> and <mark>qgroup</mark>_limit, not subqgroup"
    )


def test_diacritics_fold_both_ways_and_the_text_keeps_its_own():
    assert snippet_html(cut("cafe", "Un café noir")) == "Un <mark>café</mark> noir"
    assert snippet_html(cut("café", "the cafe")) == "the <mark>cafe</mark>"


def test_fields_choose_where_to_look_and_negated_words_are_never_marked():
    node = parse("subject:falcon -secret")
    assert pattern(node, "body") is None and pattern(node, "subject") is not None
    assert pattern(parse("-secret"), "body") is None


def test_matches_beyond_the_head_are_left_to_the_database():
    far = "x " * HEAD_CHARS + "needle"
    found, missing = page_snippets(parse("needle"), [(1, far, "", ""), (2, "a needle", "", "")])
    assert missing == [1] and snippet_plain(found[2]) == "a needle"


def test_the_first_field_with_a_match_wins():
    found, missing = page_snippets(
        parse("falcon"), [(7, "no match", "the falcon ledger", "Falcon"), (8, "", "", "Falcon")]
    )
    assert snippet_html(found[7]) == "the <mark>falcon</mark> ledger"
    assert snippet_html(found[8]) == "<mark>Falcon</mark>" and missing == []


def test_queries_without_words_have_nothing_to_cut():
    found, missing = page_snippets(parse("date:2011"), [(1, "text", "", "")])
    assert found == {} and missing == []
