"""Parsing a large message makes few copies of it, and the shortcuts that avoid the copies give
what the stdlib gives: ``bodies.part_bytes`` (base64, quoted-printable), ``part_text`` (ASCII
sent as is), ``headblock`` (a part's payload sliced once).

The same check on the benchmark corpus (linux-btrfs, 75,576 messages): every parsed message
(identity, body text and HTML, subject, defects, each attachment's name, type, size, sha256, text
and error) was equal before and after these shortcuts, by a one-off script comparing digests."""

from __future__ import annotations

import base64
import hashlib
import quopri
import re
import tracemalloc
from email.parser import BytesParser
from email.policy import compat32

from hypothesis import given, settings
from hypothesis import strategies as st

from dossier.blobs import BlobStore
from dossier.corpus.ingest import parse
from dossier.corpus.ingest.bodies import part_bytes, part_text
from dossier.corpus.ingest.extractors import clean_text
from dossier.corpus.ingest.extractors.text import decode_bytes
from dossier.corpus.ingest.headers import collapse, header_text
from dossier.corpus.ingest.parse import parse_message

PARSER = BytesParser(policy=compat32)


def leaf(encoding: str, payload: bytes, charset: str | None = None) -> bytes:
    params = f"; charset={charset}" if charset else ""
    cte = f"Content-Transfer-Encoding: {encoding}\n" if encoding is not None else ""
    return (
        f"From: a@example.org\nSubject: s\nContent-Type: text/plain{params}\n{cte}\n".encode()
        + payload
    )


def stdlib_and_ours(raw: bytes) -> tuple[bytes, list[str], bytes, list[str]]:
    """What ``get_payload(decode=True)`` and ``part_bytes`` make of the same message, parsed
    twice (the stdlib records defects on the part it decodes), with the defects each left."""
    theirs, ours = PARSER.parsebytes(raw), PARSER.parsebytes(raw)
    expected = theirs.get_payload(decode=True)
    got = part_bytes(ours)
    return (
        expected,
        [d.__class__.__name__ for d in theirs.defects],
        got,
        [d.__class__.__name__ for d in ours.defects],
    )


def spoil(text: bytes, draw) -> bytes:
    """Base64 as mail clients and attackers send it: other line widths and ends, stray
    characters, padding missing, doubled or in the middle, trailing junk."""
    width = draw(st.sampled_from([76, 64, 4, 1000]))
    end = draw(st.sampled_from([b"\n", b"\r\n"]))
    lines = [text[i : i + width] for i in range(0, len(text), width)] or [b""]
    body = end.join(lines) + end
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(body)))
        junk = draw(st.sampled_from([b"=", b"==", b" ", b"!", b"\t", b"-", b"A", b"\r", b"\x0c"]))
        body = body[:at] + junk + body[at:]
    if draw(st.booleans()):
        body = body.rstrip(b"=\r\n")
    return body


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200), st.data())
def test_base64_decodes_as_the_stdlib_does_with_the_same_defects(data, draw):
    payload = spoil(base64.b64encode(data), draw.draw)
    expected, their_defects, got, our_defects = stdlib_and_ours(leaf("base64", payload))

    assert got == expected
    # The shortcut takes only what the stdlib decodes without a defect; the rest goes to it.
    assert our_defects == their_defects


def test_clean_base64_takes_the_shortcut_and_bad_base64_gets_the_stdlib_defects():
    clean = leaf("base64", base64.encodebytes(b"x" * 1000))
    expected, their_defects, got, our_defects = stdlib_and_ours(clean)
    assert got == expected == b"x" * 1000 and their_defects == our_defects == []

    stray = leaf("base64", b"eHh4!eHh4\n")
    expected, their_defects, got, our_defects = stdlib_and_ours(stray)
    assert got == expected == b"xxxxxx"
    assert our_defects == their_defects == ["InvalidBase64CharactersDefect"]


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300), st.booleans(), st.sampled_from(["quoted-printable", " base64"]))
def test_quoted_printable_and_odd_encodings_decode_as_the_stdlib_does(data, crlf, encoding):
    payload = quopri.encodestring(data) if encoding == "quoted-printable" else data
    if crlf:
        payload = payload.replace(b"\n", b"\r\n")
    if encoding != "quoted-printable":  # " base64" (with the space) is not decoded by either
        payload = base64.encodebytes(data)
    expected, their_defects, got, our_defects = stdlib_and_ours(leaf(encoding, payload))
    assert got == expected
    assert our_defects == their_defects


