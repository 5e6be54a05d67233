"""Outlook .pst and .ost stores, via libpff (``pypff``): folders walked recursively, item by item.

Each mail item is rebuilt as RFC 822 bytes by ``outlook.py``. Items that are not mail (contacts,
calendar appointments, tasks, notes, journal entries, distribution lists) are skipped; meeting
requests and delivery reports are mail and are kept. A folder or item that cannot be read is a
failure record and the walk goes on; so is an attachment (position ``.../attachment/N``), the
message itself being kept. Position: the folder path from the store's root and the item's index
in its folder, e.g. ``Top of Personal Folders/Inbox/17`` ('/' in a folder name is written %2F;
a second sibling folder of the same name gets ``~2``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pypff

from dossier.corpus.ingest.formats import outlook
from dossier.corpus.ingest.formats.base import Origin, describe
from dossier.corpus.ingest.types import Member

NAME = "pst"
EXTENSIONS = (".pst", ".ost")
MAGIC = b"!BDN"
NOT_MAIL = ("IPM.Contact", "IPM.DistList", "IPM.Appointment", "IPM.Task", "IPM.StickyNote",
            "IPM.Activity")  # fmt: skip
_STRING, _STRING8, _BINARY, _TIME = 0x001F, 0x001E, 0x0102, 0x0040
_INTEGERS = (0x0002, 0x0003, 0x0014)


class _Props:
    """outlook.Props over one libpff record set."""

    def __init__(self, record_set):
        self._rs = record_set

    def _entry(self, pid: int, types: tuple[int, ...]):
        try:
            entry = self._rs.get_entry_by_type(pid)
        except OSError:
            return None
        return entry if entry is not None and entry.value_type in types else None

    def text(self, pid: int) -> str:
        entry = self._entry(pid, (_STRING, _STRING8))
        if entry is None:
            return ""
        try:
            value = entry.data_as_string or ""
        except (OSError, UnicodeError):  # libpff could not convert it: decode it ourselves
            codec = "utf-16-le" if entry.value_type == _STRING else "cp1252"
            value = (entry.data or b"").decode(codec, "replace").rstrip("\x00")
        if pid == outlook.PR_SUBJECT and value.startswith("\x01"):
            value = value[2:]  # a PST subject starts with \x01 and the length of its prefix
        return value

    def integer(self, pid: int) -> int | None:
        entry = self._entry(pid, _INTEGERS)
        return entry.data_as_integer if entry else None

    def binary(self, pid: int) -> bytes | None:
        entry = self._entry(pid, (_BINARY,))
        return entry.data if entry else None

    def time(self, pid: int) -> datetime | None:
        entry = self._entry(pid, (_TIME,))
        return entry.data_as_datetime if entry else None


def sniff(head: bytes, mime: str) -> bool:
    return head.startswith(MAGIC)


def read(path: Path, origin: Origin) -> Iterator[Member]:
    store = pypff.file()
    try:
        store.open(str(path))
        root = store.get_root_folder()
    except Exception as exc:  # noqa: BLE001 - libpff raises OSError or IOError on bad input
        yield origin.failure(NAME, "", f"cannot open Outlook store: {describe(exc)}")
        return
    try:
        yield from _folder(root, "", origin)
    finally:
        store.close()


def _folder(folder, path: str, origin: Origin) -> Iterator[Member]:
    try:
        n_items, n_folders = folder.number_of_sub_messages, folder.number_of_sub_folders
    except Exception as exc:  # noqa: BLE001
        yield origin.failure(NAME, path, f"cannot read folder: {describe(exc)}")
        return
    for i in range(n_items):
        yield from _item(folder, i, f"{path}/{i}" if path else str(i), origin)
    names: Counter[str] = Counter()
    for j in range(n_folders):
        try:
            sub = folder.get_sub_folder(j)
            name = (sub.name or "").replace("%", "%25").replace("/", "%2F") or f"folder-{j}"
        except Exception as exc:  # noqa: BLE001
            where = f"{path}/folder-{j}" if path else f"folder-{j}"
            yield origin.failure(NAME, where, f"cannot read folder: {describe(exc)}")
            continue
        names[name] += 1
        if names[name] > 1:
            name = f"{name}~{names[name]}"
        yield from _folder(sub, f"{path}/{name}" if path else name, origin)


def _item(folder, index: int, position: str, origin: Origin) -> Iterator[Member]:
    problems: list[tuple[str, str]] = []
    try:
        item = folder.get_sub_message(index)
        props = _Props(item.get_record_set(0))
        if not _is_mail(props.text(outlook.PR_MESSAGE_CLASS)):
            return
        data = _convert(item, props, position, problems, depth=0)
    except Exception as exc:  # noqa: BLE001
        yield origin.failure(NAME, position, f"cannot read message: {describe(exc)}")
        return
    yield origin.message(NAME, position, data)
    for where, reason in problems:
        yield origin.failure(NAME, where, reason)


def _is_mail(message_class: str) -> bool:
    cls = message_class.lower()
    return not any(cls == c.lower() or cls.startswith(c.lower() + ".") for c in NOT_MAIL)


def _convert(item, props: _Props, where: str, problems: list, depth: int) -> bytes:
    recipients = item.recipients
    n = recipients.number_of_record_sets if recipients is not None else 0
    message = outlook.message_from(props, [_Props(recipients.get_record_set(k)) for k in range(n)])
    for k in range(item.number_of_attachments):
        at = f"{where}/attachment/{k}"
        try:
            message.attachments.append(_attachment(item.get_attachment(k), at, problems, depth))
        except Exception as exc:  # noqa: BLE001
            problems.append((at, f"cannot read attachment: {describe(exc)}"))
    return outlook.to_rfc822(message)


def _attachment(att, where: str, problems: list, depth: int) -> outlook.OutlookAttachment:
    props = _Props(att.get_record_set(0))
    if props.integer(outlook.PR_ATTACH_METHOD) == outlook.ATTACH_EMBEDDED_MSG:
        if depth >= outlook.MAX_EMBEDDING:
            raise ValueError(f"messages embedded deeper than {outlook.MAX_EMBEDDING} levels")
        inner = att.get_sub_item(0)  # libpff exposes the embedded message as the sub-item
        inner_props = _Props(inner.get_record_set(0))
        data = _convert(inner, inner_props, where, problems, depth + 1)
        return outlook.attachment_from(props, message=data)
    size = att.size or 0
    return outlook.attachment_from(props, data=att.read_buffer(size) if size else b"")
