"""``headblock.plain_tree`` builds the same tree as the stdlib's full parse, or declines.

On the benchmark corpus (linux-btrfs, 75,576 messages) it took 75,564: 73,136 single-part
messages (as many as the earlier ``parsebytes(head, headersonly=True)`` version took) and 2,428 of
the 2,440 multipart ones; every tree was equal to the full parse's, part by part (headers,
defects, payloads, preambles, epilogues, unix-from, default types). The 12 declined are
multiparts: 7 with a boundary containing ``:`` (Pine's ``...=:1234``), 3 with a missing start
or close boundary, 2 with a ``message/rfc822`` part. Measured with a one-off script that, for
every file of ``bench/work/linux-btrfs/cur/``, compared ``plain_tree`` with
``BytesParser(policy=compat32).parsebytes`` whenever ``plain_tree`` answered."""

from __future__ import annotations

from email.parser import BytesParser
from email.policy import compat32

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dossier.corpus.ingest.headblock import plain_tree
from dossier.corpus.ingest.parse import parse_bytes

FULL = BytesParser(policy=compat32)


def signature(message):
    if message.is_multipart():
        payload = [signature(part) for part in message.get_payload()]
    else:
        payload = message.get_payload()
    defects = [defect.__class__.__name__ for defect in message.defects]
    return (
        list(message.raw_items()),
        defects,
        payload,
        message.preamble,
        message.epilogue,
        message.get_unixfrom(),
        message.get_default_type(),
    )


TAKEN = [
    b"From: a@b.org\nSubject: hi\n\nbody\nline two\n",
    b"From: a@b.org\r\nSubject: hi\r\n\r\nbody\r\nwith CRLF\r\n",
    b"From: a@b.org\nSubject: folded\n  continued\n\nbody\n\n\nwith blank lines\n",
    b"From: a@b.org\r\nSubject: folded\r\n\tby a tab\r\n \r\n\r\nbody",
    b"From: a@b.org\nContent-Type: text/html; charset=utf-8\n\n<p>caf\xc3\xa9</p>",
    b"From: a@b.org\nContent-Type: garbage\n\nbody",
    b"From: a@b.org\nSubject: \xff\xfe 8-bit\n\n\x00\x85 odd bytes \x0c\x1c\n",
    b"From: a@b.org\n\n",
    b"From: a@b.org\nSubject: x\x0c\n\na form feed is not a line break here",
    b"Subject: \x0b\x1c\x1d\x1e\xc2\x85\xe2\x80\xa8 not line breaks either\nTo: c\n\nbody",
    b"X-Empty:\nX-Spaces: \t  \nX-Colons: a: b: c\nX-Nul: \x00\n\nbody",
    b"X-Empty-Folded:\n\tvalue on the next line\n\nbody",
    b"From: a@b.org\nSubject: mixed ends\r\n\nbody\r\n",
    b"From: a@b.org\n\r\nblank line with CR\n",
    b"From: a@b.org\nContent-Type: Text/Plain\nContent-Type: multipart/mixed\n\nfirst wins",
    b"~!#$%&'*+-.^_`|{}0123456789: every name character\n\nbody",
]

DECLINED = [
    b"From: a@b.org\nSubject: no blank line",
    b"From: a@b.org\nnot a header line\n\nbody",
    b"From: a@b.org\rSubject: old mac\r\rbody",
    b"From: a@b.org\nContent-Type: message/rfc822\n\nFrom: c@d.org\n\ninner\n",
    b"From: a@b.org\nContent-Type: message/delivery-status\n\nA: b\n\nC: d\n",
    b"From: a@b.org\nContent-Type: MULTIPART/alternative\n\nno boundary\n",
    b"From a@b.org Mon Jan  1 00:00:00 2024\nSubject: unix-from\n\nbody",
    b"Subject: s\nFrom a@b.org Mon Jan  1 00:00:00 2024\nTo: t\n\nmisplaced unix-from",
    b" folded first\nSubject: s\n\nbody",
    b":no name\nSubject: s\n\nbody",
    b"Subject: a lone\rCR inside\n\nbody",
    b"Subject: s\r\r\n\nbody",
    b"\nSubject: s\n\nbody after an empty header block",
    b"\r\nSubject: s\n\nbody",
    b"X-\x0c: y\n\nbody",
    b"X-caf\xc3\xa9: 8-bit name\n\nbody",
    b"X Space: y\n\nbody",
    b"Subject: s\n\t\n",
]


@pytest.mark.parametrize("data", TAKEN)
def test_plain_messages_get_the_stdlib_tree(data):
    message = plain_tree(data)
    assert message is not None
    assert signature(message) == signature(FULL.parsebytes(data))