@settings(max_examples=200, deadline=None)
@given(
    st.text(max_size=200),
    st.sampled_from([None, "7bit", "8bit", "binary", "x-unknown", "7BIT"]),
    st.sampled_from([None, "utf-8", "us-ascii", "iso-8859-1", "utf-16", "utf-7", "bogus"]),
)
def test_text_sent_as_is_reads_as_decoding_its_bytes_would(text, encoding, charset):
    raw = leaf(encoding, text.encode("utf-8", "surrogatepass"), charset)
    message = PARSER.parsebytes(raw)
    expected = clean_text(
        decode_bytes(PARSER.parsebytes(raw).get_payload(decode=True), charset).text
    )

    assert part_text(message, []) == expected


def peak_of_parse(raw: bytes, tmp_path):
    blobs = BlobStore(tmp_path / "blobs")
    parse_message(b"From: warm@example.org\nSubject: up\n\nx\n", blobs=blobs)
    tracemalloc.start()
    try:
        parsed = parse_message(raw, blobs=blobs)
        return tracemalloc.get_traced_memory()[1], parsed
    finally:
        tracemalloc.stop()


def test_a_large_text_body_costs_about_two_copies(tmp_path):
    line = b"a plain line of kernel log output, nothing encoded in it: 0123456789\n"
    raw = b"From: a@example.org\nSubject: log\n\n" + line * 50_000  # 3.4 MB
    # The raw bytes and the payload as text; the body text is the payload itself. It was four
    # copies (a stripped copy to test for blankness, then bytes and text again).
    peak, parsed = peak_of_parse(raw, tmp_path)
    assert peak < 2.3 * len(raw)
    assert parsed.body_text == (line * 50_000).decode()


def test_a_large_base64_attachment_costs_under_four_copies(tmp_path):
    attachment = bytes(range(256)) * 10_000  # 2.5 MB, base64 3.4 MB
    raw = (
        b"From: a@example.org\nSubject: zip\nMIME-Version: 1.0\n"
        b'Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\nsee\n'
        b"--b\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n"
        b'Content-Disposition: attachment; filename="a.bin"\n\n'
        + base64.encodebytes(attachment)
        + b"--b--\n"
    )
    # Raw bytes, payload text, the payload without its line ends, the decoded bytes: it was more
    # than five (the stdlib's bytes copy, list of lines and join, and the part sliced twice).
    peak, parsed = peak_of_parse(raw, tmp_path)
    assert peak < 3.9 * len(raw)
    assert [(a.filename, a.size, a.sha256) for a in parsed.attachments] == [
        ("a.bin", len(attachment), hashlib.sha256(attachment).hexdigest())
    ]


def identity_as_before(headers: dict[str, str], body: str) -> str:
    """The identity of a message without a Message-ID as it was computed before windows: one
    string of the fields and the whole collapsed body."""
    fields = [header_text(headers.get(name)) for name in ("from", "to", "cc", "subject", "date")]
    body = re.sub(r"^>+From ", "From ", body, flags=re.MULTILINE)
    key = "content:" + "\n".join([*fields, collapse(body)])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


WORDY = st.text(
    alphabet=st.sampled_from(list("ab \n\t\x00\x1c\xa0\u2028\u3000é>From")), max_size=120
)


@settings(max_examples=300, deadline=None)
@given(WORDY, st.integers(1, 9), st.sampled_from([{}, {"from": "a@b", "subject": "x  y"}]))
def test_identity_without_message_id_is_unchanged_by_windows(body, window, headers):
    kept = parse._WINDOW
    parse._WINDOW = window  # windows of a few characters: many cuts
    try:
        assert parse.message_identity("", headers, body) == identity_as_before(headers, body)
    finally:
        parse._WINDOW = kept


def test_identity_of_a_large_body_without_message_id_costs_no_list_of_words(tmp_path):
    body = "word " * 700_000  # 3.5 MB; its words as a list took 40 MiB
    tracemalloc.start()
    try:
        identity = parse.message_identity("", {"from": "a@example.org"}, body)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert identity == identity_as_before({"from": "a@example.org"}, body)
    assert peak < 2 * 2**20
