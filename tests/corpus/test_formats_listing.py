"""Folder listings sorted in bounded memory: runs spilled to temporary files and merged."""

from __future__ import annotations

import os
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dossier.corpus.ingest import registry
from dossier.corpus.ingest.formats import listing, maildir


def spills(monkeypatch, run: int, fan_in: int) -> list[int]:
    """Small runs, so a test's few records take the on-disk path; returns the spill log."""
    monkeypatch.setattr(listing, "RUN", run)
    monkeypatch.setattr(listing, "FAN_IN", fan_in)
    log: list[int] = []
    spill = listing._spill

    def counted(records):
        f = spill(records)
        log.append(os.fstat(f.fileno()).st_size)
        return f

    monkeypatch.setattr(listing, "_spill", counted)
    return log


@settings(max_examples=60, deadline=None)
@given(st.lists(st.binary(max_size=6), max_size=80), st.integers(1, 9), st.integers(2, 4))
def test_same_order_as_sorted_whatever_the_run_and_fan_in(records, run, fan_in):
    old = listing.RUN, listing.FAN_IN
    listing.RUN, listing.FAN_IN = run, fan_in
    try:
        assert list(listing.sorted_records(iter(records))) == sorted(records)
    finally:
        listing.RUN, listing.FAN_IN = old


def test_runs_are_spilled_and_merged_in_cascades(monkeypatch):
    log = spills(monkeypatch, run=10, fan_in=4)
    records = [f"{i * 7919 % 1000:04d}".encode() for i in range(1000)]

    assert list(listing.sorted_records(records)) == sorted(records)
    # 100 runs of 10; whenever 4 files are on disk they are merged into one (a cascade), so
    # never more than 4 are open at once: more spills than runs, and files of several runs
    # (each record is 4 bytes and a 4-byte length).
    assert len(log) > 100
    assert max(log) >= 4 * 10 * (4 + 4)


def test_a_small_listing_stays_in_memory(monkeypatch):
    log = spills(monkeypatch, run=10, fan_in=4)
    assert list(listing.sorted_records([b"b", b"a", b"c"])) == [b"a", b"b", b"c"]
    assert log == []


def test_memory_is_bounded_by_the_run_not_the_listing():
    count = 150_000  # 10 runs of 16,384
    names = (
        f"{(i * 2654435761) % 10**9:09d}.M{i}P4242.host-name.example.org:2,S".encode()
        for i in range(count)
    )

    tracemalloc.start()
    try:
        seen, last = 0, b""
        for record in listing.sorted_records(names):
            assert record >= last
            seen, last = seen + 1, record
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert seen == count
    in_memory = count * (33 + 56 + 8)  # what sorting 150,000 such bytes in a list would hold
    assert in_memory > 13 * 2**20
    assert peak < 4 * 2**20, peak / 2**20


def test_maildir_in_name_order_across_runs(tmp_path, monkeypatch):
    log = spills(monkeypatch, run=3, fan_in=2)
    root = tmp_path / "Mail"
    for sub in ("cur", "new", "tmp"):
        (root / sub).mkdir(parents=True)
    names = ["17.b", "17", "17.a", "2", "10", "1", "9.x", "9", "100", "99", "b\udce9"]
    files = {}  # file name -> position: files are read in file-name order, as before
    for i, name in enumerate(names):
        sub = "cur" if i % 2 else "new"
        files[name + (":2,S" if sub == "cur" else "")] = name
        (root / sub / (name + (":2,S" if sub == "cur" else ""))).write_bytes(
            b"Subject: m\n\n" + str(i).encode() + b"\n"
        )
    (root / "cur" / "empty:2,").write_bytes(b"")
    files["empty:2,"] = "empty"
    (root / "new" / "a-folder").mkdir()  # not a message: left out

    members = list(registry.read(registry.Input(root, "maildir", 0, maildir.mtime_ns(root))))

    assert log  # the listing went through temporary files
    assert [m.position for m in members] == [files[name] for name in sorted(files)]
    by_position = {m.position: m for m in members}
    assert by_position["empty"].error == "empty file"
    assert Path(by_position["b\udce9"].file).read_bytes().startswith(b"Subject: m")
    assert all(m.file_size > 0 for m in members if not m.error)


def test_folder_walk_in_name_order_across_runs(tmp_path, monkeypatch):
    spills(monkeypatch, run=2, fan_in=2)
    message = b"From: a@example.org\nSubject: hi\n\nbody\n"
    for name in ["c.eml", "a.eml", "b", "ab.eml", "a0.eml"]:
        (tmp_path / name).write_bytes(message)
    (tmp_path / "sub").mkdir()
    for name in ["z.eml", "y.eml", "x.eml"]:
        (tmp_path / "sub" / name).write_bytes(message)

    found = list(registry.discover([tmp_path]))

    assert [str(f.path.relative_to(tmp_path)) for f in found] == [
        "a.eml",
        "a0.eml",
        "ab.eml",
        "b",
        "c.eml",
        "sub/x.eml",
        "sub/y.eml",
        "sub/z.eml",
    ]


class FailingTemporaryFiles:
    """``tempfile.TemporaryFile`` that works ``works`` times, then fails as a full or
    unwritable temporary folder does: at creation, or part of the way through writing."""

    def __init__(self, works: int, midway: bool):
        self.works, self.midway = works, midway
        self.real = listing.tempfile.TemporaryFile

    def __call__(self, *args, **kwargs):
        if self.works > 0:
            self.works -= 1
            return self.real(*args, **kwargs)
        if not self.midway:
            raise OSError(28, "No space left on device")
        f = self.real(*args, **kwargs)
        written = [0]
        write = f.write

        def failing(data):
            written[0] += 1
            if written[0] > 5:
                raise OSError(28, "No space left on device")
            return write(data)

        f.writelines = lambda parts: [failing(p) for p in parts]
        return f


@pytest.mark.parametrize("works", [0, 1, 3, 4, 7])
@pytest.mark.parametrize("midway", [False, True])
def test_a_temporary_folder_that_fails_loses_nothing(monkeypatch, caplog, works, midway):
    spills(monkeypatch, run=10, fan_in=4)
    monkeypatch.setattr(listing.tempfile, "TemporaryFile", FailingTemporaryFiles(works, midway))
    records = [f"{i * 7919 % 1000:04d}".encode() for i in range(300)]

    assert list(listing.sorted_records(records)) == sorted(records)
    assert "folder listing sorted in memory: [Errno 28] No space left on device" in caplog.text


def test_a_maildir_folder_that_cannot_be_read_is_recorded_and_the_rest_read(tmp_path):
    root = tmp_path / "Mail"
    for sub in ("cur", "new", "tmp"):
        (root / sub).mkdir(parents=True)
    (root / "cur" / "1.host:2,S").write_bytes(b"Subject: kept\n\nbody\n")
    found = registry.Input(root, "maildir", 0, maildir.mtime_ns(root))
    (root / "new").rmdir()  # gone between discovery and reading

    members = list(registry.read(found))

    assert [(m.position, m.error) for m in members if m.error] == [
        ("new", f"cannot read folder: [Errno 2] No such file or directory: '{root / 'new'}'")
    ]
    assert [m.position for m in members if not m.error] == ["1.host"]
