"""A small corpus and one user per actor, shared by the web and browser tests.

Collection ``alpha`` is granted to the readers with access, the analyst and the admin;
collection ``secret`` to nobody. Messages go through the real ingest pipeline (mbox files).
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from dossier.blobs import BlobStore

PASSWORD = "Tr0ub4dor-and-3-horses"
ACTORS = ("anonymous", "reader_without", "reader_with", "analyst", "admin")


def _message(i: int, *, subject: str, sender: str, date: str, body: str, **extra) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "desk@news.example"
    msg["Subject"] = subject
    msg["Date"] = date
    msg["Message-ID"] = extra.get("message_id", f"<m{i}@firm.example>")
    if extra.get("reply_to"):
        msg["In-Reply-To"] = extra["reply_to"]
        msg["References"] = extra["reply_to"]
    msg.set_content(body)
    if extra.get("html"):
        msg.add_alternative(extra["html"], subtype="html")
    for name, data in extra.get("attachments", []):
        msg.add_attachment(data, maintype="text", subtype="plain", filename=name)
    return b"From sender Mon Aug  1 10:00:00 2011\n" + msg.as_bytes() + b"\n"


def alpha_messages() -> list[bytes]:
    return [
        _message(
            1,
            subject="Falcon ledger",
            sender="Alice Agent <alice@agency.example>",
            date="Mon, 01 Aug 2011 10:00:00 +0000",
            body="The falcon ledger is attached. Informant payments for the plaza.\n",
            html="<p>The <b>falcon</b> ledger is attached.</p>"
            "<p><a href='https://news.example/'>site</a></p>"
            "<img src='http://tracker.example/open.gif' alt='tracker'>",
            attachments=[("ledger.txt", b"ledger falcon 42 payments\n")],
        ),
        _message(
            2,
            subject="Re: Falcon ledger",
            sender="Bob Broker <bob@firm.example>",
            date="Tue, 02 Aug 2011 11:00:00 +0000",
            body="Got the falcon ledger. Meet at the plaza.\n",
            reply_to="<m1@firm.example>",
        ),
        _message(
            3,
            subject="Re: Re: Falcon ledger",
            sender="Alice Agent <alice@agency.example>",
            date="Sat, 03 Sep 2011 12:00:00 +0000",
            body="Falcon payments done.\n",
            reply_to="<m2@firm.example>",
        ),
        _message(
            4,
            subject="Lunch",
            sender="Carol Clerk <carol@firm.example>",
            date="Wed, 05 Oct 2011 09:00:00 +0000",
            body="Lunch at noon? The falcon can wait.\n",
        ),
    ]


def secret_messages() -> list[bytes]:
    return [
        _message(
            9,
            subject="Secret falcon source",
            sender="Mallory Mole <mallory@secret.example>",
            date="Thu, 01 Dec 2011 09:00:00 +0000",
            body="The falcon source is codenamed NIGHTJAR.\n",
            attachments=[("nightjar.txt", b"nightjar falcon dossier\n")],
        )
    ]


@dataclass
class Corpus:
    ids: dict[str, int]  # name -> message id
    attachments: dict[str, int]  # filename -> attachment id
    threads: dict[str, int]  # name -> thread id


def ingest(folder: Path, blobs: BlobStore, collection: str, messages: list[bytes]) -> None:
    from dossier.corpus.ingest.pipeline import ingest_paths

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{collection}.mbox"
    path.write_bytes(b"".join(messages))
    ingest_paths([path], collection=collection, blobs=blobs, workers=0)


def build(folder: Path, blobs: BlobStore) -> Corpus:
    from dossier.corpus.models import Attachment, Message

    ingest(folder, blobs, "alpha", alpha_messages())
    ingest(folder, blobs, "secret", secret_messages())
    by_mid = {m.message_id.strip("<>"): m for m in Message.objects.all()}
    ids = {
        "ledger": by_mid["m1@firm.example"].id,
        "reply": by_mid["m2@firm.example"].id,
        "reply2": by_mid["m3@firm.example"].id,
        "lunch": by_mid["m4@firm.example"].id,
        "secret": by_mid["m9@firm.example"].id,
    }
    attachments = {a.filename: a.id for a in Attachment.objects.all()}
    threads = {
        "ledger": by_mid["m1@firm.example"].thread_id,
        "secret": by_mid["m9@firm.example"].thread_id,
    }
    return Corpus(ids, attachments, threads)


def make_actors() -> dict:
    """One user per actor (None for anonymous); all but ``reader_without`` see ``alpha``."""
    from dossier.accounts import services

    roles = {"reader_without": "reader", "reader_with": "reader", "analyst": "analyst"}
    roles["admin"] = "admin"
    users = {"anonymous": None}
    for name, role in roles.items():
        users[name] = services.user_add(username=name, password=PASSWORD, role=role)
        if name != "reader_without":
            services.collection_grant(username=name, collection="alpha")
    return users
