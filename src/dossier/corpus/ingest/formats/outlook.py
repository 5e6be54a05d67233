"""Outlook items (from .msg and .pst) rebuilt as RFC 822 bytes, so one parser reads every format.

The original Internet headers (PidTagTransportMessageHeaders) are kept verbatim when the item has
them, except the MIME ones, which describe a body structure that no longer exists; headers missing
there (or all of them, for a message that never crossed the Internet) come from MAPI properties.
Bodies: plain text and HTML as multipart/alternative; attachments as MIME parts with their file
name, content type and Content-ID; embedded messages as message/rfc822.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime, formataddr
from typing import Protocol

POLICY = policy.default.clone(linesep="\n", raise_on_defect=False)
ADDRESS_FIELDS = ("From", "To", "Cc", "Bcc")

_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
_CONTENT_TYPE = re.compile(r"^[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+$")
_FIELD = re.compile(r"[!-9;-~]+[ \t]*:")  # a header line: printable field name, colon
_MIME_FIELD = re.compile(r"(content-[^:]*|mime-version)\s*:", re.IGNORECASE)

# PR_INTERNET_CPID / PR_MESSAGE_CODEPAGE values Python spells differently from "cp<n>".
CODEPAGES = {
    65001: "utf-8", 20127: "ascii", 28591: "latin-1", 28592: "iso8859-2", 28595: "iso8859-5",
    28597: "iso8859-7", 28605: "iso8859-15", 50220: "iso2022-jp", 51932: "euc-jp",
    20866: "koi8-r", 21866: "koi8-u", 54936: "gb18030", 52936: "hz", 936: "gbk", 1200: "utf-16-le",
}  # fmt: skip

Address = tuple[str, str]  # (display name, address)

# MAPI property ids (MS-OXPROPS)
PR_SUBJECT = 0x0037
PR_TRANSPORT_MESSAGE_HEADERS = 0x007D
PR_SENDER_NAME, PR_SENDER_ADDRTYPE, PR_SENDER_EMAIL = 0x0C1A, 0x0C1E, 0x0C1F
PR_SENDER_SMTP, PR_SENT_REPRESENTING_SMTP = 0x5D01, 0x5D02
PR_SENT_REPRESENTING_NAME, PR_SENT_REPRESENTING_ADDRTYPE = 0x0042, 0x0064
PR_SENT_REPRESENTING_EMAIL = 0x0065
PR_CLIENT_SUBMIT_TIME, PR_MESSAGE_DELIVERY_TIME = 0x0039, 0x0E06
PR_INTERNET_MESSAGE_ID, PR_IN_REPLY_TO_ID, PR_INTERNET_REFERENCES = 0x1035, 0x1042, 0x1039
PR_BODY, PR_HTML, PR_INTERNET_CPID = 0x1000, 0x1013, 0x3FDE
PR_MESSAGE_CLASS = 0x001A
PR_RECIPIENT_TYPE, PR_DISPLAY_NAME = 0x0C15, 0x3001
PR_EMAIL_ADDRESS, PR_SMTP_ADDRESS = 0x3003, 0x39FE
PR_ATTACH_DATA, PR_ATTACH_FILENAME, PR_ATTACH_METHOD = 0x3701, 0x3704, 0x3705
PR_ATTACH_LONG_FILENAME, PR_ATTACH_MIME_TAG, PR_ATTACH_CONTENT_ID = 0x3707, 0x370E, 0x3712
ATTACH_EMBEDDED_MSG = 5
MAX_EMBEDDING = 8  # messages attached to messages attached to ...


class Props(Protocol):
    """The MAPI properties of one message, recipient or attachment, as each library reads them."""

    def text(self, pid: int) -> str: ...  # "" when absent

    def integer(self, pid: int) -> int | None: ...

    def binary(self, pid: int) -> bytes | None: ...

    def time(self, pid: int) -> datetime | None: ...


@dataclass
class OutlookAttachment:
    filename: str = ""
    content_type: str = ""
    data: bytes = b""
    content_id: str = ""
    message: bytes | None = None  # an embedded message, already RFC 822 bytes


@dataclass
class OutlookMessage:
    transport_headers: str = ""
    subject: str = ""
    sender: Address = ("", "")
    to: list[Address] = field(default_factory=list)
    cc: list[Address] = field(default_factory=list)
    bcc: list[Address] = field(default_factory=list)
    date: datetime | None = None
    message_id: str = ""
    in_reply_to: str = ""
    references: str = ""
    text: str = ""
    html: str = ""
    attachments: list[OutlookAttachment] = field(default_factory=list)


def message_from(props: Props, recipients: Iterable[Props]) -> OutlookMessage:
    """Everything but the attachments, which each format reads its own way."""
    m = OutlookMessage(
        transport_headers=props.text(PR_TRANSPORT_MESSAGE_HEADERS),
        subject=props.text(PR_SUBJECT),
        sender=(_sender_name(props), _sender_address(props)),
        date=props.time(PR_CLIENT_SUBMIT_TIME) or props.time(PR_MESSAGE_DELIVERY_TIME),
        message_id=props.text(PR_INTERNET_MESSAGE_ID),
        in_reply_to=props.text(PR_IN_REPLY_TO_ID),
        references=props.text(PR_INTERNET_REFERENCES),
        text=props.text(PR_BODY),
        html=decode(props.binary(PR_HTML), props.integer(PR_INTERNET_CPID)) or props.text(PR_HTML),
    )
    for r in recipients:
        kind = {2: m.cc, 3: m.bcc}.get(r.integer(PR_RECIPIENT_TYPE) or 1, m.to)
        kind.append((r.text(PR_DISPLAY_NAME), r.text(PR_SMTP_ADDRESS) or r.text(PR_EMAIL_ADDRESS)))
    return m


def attachment_from(
    props: Props, data: bytes = b"", message: bytes | None = None
) -> OutlookAttachment:
    return OutlookAttachment(
        filename=props.text(PR_ATTACH_LONG_FILENAME)
        or props.text(PR_ATTACH_FILENAME)
        or props.text(PR_DISPLAY_NAME),
        content_type=props.text(PR_ATTACH_MIME_TAG),
        content_id=props.text(PR_ATTACH_CONTENT_ID),
        data=data,
        message=message,
    )


def _sender_name(p: Props) -> str:
    return p.text(PR_SENDER_NAME) or p.text(PR_SENT_REPRESENTING_NAME)


def _sender_address(p: Props) -> str:
    smtp = [p.text(PR_SENDER_SMTP), p.text(PR_SENT_REPRESENTING_SMTP)]
    if p.text(PR_SENDER_ADDRTYPE).upper() == "SMTP":
        smtp.append(p.text(PR_SENDER_EMAIL))
    if p.text(PR_SENT_REPRESENTING_ADDRTYPE).upper() == "SMTP":
        smtp.append(p.text(PR_SENT_REPRESENTING_EMAIL))
    return next((a for a in smtp if "@" in a), "")


def to_rfc822(m: OutlookMessage) -> bytes:
    fields = _mapi_fields(m)
    head = b""
    if m.transport_headers.strip():
        head, present = _transport_head(m.transport_headers)
        fields = [(n, v) for n, v in fields if n.lower() not in present]
    return head + _header_block(fields) + _entity(m).as_bytes(policy=POLICY)


def decode(data: bytes | None, codepage: int | None) -> str:
    """Bytes of a body in the item's code page, with utf-8 and cp1252 as fallbacks."""
    if not data:
        return ""
    for encoding in (_codec(codepage), "utf-8"):
        if encoding:
            try:
                return data.decode(encoding)
            except (UnicodeDecodeError, LookupError):
                pass
    return data.decode("cp1252", errors="replace")


