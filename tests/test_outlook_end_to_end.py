"""Outlook stores and messages through the whole pipeline: ingest, search, show, rerun."""

from __future__ import annotations

import lzma
import shutil
from pathlib import Path

import pytest

from dossier.corpus import selectors
from dossier.corpus.ingest.pipeline import ingest_paths
from dossier.corpus.models import Message
from dossier.corpus.search import service

FIXTURES = Path(__file__).parent / "fixtures" / "outlook"


@pytest.fixture
def outlook_folder(tmp_path) -> Path:
    folder = tmp_path / "custodian"
    folder.mkdir()
    with lzma.open(FIXTURES / "pstextractortestpdf.ost.xz") as src:
        with (folder / "mailbox.ost").open("wb") as out:
            shutil.copyfileobj(src, out)
    shutil.copy(FIXTURES / "outer.msg", folder / "outer.msg")
    return folder


@pytest.mark.django_db
def test_pst_and_msg_are_searchable_with_attachment_text(outlook_folder, blobs):
    summary = ingest_paths([outlook_folder], collection="outlook", blobs=blobs, workers=0)
    assert summary.failed == 0 and summary.new >= 3
    assert service.count('subject:"single PDF" has:attachment') == 1
    hit = service.search("filename:clinometer", limit=5).hits[0]
    detail = selectors.message_detail(Message.objects.get(id=hit.id), blobs)
    pdf = next(a for a in detail["attachments"] if a["content_type"] == "application/pdf")
    assert pdf["filename"] == "Clinometer Usage.pdf" and pdf["text_length"] > 100
    assert detail["locations"][0]["container"] == "pst"
    assert service.count("from:outer@foo.bar OR subject:outer") >= 1
    welcome = service.search('"Welcome to your new Outlook.com account"').hits
    assert welcome and welcome[0].date is not None

    again = ingest_paths([outlook_folder], collection="outlook", blobs=blobs, workers=0)
    assert (again.new, again.duplicate, again.unchanged_inputs) == (0, 0, 2)
