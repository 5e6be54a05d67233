"""parse_message: the failure rule, headers, bodies, charsets, dates, ids and identity."""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage

import pytest

from dossier.corpus.ingest.parse import parse_message
from dossier.errors import IngestError


def simple(headers: str, body: bytes = b"Hello there.\n") -> bytes:
    return headers.strip().encode() + b"\n\n" + body


BASE = """
From: Alice Example <Alice@Example.org>
To: Bob <bob@example.com>, carol@example.com
Subject: Quarterly numbers
Date: Tue, 05 Mar 2024 10:00:00 +0100
Message-ID: <q1@example.org>
"""


# -- the "no header" rule -------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   \n\t\r\n ",
        b"just some prose\nwith two lines\n",
        b"\nFrom: a@b.c\n\nbody",
        b" \t\r\nFrom: a@b.c\n\nbody",
        b"no colon here\n\nSubject: after the blank line\n",
        b"Bad Name: has a space\n\nx",
        b": empty name\n",
    ],
)
def test_bytes_without_a_header_line_are_refused(blobs, data):
    with pytest.raises(IngestError):
        parse_message(data, blobs=blobs)


def test_error_says_why(blobs):
    with pytest.raises(IngestError, match="no 'Field-Name: value' header"):
        parse_message(b"hello world\n", blobs=blobs)
    with pytest.raises(IngestError, match="empty"):
        parse_message(b"  \n", blobs=blobs)


def test_one_header_line_is_enough_and_junk_before_it_is_skipped(blobs):
    parsed = parse_message(b"X-Odd:\nhello", blobs=blobs)
    assert parsed.subject == "" and parsed.body_text == "hello" and parsed.size == 12
    parsed = parse_message(b">From junk line\nSubject: kept\n\nbody\n", blobs=blobs)
    assert parsed.subject == "kept"
    assert parsed.body_text == "body\n"
    assert any("before the first header" in d for d in parsed.defects)


def test_an_mbox_from_line_is_not_a_defect(blobs):
    parsed = parse_message(b"From someone@x Tue Mar  5 10:00:00 2024\nSubject: s\n\nb", blobs=blobs)
    assert parsed.subject == "s"
    assert not any("before the first header" in d for d in parsed.defects)


def test_raw_bytes_are_stored(blobs):
    data = simple(BASE)
    parsed = parse_message(data, blobs=blobs)
    assert blobs.read(parsed.raw_sha256) == data
    assert parsed.size == len(data)


# -- headers --------------------------------------------------------------------------------


def test_plain_message_headers(blobs):
    parsed = parse_message(simple(BASE), blobs=blobs)
    assert parsed.from_addr == "alice@example.org"
    assert parsed.from_name == "Alice Example"
    assert parsed.to == [("Bob", "bob@example.com"), ("", "carol@example.com")]
    assert parsed.cc == []
    assert parsed.subject == "Quarterly numbers"
    assert parsed.date == datetime(2024, 3, 5, 9, 0, tzinfo=UTC)
    assert parsed.message_id == "q1@example.org"
    assert parsed.body_text == "Hello there.\n"
    assert parsed.body_html == "" and parsed.attachments == [] and parsed.defects == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("=?utf-8?B?UmU6IFByw7xmdW5n?=", "Re: Prüfung"),
        ("=?iso-8859-1?q?caf=E9_cr=E8me?=", "café crème"),
        ("=?koi8-r?b?8NLJ18XU?=", "Привет"),
        ("=?shift_jis?b?k/qWe4zq?=", "日本語"),
        ("=?utf-8?q?a?= =?utf-8?q?b?=  plain\n   folded", "ab plain folded"),
        ("=?utf-8?b?w6k=?==?utf-8?b?w6k=?=", "éé"),
        ("=?utf-8?b?4oKs?= and =?x-unknown?q?caf=C3=A9?=", "€ and café"),
        ("=?utf-8?b?%%%?= broken", "broken"),
        ("=?utf-8?q?=E2=82?= =?utf-8?q?=AC?=", "€"),  # one character split over two words
    ],
)
def test_rfc2047_subjects(blobs, raw, expected):
    parsed = parse_message(simple(f"From: a@b.c\nSubject: {raw}"), blobs=blobs)
    assert parsed.subject == expected


def test_raw_8bit_headers_are_decoded(blobs):
    data = b"From: J\xc3\xb6rg <j@x.de>\nSubject: caf\xe9 \xe0 la carte\n\nx"
    parsed = parse_message(data, blobs=blobs)
    assert parsed.from_name == "Jörg"
    assert parsed.subject == "café à la carte"


def test_group_syntax_and_garbage_addresses(blobs):
    headers = """
From: "Smith, John" <JSmith@Example.COM>
To: unlisted-recipients:;
Cc: Team: ann@x.org, "=?utf-8?q?B=C3=A9a?=" <bea@x.org>;, <<>>, undisclosed-recipients: ;
"""
    parsed = parse_message(simple(headers), blobs=blobs)
    assert (parsed.from_name, parsed.from_addr) == ("Smith, John", "jsmith@example.com")
    assert parsed.to == []
    assert ("", "ann@x.org") in parsed.cc and ("Béa", "bea@x.org") in parsed.cc


def test_from_with_a_name_but_no_address_keeps_the_name(blobs):
    parsed = parse_message(simple("From: Jane Q. Public\nSubject: x"), blobs=blobs)
    assert (parsed.from_name, parsed.from_addr) == ("Jane Q. Public", "")
    parsed = parse_message(simple('From: "Jane" <>\nSubject: x'), blobs=blobs)
    assert (parsed.from_name, parsed.from_addr) == ("Jane", "")


