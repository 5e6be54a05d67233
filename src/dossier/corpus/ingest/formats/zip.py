"""Zip archives: every member is detected like a file and read; containers inside are recursed into.

A nested container (mbox, zip, msg, pst) is copied, streaming, to a temporary file (never under its
member name: names are not trusted as paths) and read from there; the file is deleted afterwards.
Guards, each giving a failure record for the member: encrypted, declared size over 2 GiB,
compression ratio over 1000:1, entries overlapping in the archive ("overlapping files" zip bombs),
nesting deeper than ``MAX_DEPTH``; corrupt data (bad CRC, truncation) fails while reading. zipfile
never inflates past the declared size, so the size guard bounds every read.
Position: the member name; ``!`` and the inner position for members of nested containers.
"""

from __future__ import annotations

import lzma
import os
import shutil
import tempfile
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from dossier.corpus.ingest.formats.base import HEAD_SIZE, MAX_DEPTH, Origin, describe, is_ignored
from dossier.corpus.ingest.types import Member

NAME = "zip"
EXTENSIONS = (".zip",)
MIME_TYPES = ("application/zip", "application/x-zip-compressed", "application/x-zip")
MAX_MEMBER_SIZE = 2 * 1024**3
MAX_RATIO = 1000

READ_ERRORS = (
    zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, OSError, ValueError,
    NotImplementedError,  # unsupported compression method
    RuntimeError,  # zipfile's "password required"
)  # fmt: skip


def sniff(head: bytes, mime: str) -> bool:
    # libmagic tells a plain zip from the zip-based office formats (docx, xlsx, odt, epub ...).
    return head.startswith((b"PK\x03\x04", b"PK\x05\x06")) and mime in MIME_TYPES


def read(path: Path, origin: Origin) -> Iterator[Member]:
    try:
        archive = zipfile.ZipFile(path)
    except READ_ERRORS as exc:
        yield origin.failure(NAME, "", f"cannot open zip: {describe(exc)}")
        return
    with archive:
        infos = archive.infolist()
        overlapping = _overlapping(infos)
        seen: Counter[str] = Counter()
        for info in infos:
            if info.is_dir() or _ignored(info.filename):
                continue
            seen[info.filename] += 1
            n = seen[info.filename]
            position = info.filename if n == 1 else f"{info.filename}#{n}"
            refusal = _refusal(info, overlapping)
            if refusal:
                yield origin.failure(NAME, position, refusal)
            else:
                yield from _member(archive, info, position, origin)


def _ignored(name: str) -> bool:
    parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".", "..")]
    return any(is_ignored(p) or p == "__MACOSX" for p in parts)


def _refusal(info: zipfile.ZipInfo, overlapping: set[int]) -> str:
    if info.flag_bits & 0x1:
        return "encrypted member (password required)"
    if info.file_size > MAX_MEMBER_SIZE:
        return f"member too large: {info.file_size} bytes declared (limit {MAX_MEMBER_SIZE})"
    if info.file_size and info.file_size > MAX_RATIO * info.compress_size:
        ratio = info.file_size / max(info.compress_size, 1)
        return f"compression ratio {ratio:.0f}:1 over {MAX_RATIO}:1 (zip bomb guard)"
    if info.header_offset in overlapping:
        return "member overlaps another in the archive (zip bomb guard)"
    return ""


def _overlapping(infos: list[zipfile.ZipInfo]) -> set[int]:
    """Header offsets of members whose data runs into the next member's local header."""
    ordered = sorted(infos, key=lambda i: i.header_offset)
    bad: set[int] = set()
    for prev, cur in zip(ordered, ordered[1:], strict=False):
        if prev.header_offset + 30 + prev.compress_size > cur.header_offset:
            bad.update((prev.header_offset, cur.header_offset))
    return bad


def _member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, position: str, origin: Origin
) -> Iterator[Member]:
    from dossier.corpus.ingest.formats import detect  # detect imports this module

    name = PurePosixPath(info.filename).name
    try:
        with archive.open(info) as f:
            head = f.read(HEAD_SIZE)
        if not head:
            yield origin.failure(NAME, position, "empty file")
            return
        found = detect.detect_head(head, name)
        if found.format == "eml":
            with archive.open(info) as f:
                yield origin.message("eml", position, f.read())
            return
    except READ_ERRORS as exc:
        yield origin.failure(NAME, position, f"cannot read member: {describe(exc)}")
        return
    if found.format is None:
        yield origin.failure(NAME, position, found.reason(name))
    elif origin.depth >= MAX_DEPTH:
        yield origin.failure(NAME, position, f"containers nested deeper than {MAX_DEPTH} levels")
    else:
        yield from _nested(archive, info, found.format, position, origin)


def _nested(archive, info, fmt: str, position: str, origin: Origin) -> Iterator[Member]:
    from dossier.corpus.ingest.registry import FORMATS

    fd, tmp = tempfile.mkstemp(prefix="dossier-", suffix=f".{fmt}")
    try:
        try:
            with os.fdopen(fd, "wb") as out, archive.open(info) as f:
                shutil.copyfileobj(f, out, 1 << 20)
        except READ_ERRORS as exc:
            yield origin.failure(NAME, position, f"cannot read member: {describe(exc)}")
            return
        yield from FORMATS[fmt].read(Path(tmp), origin.nested(position))
    finally:
        os.unlink(tmp)
