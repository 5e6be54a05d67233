"""parse_message: body selection in MIME trees and charset decoding."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from dossier.corpus.ingest.parse import parse_message
from dossier.errors import IngestError

HEAD = b"From: a@b.c\nSubject: s\nMessage-ID: <m@x>\n"


def single(body: bytes, content_type: str, cte: str = "8bit") -> bytes:
    return (
        HEAD
        + (
            f"MIME-Version: 1.0\nContent-Type: {content_type}\nContent-Transfer-Encoding: {cte}\n\n"
        ).encode()
        + body
    )


def test_multipart_alternative_gives_plain_text_and_raw_html(blobs):
    message = EmailMessage()
    message["From"] = "a@b.c"
    message.set_content("Plain version.\n")
    message.add_alternative("<p>HTML <b>version</b></p>", subtype="html")
    parsed = parse_message(message.as_bytes(), blobs=blobs)
    assert parsed.body_text == "Plain version.\n"
    assert parsed.body_html.strip() == "<p>HTML <b>version</b></p>"
    assert parsed.attachments == []


def test_html_only_message_is_converted_without_script_or_style(blobs):
    html = (
        "<html><head><style>.x{color:red}</style><script>stealCookies()</script></head>"
        "<body><p>Dear team,</p><table><tr><td>Q1</td><td>42</td></tr></table>"
        "<ul><li>first</li><li>second</li></ul><script>alert('x')</script></body></html>"
    )
    parsed = parse_message(single(html.encode(), "text/html; charset=utf-8"), blobs=blobs)
    assert "Dear team," in parsed.body_text
    assert "Q1" in parsed.body_text and "42" in parsed.body_text
    assert "* first" in parsed.body_text and "* second" in parsed.body_text
    for leaked in ("stealCookies", "alert", "color:red", "<p>"):
        assert leaked not in parsed.body_text
    assert parsed.body_html == html  # kept as sent, never rendered here


def test_alternative_with_related_html_and_inline_image(blobs):
    message = EmailMessage()
    message["From"] = "a@b.c"
    message.set_content("plain")
    message.add_alternative("<p>rich <img src='cid:logo'></p>", subtype="html")
    html_part = message.get_payload()[1]
    html_part.add_related(b"\x89PNG\r\n\x1a\nfake", "image", "png", cid="<logo>")
    parsed = parse_message(message.as_bytes(), blobs=blobs)
    assert parsed.body_text.strip() == "plain"
    assert "rich" in parsed.body_html
    assert [a.content_type for a in parsed.attachments] == ["image/png"]


def test_second_inline_text_part_is_appended(blobs):
    data = (
        HEAD
        + b"""Content-Type: multipart/mixed; boundary=B

--B
Content-Type: text/plain

Main text.
--B
Content-Type: text/plain; charset=utf-8
Content-Disposition: inline

