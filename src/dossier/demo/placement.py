"""Which container each message goes to, and which messages are written twice.

Conversations stay together; the analyst's mail goes mostly to the Maildir (Sent or INBOX);
conversations whose threading depends on order go to the mbox; about 5% of all messages are
copied from the Maildir into the mbox (the deliberate overlap), and two loose files into the zip.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from dossier.demo.compose import Mail
from dossier.demo.context import Conversation
from dossier.demo.people import ANALYST, BY_ADDRESS, LISTS

_ANALYST_SEES = {ANALYST.address, *(p.address for p in LISTS)}
OVERLAP_RATE = 0.05


@dataclass
class Layout:
    """Messages per container, in the order they are written."""

    mbox: list[Mail] = field(default_factory=list)
    inbox: list[Mail] = field(default_factory=list)
    sent: list[Mail] = field(default_factory=list)
    loose: list[tuple[str, Mail]] = field(default_factory=list)
    zip_eml: list[Mail] = field(default_factory=list)
    zip_mbox: list[Mail] = field(default_factory=list)
    duplicates: int = 0


def _eligible(conv: Conversation) -> bool:
    plain = all(not m.place and not m.features and m.message_id for m in conv.mails)
    return plain and not conv.pin and not conv.ordered


def _pin_zip(convs: list[Conversation], rng: random.Random) -> None:
    """Two small conversations become zip .eml files; a few more fill the zip's mbox."""
    order = [c for c in convs if _eligible(c)]
    rng.shuffle(order)
    emls = {id(c) for c in [c for c in order if len(c.mails) <= 2][:2]}
    in_mbox = 0
    for conv in order:
        if id(conv) in emls:
            conv.pin = "zip-eml"
        elif in_mbox < 8:
            conv.pin = "zip-mbox"
            in_mbox += len(conv.mails)


def _choose(conv: Conversation, rng: random.Random) -> str:
    if conv.pin:
        return conv.pin
    if conv.ordered:
        return "mbox"
    seen = {a for m in conv.mails for a in m.participants}
    if seen & _ANALYST_SEES and rng.random() < 0.75:
        return "maildir"
    if rng.random() < 0.15:
        person = BY_ADDRESS.get(conv.mails[0].sender)
        return f"loose:exports/{person.org.domain.split('.')[0] if person else 'other'}"
    return "mbox"


def place(convs: list[Conversation], rng: random.Random, unique: int) -> Layout:
    """Assign every message a container and build the overlap copies."""
    _pin_zip(convs, rng)
    for conv in convs:
        where = _choose(conv, rng)
        for mail in conv.mails:
            mail.place = mail.place or where
    layout = Layout()
    mails = sorted((m for c in convs for m in c.mails), key=lambda m: (m.date, m.seq))
    for mail in mails:
        _put(layout, mail)
    _overlap(layout, rng, round(unique * OVERLAP_RATE))
    return layout


def _put(layout: Layout, mail: Mail) -> None:
    if mail.place == "maildir":
        (layout.sent if mail.sender == ANALYST.address else layout.inbox).append(mail)
    elif mail.place.startswith("loose:"):
        layout.loose.append((mail.place[6:], mail))
    elif mail.place == "zip-eml":
        layout.zip_eml.append(mail)
    elif mail.place == "zip-mbox":
        layout.zip_mbox.append(mail)
    else:
        layout.mbox.append(mail)


def _overlap(layout: Layout, rng: random.Random, count: int) -> None:
    """Copy ``count`` Maildir messages into the mbox and two loose files into the zip."""
    pool = [m for m in layout.inbox + layout.sent if m.message_id and not m.features]
    copies = rng.sample(pool, min(count, len(pool)))
    layout.mbox = sorted(layout.mbox + copies, key=lambda m: (m.date, m.seq))
    loose = [m for _, m in layout.loose if m.message_id and not m.features]
    zipped = rng.sample(loose, min(2, len(loose)))
    layout.zip_eml = sorted(layout.zip_eml + zipped, key=lambda m: m.seq)
    layout.duplicates = len(copies) + len(zipped)
