"""Test helper: writes Outlook .msg files (MS-OXMSG) in a minimal OLE compound file (MS-CFB v3).

Nothing in Python writes .msg files, and the public samples are few; this builds small ones with
exactly the properties a test needs. Only what readers check is written: 512-byte sectors, a mini
stream for streams under 4096 bytes, one FAT listed in the header (files up to ~7 MB), directory
siblings as a binary search tree (all nodes black: readers do not check colours).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from datetime import UTC, datetime

SECTOR, MINI, CUTOFF = 512, 64, 4096
ENDOFCHAIN, FREESECT, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
OUTLOOK_CLSID = bytes.fromhex("0B0D020000000000C000000000000046")  # {00020D0B-...-46}
PT_LONG, PT_TIME, PT_UNICODE, PT_BINARY = 0x0003, 0x0040, 0x001F, 0x0102

Tree = dict  # name -> bytes (a stream) or Tree (a storage)


# --- MS-CFB -----------------------------------------------------------------------------------


@dataclass
class _Entry:
    name: str
    kind: int  # 1 storage, 2 stream, 5 root
    data: bytes = b""
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    start: int = ENDOFCHAIN
    clsid: bytes = bytes(16)

    def pack(self) -> bytes:
        name = self.name.encode("utf-16-le")
        return struct.pack(
            "<64sHBBIII16sI8x8xIQ", name, len(name) + 2, self.kind, 1, self.left, self.right,
            self.child, self.clsid, 0, self.start, len(self.data),
        )  # fmt: skip


def _sectors(data: bytes, size: int) -> int:
    return -(-len(data) // size)


def _pad(data: bytes, size: int) -> bytes:
    return data + bytes(-len(data) % size)


def write_cfb(tree: Tree, clsid: bytes = bytes(16)) -> bytes:
    entries = [_Entry("Root Entry", 5, clsid=clsid)]

    def add(parent: int, items: Tree) -> None:
        ids = []
        for name, value in items.items():
            entries.append(_Entry(name, 1 if isinstance(value, dict) else 2,
                                  b"" if isinstance(value, dict) else value))  # fmt: skip
            ids.append(len(entries) - 1)
            if isinstance(value, dict):
                add(len(entries) - 1, value)
        ids.sort(key=lambda i: (len(entries[i].name), entries[i].name.upper()))
        entries[parent].child = tree_of(ids)

    def tree_of(ids: list[int]) -> int:
        if not ids:
            return NOSTREAM
        mid = len(ids) // 2
        entries[ids[mid]].left, entries[ids[mid]].right = (
            tree_of(ids[:mid]),
            tree_of(ids[mid + 1 :]),
        )
        return ids[mid]

    add(0, tree)
    streams = [e for e in entries if e.kind == 2 and e.data]
    small = [e for e in streams if len(e.data) < CUTOFF]
    big = [e for e in streams if len(e.data) >= CUTOFF]

    mini_stream, minifat = b"", []
    for e in small:
        e.start, n = len(mini_stream) // MINI, _sectors(e.data, MINI)
        minifat += [e.start + k + 1 for k in range(n - 1)] + [ENDOFCHAIN]
        mini_stream += _pad(e.data, MINI)
    minifat_bytes = _pad(struct.pack(f"<{len(minifat)}I", *minifat), SECTOR) if minifat else b""
    directory = _pad(b"".join(e.pack() for e in entries), SECTOR)
    chains = [directory, minifat_bytes, _pad(mini_stream, SECTOR)] + [
        _pad(e.data, SECTOR) for e in big
    ]
    n_data = sum(_sectors(c, SECTOR) for c in chains)
    n_fat = 1
    while n_fat * 128 < n_data + n_fat:
        n_fat += 1
    assert n_fat <= 109, "test files stay small"

    fat, starts, body = [], [], b""
    for chain in chains:
        n = _sectors(chain, SECTOR)
        starts.append(len(fat) if n else ENDOFCHAIN)
        fat += [len(fat) + k + 1 for k in range(n - 1)] + ([ENDOFCHAIN] if n else [])
        body += chain
    fat_start = len(fat)
    fat += [FATSECT] * n_fat
    fat += [FREESECT] * (n_fat * 128 - len(fat))

    entries[0].start = starts[2]
    entries[0].data = bytes(len(mini_stream))  # only its length is packed
    for e, start in zip(big, starts[3:], strict=True):
        e.start = start
    directory = _pad(b"".join(e.pack() for e in entries), SECTOR)  # again, with the starts
    body = directory + body[len(directory) :]

    difat = [fat_start + k for k in range(n_fat)] + [FREESECT] * (109 - n_fat)
    header = struct.pack(
        "<8s16sHHHHH6xIIIIIIIII109I", bytes.fromhex("D0CF11E0A1B11AE1"), bytes(16), 0x3E, 3,
        0xFFFE, 9, 6, 0, n_fat, starts[0], 0, CUTOFF, starts[1] if minifat else ENDOFCHAIN,
        _sectors(minifat_bytes, SECTOR), ENDOFCHAIN, 0, *difat,
    )  # fmt: skip
    return header + body + struct.pack(f"<{len(fat)}I", *fat)


# --- MS-OXMSG ---------------------------------------------------------------------------------


@dataclass
class MsgObject:
    """A message, recipient or attachment: its properties {id: value} and children."""

    props: dict[int, object] = field(default_factory=dict)
    recipients: list[MsgObject] = field(default_factory=list)
    attachments: list[MsgObject] = field(default_factory=list)
    embedded: MsgObject | None = None  # for an attachment holding a message


def _filetime(value: datetime) -> int:
    return int((value - datetime(1601, 1, 1, tzinfo=UTC)).total_seconds() * 10_000_000)


def _storage(obj: MsgObject, header: bytes) -> Tree:
    tree: Tree = {}
    records = b""
    for pid, value in obj.props.items():
        if isinstance(value, str):
            data = value.encode("utf-16-le")
            tree[f"__substg1.0_{pid:04X}{PT_UNICODE:04X}"] = data
            records += struct.pack("<HHIII", PT_UNICODE, pid, 6, len(data) + 2, 0)
        elif isinstance(value, bytes):
            tree[f"__substg1.0_{pid:04X}{PT_BINARY:04X}"] = value
            records += struct.pack("<HHIII", PT_BINARY, pid, 6, len(value), 0)
        elif isinstance(value, datetime):
            records += struct.pack("<HHIQ", PT_TIME, pid, 6, _filetime(value))
        else:
            records += struct.pack("<HHIiI", PT_LONG, pid, 6, int(value), 0)
    tree["__properties_version1.0"] = header + records
    for i, r in enumerate(obj.recipients):
        tree[f"__recip_version1.0_#{i:08X}"] = _storage(r, bytes(8))
    for i, a in enumerate(obj.attachments):
        tree[f"__attach_version1.0_#{i:08X}"] = _storage(a, bytes(8))
    if obj.embedded is not None:
        tree["__substg1.0_3701000D"] = _storage(obj.embedded, _message_header(obj.embedded, 24))
    return tree


def _message_header(obj: MsgObject, size: int) -> bytes:
    n_r, n_a = len(obj.recipients), len(obj.attachments)
    return struct.pack("<8xIIII", n_r, n_a, n_r, n_a) + bytes(size - 24)


def write_msg(message: MsgObject) -> bytes:
    tree = _storage(message, _message_header(message, 32))
    tree["__nameid_version1.0"] = {
        f"__substg1.0_{n:04X}0102": b"" for n in (0x0002, 0x0003, 0x0004)
    }
    return write_cfb(tree, clsid=OUTLOOK_CLSID)
