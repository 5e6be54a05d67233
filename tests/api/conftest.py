"""A two-compartment corpus (collections Alpha and Bravo) ingested from real .eml files, users
with each role, and API clients authenticated by token or by session.

Alpha: a1 "Falcon plan" (attachment notes.txt), a2 replies to a1, s1 (also in Bravo).
Bravo: b1 "Falcon bravo" (attachment bravo.txt), b2 replies to a1 (so a1's thread spans both),
s1 first found here (so its own collection is Bravo). Only Bravo holds the word "zebracode".
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from dossier.accounts.services import collection_grant, user_add
from dossier.api.services import token_create
from dossier.blobs import BlobStore
from dossier.corpus.ingest.pipeline import ingest_paths
from dossier.corpus.models import Attachment, Message

PASSWORD = "correct horse battery staple 42"


def eml(msgid, subject, sender, body, *, reply_to=None, attachment=None, date="1 Mar 2024"):
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = sender, "desk@paper.example", subject
    m["Date"], m["Message-ID"] = f"{date} 10:00:00 +0000", f"<{msgid}@test>"
    if reply_to:
        m["In-Reply-To"] = m["References"] = f"<{reply_to}@test>"
    m.set_content(body)
    if attachment:
        name, text = attachment
        m.add_attachment(text.encode(), maintype="text", subtype="plain", filename=name)
    return bytes(m)


BRAVO = {
    "s1": eml("s1", "Shared memo falcon", "sam@shared.example", "Shared falcon memo for both."),
    "b1": eml("b1", "Falcon bravo", "bob@bravo.example", "zebracode falcon bravo details",
              attachment=("bravo.txt", "zebracode ledger in bravo")),
    "b2": eml("b2", "Re: Falcon plan", "bob@bravo.example", "zebracode reply from bravo",
              reply_to="a1", date="3 Mar 2024"),
}  # fmt: skip
ALPHA = {
    "a1": eml("a1", "Falcon plan", "alice@alpha.example", "The falcon plan, in alpha.",
              attachment=("notes.txt", "falcon notes alpha")),
    "a2": eml("a2", "Re: Falcon plan", "carol@alpha.example", "Agreed on the falcon plan.",
              reply_to="a1", date="2 Mar 2024"),
    "s1": BRAVO["s1"],
}  # fmt: skip


@dataclass
class Corpus:
    ids: dict[str, int]  # message ids by short name
    attachments: dict[str, int]  # attachment ids by filename

    def thread(self, name: str) -> int:
        return Message.objects.get(id=self.ids[name]).thread_id


def _write(folder: Path, messages: dict[str, bytes]) -> Path:
    folder.mkdir(parents=True)
    for name, data in messages.items():
        (folder / f"{name}.eml").write_bytes(data)
    return folder


@pytest.fixture
def corpus(db, tmp_path: Path) -> Corpus:
    blobs = BlobStore(settings.DOSSIER.blobs_path)  # where the access layer reads them
    for name, messages in (("Bravo", BRAVO), ("Alpha", ALPHA)):
        folder = _write(tmp_path / name, messages)
        ingest_paths([folder], collection=name, blobs=blobs, workers=0)
    ids = {name: Message.objects.get(message_id=f"{name}@test").id for name in {*ALPHA, *BRAVO}}
    attachments = {a.filename: a.id for a in Attachment.objects.all()}
    return Corpus(ids=ids, attachments=attachments)


@pytest.fixture
def make_user(db):
    def make(username: str, role: str, collections=("Alpha",)):
        user = user_add(username=username, password=PASSWORD, role=role)
        for name in collections:
            collection_grant(username=username, collection=name)
        return user

    return make


class TokenClient(Client):
    """A test client sending ``Authorization: Bearer <secret>`` with every request."""

    def __init__(self, secret: str, **kwargs):
        super().__init__(HTTP_AUTHORIZATION=f"Bearer {secret}", **kwargs)


@pytest.fixture
def token_client():
    def make(user) -> TokenClient:
        _token, secret = token_create(user=user, name="tests")
        return TokenClient(secret)

    return make


@pytest.fixture
def reader(corpus, make_user):
    return make_user("reader", "reader", ["Alpha"])


@pytest.fixture
def api(reader, token_client) -> TokenClient:
    """A reader granted Alpha only, calling with a token."""
    return token_client(reader)
