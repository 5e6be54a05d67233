"""Raw messages are appended to pack files during ingest and read back by their Blob row."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from dossier.blobs import BlobStore, PackedBlobStore
from dossier.corpus.ingest import workers as workers_module
from dossier.corpus.ingest.pipeline import ingest_paths
from dossier.corpus.models import Blob, Message
from dossier.errors import NotFound
from dossier.packs import PackWriter, pack_path, read_packed


def write_maildir(root: Path, count: int) -> Path:
    for sub in ("cur", "new", "tmp"):
        (root / sub).mkdir(parents=True)
    for i in range(count):
        body = f"Message-ID: <m{i}@packs.test>\nFrom: a{i}@x.org\nSubject: pack {i}\n\nbody {i}\n"
        (root / "cur" / f"{i:05d}.host:2,S").write_text(body)
    return root


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("workers", [0, 2])
def test_ingested_raw_messages_live_in_packs_and_read_back_exactly(tmp_path, workers):
    maildir = write_maildir(tmp_path / "mail", 40)
    blobs = BlobStore(tmp_path / "blobs")
    summary = ingest_paths([maildir], collection="p", blobs=blobs, workers=workers)
    assert summary.new == 40
    packs = list((tmp_path / "blobs" / "packs").glob("*.pack"))
    assert packs and len(packs) <= max(1, workers)  # one pack per parsing process
    loose = [p for p in (tmp_path / "blobs").rglob("*") if p.is_file() and p.suffix != ".pack"]
    assert loose == []  # no file per message
    for message in Message.objects.all():
        number = int(message.message_id.split("@")[0][1:])
        original = (maildir / "cur" / f"{number:05d}.host:2,S").read_bytes()
        assert blobs.read(message.raw_id) == original
        assert Blob.objects.get(sha256=message.raw_id).pack


@pytest.mark.django_db(transaction=True)
def test_replaced_workers_leave_every_message_in_a_pack(tmp_path, monkeypatch):
    """Workers started by a forkserver are replaced after a few chunks (their memory does not
    build up); each new one appends to a pack of its own, and nothing is lost in between."""
    monkeypatch.setattr(workers_module, "TASKS_PER_WORKER", 1)
    maildir = write_maildir(tmp_path / "mail", 40)
    blobs = BlobStore(tmp_path / "blobs")
    summary = ingest_paths([maildir], collection="p", blobs=blobs, workers=2, batch_size=5,
                           start_method="forkserver")  # fmt: skip
    assert (summary.new, summary.failed) == (40, 0)
    packs = {Blob.objects.get(sha256=m.raw_id).pack for m in Message.objects.all()}
    assert len(packs) > 2  # more worker lives than workers
    for message in Message.objects.all():
        number = int(message.message_id.split("@")[0][1:])
        original = (maildir / "cur" / f"{number:05d}.host:2,S").read_bytes()
        assert blobs.read(message.raw_id) == original


@pytest.mark.django_db
def test_a_damaged_pack_is_reported_not_returned(tmp_path):
    store = PackedBlobStore(tmp_path)
    sha = store.put_message(b"From: a@b\n\nhello\n")
    pack, offset = store.placement(sha)
    store.flush()
    Blob.objects.create(sha256=sha, size=17, pack=pack, offset=offset)
    assert BlobStore(tmp_path).read(sha) == b"From: a@b\n\nhello\n"
    path = pack_path(tmp_path / "packs", pack)
    path.write_bytes(path.read_bytes().replace(b"hello", b"HELLO"))
    with pytest.raises(NotFound, match="damaged"):
        BlobStore(tmp_path).read(sha)


def test_pack_names_from_the_database_cannot_escape_the_folder(tmp_path):
    for name in ["../x", "/etc/passwd", "", "a/b", "..", "x.pack"]:
        with pytest.raises(NotFound):
            read_packed(tmp_path, name, 0, 1, "0" * 64)


def test_a_writer_starts_a_new_pack_past_the_limit(tmp_path, monkeypatch):
    monkeypatch.setattr("dossier.packs.PACK_LIMIT", 10)
    writer = PackWriter(tmp_path)
    first = writer.append(b"12345678")
    second = writer.append(b"abcdefgh")
    writer.close()
    assert first[0] != second[0] and first[1] == second[1] == 0
    sha = hashlib.sha256(b"abcdefgh").hexdigest()
    assert read_packed(tmp_path, second[0], 0, 8, sha) == b"abcdefgh"


@pytest.mark.django_db(transaction=True)
def test_a_maildir_file_that_vanishes_before_the_parser_reads_it_is_a_failure(tmp_path):
    """Maildir files are read by the parser process; one removed after the folder was listed
    is recorded with the reason the container reader gives, and the run goes on."""
    from dossier.corpus.ingest.formats.base import Origin
    from dossier.corpus.ingest.workers import parse_all

    maildir = write_maildir(tmp_path / "mail", 2)
    gone = sorted((maildir / "cur").iterdir())[0]
    member = Origin(str(maildir)).file_message("maildir", "x", str(gone), 10)
    gone.unlink()
    (outcome,) = parse_all([member.file], str(tmp_path / "blobs"), False)
    assert isinstance(outcome, str) and outcome.startswith("cannot read: ")
    summary = ingest_paths([maildir], collection="p", blobs=BlobStore(tmp_path / "b"), workers=0)
    assert (summary.new, summary.failed) == (1, 0)
