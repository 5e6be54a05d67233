"""Single messages: .eml files, and files whose content is a message whatever their name."""

from __future__ import annotations

from dossier.corpus.ingest import registry
from dossier.corpus.ingest.formats import eml

MESSAGE = (
    b"Return-Path: <a@example.org>\n"
    b"Received: from mx.example.org by mail.example.net; Mon, 1 Jan 2024 00:00:00 +0000\n"
    b"From: A <a@example.org>\nTo: b@example.net\nSubject: hi\n\nbody\n"
)


def test_reads_the_whole_file_as_one_member(tmp_path):
    path = tmp_path / "note.eml"
    path.write_bytes(MESSAGE)

    (found,) = registry.discover([path])
    (member,) = registry.read(found)

    assert (found.format, found.size) == ("eml", len(MESSAGE))
    assert (member.source_path, member.position, member.container) == (str(path), "", "eml")
    assert member.data == MESSAGE


def test_a_message_without_extension_is_found_by_content(tmp_path):
    path = tmp_path / "1700000000.M1.host"
    path.write_bytes(MESSAGE)

    (found,) = registry.discover([path])

    assert found.format == "eml"


def test_header_detection():
    assert eml.looks_like_headers(b"Delivered-To: x@example.org\nSubject: s\n\nbody")
    assert eml.looks_like_headers(b"X-Custom: 1\nReceived: from a\n  by b\n\nbody")
    assert eml.looks_like_headers(b"\xef\xbb\xbfFrom: a@example.org\n\n")  # a byte-order mark
    assert not eml.looks_like_headers(b"Dear Sir,\nFrom: me\n")
    assert not eml.looks_like_headers(b"Date: 2024-01-01\nAuthor: me\n\nmy notes")  # no mail field
    assert not eml.looks_like_headers(b" folded: first line\n")
    assert not eml.looks_like_headers(b"")


def test_long_header_block_cut_by_the_sniffing_window():
    head = b"From: a@example.org\n" + b"Received: from relay\n" * 1000
    assert eml.looks_like_headers(head[: eml.HEAD_SIZE])


def test_empty_eml_is_a_failure(tmp_path):
    path = tmp_path / "empty.eml"
    path.write_bytes(b"")

    assert list(eml.read(path, registry.Origin(str(path))))[0].error == "empty file"
