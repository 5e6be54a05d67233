"""PDF text with ``pypdfium2`` (fast, tolerant), falling back to ``pypdf`` when PDFium cannot
open the file. Text is NFKC-normalised so ligatures and compatibility forms become searchable
letters. Encrypted, corrupt and oversized PDFs raise ``ExtractionError``.
"""

from __future__ import annotations

import io
import logging
import unicodedata

import pypdfium2 as pdfium

from dossier.corpus.ingest.extractors.errors import MAX_TEXT_CHARS, ExtractionError

MIME_TYPES = frozenset({"application/pdf", "application/x-pdf", "application/acrobat"})
MIME_PREFIXES: tuple[str, ...] = ()
MIME_SUFFIXES: tuple[str, ...] = ()
EXTENSIONS = frozenset({".pdf"})
MAGIC = b"%PDF-"

MAX_PDF_BYTES = 200 * 1024 * 1024


def extract(data: bytes, *, charset: str | None, ocr: bool) -> str:
    """The text of every page, in order, until ``MAX_TEXT_CHARS`` is reached."""
    if len(data) > MAX_PDF_BYTES:
        raise ExtractionError(f"PDF of {len(data) // (1024 * 1024)} MB is over the 200 MB limit")
    try:
        pages = _pdfium_pages(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise ExtractionError("PDF is encrypted (password required)") from exc
        pages = _pypdf_pages(data, reason=str(exc))
    return unicodedata.normalize("NFKC", "\n\n".join(pages))


def _pdfium_pages(data: bytes) -> list[str]:
    pdf = pdfium.PdfDocument(data)
    try:
        pages, total = [], 0
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            text = textpage.get_text_bounded()
            textpage.close()
            page.close()
            pages.append(text)
            total += len(text)
            if total > MAX_TEXT_CHARS:
                break
        return pages
    finally:
        pdf.close()


def _pypdf_pages(data: bytes, *, reason: str) -> list[str]:
    """Second opinion from pypdf; raises ExtractionError naming both failures."""
    import pypdf

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # it warns on every damaged file
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ExtractionError("PDF is encrypted (password required)")
        pages, total = [], 0
        for page in reader.pages:
            text = page.extract_text() or ""
            pages.append(text)
            total += len(text)
            if total > MAX_TEXT_CHARS:
                break
        return pages
    except ExtractionError:
        raise
    except Exception as exc:  # pypdf raises many unrelated types on damaged files
        raise ExtractionError(f"PDF cannot be read ({reason}; pypdf: {exc})") from exc
