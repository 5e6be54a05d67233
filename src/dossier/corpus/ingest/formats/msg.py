"""Outlook .msg files (an OLE compound file of one message's MAPI properties), via python-oxmsg.

The message is rebuilt as RFC 822 bytes by ``outlook.py``; messages attached to it become
message/rfc822 parts. An attachment that cannot be read is left out of the message and reported as
its own failure (position ``attachment/N``), so the rest of the message is kept. Position: "".
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from olefile import OleFileIO
from oxmsg.properties import Properties
from oxmsg.storage import Storage

from dossier.corpus.ingest.formats import outlook
from dossier.corpus.ingest.formats.base import Origin, describe
from dossier.corpus.ingest.types import Member

NAME = "msg"
EXTENSIONS = (".msg",)
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
MIME_TYPES = (
    "application/vnd.ms-outlook",
    "application/x-ole-storage",  # what libmagic says when it only sees the first bytes
    "application/CDFV2",
    "application/CDFV2-corrupt",
)

# Where the property records start in each storage's __properties_version1.0 stream (MS-OXMSG 2.4)
TOP_HEADER, EMBEDDED_HEADER, CHILD_HEADER = 32, 24, 8
EMBEDDED_STORAGE = "__substg1.0_3701000D"


class _Props:
    """outlook.Props over python-oxmsg's property reader."""

    def __init__(self, storage: Storage, header: int):
        self._storage = storage
        self._p = Properties(storage, properties_header_offset=header)

    def text(self, pid: int) -> str:
        try:
            value = self._p.str_prop_value(pid) or ""
        except (UnicodeDecodeError, LookupError):  # broken UTF-16, or not the declared code page
            value = self._lenient(pid)
        except KeyError:  # a property whose stream is missing
            value = ""
        return value.rstrip("\x00")

    def _lenient(self, pid: int) -> str:
        for ptyp, codec in ((0x001F, "utf-16-le"), (0x001E, "cp1252")):
            try:
                return self._storage.property_stream_bytes(pid, ptyp).decode(codec, "replace")
            except KeyError:
                continue
        return ""

    def integer(self, pid: int) -> int | None:
        value = self._p.int_prop_value(pid)
        return value if isinstance(value, int) else None

    def binary(self, pid: int) -> bytes | None:
        return self._p.binary_prop_value(pid)

    def time(self, pid: int) -> datetime | None:
        value = self._p.date_prop_value(pid)
        return value if isinstance(value, datetime) else None


def sniff(head: bytes, mime: str) -> bool:
    return head.startswith(OLE_MAGIC) and mime in MIME_TYPES


def read(path: Path, origin: Origin) -> Iterator[Member]:
    problems: list[tuple[str, str]] = []
    try:
        with OleFileIO(str(path)) as ole:
            root = Storage.from_ole(ole)
        if not any(s.name == "__properties_version1.0" for s in root.streams):
            raise ValueError("no MAPI properties: not an Outlook item")
        data = _convert(root, TOP_HEADER, "", problems, depth=0)
    except Exception as exc:  # noqa: BLE001 - any library error on bad input is a failure record
        yield origin.failure(NAME, "", f"cannot read Outlook message: {describe(exc)}")
        return
    yield origin.message(NAME, "", data)
    for where, reason in problems:
        yield origin.failure(NAME, where, reason)


def _convert(storage: Storage, header: int, where: str, problems: list, depth: int) -> bytes:
    props = _Props(storage, header)
    recipients = [_Props(s, CHILD_HEADER) for s in storage.iter_recipient_storages()]
    message = outlook.message_from(props, recipients)
    for i, att_storage in enumerate(storage.iter_attachment_storages()):
        at = f"{where}attachment/{i}"
        try:
            message.attachments.append(_attachment(att_storage, at, problems, depth))
        except Exception as exc:  # noqa: BLE001
            problems.append((at, f"cannot read attachment: {describe(exc)}"))
    return outlook.to_rfc822(message)


def _attachment(
    storage: Storage, where: str, problems: list, depth: int
) -> outlook.OutlookAttachment:
    props = _Props(storage, CHILD_HEADER)
    embedded = next((s for s in storage.storages if s.name == EMBEDDED_STORAGE), None)
    if props.integer(outlook.PR_ATTACH_METHOD) == outlook.ATTACH_EMBEDDED_MSG and embedded:
        if depth >= outlook.MAX_EMBEDDING:
            raise ValueError(f"messages embedded deeper than {outlook.MAX_EMBEDDING} levels")
        inner = _convert(embedded, EMBEDDED_HEADER, f"{where}/", problems, depth + 1)
        return outlook.attachment_from(props, message=inner)
    return outlook.attachment_from(props, data=props.binary(outlook.PR_ATTACH_DATA) or b"")