@pytest.mark.parametrize("data", DECLINED)
def test_anything_else_goes_to_the_full_parser(data):
    assert plain_tree(data) is None
    assert signature(parse_bytes(data)) == signature(FULL.parsebytes(data))


_line = st.binary(min_size=0, max_size=30).map(lambda b: b.replace(b"\n", b" "))
_header = st.one_of(
    st.sampled_from(
        [
            b"From: a@b.org",
            b"From a@b.org Mon Jan  1 00:00:00 2024",
            b"Subject: s",
            b"  folded",
            b"\t",
            b":",
            b"Content-Type: text/plain",
            b"Content-Type: multipart/mixed; boundary=x",
            b"Content-Type: message/rfc822",
            b"X-\x0c: y",
            b"X-\r: y",
            b"X: \x0b\x1c\x85",
        ]
    ),
    _line,
)


@settings(max_examples=1500, deadline=None)
@given(
    st.lists(st.tuples(_header, st.sampled_from([b"\n", b"\r\n", b"\r"])), min_size=1, max_size=6),
    st.sampled_from([b"\n", b"\r\n", b"\r", b""]),
    st.lists(_line, max_size=5),
)
def test_whenever_it_answers_the_tree_is_the_stdlib_tree(headers, blank, body):
    data = b"".join(line + end for line, end in headers) + blank + b"\n".join(body)
    message = plain_tree(data)
    if message is not None:
        assert signature(message) == signature(FULL.parsebytes(data))


_NAME_CHARS = [chr(c) for c in range(0x21, 0x7F) if c != 0x3A]
_name = st.text(alphabet=_NAME_CHARS, min_size=1, max_size=12)
_value = st.binary(max_size=20).map(lambda b: b.replace(b"\n", b"").replace(b"\r", b""))
_field = st.tuples(_name, _value, st.lists(st.tuples(st.sampled_from([b" ", b"\t"]), _value)))


@settings(max_examples=500, deadline=None)
@given(st.lists(_field, min_size=1, max_size=8), st.sampled_from([b"\n", b"\r\n"]), _value)
def test_plain_header_blocks_are_taken(fields, newline, body):
    lines = []
    for name, value, continuations in fields:
        if name.lower() == "content-type":  # multipart and message/* are declined
            continue
        lines.append(name.encode() + b":" + value)
        lines += [indent + more for indent, more in continuations]
    data = b"".join(line + newline for line in [b"From: a@b.org", *lines]) + newline + body
    message = plain_tree(data)
    assert message is not None
    assert signature(message) == signature(FULL.parsebytes(data))


def multipart(body: bytes, boundary: bytes = b"b", more: bytes = b"") -> bytes:
    head = b"From: a@b.org\nContent-Type: multipart/mixed; boundary=" + boundary + b"\n" + more
    return head + b"\n" + body


MULTIPART_TAKEN = [
    multipart(b"--b\n\nx\n--b--\n"),
    multipart(b"preamble\n\n--b\nContent-Type: text/plain\n\none\n--b\n\ntwo\n\n--b--\nepilogue\n"),
    multipart(b"--b\r\nContent-Type: text/plain\r\n\r\none\r\n--b--\r\n\r\n"),
    multipart(b"--b  \t\n\nx\n--b-- \nafter\n--b\nnot a part any more\n"),
    multipart(b"--b\n\nx\n--b--"),
    multipart(b"--b\n\nx\n--b--\n\n"),
    multipart(b"--b\n\n--bx\n--b--x\n-- \n---\n--b -\n--\n\n--b--\n"),
    multipart(b"--a b\n\nx\n--a b--\n", boundary=b'"a b"'),
    multipart(b"--b\n\n\xff\xfe\x00\x85\n--b--\n", more=b"Content-Transfer-Encoding: 7bit\n"),
    multipart(
        b"--b\nContent-Type: multipart/alternative; boundary=c\n\ninner preamble\n--c\n\n"
        b"plain\n--c\nContent-Type: text/html\n\n<p>html</p>\n--c--\ninner epilogue\n\n"
        b"--b\nContent-Type: application/pgp-signature\n\nsig\n--b--\n",
        more=b"X-Nested: yes\n",
    ),
    multipart(b"--b\nContent-Type: multipart/mixed; boundary=c\n\n--c\n\nx\n--c--\n--b--\n"),
    multipart(b"--b\nContent-Type: multipart/mixed; boundary=c\n\n--c\n\nx\n--c--\n\n--b--\n"),
]

