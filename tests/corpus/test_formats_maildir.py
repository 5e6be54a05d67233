"""Maildir: cur/ and new/ in name order, flags out of positions, empty files, sub-Maildirs."""

from __future__ import annotations

import os
from pathlib import Path

from dossier.corpus.ingest import registry
from dossier.corpus.ingest.formats import maildir


def make_maildir(root: Path) -> Path:
    for sub in ("cur", "new", "tmp"):
        (root / sub).mkdir(parents=True)
    return root


def mail(subject: str) -> bytes:
    return f"From: a@example.org\nSubject: {subject}\n\nbody\n".encode()


def read_maildir(root: Path):
    return list(registry.read(registry.Input(root, "maildir", 0, maildir.mtime_ns(root))))


def test_reads_cur_and_new_in_name_order_and_ignores_tmp(tmp_path):
    root = make_maildir(tmp_path / "Mail")
    (root / "cur" / "1700000002.M2.host:2,S").write_bytes(mail("two"))
    (root / "new" / "1700000001.M1.host").write_bytes(mail("one"))
    (root / "new" / "1700000003.M3.host").write_bytes(mail("three"))
    (root / "tmp" / "1700000004.M4.host").write_bytes(mail("in delivery"))

    members = read_maildir(root)

    # The parser process reads each file itself: its bytes never pass through the writer.
    assert [m.data for m in members] == [None, None, None]
    expected = [mail("one"), mail("two"), mail("three")]
    assert [Path(m.file).read_bytes() for m in members] == expected
    assert [m.file_size for m in members] == [len(data) for data in expected]
    assert {m.container for m in members} == {"maildir"}
    assert {m.source_path for m in members} == {str(root)}


def test_positions_drop_flags_and_survive_being_read(tmp_path):
    root = make_maildir(tmp_path / "Mail")
    unread = root / "new" / "1700000001.M1.host"
    unread.write_bytes(mail("one"))
    before = [m.position for m in read_maildir(root)]

    unread.rename(root / "cur" / "1700000001.M1.host:2,RS")  # what a mail client does
    after = [m.position for m in read_maildir(root)]

    assert before == after == ["1700000001.M1.host"]


def test_flag_suffix_variants():
    assert maildir.unique_name("123.host:2,FRS") == "123.host"
    assert maildir.unique_name("123.host;2,S") == "123.host"  # file systems without ':'
    assert maildir.unique_name("123.host!2,") == "123.host"
    assert maildir.unique_name("123.host") == "123.host"


def test_empty_file_is_a_failure(tmp_path):
    root = make_maildir(tmp_path / "Mail")
    (root / "cur" / "1.host:2,S").write_bytes(b"")
    (root / "cur" / "2.host:2,S").write_bytes(mail("ok"))

    empty, ok = read_maildir(root)

    assert (empty.position, empty.data, empty.error) == ("1.host", None, "empty file")
    assert Path(ok.file).read_bytes() == mail("ok")


def test_hidden_files_in_cur_are_skipped(tmp_path):
    root = make_maildir(tmp_path / "Mail")
    (root / "cur" / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (root / "cur" / "1.host:2,").write_bytes(mail("ok"))

    assert [m.position for m in read_maildir(root)] == ["1.host"]


def test_discovery_finds_the_maildir_and_each_sub_maildir(tmp_path):
    root = make_maildir(tmp_path / "Mail")
    make_maildir(root / ".Sent")
    make_maildir(root / ".Archive.2023")
    (root / ".Trash").mkdir()  # hidden, not a Maildir: skipped
    for name in ("dovecot-uidlist", "dovecot.index.log", "maildirfolder", "courierimapuiddb",
                 "subscriptions"):  # fmt: skip
        (root / name).write_bytes(b"metadata")
    (root / "new" / "1.host").write_bytes(mail("in new"))

    found = list(registry.discover([root]))

    assert [(f.path, f.format, f.size) for f in found] == [
        (root, "maildir", 0),
        (root / ".Archive.2023", "maildir", 0),
        (root / ".Sent", "maildir", 0),
    ]


def test_input_mtime_is_the_later_of_cur_and_new(tmp_path):
    root = make_maildir(tmp_path / "Mail")
    os.utime(root / "cur", ns=(1_000, 5_000_000_000))
    os.utime(root / "new", ns=(1_000, 7_000_000_000))

    (found,) = registry.discover([root])

    assert found.mtime_ns == 7_000_000_000
