"""Writing messages to disk: an mboxrd file, a Maildir++ with a Sent folder, loose .eml files in
nested folders and a zip holding .eml files and a small mbox, plus the members that must fail.

``Tally`` counts every member as it is written, so the manifest never estimates."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from dossier.demo.attachments import FIXED_ZIP_TIME
from dossier.demo.compose import Mail
from dossier.demo.manifest import has_header

MBOX = "firm-archive.mbox"
MAILDIR = "analyst-maildir"
LOOSE = "loose"
ZIP = "attachments.zip"
_FROM_LINE = re.compile(rb"^(>*From )", re.MULTILINE)

MBOX_JUNK = (
    b"This archive segment was truncated by the export tool\n"
    b"and the original message could not be recovered\n"
)
LOOSE_PROSE = (
    b"Notes from the call with the Monterrey office\n\n"
    b"They want the quarterly report by Friday and a shorter summary\n"
    b"Ask Joan about the invoice before sending anything\n"
)


@dataclass
class Tally:
    """Members written: those that parse and those that must fail, each checked by the rule."""

    members: int = 0
    failures: int = 0

    def good(self, data: bytes) -> None:
        """Count a member that must parse (checked against the rule)."""
        if not has_header(data):
            raise ValueError("a message member would fail to parse")
        self.members += 1

    def bad(self, data: bytes) -> None:
        """Count a member that must fail (checked against the rule)."""
        if has_header(data):
            raise ValueError("a member meant to fail would parse")
        self.failures += 1


def from_line(mail: Mail) -> bytes:
    """The mbox separator line: envelope sender and asctime-style UTC date."""
    d = mail.date
    stamp = f"{d:%a %b} {d.day:2d} {d:%H:%M:%S %Y}"
    return f"From {mail.sender or 'MAILER-DAEMON'} {stamp}\n".encode("ascii")


def mbox_bytes(items: list[tuple[bytes, bytes]]) -> bytes:
    """mboxrd: each ``(from_line, message)`` with ``>*From `` lines escaped by one more ``>``."""
    out = io.BytesIO()
    for line, data in items:
        body = _FROM_LINE.sub(rb">\1", data)
        out.write(line + body + (b"" if body.endswith(b"\n") else b"\n") + b"\n")
    return out.getvalue()


def write_mbox(path: Path, mails: list[Mail], tally: Tally, junk_at: int | None) -> None:
    """Mails in order, with a headerless member (a failure) before position ``junk_at``."""
    items = []
    for index, mail in enumerate(mails):
        if index == junk_at:
            items.append((b"From MAILER-DAEMON Sat Jan  1 00:00:00 2011\n", MBOX_JUNK))
            tally.bad(MBOX_JUNK)
        items.append((from_line(mail), mail.raw))
        tally.good(mail.raw)
    path.write_bytes(mbox_bytes(items))


def maildir_name(mail: Mail, flags: str | None) -> str:
    """A Maildir file name: time, sequence, host, and ``:2,<flags>`` unless new."""
    base = f"{int(mail.date.timestamp())}.M{mail.seq * 37 % 1000000:06d}P{4100 + mail.seq % 900}"
    base += f"Q{mail.seq}.analyst-ws"
    return base if flags is None else f"{base}:2,{flags}"


def write_maildir(root: Path, inbox: list[Mail], sent: list[Mail], tally: Tally) -> None:
    """A Maildir++: INBOX in ``cur``/``new``, a ``.Sent`` folder, one empty and one blank file."""
    for folder in (root, root / ".Sent"):
        for sub in ("cur", "new", "tmp"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
    (root / ".Sent" / "maildirfolder").write_bytes(b"")
    for n, mail in enumerate(inbox):
        flags = None if n % 10 == 9 else ("S", "RS", "FS", "S", "")[n % 5]
        sub = "new" if flags is None else "cur"
        (root / sub / maildir_name(mail, flags)).write_bytes(mail.raw)
        tally.good(mail.raw)
    for mail in sent:
        (root / ".Sent" / "cur" / maildir_name(mail, "S")).write_bytes(mail.raw)
        tally.good(mail.raw)
    (root / "cur" / "1296000000.M000001P4000Q0.analyst-ws:2,S").write_bytes(b"")
    tally.bad(b"")
    (root / ".Sent" / "new" / "1300000000.M000002P4000Q0.analyst-ws").write_bytes(b"\n \n\t\n")
    tally.bad(b"\n \n\t\n")


def slug(subject: str) -> str:
    """A file-name fragment from a subject (ASCII words only)."""
    words = re.findall(r"[a-z0-9]+", subject.lower())
    return "-".join(words[:6]) or "message"


def eml_name(mail: Mail) -> str:
    """``<year>/<sequence>-<slug>.eml``."""
    return f"{mail.date:%Y}/{mail.seq:05d}-{slug(mail.subject)}.eml"


def write_loose(root: Path, mails: list[tuple[str, Mail]], tally: Tally) -> None:
    """Each ``(folder, mail)`` as ``loose/<folder>/<year>/<n>-<slug>.eml``; every fourth in CRLF."""
    for folder, mail in mails:
        path = root / folder / eml_name(mail)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = mail.raw.replace(b"\n", b"\r\n") if mail.seq % 4 == 0 else mail.raw
        path.write_bytes(data)
        tally.good(data)
    junk = root / "misc" / "call-notes-not-mail.eml"
    junk.parent.mkdir(parents=True, exist_ok=True)
    junk.write_bytes(LOOSE_PROSE)
    tally.bad(LOOSE_PROSE)


def garbage(seed_text: str) -> bytes:
    """Printable junk with no header line (a corrupted export)."""
    letters = "".join(c for c in seed_text.lower() if c.isalpha() or c == " ")
    return (letters[:300] + "\n" + letters[300:600] + "\n").encode("ascii", "ignore")


def write_zip(path: Path, emls: list[Mail], mbox_mails: list[Mail], tally: Tally) -> None:
    """``exports/*.eml``, ``exports/old-archive.mbox`` and one corrupt member, fixed dates."""
    members: dict[str, bytes] = {}
    for mail in emls:
        members[f"exports/{mail.seq:05d}-{slug(mail.subject)}.eml"] = mail.raw
        tally.good(mail.raw)
    for mail in mbox_mails:
        tally.good(mail.raw)
    members["exports/old-archive.mbox"] = mbox_bytes([(from_line(m), m.raw) for m in mbox_mails])
    junk = garbage(" ".join(m.plain for m in mbox_mails[:3]) or "corrupt")
    members["exports/corrupt-0001.eml"] = junk
    tally.bad(junk)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(members):
            archive.writestr(
                zipfile.ZipInfo(name, FIXED_ZIP_TIME),
                members[name],
                compress_type=zipfile.ZIP_DEFLATED,
            )
