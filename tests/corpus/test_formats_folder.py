"""Discovery: walking folders, detection by content then extension, skipped and failed files."""

from __future__ import annotations

import io
import os
import zipfile

import pytest

from dossier.corpus.ingest import registry
from dossier.corpus.ingest.formats import detect
from dossier.errors import BadInput

MESSAGE = b"From: a@example.org\nTo: b@example.org\nSubject: hi\n\nbody\n"
MBOX = b"From a@example.org Mon Jan  1 00:00:00 2024\n" + MESSAGE
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489")


def discover(*paths):
    return list(registry.discover(paths))


def formats(found):
    return {f.path.name: f.format for f in found if isinstance(f, registry.Input)}


def errors(found):
    return {
        os.path.basename(f.source_path): f.error for f in found if not isinstance(f, registry.Input)
    }


def docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("_rels/.rels", "<Relationships/>")
        z.writestr("word/_rels/document.xml.rels", "<Relationships/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def test_content_decides_before_the_extension(tmp_path):
    (tmp_path / "archive.txt").write_bytes(MBOX)  # an mbox named .txt
    (tmp_path / "message").write_bytes(MESSAGE)  # an eml without extension
    (tmp_path / "store.dat").write_bytes(b"!BDN" + b"\0" * 600)  # PST magic
    (tmp_path / "mails.bin").write_bytes(_zip({"a.eml": MESSAGE}))
    (tmp_path / "photo.eml").write_bytes(PNG)  # a picture named .eml is a picture

    found = discover(tmp_path)

    assert formats(found) == {
        "archive.txt": "mbox", "message": "eml", "store.dat": "pst", "mails.bin": "zip",
    }  # fmt: skip
    assert errors(found) == {"photo.eml": "unsupported file type: image/png (photo.eml)"}


def test_extension_decides_when_content_is_inconclusive(tmp_path):
    (tmp_path / "broken.eml").write_bytes(b"garbage that is no header block\n")
    (tmp_path / "notes.txt").write_bytes(b"garbage that is no header block\n")
    (tmp_path / "old.MBX").write_bytes(b"not starting with a From line\n")

    found = discover(tmp_path)

    assert formats(found) == {"broken.eml": "eml", "old.MBX": "mbox"}
    assert errors(found) == {"notes.txt": "unsupported file type: text/plain (notes.txt)"}


def test_office_zip_formats_are_not_zip_archives(tmp_path):
    (tmp_path / "letter.docx").write_bytes(docx_bytes())

    (failure,) = discover(tmp_path)

    assert failure.error.startswith("unsupported file type: application/vnd.openxmlformats")


def test_unsupported_files_are_failures_with_the_folder_container(tmp_path):
    path = tmp_path / "photo.png"
    path.write_bytes(PNG)

    (failure,) = discover(tmp_path)

    assert (failure.source_path, failure.position, failure.container) == (str(path), "", "folder")
    assert failure.error == "unsupported file type: image/png (photo.png)"
    assert failure.data is None


def test_empty_files_fifos_and_folder_links_are_failures(tmp_path):
    (tmp_path / "empty.eml").write_bytes(b"")
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")

    assert errors(discover(tmp_path)) == {
        "empty.eml": "empty file",
        "pipe": "not a regular file",
        "link": "symbolic link to a folder: not followed",
    }


def test_hidden_files_and_mailbox_metadata_are_skipped_silently(tmp_path):
    for name in (".DS_Store", "INBOX.msf", "inbox.lock", "dovecot.index.cache", "dovecot-uidlist"):
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_bytes(MESSAGE)
    (tmp_path / "INBOX").write_bytes(MBOX)  # Thunderbird: mbox without extension

    found = discover(tmp_path)

    assert formats(found) == {"INBOX": "mbox"} and errors(found) == {}


def test_walk_is_recursive_sorted_and_repeatable(tmp_path):
    for rel in ("b/2.eml", "a/z.eml", "a/sub/1.eml", "c.mbox", "A.eml"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(MBOX if rel.endswith("mbox") else MESSAGE)

    first = discover(tmp_path)

    assert [f.path.relative_to(tmp_path).as_posix() for f in first] == [
        "A.eml", "a/sub/1.eml", "a/z.eml", "b/2.eml", "c.mbox",
    ]  # fmt: skip
    assert first == discover(tmp_path)
    assert all(f.path.is_absolute() and f.size > 0 and f.mtime_ns > 0 for f in first)


def test_relative_paths_become_absolute(tmp_path, monkeypatch):
    (tmp_path / "m.eml").write_bytes(MESSAGE)
    monkeypatch.chdir(tmp_path)

    (found,) = registry.discover(["m.eml"])

    assert found.path == tmp_path / "m.eml"


def test_missing_path_raises_bad_input_before_anything_is_yielded(tmp_path):
    (tmp_path / "m.eml").write_bytes(MESSAGE)

    with pytest.raises(BadInput, match="nope"):
        registry.discover([tmp_path / "m.eml", tmp_path / "nope"])


def test_detect_head_sees_ole_files_as_outlook_candidates():
    ole = bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 600
    assert detect.detect_head(ole, "x.msg").format == "msg"


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()
