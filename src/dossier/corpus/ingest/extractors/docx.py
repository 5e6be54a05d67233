"""DOCX text with ``python-docx``: paragraphs and tables, in document order.

A DOCX is a zip; before opening it the declared sizes are checked so a zip bomb is refused
rather than inflated. Password-protected documents are OLE containers, not zips, and are
reported as encrypted.
"""

from __future__ import annotations

import io
import zipfile
from typing import TYPE_CHECKING

from dossier.corpus.ingest.extractors.errors import MAX_TEXT_CHARS, ExtractionError

if TYPE_CHECKING:
    from docx.table import Table

MIME_TYPES = frozenset(
    {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-word.document.macroenabled.12",
    }
)
MIME_PREFIXES: tuple[str, ...] = ()
MIME_SUFFIXES: tuple[str, ...] = ()
EXTENSIONS = frozenset({".docx", ".docm"})

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024


def extract(data: bytes, *, charset: str | None, ocr: bool) -> str:
    """Paragraph texts and table rows (cells joined by tabs), one per line."""
    _check_container(data)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors...
        raise ExtractionError(f"DOCX cannot be read: {exc.__class__.__name__}: {exc}") from exc
    lines: list[str] = []
    total = 0
    for block in document.iter_inner_content():
        text = _table_text(block) if hasattr(block, "rows") else block.text
        lines.append(text)
        total += len(text)
        if total > MAX_TEXT_CHARS:
            break
    return "\n".join(lines)


def _check_container(data: bytes) -> None:
    """Refuse encrypted documents and zips that would inflate past the limit."""
    if data.startswith(OLE_MAGIC):
        raise ExtractionError("DOCX is encrypted (or is a legacy .doc file)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ExtractionError(f"DOCX is corrupt (not a zip archive: {exc})") from exc
    if unzipped > MAX_UNZIPPED_BYTES:
        raise ExtractionError(f"DOCX would unzip to {unzipped} bytes, over the limit")


def _table_text(table: Table) -> str:
    """One line per row, cells joined by tabs; merged cells (python-docx repeats them) appear
    once, and line breaks inside a cell become spaces."""
    rows = []
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            if cell._tc is not previous:
                cells.append(cell.text.replace("\n", " "))
            previous = cell._tc
        rows.append("\t".join(cells))
    return "\n".join(rows)
