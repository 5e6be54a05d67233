"""Property tests: parse_message raises nothing but IngestError for any bytes, refuses exactly
the bytes without a header line, and what it returns is always storable."""

from __future__ import annotations

import base64
import re
from datetime import timedelta
from email.message import EmailMessage

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dossier.blobs import BlobStore
from dossier.corpus.ingest.parse import parse_message
from dossier.corpus.ingest.types import ParsedMessage
from dossier.errors import IngestError

HEADER_LINE = re.compile(rb"[\x21-\x39\x3b-\x7e]+:")
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> BlobStore:
    return BlobStore(tmp_path_factory.mktemp("blobs"))


def has_header(data: bytes) -> bool:
    """The documented rule: a ``Field-Name:`` line before the first blank line."""
    if not data.strip():
        return False
    for line in data.split(b"\n"):
        if not line.strip():
            return False
        if HEADER_LINE.match(line):
            return True
    return False


def check(data: bytes, store: BlobStore) -> None:
    """Parse ``data`` and assert the contract: refused iff headerless, else a sane result."""
    try:
        parsed = parse_message(data, blobs=store)
    except IngestError:
        assert not has_header(data), "a message with a header line was refused"
        return
    assert has_header(data), "bytes without a header line were accepted"
    assert_storable(parsed, store)


def assert_storable(parsed: ParsedMessage, store: BlobStore) -> None:
    texts = [
        parsed.subject,
        parsed.from_addr,
        parsed.from_name,
        parsed.message_id,
        parsed.in_reply_to,
        parsed.body_text,
        parsed.body_html,
        *parsed.references,
        *parsed.defects,
        *[item for pair in parsed.to + parsed.cc for item in pair],
    ]
    for attachment in parsed.attachments:
        texts += [attachment.filename, attachment.text, attachment.text_error]
        assert store.exists(attachment.sha256)
        assert "/" not in attachment.filename and "\\" not in attachment.filename
    for text in texts:
        assert isinstance(text, str) and "\x00" not in text
        text.encode("utf-8")  # no lone surrogates
    assert [a.part for a in parsed.attachments] == list(range(len(parsed.attachments)))
    assert parsed.date is None or parsed.date.utcoffset() == timedelta(0)
    assert parsed.date is None or 1980 <= parsed.date.year <= 2100
    assert len(parsed.identity) == 64 and store.exists(parsed.raw_sha256)


@SETTINGS
@given(st.binary(max_size=2000))
def test_arbitrary_bytes(store, data):
    check(data, store)


@SETTINGS
@given(st.binary(max_size=400).map(lambda tail: b"Subject: x\n" + tail))
def test_arbitrary_bytes_after_a_header_always_parse(store, data):
    assert_storable(parse_message(data, blobs=store), store)


def seed_messages() -> list[bytes]:
    """Real-looking messages covering the parser's branches."""
    inner = EmailMessage()
    inner["From"] = "Inner <in@x.org>"
    inner["Subject"] = "=?utf-8?q?inn=C3=A9r?="
    inner.set_content("inner body")
    outer = EmailMessage()
    outer["From"] = '"Smith, J" <j@x.org>'
    outer["To"] = "Team: a@x.org, b@x.org;, unlisted-recipients:;"
    outer["Subject"] = "=?koi8-r?b?8NLJ18XU?= and more"
    outer["Date"] = "Tue, 05 Mar 2024 10:00:00 +0100"
    outer["Message-ID"] = "<seed@x.org>"
    outer["References"] = "<r1@x.org> <r2@x.org>"
    outer.set_content("Plain body — with UTF-8\n")
    outer.add_alternative("<p>HTML <script>x()</script>body</p>", subtype="html")
    outer.add_attachment(
        b"%PDF-1.4 broken",
        maintype="application",
        subtype="pdf",
        filename="../r\u00e9sum\u00e9.pdf",
    )
    outer.add_attachment(b"a,b\n1,2\n", maintype="text", subtype="csv", filename="t.csv")
    outer.add_attachment(inner)
    raw = (
        b"From: a@b.c\nSubject: =?iso-8859-1?q?caf=E9?=\nContent-Type: multipart/mixed; "
        b"boundary=B\n\n--B\nContent-Type: text/plain; charset=shift_jis\n"
        b"Content-Transfer-Encoding: base64\n\n"
        + base64.encodebytes("日本語".encode("shift_jis"))
        + b"--B\nContent-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n"
        + base64.encodebytes(b"From: q@r.s\n\nwrapped\n")
        + b"--B--\n"
    )
    return [outer.as_bytes(), raw]


SEEDS = seed_messages()


@st.composite
def mutated(draw) -> bytes:
    """A seed message with a few random edits: replaced, deleted, inserted or cut bytes."""
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["replace", "delete", "insert", "truncate"]))
        chunk = draw(st.binary(min_size=1, max_size=12))
        if kind == "replace":
            data[at : at + len(chunk)] = chunk
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif kind == "insert":
            data[at:at] = draw(st.sampled_from([chunk, b"\n", b"\n\n", b"--", b"=?", b"\r\n"]))
        else:
            del data[at:]
    return bytes(data)


@SETTINGS
@given(mutated())
def test_mutated_real_messages(store, data):
    check(data, store)


HEADER_VALUES = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "=?utf-8?b?",
            "=?x?q?=ZZ?=",
            "<>",
            ":;",
            '"',
            "(",
            "=?utf-7?q?+2AA-?=",
            "Tue, 31 Feb 9999 99:99 +9999",
            "<a@b> <c",
            "multipart/mixed",
        ]
    ),
)
PARAMS = st.sampled_from(
    [
        "",
        "; charset=utf-7",
        '; charset="x-bogus"',
        "; boundary=",
        "; name*=''",
        "; charset=utf-16",
        "; name*0*=zz''%ZZ",
    ]
)


@SETTINGS
@given(
    headers=st.lists(
        st.tuples(
            st.sampled_from(
                [
                    "From",
                    "To",
                    "Cc",
                    "Subject",
                    "Date",
                    "Message-ID",
                    "References",
                    "In-Reply-To",
                    "Content-Type",
                    "Content-Disposition",
                    "Content-Transfer-Encoding",
                    "X-Other",
                ]
            ),
            HEADER_VALUES,
            PARAMS,
        ),
        min_size=1,
        max_size=8,
    ),
    body=st.binary(max_size=300),
)
def test_generated_headers_always_parse(store, headers, body):
    head = "".join(
        f"{name}: {value}{param}\n".replace("\n", " ").rstrip() + "\n"
        for name, value, param in headers
    )
    data = head.encode("utf-8", "surrogatepass") + b"\n" + body
    if has_header(data):
        assert_storable(parse_message(data, blobs=store), store)


@SETTINGS
@given(
    st.lists(
        st.sampled_from([b"", b" ", b"\t\r", b"Subject: x", b"X:", b"no header", b"a b: c", b"\r"]),
        max_size=5,
    ).map(b"\n".join)
    | st.binary(max_size=200)
)
def test_the_rule_is_the_one_the_demo_generator_counts_failures_by(store, data):
    from dossier.demo.manifest import has_header as demo_rule

    try:
        parse_message(data, blobs=store)
    except IngestError:
        assert not demo_rule(data)
    else:
        assert demo_rule(data)
