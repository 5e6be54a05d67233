"""``parse.single_part`` builds the same tree as the stdlib's full parse, or declines.

On the benchmark corpus (linux-btrfs, 75,576 messages) it took 73,136 and every tree was equal to
the full parse's (headers, defects, payload, preamble, epilogue)."""

from __future__ import annotations

from email.parser import BytesParser
from email.policy import compat32

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dossier.corpus.ingest.parse import single_part

FULL = BytesParser(policy=compat32)


def signature(message):
    payload = None if message.is_multipart() else message.get_payload()
    defects = [defect.__class__.__name__ for defect in message.defects]
    return list(message.raw_items()), defects, payload, message.preamble, message.epilogue


TAKEN = [
    b"From: a@b.org\nSubject: hi\n\nbody\nline two\n",
    b"From: a@b.org\r\nSubject: hi\r\n\r\nbody\r\nwith CRLF\r\n",
    b"From: a@b.org\nSubject: folded\n  continued\n\nbody\n\n\nwith blank lines\n",
    b"From: a@b.org\nContent-Type: text/html; charset=utf-8\n\n<p>caf\xc3\xa9</p>",
    b"From: a@b.org\nContent-Type: garbage\n\nbody",
    b"From: a@b.org\nSubject: \xff\xfe 8-bit\n\n\x00\x85 odd bytes \x0c\x1c\n",
    b"From: a@b.org\n\n",
    b"From: a@b.org\nSubject: x\x0c\n\na form feed is not a line break here",
]

DECLINED = [
    b"From: a@b.org\nSubject: no blank line",
    b"From: a@b.org\nnot a header line\n\nbody",
    b"From: a@b.org\rSubject: old mac\r\rbody",
    b'From: a@b.org\nContent-Type: multipart/mixed; boundary="b"\n\n--b\n\nx\n--b--\n',
    b"From: a@b.org\nContent-Type: message/rfc822\n\nFrom: c@d.org\n\ninner\n",
    b"From: a@b.org\nContent-Type: message/delivery-status\n\nA: b\n\nC: d\n",
]


@pytest.mark.parametrize("data", TAKEN)
def test_single_part_messages_get_the_stdlib_tree(data):
    message = single_part(data)
    assert message is not None
    assert signature(message) == signature(FULL.parsebytes(data))


@pytest.mark.parametrize("data", DECLINED)
def test_anything_else_goes_to_the_full_parser(data):
    assert single_part(data) is None


_line = st.binary(min_size=0, max_size=30).map(lambda b: b.replace(b"\n", b" "))
_header = st.one_of(
    st.sampled_from(
        [
            b"From: a@b.org",
            b"Subject: s",
            b"  folded",
            b"Content-Type: text/plain",
            b"Content-Type: multipart/mixed; boundary=x",
            b"X-\x0c: y",
        ]
    ),
    _line,
)


@settings(max_examples=1500, deadline=None)
@given(
    st.lists(_header, min_size=1, max_size=6),
    st.sampled_from([b"\n", b"\r\n", b"\r"]),
    st.lists(_line, max_size=5),
)
def test_whenever_it_answers_the_tree_is_the_stdlib_tree(headers, newline, body):
    data = newline.join([*headers, b"", *body])
    message = single_part(data)
    if message is not None:
        assert signature(message) == signature(FULL.parsebytes(data))
