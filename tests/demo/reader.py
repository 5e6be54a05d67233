"""An independent reader for the sample corpus: the stdlib (``mailbox``, ``email``, ``zipfile``),
pypdf and python-docx only, sharing no code with ``dossier.demo``, so the tests re-count the
manifest from the files alone."""

from __future__ import annotations

import email
import email.policy
import hashlib
import io
import mailbox
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import getaddresses
from pathlib import Path

import docx
import pypdf

HEADER = re.compile(rb"^[\x21-\x39\x3b-\x7e]+:")
PREFIX = re.compile(r"^\s*(?:(?:re|fwd?|fw|aw|sv)\s*(?:\[\d+\])?\s*:\s*)+", re.IGNORECASE)
TOKEN = re.compile(r"[^\W_]+")


@dataclass
class Member:
    where: str
    data: bytes


def split_mboxrd(data: bytes) -> list[bytes]:
    """Members of an mboxrd file, ``>From `` unescaped, without the separating blank line."""
    chunks: list[list[bytes]] = []
    for line in data.split(b"\n")[:-1]:
        if line.startswith(b"From "):
            chunks.append([])
            continue
        chunks[-1].append(re.sub(rb"^>(>*From )", rb"\1", line))
    return [b"\n".join(lines[:-1]) + b"\n" for lines in chunks]


def read_members(root: Path) -> Iterator[Member]:
    mbox = (root / "firm-archive.mbox").read_bytes()
    for n, data in enumerate(split_mboxrd(mbox)):
        yield Member(f"mbox:{n}", data)
    maildir = mailbox.Maildir(root / "analyst-maildir", factory=None, create=False)
    for folder, box in (("INBOX", maildir), ("Sent", maildir.get_folder("Sent"))):
        for key in sorted(box.keys()):
            yield Member(f"maildir:{folder}:{key}", box.get_bytes(key))
    for path in sorted((root / "loose").rglob("*.eml")):
        yield Member(f"loose:{path.relative_to(root)}", path.read_bytes())
    with zipfile.ZipFile(root / "attachments.zip") as archive:
        for name in archive.namelist():
            data = archive.read(name)
            if name.endswith(".mbox"):
                for n, inner in enumerate(split_mboxrd(data)):
                    yield Member(f"zip:{name}:{n}", inner)
            else:
                yield Member(f"zip:{name}", data)


def parses(data: bytes) -> bool:
    """The stated rule: not blank, and a ``Field-Name: value`` line before the first blank line."""
    if not data.strip():
        return False
    for line in data.replace(b"\r\n", b"\n").split(b"\n"):
        if not line.strip():
            return False
        if HEADER.match(line):
            return True
    return False


def parse(data: bytes) -> EmailMessage:
    return email.message_from_bytes(data, policy=email.policy.default)


def message_id(data: bytes) -> str:
    return str(parse(data).get("Message-ID", "")).strip().strip("<>").lower()


def identity(data: bytes) -> str:
    mid = message_id(data)
    return (
        "mid:" + mid if mid else "raw:" + hashlib.sha256(data.replace(b"\r\n", b"\n")).hexdigest()
    )


def ids(msg: EmailMessage, name: str) -> list[str]:
    return [i.lower() for i in re.findall(r"<([^>]+)>", str(msg.get(name, "")))]


def leaves(part: EmailMessage) -> Iterator[EmailMessage]:
    """Leaf parts, treating a message/rfc822 part as a leaf (its insides are not ours)."""
    if part.is_multipart() and part.get_content_type().startswith("multipart/"):
        for sub in part.iter_parts():
            yield from leaves(sub)
    else:
        yield part


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def searchable(msg: EmailMessage) -> str:
    """Subject, addresses, text parts and attachment text (PDF, DOCX, text)."""
    texts = [str(msg.get("Subject", ""))]
    for name in ("From", "To", "Cc"):
        texts += [f"{n} {a}" for n, a in getaddresses([str(msg.get(name, ""))])]
    for part in leaves(msg):
        ctype, attached = part.get_content_type(), part.get_content_disposition() == "attachment"
        if ctype == "text/plain" or (attached and ctype.startswith("text/")):
            texts.append(part.get_content())
        elif ctype == "application/pdf":
            texts.append(pdf_text(part.get_payload(decode=True)))
        elif ctype.endswith("wordprocessingml.document"):
            document = docx.Document(io.BytesIO(part.get_payload(decode=True)))
            texts += [p.text for p in document.paragraphs]
    return "\n".join(texts)


def pdf_text(data: bytes) -> str:
    """The text of a PDF, or "" for the deliberately broken one."""
    try:
        return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    except pypdf.errors.PyPdfError:
        return ""


def matches(text: str, query: str) -> bool:
    words = [t.casefold() for t in TOKEN.findall(text)]
    phrase = [t.casefold() for t in TOKEN.findall(query)]
    return any(words[i : i + len(phrase)] == phrase for i in range(len(words)))


def bodies(msg: EmailMessage) -> str:
    """Decoded text of every text/plain and text/html leaf."""
    return "\n".join(p.get_content() for p in leaves(msg) if p.get_content_maintype() == "text")


def raw_of(members: list[Member]) -> list[bytes]:
    return [m.data for m in members if parses(m.data)]


def attachments_of(msgs, ctype: str) -> list[bytes]:
    return [
        p.get_payload(decode=True)
        for m in msgs
        for p in m.walk()
        if p.get_content_disposition() == "attachment" and p.get_content_type() == ctype
    ]


def count_threads(unique: dict[str, EmailMessage]) -> int:
    """Threads by the stated rule, messages in input order."""
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        parent.setdefault(key, key)
        while parent[key] != key:
            key = parent[key]
        return key

    first: dict[str, str] = {}
    for key, msg in unique.items():
        find(key)
        for ref in ids(msg, "Message-ID") + ids(msg, "In-Reply-To") + ids(msg, "References"):
            parent[find(key)] = find("mid:" + ref)
        subject = " ".join(str(msg.get("Subject", "")).split())
        stripped = " ".join(PREFIX.sub("", subject).split()).casefold()
        linked = msg.get("In-Reply-To") or msg.get("References")
        if stripped != subject.casefold() and not linked and stripped in first:
            parent[find(key)] = find(first[stripped])
        first.setdefault(stripped, key)
    return len({find(key) for key in unique})