def clean(value: str | None) -> str:
    """A MAPI string made safe for a header: no control characters, no NULs."""
    return _CONTROL.sub(" ", scrub(value)).strip()


def scrub(value: str | None) -> str:
    """Text that encodes to UTF-8: lone surrogates (from broken UTF-16) become '?'."""
    return (value or "").encode("utf-8", errors="replace").decode("utf-8")


def _codec(codepage: int | None) -> str | None:
    if not codepage:
        return None
    return CODEPAGES.get(codepage, f"cp{codepage}")


def _transport_head(text: str) -> tuple[bytes, set[str]]:
    """The transport headers without the MIME fields, and the lower-cased names present."""
    kept: list[str] = []
    present: set[str] = set()
    skipping = False
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not line.strip():
            continue  # a blank line would end the header block early
        if line[0] in " \t":
            if not skipping and kept:
                kept.append(line)
            continue
        # MIME fields describe the original body; a line that is no field would end the headers
        skipping = bool(_MIME_FIELD.match(line)) or not _FIELD.match(line)
        if not skipping:
            kept.append(line)
            present.add(line.split(":", 1)[0].strip().lower())
    head = "".join(f"{line}\n" for line in kept)
    return head.encode("utf-8", errors="replace"), present


def _mapi_fields(m: OutlookMessage) -> list[tuple[str, str]]:
    fields: list[tuple[str, str]] = []
    for name, addresses in zip(ADDRESS_FIELDS, ([m.sender], m.to, m.cc, m.bcc), strict=True):
        value = ", ".join(_address(a) for a in addresses if any(a))
        if value:
            fields.append((name, value))
    if m.subject:
        fields.append(("Subject", clean(m.subject)))
    if m.date:
        date = m.date if m.date.tzinfo else m.date.replace(tzinfo=UTC)
        fields.append(("Date", format_datetime(date.astimezone(UTC))))
    for name, value in (("Message-ID", m.message_id), ("In-Reply-To", m.in_reply_to)):
        if clean(value):
            fields.append((name, _angle(clean(value))))
    if clean(m.references):
        fields.append(("References", clean(m.references)))
    return fields


