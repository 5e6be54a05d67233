"""``Mail``: one generated message with everything the manifest needs to count it, and the
``Composer`` that assembles its bytes (ids, dates, threading headers) from a few fields."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from dossier.demo.mime import Part, address, address_list, encoded_word, fold_ids, mail_date
from dossier.demo.people import Person

_MAILERS = {
    "plain": "User-Agent: Mozilla/5.0 (Windows NT 6.1; rv:5.0) Gecko/20110624 Thunderbird/5.0",
    "alt": "X-Mailer: Microsoft Office Outlook 12.0",
}


@dataclass
class Mail:
    """A generated message. ``certain`` is text a parser surely indexes (subject, addresses,
    decoded text parts, extracted attachment text); ``uncertain`` is text whose extraction may
    legitimately vary (HTML, mislabelled charsets, forwarded-as-attachment messages)."""

    seq: int
    conv: int
    date: datetime
    raw: bytes
    message_id: str
    in_reply_to: str
    references: list[str]
    subject: str
    sender: str
    plain: str
    certain: str = ""
    uncertain: str = ""
    attachments: int = 0
    features: list[str] = field(default_factory=list)
    participants: list[str] = field(default_factory=list)
    place: str = ""


@dataclass
class Header:
    """Overrides for the headers ``Composer.compose`` writes by default."""

    date: str | None = None  # None: from the date; "": no Date header; else the raw value
    to: str | None = None  # raw To value instead of the recipients' addresses
    message_id: bool = True
    linked: bool = True  # write In-Reply-To/References when replying
    charset: str = "utf-8"  # for encoded names and subject
    raw: list[bytes] = field(default_factory=list)  # extra raw (possibly 8-bit) header lines


class Composer:
    """Numbers messages, mints their ids and writes their header block."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.seq = 0

    def boundary(self) -> str:
        """A fresh multipart boundary (drawn from the seeded random source)."""
        return f"----=_NextPart_{self.seq:05d}_{self.rng.getrandbits(32):08x}"

    def compose(
        self,
        *,
        conv: int,
        sender: Person,
        to: list[Person],
        subject: str,
        when: datetime,
        body: Part,
        plain: str = "",
        cc: list[Person] | None = None,
        parent: Mail | None = None,
        header: Header | None = None,
        features: tuple[str, ...] = (),
        uncertain: str = "",
    ) -> Mail:
        """Build one message; ``plain`` is its readable text (certain, and quoted by replies)."""
        header = header or Header()
        cc = cc or []
        self.seq += 1
        mid = self._message_id(when, sender) if header.message_id else ""
        irt, refs = "", []
        if parent is not None and header.linked:
            refs = [*parent.references, parent.message_id] if parent.message_id else []
            irt = parent.message_id
        lines = self._lines(sender, to, cc, subject, when, mid, irt, refs, header)
        raw = b"".join(line + b"\n" for line in lines) + body.render()
        people = [sender, *(to if header.to is None else []), *cc]
        names = " ".join(f"{p.name} {p.address}" for p in people)
        certain = subject + "\n" + names + "\n" + plain
        return Mail(
            seq=self.seq,
            conv=conv,
            date=when,
            raw=raw,
            message_id=mid,
            in_reply_to=irt,
            references=[r for r in refs if r],
            subject=subject,
            sender=sender.address,
            plain=plain,
            certain=certain,
            uncertain=uncertain,
            attachments=body.attachments,
            features=list(features),
            participants=[p.address for p in people],
        )

    def _message_id(self, when: datetime, sender: Person) -> str:
        stamp = when.strftime("%Y%m%d%H%M%S")
        token = f"{self.rng.getrandbits(40):010x}"
        if sender.client == "alt":
            return f"{token}{self.seq:05d}$0@mail.{sender.org.domain}"
        return f"{stamp}.{self.seq:05d}.{token}@{sender.org.domain}"

    def _lines(
        self,
        sender: Person,
        to: list[Person],
        cc: list[Person],
        subject: str,
        when: datetime,
        mid: str,
        irt: str,
        refs: list[str],
        header: Header,
    ) -> list[bytes]:
        local = when.astimezone(timezone(timedelta(minutes=sender.org.tz)))
        cs = header.charset
        mx = to[0].org.domain if to else "firm.example"
        out = [
            f"Received: from mail.{sender.org.domain} ([192.0.2.{self.seq % 250 + 1}])\n"
            f"\tby mx.{mx} with ESMTP id {self.seq:08d}; {mail_date(local)}"
        ]
        out.append(f"From: {address(sender, cs)}")
        out.append(f"To: {header.to if header.to is not None else address_list(to, cs)}")
        if cc:
            out.append(f"Cc: {address_list(cc, cs)}")
        out.append(f"Subject: {encoded_word(subject, cs)}")
        if header.date is None:
            out.append(f"Date: {mail_date(local)}")
        elif header.date:
            out.append(f"Date: {header.date}")
        if mid:
            out.append(f"Message-ID: <{mid}>")
        if irt:
            out.append(f"In-Reply-To: <{irt}>")
        if refs:
            out.append(fold_ids("References", refs))
        out += ["MIME-Version: 1.0", _MAILERS[sender.client]]
        return [line.encode("ascii") for line in out] + header.raw
