"""Insight reports from coded sources, in every shape SOURCES.md says real messages take:
the clean block, odd label case and spacing, wrapped values, missing fields, the block quoted in
a reply, forwarded inside another message, HTML only, several insights in one message, and
codes mentioned in prose."""

from __future__ import annotations

from dossier.demo import insight_texts as it
from dossier.demo.compose import Mail
from dossier.demo.context import Context, Conversation, html_of
from dossier.demo.conversations import inline_forward, quoted_reply
from dossier.demo.mime import text_part
from dossier.demo.people import (
    ALPHA_LIST,
    ANALYSTS_LIST,
    BY_ADDRESS,
    SECURE_LIST,
    SOURCES,
    Person,
    Source,
    clients,
    firm_staff,
)

VARIANTS = (
    "canonical",
    "quoted",
    "forwarded",
    "html",
    "missing",
    "multi",
    "prose",
    "loose",
    "wrapped",
)
HANDLERS = {
    "US714": "t.renwick",
    "MX1": "r.montoya",
    "MX2": "r.montoya",
    "MX3": "r.abernethy",
    "CN1000": "m.ellery",
    "VZ203": "k.brandt",
    "TR301": "s.foucault",
    "RU88": "d.halloway",
}


def handler_of(source: Source) -> Person:
    """The staff member who handles ``source``."""
    return BY_ADDRESS[f"{HANDLERS[source.code]}@firm.example"]


def _list_for(subject: str) -> Person:
    if subject.startswith("[secure]"):
        return SECURE_LIST
    return ALPHA_LIST if subject.startswith("[alpha]") else ANALYSTS_LIST


def report_text(ctx: Context, source: Source, style: str) -> str:
    """One insight: the labelled block, a blank line, then the item."""
    handler = handler_of(source)
    block = it.block(source, handler, style, ctx.rng)
    return f"{block}\n\n{it.item(source.country, ctx.rng)}"


def insight_conversation(ctx: Context, variant: str, source: Source | None = None) -> Conversation:
    """One insight conversation of the given variant (see ``VARIANTS``), from ``source`` or a
    random one."""
    source = source or ctx.rng.choice(SOURCES)
    if variant == "multi":
        return Conversation([_multi(ctx, source)])
    if variant == "prose":
        return Conversation([_prose(ctx)])
    conv, rng = ctx.conv(), ctx.rng
    handler = handler_of(source)
    topic = rng.choice(it.TOPICS[source.country])
    subject = ctx.subjects.claim(*_subjects(source, topic, rng.choice(("", "[alpha] ", "[OS] "))))
    style = variant if variant in ("loose", "wrapped", "missing") else "canonical"
    text = f"{report_text(ctx, source, style)}\n\n{handler.first}"
    when, to = ctx.start(), [_list_for(subject)]
    if variant == "html":
        body = text_part(html_of(text), "html")
        root = ctx.composer.compose(
            conv=conv,
            sender=handler,
            to=to,
            subject=subject,
            when=when,
            body=body,
            uncertain=text,
            features=("insight", "html-only"),
        )
        return Conversation([root])
    root = ctx.send(conv, handler, to, subject, when, text, features=("insight",))
    if variant == "forwarded":
        fwd = inline_forward(ctx, conv, root, subject, [ctx.rng.choice(clients())])
        fwd.features.append("insight-forwarded")
        return Conversation([root, fwd], ordered=True)
    mails = [root]
    for _ in range(1 if variant == "quoted" else rng.randint(0, 2)):
        mails.append(_comment(ctx, conv, mails[-1], subject, quoted=variant == "quoted"))
    return Conversation(mails)


def _subjects(source: Source, topic: str, tag: str) -> tuple[str, ...]:
    base = f"{tag}INSIGHT - {source.country} - {topic}"
    return (
        f"{base} - {source.code}",
        f"{base} update - {source.code}",
        f"{base}, follow-up - {source.code}",
    )


def _comment(ctx: Context, conv: int, parent: Mail, subject: str, quoted: bool) -> Mail:
    """A colleague's reply; ``quoted`` forces a client that quotes with ``>``."""
    staff = [p for p in firm_staff() if p.address != parent.sender]
    if quoted:
        staff = [p for p in staff if p.client == "plain"]
    sender = ctx.rng.choice(staff)
    ask = ctx.rng.choice(
        (
            "How does this square with what we heard last month?",
            "Can we get a second source on the last point?",
            "Useful. Let's fold this into the weekly.",
            "What is the source's access here, first-hand or hearsay?",
        )
    )
    text = quoted_reply(f"{ask}\n\n{sender.first}", parent, sender)
    return ctx.send(
        conv,
        sender,
        [_list_for(subject)],
        f"Re: {subject}",
        ctx.later(parent.date),
        text,
        parent=parent,
        features=("insight-reply",),
    )


def _multi(ctx: Context, first: Source) -> Mail:
    """Several insights from different sources in one message, ``first`` first."""
    conv, rng = ctx.conv(), ctx.rng
    others = [s for s in SOURCES if s.code != "US714" and s is not first]
    picks = [first, *rng.sample(others, rng.randint(1, 2))]
    handler = handler_of(picks[0])
    parts = [report_text(ctx, source, "canonical") for source in picks]
    codes = ", ".join(s.code for s in picks)
    subject = ctx.subjects.claim(f"INSIGHTS - roundup - {codes}")
    text = "\n\n----\n\n".join(parts) + f"\n\n{handler.first}"
    return ctx.send(
        conv,
        handler,
        [ANALYSTS_LIST],
        subject,
        ctx.start(),
        text,
        features=("insight", "insight-multi"),
    )


def _prose(ctx: Context) -> Mail:
    """A desk note that names sources only by code, in running text."""
    conv, rng = ctx.conv(), ctx.rng
    first, second = rng.sample([s for s in SOURCES if s.code != "US714"], 2)
    sender = handler_of(first)
    text = (
        f"All,\n\nA source identified as {first.code} told us this week that "
        f"{it.item(first.country, rng).split(chr(10))[0].lower()}\n\n"
        f"Separately, {second.code} ({second.attribution}) expects more of the same.\n"
        f"We have not graded either item yet.\n\n{sender.first}"
    )
    when = ctx.start()
    subject = ctx.subjects.claim(f"Desk notes - {when:%B %Y}", f"Desk notes - {when:%d %B %Y}")
    return ctx.send(conv, sender, [ANALYSTS_LIST], subject, when, text, features=("insight-prose",))
