"""Attachment text extraction: one module per document format behind a small registry.

Each format module declares what it handles (``MIME_TYPES``, ``MIME_PREFIXES``,
``MIME_SUFFIXES``, ``EXTENSIONS``) and offers ``extract(data, *, charset, ocr) -> str``. Adding a
format is adding a module to ``FORMATS``. The format is chosen by the PDF signature first (mail
often sends PDFs as ``application/octet-stream``), then by content type, then by file extension;
unknown binary types have no text and no error.
"""

from __future__ import annotations

import posixpath
from types import ModuleType

from dossier.corpus.ingest.extractors import docx, html, image, pdf, text
from dossier.corpus.ingest.extractors.errors import MAX_TEXT_CHARS, ExtractionError

__all__ = ["FORMATS", "MAX_TEXT_CHARS", "ExtractionError", "extract_text", "find_format"]

FORMATS: tuple[ModuleType, ...] = (pdf, docx, html, image, text)


def extract_text(data: bytes, content_type: str, filename: str, *, ocr: bool) -> str:
    """The searchable text of an attachment ("" for formats without text).

    ``content_type`` may carry parameters (``text/plain; charset=koi8-r``). Raises
    ``ExtractionError`` when a document cannot be read (encrypted, corrupt, too big)."""
    mime, charset = _split_content_type(content_type)
    module = find_format(data, mime, filename)
    if module is None:
        return ""
    found = module.extract(data, charset=charset, ocr=ocr)
    return clean_text(found[:MAX_TEXT_CHARS])


def find_format(data: bytes, mime: str, filename: str) -> ModuleType | None:
    """The module that extracts this attachment, or None for unknown (binary) formats."""
    if data.startswith(pdf.MAGIC):
        return pdf
    for module in FORMATS:
        if (
            mime in module.MIME_TYPES
            or mime.startswith(module.MIME_PREFIXES)
            or mime.endswith(module.MIME_SUFFIXES)
        ):
            return module
    extension = posixpath.splitext(filename.lower())[1]
    for module in FORMATS:
        if extension in module.EXTENSIONS:
            return module
    return None


def clean_text(found: str) -> str:
    """Newlines normalised to ``\\n``; NULs and a leading byte-order mark removed."""
    found = found.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return found[1:] if found.startswith("\ufeff") else found


def _split_content_type(content_type: str) -> tuple[str, str | None]:
    """``("text/plain", "koi8-r")`` from ``"Text/Plain; charset=\\"koi8-r\\""``."""
    mime, _, params = content_type.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return mime.strip().lower(), charset