# -- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Tue, 05 Mar 2024 10:00:00 +0530", datetime(2024, 3, 5, 4, 30, tzinfo=UTC)),
        ("Tue, 05 Mar 2024 10:00:00 -0800", datetime(2024, 3, 5, 18, 0, tzinfo=UTC)),
        ("5 Mar 2024 23:30:00 -0100", datetime(2024, 3, 6, 0, 30, tzinfo=UTC)),
        ("Tue, 5 Mar 24 10:00:00 EST", datetime(2024, 3, 5, 15, 0, tzinfo=UTC)),
        ("Tue, 05 Mar 2024 10:00:00 -0000", datetime(2024, 3, 5, 10, 0, tzinfo=UTC)),
    ],
)
def test_dates_are_normalised_to_utc(blobs, raw, expected):
    parsed = parse_message(simple(f"From: a@b.c\nDate: {raw}"), blobs=blobs)
    assert parsed.date == expected
    assert parsed.date.utcoffset().total_seconds() == 0


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "yesterday",
        "Thu, 01 Jan 1970 00:00:00 +0000",
        "Mon, 32 Feb 2020 10:00:00 +0100",
        "Tue, 5 Mar 1979 10:00:00 +0000",
        "Tue, 5 Mar 2101 10:00:00 +0000",
        "Tue, 5 Mar 99999 10:00:00 +0000",
        "Tue, 5 Mar 2024 10:00:00 +9999",
    ],
)
def test_missing_invalid_and_absurd_dates_are_none_with_a_defect(blobs, raw):
    headers = "From: a@b.c" + (f"\nDate: {raw}" if raw else "")
    parsed = parse_message(simple(headers), blobs=blobs)
    assert parsed.date is None
    assert any(d.startswith("date:") for d in parsed.defects)


# -- message ids, references, identity --------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<abc@x.org>", "abc@x.org"),
        ("   <abc@x.org>   ", "abc@x.org"),
        ("abc@x.org", "abc@x.org"),
        ("<first@x> <second@x>", "first@x"),
        ("<folded\n  @x.org>", "folded@x.org"),
        ("<>", ""),
        ("", ""),
    ],
)
def test_message_id_variants(blobs, raw, expected):
    parsed = parse_message(simple(f"From: a@b.c\nMessage-ID: {raw}"), blobs=blobs)
    assert parsed.message_id == expected


def test_references_and_in_reply_to(blobs):
    headers = """
From: a@b.c
In-Reply-To: <p3@x> (Bob's message of Tuesday)
References: <p1@x>
 <p2@x> <p1@x>
"""
    parsed = parse_message(simple(headers), blobs=blobs)
    assert parsed.in_reply_to == "p3@x"
    assert parsed.references == ["p1@x", "p2@x", "p3@x"]
    parsed = parse_message(
        simple("From: a@b.c\nReferences: p1@x p2@x\nIn-Reply-To: <p2@x>"), blobs=blobs
    )
    assert parsed.references == ["p1@x", "p2@x"]
    parsed = parse_message(simple("From: a@b.c\nIn-Reply-To: your note of Monday"), blobs=blobs)
    assert parsed.in_reply_to == "" and parsed.references == []


def test_identity_from_message_id(blobs):
    import hashlib

    parsed = parse_message(simple(BASE), blobs=blobs)
    assert parsed.identity == hashlib.sha256(b"mid:q1@example.org").hexdigest()


def _copies(data: bytes) -> list[bytes]:
    """The same message as other mailboxes store it."""
    crlf = data.replace(b"\n", b"\r\n")
    return [
        crlf,
        b"Status: RO\nX-Keywords: $Seen\n" + data,
        b"Received: from mx.example by relay; Tue, 5 Mar 2024 10:00:01 +0100\n" + data,
        b"From alice@example.org Tue Mar  5 10:00:00 2024\n" + data,
        data.replace(b"Subject:", b"X-Status: F\nSubject:"),
    ]


@pytest.mark.parametrize("with_id", [True, False])
def test_identity_is_the_same_for_copies_in_other_mailboxes(blobs, with_id):
    headers = BASE if with_id else BASE.replace("Message-ID: <q1@example.org>\n", "")
    data = simple(headers, b"Numbers are\nattached.   See you\n")
    identity = parse_message(data, blobs=blobs).identity
    for copy in _copies(data):
        assert parse_message(copy, blobs=blobs).identity == identity


def test_identity_ignores_mbox_from_quoting(blobs):
    headers = BASE.replace("Message-ID: <q1@example.org>\n", "")
    plain = parse_message(simple(headers, b"Hi\nFrom here on\n"), blobs=blobs)
    quoted = parse_message(simple(headers, b"Hi\n>From here on\n"), blobs=blobs)
    assert plain.identity == quoted.identity


def test_identity_without_message_id_depends_on_content(blobs):
    headers = BASE.replace("Message-ID: <q1@example.org>\n", "")
    one = parse_message(simple(headers, b"text one"), blobs=blobs)
    two = parse_message(simple(headers, b"text two"), blobs=blobs)
    other_date = parse_message(
        simple(headers.replace("10:00:00", "11:00:00"), b"text one"), blobs=blobs
    )
    assert one.message_id == ""
    assert len({one.identity, two.identity, other_date.identity}) == 3


def test_identity_survives_quoted_printable_with_crlf(blobs):
    message = EmailMessage()
    message["From"] = "a@b.c"
    message["Subject"] = "qp"
    message.set_content("Grüße aus Köln " * 10, cte="quoted-printable")
    data = message.as_bytes()
    lf = parse_message(data, blobs=blobs)
    crlf = parse_message(data.replace(b"\n", b"\r\n"), blobs=blobs)
    assert lf.identity == crlf.identity
    assert lf.body_text == crlf.body_text and "Grüße aus Köln" in lf.body_text
