"""Ordinary office conversations: a first message and replies (quoted, linked by headers),
with the occasional attachment, inline forward, forward as attachment, or a reply that only its
subject ties to the thread."""

from __future__ import annotations

from dossier.demo.attachments import Attachment
from dossier.demo.compose import Header, Mail
from dossier.demo.context import Context, Conversation
from dossier.demo.mime import mail_date, multipart, quote, rfc822_part, text_part
from dossier.demo.people import ANALYST, BY_ADDRESS, PEOPLE, Person, firm_staff, outsiders

FALLBACK_PREFIXES = ("AW: ", "SV: ", "RE[2]: ", "Re: ", "Aw: ")
_PREFIX = {"de": "AW: ", "no": "SV: "}
_ATTACH_RATE = 0.08


def cast(ctx: Context) -> list[Person]:
    """An initiator and one to three others; the analyst joins about a third of the time."""
    rng = ctx.rng
    pool = firm_staff() if rng.random() < 0.6 else outsiders()
    people = [rng.choice(pool)]
    others = [p for p in PEOPLE if p is not people[0] and p.org.key in ("firm", people[0].org.key)]
    for person in rng.sample(others, rng.randint(1, 3)):
        people.append(person)
    if ANALYST not in people and rng.random() < 0.33:
        people.append(ANALYST)
    return people


def reply_prefix(sender: Person) -> str:
    """The prefix the sender's mail client puts on a reply."""
    return _PREFIX.get(sender.org.locale, "RE: " if sender.client == "alt" else "Re: ")


def attribution(parent: Mail) -> str:
    """The ``On <date>, <name> wrote:`` line above a quote."""
    person = BY_ADDRESS.get(parent.sender)
    name = person.name if person else parent.sender
    return f"On {mail_date(parent.date)}, {name} wrote:"


def quoted_reply(text: str, parent: Mail, sender: Person) -> str:
    """New text above the parent's, quoted with ``>`` or Outlook's original-message block."""
    lines = parent.plain.rstrip("\n").split("\n")[:60]
    if sender.client == "alt":
        head = (
            f"-----Original Message-----\nFrom: {parent.sender}\n"
            f"Sent: {mail_date(parent.date)}\nSubject: {parent.subject}"
        )
        return f"{text}\n\n{head}\n\n" + "\n".join(lines)
    return f"{text}\n\n{attribution(parent)}\n{quote(chr(10).join(lines))}"


def pick_files(ctx: Context, category: str, label: str) -> list[Attachment]:
    """Attachments suited to the topic, chosen for about one message in twelve."""
    rng, cat = ctx.rng, ctx.catalog
    if rng.random() >= _ATTACH_RATE:
        return []
    choices = {
        "finance": lambda: [cat.csv(label)] if rng.random() < 0.85 else [cat.document("memo")],
        "travel": lambda: [cat.document("travel")],
        "client": lambda: [cat.document("threat")],
        "office": lambda: [cat.document("minutes"), cat.image()][: rng.randint(1, 2)],
        "analysis": lambda: [cat.image()] if rng.random() < 0.5 else [cat.document("guidelines")],
    }
    if category in choices:
        return choices[category]()
    return [cat.notes(label, ctx.writer.paragraphs(category, firm_staff()[:3]))]


def ordinary(ctx: Context, size: int, unlinked_prefix: str = "") -> Conversation:
    """A conversation of ``size`` messages on one fresh subject. With ``unlinked_prefix``, the
    second message is a reply with that prefix and no In-Reply-To/References."""
    rng, conv = ctx.rng, ctx.conv()
    people = cast(ctx)
    when = ctx.start()
    category, candidates = ctx.writer.topic(when)
    subject = ctx.subjects.claim(*candidates)
    sender, to = people[0], people[1:]
    text = ctx.writer.body(sender, to, category, ctx.plant())
    files = pick_files(ctx, category, f"{conv:04d}")
    mails = [ctx.send(conv, sender, to, subject, when, text, files=files)]
    fallback = rng.randrange(1, size) if size > 1 and rng.random() < 0.06 else 0
    if unlinked_prefix:
        fallback = 1
    for index in range(1, size):
        parent = mails[-1] if rng.random() < 0.8 else rng.choice(mails)
        prefix = ""
        if index == fallback:
            prefix = unlinked_prefix or rng.choice(FALLBACK_PREFIXES)
        mails.append(_reply(ctx, conv, people, parent, subject, category, prefix))
    if size > 2 and rng.random() < 0.04 and not unlinked_prefix:
        mails[-1] = inline_forward(ctx, conv, mails[-2], subject)
        return Conversation(mails, ordered=True)
    return Conversation(mails, ordered=bool(fallback))


