"""The thread the corpus is built around: US714's allegation, the firm's internal discussion,
and, a year later, a reporter's request for comment and the agency's reply."""

from __future__ import annotations

from datetime import UTC, datetime

from dossier.demo.compose import Mail
from dossier.demo.context import Context, Conversation
from dossier.demo.conversations import quoted_reply
from dossier.demo.people import ANALYST, PRESS, REPORTER, SECURE_LIST, SOURCE_BY_CODE, VP_INTEL

SUBJECT = "[secure] INSIGHT - US/MEXICO - informants allowed to kill - US714"
RFC_SUBJECT = "Request for comment: informants and killings on the border"
NEWSROOM = "loose:newsroom/request-for-comment"

ALLEGATION = """\
US714 says the agency has let cartel hit men working as its confidential
informants kill inside the United States, rather than pull them and lose
cases that took years to build. According to the source, supervisors in
at least two divisions knew of killings by informants on the US side of
the border and kept the informants active. Headquarters reviews the files
only after the fact."""

BLOCK = f"""\
SOURCE: US714
ATTRIBUTION: {SOURCE_BY_CODE["US714"].attribution}
SOURCE DESCRIPTION: {SOURCE_BY_CODE["US714"].description}
PUBLICATION: as needed
SOURCE RELIABILITY: B
ITEM CREDIBILITY: 2
SPECIAL HANDLING: Secure list only. Do not forward outside the firm.
DISTRIBUTION: analysts, secure
SOURCE HANDLER: {ANALYST.name}"""

REQUEST = """\
Dear Mr. Whitacre,

I am a reporter at The Northgate Ledger. We are preparing a story based on
internal emails of Halvorsen Strategic Analysis that a leak site released
this week. In a February 2011 email, a source the firm coded as US714 and
described as "a US law enforcement officer with direct oversight of border
investigations" claimed that the agency let cartel hit men working as its
confidential informants kill inside the United States.

We would like the agency's comment. Specifically:
1. Has the agency kept informants active after learning they took part in
   a killing?
2. How does the agency review its informants' conduct?

Our deadline is Friday at 5 p.m. Eastern.

Nadia Ferrante
Investigations Reporter, The Northgate Ledger"""

REPLY = """\
Ms. Ferrante,

You may report that the agency neither confirmed nor denied the claims
made in those emails. We do not comment on specific informants or on
ongoing investigations.

On background: the use of confidential informants is a regulated and
controlled process, governed by the Attorney General's Guidelines. It
includes regular audits of CI files by headquarters and by the Office of
the Inspector General.

Gordon Whitacre
Public Affairs Officer, Border Enforcement Agency"""


def _at(day: str) -> datetime:
    return datetime.fromisoformat(day).astimezone(UTC)


def story(ctx: Context) -> Conversation:
    """The six messages of the story thread, linked by In-Reply-To/References throughout."""
    conv = ctx.conv()
    first = f"{BLOCK}\n\n{ALLEGATION}\n\n{ANALYST.first}"
    s1 = ctx.send(
        conv,
        ANALYST,
        [SECURE_LIST],
        SUBJECT,
        _at("2011-02-14T16:05:00-06:00"),
        first,
        cc=[VP_INTEL],
        features=("insight", "story"),
    )
    ask = "This is a big claim. Do we have a second source on it?\n\nCeleste"
    s2 = _reply(ctx, conv, VP_INTEL, s1, ask, "2011-02-14T17:41:00-06:00")
    answer = (
        "Not yet. US714 has been right on border matters for three years. I will ask MX1\n"
        f"about the El Paso side and report back.\n\n{ANALYST.first}"
    )
    s3 = _reply(ctx, conv, ANALYST, s2, answer, "2011-02-15T08:12:00-06:00")
    s4 = ctx.send(
        conv,
        REPORTER,
        [PRESS],
        RFC_SUBJECT,
        _at("2012-02-28T10:20:00-05:00"),
        REQUEST,
        parent=s1,
        features=("story", "request-for-comment"),
    )
    s5 = ctx.send(
        conv,
        PRESS,
        [REPORTER],
        f"RE: {RFC_SUBJECT}",
        _at("2012-03-01T16:45:00-05:00"),
        f"{REPLY}\n\n{quoted_block(s4)}",
        parent=s4,
        features=("story", "response"),
    )
    thanks = "Thank you, Mr. Whitacre. We expect to publish on Monday.\n\nNadia Ferrante"
    s6 = _reply(ctx, conv, REPORTER, s5, thanks, "2012-03-01T17:02:00-05:00")
    for mail in (s1, s2, s3):
        mail.place = "maildir"
    for mail in (s4, s5, s6):
        mail.place = NEWSROOM
    return Conversation([s1, s2, s3, s4, s5, s6])


def quoted_block(parent: Mail) -> str:
    """Outlook-style quoting of the request below the reply."""
    return "-----Original Message-----\n" + parent.plain


def _reply(ctx: Context, conv: int, sender, parent: Mail, text: str, when: str) -> Mail:
    subject = (
        parent.subject if parent.subject.startswith(("Re:", "RE:")) else f"Re: {parent.subject}"
    )
    to = [SECURE_LIST] if sender.org.key == "firm" else [PRESS]
    cc = [VP_INTEL if sender is ANALYST else ANALYST] if sender.org.key == "firm" else []
    return ctx.send(
        conv,
        sender,
        to,
        subject,
        _at(when),
        quoted_reply(text, parent, sender),
        cc=cc,
        parent=parent,
        features=("story",),
    )
