"""A two-compartment corpus built by the real ingest pipeline, and users on either side.

Collection ``Alpha-Desk`` is granted to the ``*_a`` users; ``Bravo-Compartment`` to ``reader_b``
only. Everything only Bravo holds carries the canary word ``zanzibarcanary`` or the sender domain
``secret.example``, so a test can serialise whatever an Alpha user is shown and look for them.
Bravo also reaches into Alpha's world: a reply in an Alpha thread, the root of a thread an Alpha
message answers, its own copy (with a canary header) of a message Alpha holds too, and a copy
with a different body of another (``dup``: Bravo's holds ``kestrelword``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from django.db import transaction

from dossier.accounts import services
from dossier.blobs import BlobStore
from dossier.corpus.ingest.pipeline import ingest_paths
from dossier.corpus.models import Attachment, Message

CANARIES = ("zanzibarcanary", "Bravo-Compartment", "secret.example")
ALPHA, BRAVO = "Alpha-Desk", "Bravo-Compartment"
PASSWORD = "correct horse battery staple"
HOSTILE_HTML = '<p onclick="steal()">Newsletter <b>bold</b></p><script>alert(1)</script>'


def eml(folder: Path, name: str, *, frm: str, to: str, subject: str, body: str, mid: str,
        date: str, reply_to: str | None = None, extra: dict | None = None,
        attach: tuple[str, bytes] | None = None, html: str | None = None) -> None:  # fmt: skip
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = frm, to, subject
    msg["Date"], msg["Message-ID"] = date, mid
    if reply_to:
        msg["In-Reply-To"], msg["References"] = reply_to, reply_to
    for key, value in (extra or {}).items():
        msg[key] = value
    msg.set_content(body)
    if html:
        msg.add_alternative(html, subtype="html")
    if attach:
        msg.add_attachment(attach[1], maintype="text", subtype="plain", filename=attach[0])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.eml").write_bytes(msg.as_bytes())


def write_bravo(folder: Path) -> None:
    eml(folder, "b1", frm="Carol <carol@secret.example>", to="alice@alpha.example",
        subject="Zanzibarcanary pipeline secret", mid="<b1@zz.example>",
        body="The zanzibarcanary turbine pipeline budget, do not share.",
        date="Sun, 01 May 2011 10:00:00 +0000",
        attach=("zanzibarcanary.txt", b"zanzibarcanary attachment text turbine"))  # fmt: skip
    eml(folder, "b2", frm="carol@secret.example", to="alice@alpha.example",
        subject="Re: Pipeline budget review", mid="<b2@zz.example>", reply_to="<a1@alpha.example>",
        body="zanzibarcanary reply inside the alpha thread about the turbine pipeline",
        date="Wed, 02 Mar 2011 09:00:00 +0000")  # fmt: skip
    eml(folder, "b3", frm="carol@secret.example", to="bob@alpha.example",
        subject="Zanzibarcanary root", mid="<b3@zz.example>",
        body="zanzibarcanary root of a thread", date="Tue, 01 Feb 2011 08:00:00 +0000")  # fmt: skip
    eml(folder, "shared", frm="dave@shared.example", to="alice@alpha.example",
        subject="Shared memo turbine", mid="<shared@shared.example>",
        body="A memo both desks hold about the turbine.", date="Fri, 01 Apr 2011 12:00:00 +0000",
        extra={"X-Leak-Note": "zanzibarcanary copy"})  # fmt: skip
    eml(folder, "dup", frm="erin@shared.example", to="bob@alpha.example",
        subject="Quarterly figures", mid="<dup@shared.example>",
        body="Quarterly figures, with the kestrelword draft.",
        date="Tue, 08 Mar 2011 10:00:00 +0000")  # fmt: skip


def write_alpha(folder: Path) -> None:
    eml(folder, "a1", frm="Alice <alice@alpha.example>", to="bob@alpha.example",
        subject="Pipeline budget review", mid="<a1@alpha.example>",
        body="The pipeline budget for the turbine project.",
        date="Tue, 01 Mar 2011 10:00:00 +0000")  # fmt: skip
    eml(folder, "a2", frm="bob@alpha.example", to="alice@alpha.example",
        subject="Re: Pipeline budget review", mid="<a2@alpha.example>",
        reply_to="<a1@alpha.example>", body="Agreed on the turbine numbers.",
        date="Thu, 03 Mar 2011 10:00:00 +0000")  # fmt: skip
    eml(folder, "a3", frm="bob@alpha.example", to="erin@alpha.example",
        subject="Turbine maintenance schedule", mid="<a3@alpha.example>",
        body="Maintenance schedule for the turbine and the pipeline.",
        date="Sat, 05 Mar 2011 10:00:00 +0000",
        attach=("notes.txt", b"alpha attachment text about the turbine"))  # fmt: skip
    eml(folder, "a5", frm="alice@alpha.example", to="carol@unknown.example",
        subject="Different words entirely", mid="<a5@alpha.example>",
        reply_to="<b3@zz.example>", body="Answering the February note about the turbine.",
        date="Wed, 02 Feb 2011 08:00:00 +0000")  # fmt: skip
    eml(
        folder,
        "shared",
        frm="dave@shared.example",
        to="alice@alpha.example",
        subject="Shared memo turbine",
        mid="<shared@shared.example>",
        body="A memo both desks hold about the turbine.",
        date="Fri, 01 Apr 2011 12:00:00 +0000",
    )
    eml(folder, "dup", frm="erin@shared.example", to="bob@alpha.example",
        subject="Quarterly figures", mid="<dup@shared.example>", body="Quarterly figures.",
        date="Tue, 08 Mar 2011 10:00:00 +0000")  # fmt: skip
    eml(folder, "a6", frm="alice@alpha.example", to="bob@alpha.example",
        subject="Quarterly newsletter", mid="<a6@alpha.example>", body="Plain part.",
        date="Mon, 07 Mar 2011 10:00:00 +0000", html=HOSTILE_HTML)  # fmt: skip


@dataclass
class World:
    ids: dict[str, int]
    users: dict[str, object]
    blobs: BlobStore
    attachments: dict[str, int] = field(default_factory=dict)

    def thread(self, name: str) -> int:
        return Message.objects.get(id=self.ids[name]).thread_id


def build(tmp_path: Path, settings) -> World:
    """Ingest Bravo first (so shared rows and thread subjects start on Bravo's side), then
    Alpha; make users. ``settings`` is pytest-django's fixture: blobs go to a fresh workspace."""
    settings.DOSSIER = dataclasses.replace(settings.DOSSIER, home=tmp_path / "ws")
    # Argon2 costs a quarter second a user and is not what these tests are about.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    blobs = BlobStore(settings.DOSSIER.blobs_path)
    write_bravo(tmp_path / "bravo")
    write_alpha(tmp_path / "alpha")
    ingest_paths([tmp_path / "bravo"], collection=BRAVO, blobs=blobs, workers=0)
    ingest_paths([tmp_path / "alpha"], collection=ALPHA, blobs=blobs, workers=0)
    ids = {}
    for m in Message.objects.all():
        ids[m.message_id.strip("<>").split("@")[0]] = m.id
    users = {}
    for name, role, grants in [
        ("reader_a", "reader", [ALPHA]), ("analyst_a", "analyst", [ALPHA]),
        ("supervisor_a", "supervisor", [ALPHA]), ("editor_a", "editor", [ALPHA]),
        ("reader_b", "reader", [BRAVO]), ("reader_none", "reader", []),
        ("admin", "admin", []),
    ]:  # fmt: skip
        with transaction.atomic():
            users[name] = services.user_add(username=name, password=PASSWORD, role=role)
        for coll in grants:
            services.collection_grant(username=name, collection=coll)
    attachments = {a.filename: a.id for a in Attachment.objects.all()}
    return World(ids=ids, users=users, blobs=blobs, attachments=attachments)


def fresh(user):
    """The user re-read, as a new request would see it (no cached profile)."""
    return type(user).objects.get(pk=user.pk)
