"""Messages that are malformed yet must still parse: no Date, ``Date: yesterday``, a 1970 date,
a broken base64 attachment, ``undisclosed-recipients:;``, no Message-ID; and bodies with lines
that mboxrd must escape (``From `` and ``>From ``)."""

from __future__ import annotations

from dossier.demo.compose import Header, Mail
from dossier.demo.context import Context, Conversation
from dossier.demo.mime import Part, multipart, text_part
from dossier.demo.people import ANALYST, BY_ADDRESS, firm_staff

BROKEN_BASE64 = (
    b"JVBERi0xLjQKJcfsj6IKNSAwIG9iago8PC9MZW5ndGggNiAwIFIvRmlsdGVyIC9GbGF0ZURlY29k\n"
    b"ZT4+CnN0cmVhbQp4nCvkMlAwUDA1NVIwMlAwMTZRMDJTMDU0Vkjh1QUQAP%%%%broken!!!\n"
    b"ZT4+CnN0cmVhbQp4nCvk\n"
)


def _simple(ctx: Context, subject: str, text: str, header: Header, feature: str) -> Mail:
    conv = ctx.conv()
    sender = ctx.rng.choice(firm_staff())
    to = [ANALYST if sender is not ANALYST else BY_ADDRESS["o.pelletier@firm.example"]]
    return ctx.send(
        conv,
        sender,
        to,
        ctx.subjects.claim(subject),
        ctx.start(),
        text,
        header=header,
        features=(feature,),
    )


def dates(ctx: Context) -> list[Conversation]:
    """A message with no Date, one dated ``yesterday`` and one dated at the Unix epoch."""
    return [
        Conversation(
            [
                _simple(
                    ctx,
                    "Printer on 3 jammed again",
                    "Someone please call the vendor.\n\nLena",
                    Header(date=""),
                    "missing-date",
                )
            ]
        ),
        Conversation(
            [
                _simple(
                    ctx,
                    "Coffee machine repaired",
                    "Fixed this morning; use the left tap.\n\nLena",
                    Header(date="yesterday"),
                    "invalid-date",
                )
            ]
        ),
        Conversation(
            [
                _simple(
                    ctx,
                    "Archived voicemail export",
                    "Exported from the old phone system.\n\nFelix",
                    Header(date="Thu, 01 Jan 1970 00:00:00 +0000"),
                    "epoch-date",
                )
            ]
        ),
    ]


def undisclosed(ctx: Context) -> Conversation:
    """A notice addressed to ``undisclosed-recipients:;``."""
    header = Header(to="undisclosed-recipients:;")
    text = "All,\n\nThe office closes at 2 p.m. on Friday for the holiday.\n\nLena"
    return Conversation([_simple(ctx, "Early closing Friday", text, header, "undisclosed")])


def broken_attachment(ctx: Context) -> Conversation:
    """A PDF attachment whose base64 is corrupt halfway through."""
    conv = ctx.conv()
    sender, to = BY_ADDRESS["j.tremaine@firm.example"], [ANALYST]
    text = "Tobias,\n\nThe scanned receipts are attached; the scanner acted up.\n\nJoan"
    bad = Part(
        [
            'Content-Type: application/pdf; name="scanned-receipts.pdf"',
            'Content-Disposition: attachment; filename="scanned-receipts.pdf"',
            "Content-Transfer-Encoding: base64",
        ],
        BROKEN_BASE64,
        attachments=1,
    )
    body = multipart("mixed", [text_part(text), bad], ctx.composer.boundary())
    mail = ctx.composer.compose(
        conv=conv,
        sender=sender,
        to=to,
        when=ctx.start(),
        body=body,
        subject=ctx.subjects.claim("Scanned receipts"),
        plain=text,
        features=("broken-base64",),
    )
    return Conversation([mail])


def without_message_id(ctx: Context, count: int) -> list[Conversation]:
    """Automated notices with no Message-ID; each text is unique."""
    out = []
    for n in range(count):
        when = ctx.start()
        text = (
            f"Nightly backup job {n + 1} finished at {when:%H:%M} UTC.\n"
            f"Files copied: {ctx.rng.randint(1000, 90000)}\nErrors: {n % 3}\n"
        )
        out.append(
            Conversation(
                [
                    _simple(
                        ctx,
                        f"Backup report {when:%Y-%m-%d} job {n + 1}",
                        text,
                        Header(message_id=False),
                        "no-message-id",
                    )
                ]
            )
        )
    return out


def mboxrd_lines(ctx: Context) -> Conversation:
    """A body with lines starting ``From `` and ``>From `` (mboxrd escapes both)."""
    text = (
        "Owen,\n\nNotes from the call, as promised.\n\n"
        "From the client: they want the weekly on Thursdays.\n"
        ">From an older thread, quoted by hand: keep the summary short.\n"
        ">>From the thread before that: no client names in subjects.\n\nTobias"
    )
    conv = ctx.conv()
    mail = ctx.send(
        conv,
        ANALYST,
        [BY_ADDRESS["o.pelletier@firm.example"]],
        ctx.subjects.claim("Call notes for the weekly"),
        ctx.start(),
        text,
        features=("mboxrd-escapes",),
    )
    return Conversation([mail], pin="mbox")


def all_oddities(ctx: Context, no_id: int) -> list[Conversation]:
    """Every malformed-but-parsing message, ``no_id`` of them without Message-ID."""
    return [
        *dates(ctx),
        undisclosed(ctx),
        broken_attachment(ctx),
        mboxrd_lines(ctx),
        *without_message_id(ctx, no_id),
    ]