Mailing list footer \xe2\x80\x94 unsubscribe.
--B--
"""
    )
    parsed = parse_message(data, blobs=blobs)
    assert parsed.body_text == "Main text.\n\nMailing list footer — unsubscribe."
    assert parsed.attachments == []


@pytest.mark.parametrize(
    ("text", "charset"),
    [
        ("Café crème, naïve", "iso-8859-1"),
        ("Smart “quotes” – and € sign", "cp1252"),
        ("Привет, как дела?", "koi8-r"),
        ("日本語のメールです", "shift_jis"),
        ("Grüße 👋 from UTF-8", "utf-8"),
        ("日本語のメール", "iso-2022-jp"),
    ],
)
def test_bodies_in_declared_charsets(blobs, text, charset):
    parsed = parse_message(
        single(text.encode(charset), f"text/plain; charset={charset}"), blobs=blobs
    )
    assert parsed.body_text == text
    assert not any(d.startswith("charset") for d in parsed.defects)


@pytest.mark.parametrize("cte", ["base64", "quoted-printable"])
def test_transfer_encodings_are_undone_before_charset_decoding(blobs, cte):
    message = EmailMessage()
    message["From"] = "a@b.c"
    message.set_content("Ça coûte 5 €\n", charset="iso-8859-15", cte=cte)
    assert parse_message(message.as_bytes(), blobs=blobs).body_text == "Ça coûte 5 €\n"


def test_latin1_label_means_windows_1252(blobs):
    data = single("“Hello” – world".encode("cp1252"), "text/plain; charset=latin1")
    assert parse_message(data, blobs=blobs).body_text == "“Hello” – world"


@pytest.mark.parametrize(
    ("body", "declared", "expected"),
    [
        ("Grüße".encode(), "iso-8859-1", "Grüße"),  # really UTF-8
        ("Grüße".encode("cp1252"), "utf-8", "Grüße"),  # really cp1252
        ("Grüße".encode(), "us-ascii", "Grüße"),
    ],
)
def test_wrong_declared_charset_is_recovered_with_a_defect(blobs, body, declared, expected):
    parsed = parse_message(single(body, f"text/plain; charset={declared}"), blobs=blobs)
    assert parsed.body_text == expected
    assert any(d.startswith("charset") for d in parsed.defects)


@pytest.mark.parametrize("declared", ["x-unknown", "unknown-8bit", "base64", "no such thing"])
def test_unknown_charset_falls_back(blobs, declared):
    parsed = parse_message(
        single("naïve".encode(), f'text/plain; charset="{declared}"'), blobs=blobs
    )
    assert parsed.body_text == "naïve"
    assert any("unknown charset" in d for d in parsed.defects)


def test_undeclared_charset_guesses_utf8_then_cp1252(blobs):
    assert parse_message(HEAD + b"\n" + "é".encode(), blobs=blobs).body_text == "é"
    assert parse_message(HEAD + b"\n\xe9t\xe9", blobs=blobs).body_text == "été"


def test_newlines_normalised_and_nuls_stripped(blobs):
    data = HEAD + b"\r\nline one\r\nline\x00 two\rline three\r\n"
    assert parse_message(data, blobs=blobs).body_text == "line one\nline two\nline three\n"


def test_multipart_without_boundary_is_read_as_text(blobs):
    data = HEAD + b"Content-Type: multipart/mixed\n\nthe whole body\n"
    parsed = parse_message(data, blobs=blobs)
    assert parsed.body_text == "the whole body\n"
    assert "NoBoundaryInMultipartDefect" in parsed.defects


def test_utf7_lone_surrogates_never_reach_the_text(blobs):
    parsed = parse_message(single(b"a+2AA-b", "text/plain; charset=utf-7"), blobs=blobs)
    assert parsed.body_text == "a?b"
    parsed.body_text.encode("utf-8")


def test_blank_plain_alternative_falls_back_to_the_html(blobs):
    message = EmailMessage()
    message["From"] = "a@b.c"
    message.set_content("  \n")
    message.add_alternative("<p>the real content</p>", subtype="html")
    assert parse_message(message.as_bytes(), blobs=blobs).body_text.strip() == "the real content"


def test_deep_mime_nesting_is_cut_or_refused_never_a_crash(blobs):
    levels = b"".join(
        b"Content-Type: multipart/mixed; boundary=b%d\n\n--b%d\n" % (i, i) for i in range(80)
    )
    parsed = parse_message(
        b"From: a@b.c\n" + levels + b"Content-Type: text/plain\n\nx\n", blobs=blobs
    )
    assert any("nesting deeper than" in defect for defect in parsed.defects)
    hostile = b"From: a@b.c\n" + b"Content-Type: message/rfc822\n\n" * 5000 + b"Subject: x\n\ny"
    with pytest.raises(IngestError, match="nested too deeply"):
        parse_message(hostile, blobs=blobs)


def test_nul_in_rfc2231_charset_or_filename_does_not_raise(blobs):
    """Found by hypothesis: the stdlib raises ValueError for ``charset*=%00utf-8''...``."""
    raw = (
        b"From: a@example.com\nMessage-ID: <nul@x>\nMIME-Version: 1.0\n"
        b"Content-Type: multipart/mixed; boundary=b\n\n--b\n"
        b"Content-Type: text/plain; charset*=%00utf-8''x\n\nhello body\n--b\n"
        b"Content-Type: application/octet-stream\n"
        b"Content-Disposition: attachment; filename*=%00utf-8''a%20b.bin\n\nDATA\n--b--\n"
    )
    parsed = parse_message(raw, blobs=blobs)
    assert "hello body" in parsed.body_text
    assert len(parsed.attachments) == 1
