"""Outlook .pst/.ost through libpff, on a public sample store (tests/fixtures/outlook/README.md)."""

from __future__ import annotations

import lzma
import shutil
import zipfile
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from dossier.corpus.ingest import registry

FIXTURE = Path(__file__).parent.parent / "fixtures" / "outlook" / "pstextractortestpdf.ost.xz"
INBOX = "Root - Mailbox/IPM_SUBTREE/Inbox"


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pst") / "sample.ost"
    with lzma.open(FIXTURE) as src, path.open("wb") as out:
        shutil.copyfileobj(src, out)
    return path


def read_store(path: Path):
    return list(registry.read(registry.Input(path, "pst", path.stat().st_size, 0)))


def parse(data: bytes):
    return BytesParser(policy=policy.default).parsebytes(data)


def test_detected_by_content(store):
    (found,) = registry.discover([store])

    assert (found.format, found.size) == ("pst", store.stat().st_size)


def test_walks_folders_and_skips_items_that_are_not_mail(store):
    members = read_store(store)

    # the store also holds 160 calendar items (public holidays): not mail, skipped
    assert [(m.position, m.container, m.error) for m in members] == [
        (f"{INBOX}/0", "pst", None),
        (f"{INBOX}/1", "pst", None),
    ]
    assert {m.source_path for m in members} == {str(store)}


def test_message_with_internet_headers(store):
    msg = parse(read_store(store)[0].data)

    assert msg["From"] == "Ed <epfromer@gmail.com>"
    assert msg["Subject"] == "single PDF"
    assert msg["Message-ID"] == "<BDAEEF64-BED1-49C3-85BA-CD75484F2456@hxcore.ol>"
    assert len(msg.get_all("Received")) >= 3
    assert "Sent from <a href=" in msg.get_body(("html",)).get_content()
    (pdf,) = msg.iter_attachments()
    assert pdf.get_filename() == "Clinometer Usage.pdf"
    assert pdf.get_content_type() == "application/pdf"
    data = pdf.get_payload(decode=True)
    assert len(data) == 87069 and data.startswith(b"%PDF")


def test_message_without_internet_headers_gets_them_from_mapi(store):
    member = read_store(store)[1]
    msg = parse(member.data)

    assert member.data.startswith(b"From: Outlook Team <no-reply@microsoft.com>\n")
    assert msg["To"] == "Pst ExtractorPDF <pstextractortestpdf@outlook.com>"
    assert msg["Subject"] == "Welcome to your new Outlook.com account"
    assert msg["Date"].datetime.isoformat() == "2021-08-14T16:11:04+00:00"
    assert msg["Message-ID"].endswith("@DM6PR12MB4219.namprd12.prod.outlook.com>")
    images = list(msg.iter_attachments())
    assert len(images) == 11
    assert {p.get_content_type() for p in images} == {"image/png"}
    assert images[0]["Content-ID"] == "<colors>"


def test_same_store_same_bytes(store):
    assert read_store(store) == read_store(store)


def test_inside_a_zip(store, tmp_path):
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(store, "backup/mail.ost")

    members = list(registry.read(registry.Input(archive, "zip", 0, 0)))

    assert [m.position for m in members] == [
        f"backup/mail.ost!{INBOX}/0",
        f"backup/mail.ost!{INBOX}/1",
    ]
    assert members[0].data == read_store(store)[0].data


def test_unreadable_store_is_one_failure(store, tmp_path):
    junk = tmp_path / "junk.pst"
    junk.write_bytes(b"!BDN" + b"\xff" * 4096)
    cut = tmp_path / "cut.ost"
    cut.write_bytes(store.read_bytes()[: 2 * 1024 * 1024])

    for path in (junk, cut):
        (failure,) = read_store(path)
        assert (failure.position, failure.container) == ("", "pst")
        assert failure.error.startswith("cannot open Outlook store")


def test_a_damaged_item_is_a_failure_and_the_walk_goes_on(store, tmp_path):
    damaged = bytearray(store.read_bytes())
    damaged[3932160 : 3932160 + 32768] = b"\xff" * 32768  # where the second Inbox item lives
    path = tmp_path / "damaged.ost"
    path.write_bytes(bytes(damaged))

    members = read_store(path)

    assert members[0].position == f"{INBOX}/0" and members[0].data
    assert members[1].position == f"{INBOX}/1"
    assert members[1].error.startswith("cannot read message")
    assert len(members) > 2  # items of later folders that failed too: the walk went on
    assert all((m.data is None) != (m.error is None) for m in members)


def test_which_item_classes_are_mail():
    from dossier.corpus.ingest.formats.pst import _is_mail

    for cls in ("IPM.Note", "IPM.Note.SMIME", "IPM.Schedule.Meeting.Request", "REPORT.IPM.Note.NDR",
                "IPM.TaskRequest.Accept", "IPM.Post", ""):  # fmt: skip
        assert _is_mail(cls), cls
    for cls in ("IPM.Appointment", "IPM.Contact", "ipm.contact", "IPM.Task", "IPM.StickyNote",
                "IPM.DistList", "IPM.Activity", "IPM.Appointment.Occurrence"):  # fmt: skip
        assert not _is_mail(cls), cls
