"""Mail in other character sets: iso-8859-1, windows-1252, koi8-r and shift_jis bodies with
RFC 2047 subjects and names, an RFC 2231 file name, a body whose declared charset is wrong, and
headers holding raw 8-bit bytes."""

from __future__ import annotations

from dossier.demo.compose import Header, Mail
from dossier.demo.context import Context, Conversation
from dossier.demo.conversations import quoted_reply
from dossier.demo.mime import Part, multipart, replace_header, text_part, transfer_encode
from dossier.demo.people import BY_ADDRESS

CYRILLIC_TERM = "контрабанда"

SPANISH = """\
Estimado Rafael:

Le confirmo la reunión del jueves en Ciudad Juárez con el señor Domínguez.
Llevaré el presupuesto del año próximo y las cifras de la aduana.

Atentamente,
José Peñalosa Núñez
Dirección de Enlace"""

ENGLISH_1252 = """\
Agnes,

Attached is the “final” invoice – €4,250 for the Q3 briefings. We’ve
removed the travel line as agreed; it’ll go on next quarter’s statement.

Philippa"""

RUSSIAN = f"""\
Дмитрий, добрый день.

Груз задержан в порту Новороссийска. Таможня подозревает {CYRILLIC_TERM}
и требует полную проверку контейнеров. Мы ждём решения до пятницы.

С уважением,
Мария Соколова"""

JAPANESE = """\
エラリー様

横浜港での検査が来週から強化されます。
書類の準備をお願いいたします。

田中 浩"""

GERMAN = """\
Sabine,

anbei die Übersicht für das Treffen in München. Grüße an das Team.

Jürgen"""


def _mail(
    ctx: Context,
    conv: int,
    frm: str,
    to: str,
    subject: str,
    body: Part,
    plain: str,
    charset: str,
    uncertain: bool = False,
) -> Mail:
    sender, recipient = BY_ADDRESS[frm], BY_ADDRESS[to]
    mail = ctx.composer.compose(
        conv=conv,
        sender=sender,
        to=[recipient],
        subject=subject,
        when=ctx.start(),
        body=body,
        plain="" if uncertain else plain,
        header=Header(charset=charset),
        features=(f"charset:{charset}",),
        uncertain=plain if uncertain else "",
    )
    return mail


def spanish(ctx: Context) -> Conversation:
    """iso-8859-1 quoted-printable body, Q-encoded subject and name, RFC 2231 file name."""
    conv = ctx.conv()
    csv = "concepto,monto\nviáticos,1200\ntraducción,800\n".encode("iso-8859-1")
    attach = Part(
        [
            "Content-Type: text/csv; charset=iso-8859-1",
            "Content-Disposition: attachment;\n filename*=iso-8859-1''presupuesto-a%F1o.csv",
            "Content-Transfer-Encoding: base64",
        ],
        transfer_encode(csv, "base64"),
        attachments=1,
    )
    body = multipart(
        "mixed", [text_part(SPANISH, charset="iso-8859-1"), attach], ctx.composer.boundary()
    )
    subject = ctx.subjects.claim("Reunión en Ciudad Juárez")
    root = _mail(
        ctx,
        conv,
        "jpenalosa@enlace.example",
        "r.montoya@firm.example",
        subject,
        body,
        SPANISH,
        "iso-8859-1",
    )
    sender = BY_ADDRESS["r.montoya@firm.example"]
    reply = ctx.send(
        conv,
        sender,
        [BY_ADDRESS["jpenalosa@enlace.example"]],
        f"Re: {subject}",
        ctx.later(root.date),
        quoted_reply("Gracias, ahí estaré.\n\nRafael", root, sender),
        parent=root,
    )
    return Conversation([root, reply])


def windows_1252(ctx: Context) -> Conversation:
    """windows-1252 8-bit body with curly quotes, an en dash and a euro sign."""
    conv = ctx.conv()
    body = text_part(ENGLISH_1252, charset="windows-1252", cte="8bit")
    subject = ctx.subjects.claim("Q3 invoice – “final” version")
    return Conversation(
        [
            _mail(
                ctx,
                conv,
                "philippa.knowles@oriel-capital.example.net",
                "a.fairweather@firm.example",
                subject,
                body,
                ENGLISH_1252,
                "windows-1252",
            )
        ]
    )


def russian(ctx: Context) -> Conversation:
    """koi8-r 8-bit body and B-encoded subject and name; the reply quotes it in UTF-8."""
    conv = ctx.conv()
    body = text_part(RUSSIAN, charset="koi8-r", cte="8bit")
    subject = ctx.subjects.claim("Груз в Новороссийске")
    root = _mail(
        ctx,
        conv,
        "m.sokolova@volga.example",
        "d.halloway@firm.example",
        subject,
        body,
        RUSSIAN,
        "koi8-r",
    )
    sender = BY_ADDRESS["d.halloway@firm.example"]
    text = quoted_reply("Мария, спасибо. Держите меня в курсе.\n\nДмитрий", root, sender)
    reply = ctx.send(
        conv,
        sender,
        [BY_ADDRESS["m.sokolova@volga.example"]],
        f"Re: {subject}",
        ctx.later(root.date),
        text,
        parent=root,
    )
    return Conversation([root, reply])


def japanese(ctx: Context) -> Conversation:
    """shift_jis base64 body with B-encoded subject and name."""
    conv = ctx.conv()
    body = text_part(JAPANESE, charset="shift_jis", cte="base64")
    subject = ctx.subjects.claim("横浜港の検査について")
    return Conversation(
        [
            _mail(
                ctx,
                conv,
                "h.tanaka@tokai.example",
                "m.ellery@firm.example",
                subject,
                body,
                JAPANESE,
                "shift_jis",
            )
        ]
    )


def mislabelled(ctx: Context) -> Conversation:
    """Declares utf-8 but holds iso-8859-1 bytes (invalid UTF-8)."""
    conv = ctx.conv()
    body = Part(
        ['Content-Type: text/plain; charset="utf-8"', "Content-Transfer-Encoding: 8bit"],
        GERMAN.encode("iso-8859-1") + b"\n",
    )
    subject = ctx.subjects.claim("Unterlagen Treffen München")
    mail = _mail(
        ctx,
        conv,
        "j.weisshaupt@kaiserberg.example",
        "s.foucault@firm.example",
        subject,
        body,
        GERMAN,
        "utf-8",
        uncertain=True,
    )
    mail.features.append("wrong-charset")
    return Conversation([mail])


def raw_8bit_headers(ctx: Context) -> Conversation:
    """From and Subject written as raw bytes (latin-1 and UTF-8) instead of encoded words."""
    conv = ctx.conv()
    text = "Rafael,\n\nAdjunto el informe semanal de Tamaulipas.\n\nHéctor"
    subject = ctx.subjects.claim("Informe semanal – Tamaulipas año 2011")
    sender = BY_ADDRESS["hvillasenor@enlace.example"]
    mail = ctx.composer.compose(
        conv=conv,
        sender=sender,
        to=[BY_ADDRESS["r.montoya@firm.example"]],
        subject=subject,
        when=ctx.start(),
        body=text_part(text),
        features=("8bit-headers",),
        uncertain=subject + "\n" + text,
    )
    mail.certain = ""
    name = "Héctor Villaseñor".encode("iso-8859-1")
    mail.raw = replace_header(mail.raw, "From", name + b" <" + sender.address.encode() + b">")
    mail.raw = replace_header(mail.raw, "Subject", subject.encode("utf-8"))
    return Conversation([mail])


ALL = (spanish, windows_1252, russian, japanese, mislabelled, raw_8bit_headers)
