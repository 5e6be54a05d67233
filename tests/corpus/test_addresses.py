"""The fast address path (``ingest/addresses.py``) agrees with ``email.utils.getaddresses``
wherever it answers, and declines (None) the forms it does not handle.

On the benchmark corpus (linux-btrfs, 212,880 From/To/Cc/Reply-To headers) it answered 211,987
and differed on none (``bench/profiles/README.md`` has the script's command)."""

from __future__ import annotations

from email.utils import getaddresses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dossier.corpus.ingest.addresses import split_plain
from dossier.corpus.ingest.headers import collapse, parse_addresses

PLAIN = [
    ("a@b.org", [("", "a@b.org")]),
    ("Jane Doe <jane.doe@example.org>", [("Jane Doe", "jane.doe@example.org")]),
    ('"Doe, Jane" <j@example.org>, bob@x.y', [("Doe, Jane", "j@example.org"), ("", "bob@x.y")]),
    ('"Jane"<jane@example.org>', [("Jane", "jane@example.org")]),
    ("J. R. Smith <jrs@example.org>", [("J. R. Smith", "jrs@example.org")]),
    ("=?utf-8?q?J=C3=B6rg?= <j@x.de>", [("=?utf-8?q?J=C3=B6rg?=", "j@x.de")]),
    ("<only@angle.org>", [("", "only@angle.org")]),
    ("Zoë Ünïcode <z@x.org>", [("Zoë Ünïcode", "z@x.org")]),
]

DECLINED = [
    "Undisclosed recipients:;",
    "team: a@b.org, c@d.org;",
    "a@b.org (Jane Doe)",
    '"Jane \\"JD\\" Doe" <j@x.org>',
    "<@route.org:a@b.org>",
    "a@[127.0.0.1]",
    "Name<a@b.org>",
    "a@b.org c@d.org",
    "a@b.org,",
    "Jane Doe",
    "<a@b.org",
    '"Unclosed <a@b.org>',
    "a..b@c.org",
]


@pytest.mark.parametrize(("text", "pairs"), PLAIN)
def test_plain_lists_are_read_like_the_stdlib(text, pairs):
    assert split_plain(text) == pairs == getaddresses([text])


@pytest.mark.parametrize("text", DECLINED)
def test_other_forms_are_left_to_the_stdlib(text):
    assert split_plain(text) is None
    parse_addresses(text)  # and the full function still answers without raising


_word = st.text(st.sampled_from('abcXYZ09._-+=?éß<>@,;:"\\()[] '), min_size=0, max_size=12)
_mailbox = st.one_of(
    st.builds(lambda a, b: f"{a}@{b}", _word, _word),
    st.builds(lambda n, a, b: f"{n} <{a}@{b}>", _word, _word, _word),
    st.builds(lambda n, a, b: f'"{n}" <{a}@{b}>', _word, _word, _word),
    _word,
)


@settings(max_examples=2000, deadline=None)
@given(st.lists(_mailbox, min_size=1, max_size=4), st.sampled_from([",", ", ", " , ", " "]))
def test_whenever_the_fast_path_answers_it_equals_the_stdlib(mailboxes, separator):
    text = collapse(separator.join(mailboxes))
    got = split_plain(text)
    if got is not None:
        assert got == getaddresses([text])
