"""Zip archives: members, nested containers, corrupt members, bombs and hostile names."""

from __future__ import annotations

import io
import struct
import tempfile
import zipfile
from pathlib import Path

import pytest

from dossier.corpus.ingest import registry
from dossier.corpus.ingest.formats import base

MESSAGE = b"From: a@example.org\nSubject: hi\n\nbody\n"
MBOX_HEAD = b"From a@example.org Mon Jan  1 00:00:00 2024\n"
MBOX = MBOX_HEAD + MESSAGE + b"\n" + MBOX_HEAD + b"Subject: two\n\n>From x\n"
SECOND = len(MBOX_HEAD + MESSAGE + b"\n")  # offset of the second message in MBOX
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489")


@pytest.fixture(autouse=True)
def private_tmp(tmp_path, monkeypatch):
    """Extracted containers go to a temporary folder we can check is left empty."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    yield
    assert list(scratch.iterdir()) == []


def make_zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def read_zip(tmp_path: Path, data: bytes, name: str = "mail.zip"):
    path = tmp_path / name
    path.write_bytes(data)
    return list(registry.read(registry.Input(path, "zip", len(data), 0)))


def summary(members):
    return [(m.position, m.container, m.data if m.data is not None else m.error) for m in members]


def patch_central(data: bytes, index: int, offset: int, fmt: str, value: int) -> bytes:
    """Overwrite a field of the index-th central directory entry (and its local header)."""
    local_offsets = {8: 6, 16: 14, 24: 22}  # flags, CRC, uncompressed size
    starts = [i for i in range(len(data)) if data.startswith(b"PK\x01\x02", i)]
    buf = bytearray(data)
    struct.pack_into(fmt, buf, starts[index] + offset, value)
    local = struct.unpack_from("<I", buf, starts[index] + 42)[0]
    if offset in local_offsets:
        struct.pack_into(fmt, buf, local + local_offsets[offset], value)
    return bytes(buf)


def test_every_member_is_read_with_its_name_as_position(tmp_path):
    data = make_zip({"a.eml": MESSAGE, "folder/b": MESSAGE, "folder/": b""})

    assert summary(read_zip(tmp_path, data)) == [
        ("a.eml", "eml", MESSAGE),
        ("folder/b", "eml", MESSAGE),
    ]


def test_nested_containers_positions_join_levels_with_bang(tmp_path):
    inner = make_zip({"deep.eml": MESSAGE, "box.mbox": MBOX})
    data = make_zip({"inner.zip": inner, "box.mbox": MBOX})

    members = read_zip(tmp_path, data)

    assert summary(members) == [
        ("inner.zip!deep.eml", "eml", MESSAGE),
        ("inner.zip!box.mbox!0", "mbox", MESSAGE),
        (f"inner.zip!box.mbox!{SECOND}", "mbox", b"Subject: two\n\nFrom x\n"),
        ("box.mbox!0", "mbox", MESSAGE),
        (f"box.mbox!{SECOND}", "mbox", b"Subject: two\n\nFrom x\n"),
    ]
    assert {m.source_path for m in members} == {str(tmp_path / "mail.zip")}
    assert members == read_zip(tmp_path, data)  # stable across runs


def test_nesting_depth_is_limited(tmp_path):
    data = make_zip({"m.eml": MESSAGE})
    for level in range(base.MAX_DEPTH + 1):
        data = make_zip({f"level{level}.zip": data})

    (member,) = read_zip(tmp_path, data)

    assert member.error == f"containers nested deeper than {base.MAX_DEPTH} levels"
    assert member.position.count("!") == base.MAX_DEPTH


def test_corrupt_archive_is_one_failure(tmp_path):
    data = make_zip({"a.eml": MESSAGE})

    (member,) = read_zip(tmp_path, data[: len(data) // 2])

    assert (member.position, member.container) == ("", "zip")
    assert member.error.startswith("cannot open zip")


def test_bad_crc_fails_that_member_only(tmp_path):
    data = make_zip({"bad.eml": MESSAGE, "good.eml": MESSAGE})
    data = patch_central(data, 0, 16, "<I", 0xDEADBEEF)

    bad, good = read_zip(tmp_path, data)

    assert bad.position == "bad.eml" and "Bad CRC-32" in bad.error
    assert good.data == MESSAGE


def test_corrupt_nested_container_is_a_failure_and_its_temp_file_is_removed(tmp_path):
    data = patch_central(make_zip({"box.mbox": MBOX}), 0, 16, "<I", 0)

    (member,) = read_zip(tmp_path, data)

    assert member.position == "box.mbox" and "Bad CRC-32" in member.error


def test_encrypted_member_is_a_failure(tmp_path):
    data = patch_central(make_zip({"secret.eml": MESSAGE}), 0, 8, "<H", 0x1)

    (member,) = read_zip(tmp_path, data)

    assert member.error == "encrypted member (password required)"


def test_zip_bomb_guards(tmp_path):
    data = make_zip({"huge.eml": MESSAGE, "dense.eml": MESSAGE, "ok.eml": MESSAGE})
    data = patch_central(data, 0, 24, "<I", 3 * 1024**3)  # declares 3 GiB
    data = patch_central(data, 1, 24, "<I", 100 * 1024**2)  # 100 MB out of a few bytes

    huge, dense, ok = read_zip(tmp_path, data)

    assert huge.error.startswith("member too large: 3221225472 bytes declared")
    assert "zip bomb guard" in dense.error and "compression ratio" in dense.error
    assert ok.data == MESSAGE


def test_overlapping_members_are_refused(tmp_path):
    data = make_zip({"a.eml": MESSAGE, "b.eml": MESSAGE})
    data = patch_central(data, 1, 42, "<I", 0)  # b's data is a's data

    members = read_zip(tmp_path, data)

    assert [m.error for m in members] == [
        "member overlaps another in the archive (zip bomb guard)"
    ] * 2


def test_traversal_names_are_positions_never_paths(tmp_path):
    data = make_zip({"../../escape.mbox": MBOX, "/etc/passwd.eml": MESSAGE, "..\\win.eml": MESSAGE})
    target = tmp_path / "in"
    target.mkdir()

    members = read_zip(target, data)

    assert [m.position for m in members] == [
        "../../escape.mbox!0", f"../../escape.mbox!{SECOND}",
        "/etc/passwd.eml", "..\\win.eml",
    ]  # fmt: skip
    assert not (tmp_path.parent / "escape.mbox").exists()
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["in", "mail.zip", "scratch"]


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_unsupported_hidden_empty_and_duplicate_members(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("photo.png", PNG)
        z.writestr("__MACOSX/._a.eml", b"resource fork")
        z.writestr("mail/.DS_Store", b"x")
        z.writestr("Maildir/dovecot-uidlist", b"3 V1 N2")
        z.writestr("empty.eml", b"")
        z.writestr("same.eml", MESSAGE)
        z.writestr("same.eml", MESSAGE + b"again\n")

    assert summary(read_zip(tmp_path, buf.getvalue())) == [
        ("photo.png", "zip", "unsupported file type: image/png (photo.png)"),
        ("empty.eml", "zip", "empty file"),
        ("same.eml", "eml", MESSAGE),
        ("same.eml#2", "eml", MESSAGE + b"again\n"),
    ]


def test_zip_is_detected_by_content(tmp_path):
    path = tmp_path / "export.dat"
    path.write_bytes(make_zip({"a.eml": MESSAGE}))

    (found,) = registry.discover([path])

    assert found.format == "zip"
