"""State shared by the conversation builders, and the ``Conversation`` they return."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from dossier.demo.attachments import Attachment, Catalog
from dossier.demo.compose import Composer, Header, Mail
from dossier.demo.mime import Part, attachment_part, multipart, text_part
from dossier.demo.people import Person
from dossier.demo.texts import SubjectRegistry, Writer

START = datetime(2010, 6, 1, tzinfo=UTC)
END = datetime(2012, 3, 31, 23, 0, tzinfo=UTC)


@dataclass
class Conversation:
    """Messages built together. ``ordered``: threading depends on their order (a reply linked
    only by subject), so they must go to a container read in order (the mbox)."""

    mails: list[Mail]
    ordered: bool = False
    pin: str = ""  # a container every unplaced message goes to, "" to let placement choose


@dataclass
class Context:
    """The random source, builders and registries every conversation builder draws from."""

    rng: random.Random
    composer: Composer
    writer: Writer
    subjects: SubjectRegistry
    catalog: Catalog
    plant_rate: float
    convs: int = 0

    def conv(self) -> int:
        """A new conversation number."""
        self.convs += 1
        return self.convs

    def start(self, last: datetime = datetime(2012, 3, 1, tzinfo=UTC)) -> datetime:
        """A working-hours moment between June 2010 and ``last``."""
        span = (last - START).days
        day = START + timedelta(days=self.rng.randrange(span))
        return day + timedelta(hours=self.rng.randint(13, 23), minutes=self.rng.randrange(60))

    def later(self, when: datetime) -> datetime:
        """A reply time: minutes to a few days after ``when``, never past the end of the corpus."""
        minutes = self.rng.choice((self.rng.randint(4, 90), self.rng.randint(60, 4000)))
        return min(when + timedelta(minutes=minutes, seconds=self.rng.randrange(60)), END)

    def plant(self) -> bool:
        """Whether the next body gets the planted search word."""
        return self.rng.random() < self.plant_rate

    def body(self, sender: Person, text: str, files: Sequence[Attachment] = ()) -> Part:
        """The body part a sender's mail client would write, with attachments if any."""
        if sender.client == "alt":
            part = multipart(
                "alternative",
                [text_part(text), text_part(html_of(text), "html")],
                self.composer.boundary(),
            )
        else:
            part = text_part(text)
        if not files:
            return part
        parts = [part, *(attachment_part(f.data, f.content_type, f.filename) for f in files)]
        return multipart("mixed", parts, self.composer.boundary())

    def send(
        self,
        conv: int,
        sender: Person,
        to: list[Person],
        subject: str,
        when: datetime,
        text: str,
        *,
        files: Sequence[Attachment] = (),
        cc: list[Person] | None = None,
        parent: Mail | None = None,
        header: Header | None = None,
        features: tuple[str, ...] = (),
    ) -> Mail:
        """Compose and record an ordinary message; attachment text counts as certain."""
        extra = "".join(f"\n{f.filename}\n{f.text}" for f in files)
        mail = self.composer.compose(
            conv=conv,
            sender=sender,
            to=to,
            cc=cc,
            subject=subject,
            when=when,
            body=self.body(sender, text, files),
            plain=text,
            parent=parent,
            header=header,
            features=features,
        )
        mail.certain += extra
        return mail


def html_of(text: str) -> str:
    """A mail client's HTML rendering of plain text."""
    from html import escape

    paras = [escape(p).replace("\n", "<br>\n") for p in text.split("\n\n")]
    inner = "\n".join(f"<p>{p}</p>" for p in paras)
    return (
        "<html><head><title></title></head>\n"
        f'<body style="font-family: Calibri, sans-serif">\n{inner}\n</body></html>'
    )