def _reply(
    ctx: Context,
    conv: int,
    people: list[Person],
    parent: Mail,
    subject: str,
    category: str,
    unlinked_prefix: str,
) -> Mail:
    rng, unlinked = ctx.rng, bool(unlinked_prefix)
    sender = rng.choice([p for p in people if p.address != parent.sender])
    to = [p for p in people if p.address == parent.sender] or [people[0]]
    cc = [p for p in people if p is not sender and p not in to]
    prefix = unlinked_prefix or reply_prefix(sender)
    text = quoted_reply(ctx.writer.body(sender, to, category, ctx.plant()), parent, sender)
    files = pick_files(ctx, category, f"{conv:04d}-{len(text) % 97}")
    header = Header(linked=not unlinked)
    features = ("subject-only-reply",) if unlinked else ()
    return ctx.send(
        conv,
        sender,
        to,
        prefix + subject,
        ctx.later(parent.date),
        text,
        files=files,
        cc=cc,
        parent=parent,
        header=header,
        features=features,
    )


def forward_block(parent: Mail) -> str:
    """The original message below a ``Fwd:`` note."""
    return (
        "---------- Forwarded message ----------\n"
        f"From: {parent.sender}\nDate: {mail_date(parent.date)}\nSubject: {parent.subject}\n\n"
        f"{parent.plain}"
    )


def inline_forward(
    ctx: Context, conv: int, parent: Mail, subject: str, to: list[Person] | None = None
) -> Mail:
    """``Fwd:`` with the original below the note; no In-Reply-To (threads by subject only)."""
    sender = ctx.rng.choice(firm_staff())
    to = to or [ctx.rng.choice(outsiders())]
    note = f"{to[0].first},\n\nSee below; thought you should have this.\n\n{sender.first}"
    text = f"{note}\n\n{forward_block(parent)}"
    return ctx.send(
        conv,
        sender,
        to,
        f"Fwd: {subject}",
        ctx.later(parent.date),
        text,
        header=Header(linked=False),
        features=("forward-inline",),
    )


def attached_forward(ctx: Context) -> Conversation:
    """A plain message, then a forward carrying it as ``message/rfc822``, then a reply."""
    conv, rng = ctx.conv(), ctx.rng
    when = ctx.start()
    category, candidates = ctx.writer.topic(when)
    subject = ctx.subjects.claim(*candidates)
    sender = rng.choice([p for p in firm_staff() if p.client == "plain"])
    to = [rng.choice([p for p in firm_staff() if p is not sender])]
    text = ctx.writer.body(sender, to, category)
    root = ctx.send(conv, sender, to, subject, when, text)
    fwd_to = [rng.choice(outsiders())]
    note = f"{fwd_to[0].first},\n\nForwarding the original as an attachment.\n\n{to[0].first}\n"
    body = multipart(
        "mixed",
        [text_part(note), rfc822_part(root.raw, "original-message.eml")],
        ctx.composer.boundary(),
    )
    fwd = ctx.composer.compose(
        conv=conv,
        sender=to[0],
        to=fwd_to,
        subject=f"Fwd: {subject}",
        when=ctx.later(root.date),
        body=body,
        plain=note,
        header=Header(linked=False),
        uncertain=root.raw.decode("utf-8", "replace"),
        features=("forward-attached",),
    )
    reply_text = quoted_reply(ctx.writer.body(fwd_to[0], to, category), fwd, fwd_to[0])
    reply = ctx.send(
        conv, fwd_to[0], to, f"Re: Fwd: {subject}", ctx.later(fwd.date), reply_text, parent=fwd
    )
    return Conversation([root, fwd, reply], ordered=True)


def attachment_samples(ctx: Context) -> Conversation:
    """One thread carrying each kind of attachment: the memo PDF, both DOCX, a CSV and a PNG."""
    conv, cat = ctx.conv(), ctx.catalog
    cfo, desk = BY_ADDRESS["j.tremaine@firm.example"], BY_ADDRESS["r.montoya@firm.example"]
    subject = ctx.subjects.claim("Monterrey review memo and follow-ups")
    text = ctx.writer.body(cfo, [desk, ANALYST], "finance", plant=True)
    root = ctx.send(
        conv, cfo, [desk], subject, ctx.start(), text, cc=[ANALYST], files=[cat.document("memo")]
    )
    second = ctx.send(
        conv,
        desk,
        [cfo],
        f"Re: {subject}",
        ctx.later(root.date),
        quoted_reply(ctx.writer.body(desk, [cfo], "finance"), root, desk),
        cc=[ANALYST],
        parent=root,
        files=[cat.document("guidelines"), cat.csv(f"{conv:04d}")],
    )
    third = ctx.send(
        conv,
        ANALYST,
        [desk],
        f"Re: {subject}",
        ctx.later(second.date),
        quoted_reply(ctx.writer.body(ANALYST, [desk], "office"), second, ANALYST),
        cc=[cfo],
        parent=second,
        files=[cat.document("minutes"), cat.image()],
    )
    return Conversation([root, second, third])