def _header_block(fields: list[tuple[str, str]]) -> bytes:
    block = EmailMessage(policy=POLICY)
    for name, value in fields:
        block[name] = value
    return block.as_bytes(policy=POLICY).removesuffix(b"\n")  # headers only: drop the blank line


def _address(address: Address) -> str:
    name, addr = clean(address[0]), clean(address[1])
    if "@" not in addr:
        addr = ""  # an Exchange DN (/O=ORG/OU=...) is no Internet address
    if not addr:  # "Name <>": readers keep the display name, with an empty address
        return formataddr((name, "x")).removesuffix(" <x>") + " <>" if name else ""
    if name.strip("'\" ").lower() == addr.lower():
        name = ""  # Outlook repeats the address as the display name
    return formataddr((name, addr), charset="utf-8")


def _angle(value: str) -> str:
    return value if value.startswith("<") else f"<{value}>"


def _entity(m: OutlookMessage) -> EmailMessage:
    entity = EmailMessage(policy=POLICY)
    text, html = scrub(m.text), scrub(m.html)
    if text or not html:
        entity.set_content(text)
        if html:
            entity.add_alternative(html, subtype="html")
    else:
        entity.set_content(html, subtype="html")
    for att in m.attachments:
        _attach(entity, att)
    _settle(entity)
    if "MIME-Version" not in entity:
        entity["MIME-Version"] = "1.0"
    return entity


def _settle(entity: EmailMessage) -> None:
    """Same item, same bytes: boundaries derived from the content, not random (the pipeline hashes
    the bytes of messages without a Message-ID); no MIME-Version in sub-parts."""
    ours = list(_own_parts(entity))
    digest = hashlib.sha256()
    for part in ours:
        if part.get_content_maintype() == "message":
            digest.update(part.as_bytes(policy=POLICY))
        elif not part.is_multipart():
            digest.update(str(part.get_payload()).encode("utf-8", "surrogateescape"))
    for i, part in enumerate(ours):
        if part is not entity:
            del part["MIME-Version"]
        if part.get_content_maintype() == "multipart":
            part.set_boundary(f"=_{digest.hexdigest()[:32]}_{i}")


def _own_parts(part: EmailMessage):
    """The parts we built: the tree without descending into embedded messages."""
    yield part
    if part.get_content_maintype() == "multipart":
        for sub in part.iter_parts():
            yield from _own_parts(sub)


def _attach(entity: EmailMessage, att: OutlookAttachment) -> None:
    filename = clean(att.filename) or None
    if att.message is not None:
        inner = BytesParser(policy=POLICY).parsebytes(att.message)
        entity.add_attachment(inner, filename=filename)
        return
    maintype, subtype = _content_type(att.content_type, filename)
    cid = clean(att.content_id)
    entity.add_attachment(
        att.data, maintype=maintype, subtype=subtype, filename=filename,
        cid=_angle(cid) if cid else None,
    )  # fmt: skip


def _content_type(declared: str, filename: str | None) -> tuple[str, str]:
    value = clean(declared).split(";")[0].strip().lower()
    if not _CONTENT_TYPE.match(value) or value.startswith(("multipart/", "message/")):
        value = (mimetypes.guess_type(filename or "")[0] or "application/octet-stream").lower()
        if value.startswith(("multipart/", "message/")):
            value = "application/octet-stream"
    maintype, subtype = value.split("/", 1)
    return maintype, subtype