MULTIPART_DECLINED = [
    multipart(b"--b\n\nx\n--b--\n", boundary=b"b", more=b"Content-Transfer-Encoding: base64\n"),
    multipart(b"--b\n\nx\n--b--\n").replace(b"multipart/mixed", b"multipart/digest"),
    multipart(b"no boundary at all\n"),
    multipart(b"--b--\nonly a close boundary\n"),
    multipart(b"--b\n\nnever closed\n"),
    multipart(b"--b\n--b\n\nrepeated boundary\n--b--\n"),
    multipart(b"--b\nContent-Type: message/rfc822\n\nFrom: c@d.org\n\ninner\n--b--\n"),
    multipart(b"--b\nContent-Type: text/plain\n--b--\n"),
    multipart(b"--b\nnot a header\n\nx\n--b--\n"),
    multipart(b"--b\nContent-Type: multipart/mixed; boundary=c\n\n--c\n\nx\n--b--\n"),
    multipart(b"--a:b\n\nx\n--a:b--\n", boundary=b'"a:b"'),
    multipart(b"--b\n\nlone\rCR\n--b--\n"),
    multipart(b"--b\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\nx\n--b--\n--b--\n"),
]


@pytest.mark.parametrize("data", MULTIPART_TAKEN)
def test_plain_multiparts_get_the_stdlib_tree(data):
    message = plain_tree(data)
    assert message is not None and message.is_multipart()
    assert signature(message) == signature(FULL.parsebytes(data))


@pytest.mark.parametrize("data", MULTIPART_DECLINED)
def test_multiparts_with_defects_or_embedded_messages_go_to_the_full_parser(data):
    assert plain_tree(data) is None
    assert signature(parse_bytes(data)) == signature(FULL.parsebytes(data))


def _tree(depth: int):
    """Well-formed multipart bodies: (content-type line, body) with distinct boundaries."""
    leaf = st.tuples(st.sampled_from([b"", b"Content-Type: text/plain\n"]), _value)
    if depth == 0:
        return leaf.map(lambda item: (item[0], item[1] + b"\n"))
    return st.one_of(leaf.map(lambda item: (item[0], item[1] + b"\n")), _multipart_tree(depth))


def _multipart_tree(depth: int):
    boundary = b"=_level%d" % depth
    return st.tuples(st.lists(_tree(depth - 1), min_size=1, max_size=3), _value, _value).map(
        lambda item: (
            b"Content-Type: multipart/mixed; boundary=" + boundary + b"\n",
            item[1]
            + b"\n"
            + b"".join(b"--" + boundary + b"\n" + head + b"\n" + body for head, body in item[0])
            + b"--"
            + boundary
            + b"--\n"
            + (item[2] + b"\n" if item[2] else b""),  # an epilogue ends before the next line
        )
    )


@settings(max_examples=300, deadline=None)
@given(_multipart_tree(3), st.sampled_from([b"\n", b"\r\n"]))
def test_well_formed_multiparts_are_taken(tree, newline):
    head, body = tree
    data = (b"From: a@b.org\n" + head + b"\n" + body).replace(b"\n", newline)
    message = plain_tree(data)
    assert message is not None and message.is_multipart()
    assert signature(message) == signature(FULL.parsebytes(data))


_TRICKY = st.sampled_from(
    [b"--=_level%d%s" % (n, suffix) for n in (1, 2, 3) for suffix in (b"", b"--", b" ", b"x")]
    + [b"", b"-- ", b"text", b"\t", b"From x", b":", b"Content-Type: text/html", b"\r"]
    + [b"Content-Type: message/rfc822", b"Content-Transfer-Encoding: base64"]
    + [b"Content-Type: multipart/mixed; boundary==_level%d" % level for level in (1, 2, 3)]
    + [b"Content-Type: multipart/digest; boundary==_level1"]
)


@settings(max_examples=1500, deadline=None)
@given(_multipart_tree(3), st.lists(st.tuples(st.integers(0, 60), _TRICKY), max_size=3))
def test_whenever_it_answers_a_multipart_tree_is_the_stdlib_tree(tree, insertions):
    """Well-formed trees with a few lines inserted anywhere: boundaries of any level, blank
    lines, header lines, lone CRs..."""
    head, body = tree
    lines = (b"From: a@b.org\n" + head + b"\n" + body).split(b"\n")
    for position, line in insertions:
        lines.insert(position % (len(lines) + 1), line)
    data = b"\n".join(lines)
    message = plain_tree(data)
    if message is not None:
        assert signature(message) == signature(FULL.parsebytes(data))
