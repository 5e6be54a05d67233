"""Images: text by OCR with ``pytesseract``, only when asked (``ocr=True``); OCR is slow and
optional (``pip install dossier[ocr]`` plus Debian ``tesseract-ocr``). Without OCR an image has
no text and no error; with OCR asked for but unavailable, the error says what is missing.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from dossier.corpus.ingest.extractors.errors import ExtractionError

if TYPE_CHECKING:
    from PIL.Image import Image

MIME_TYPES: frozenset[str] = frozenset()
MIME_PREFIXES = ("image/",)
MIME_SUFFIXES: tuple[str, ...] = ()
EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".gif", ".tif", ".tiff", ".bmp", ".webp"})

MAX_PIXELS = 50_000_000  # refuse decompression bombs


def extract(data: bytes, *, charset: str | None, ocr: bool) -> str:
    """OCR text of the image, or "" when OCR is off."""
    if not ocr:
        return ""
    try:
        import pytesseract
    except ImportError as exc:
        raise ExtractionError("OCR requested but pytesseract is not installed") from exc
    image = _open_image(data)
    try:
        return pytesseract.image_to_string(image)
    except pytesseract.TesseractNotFoundError as exc:
        raise ExtractionError("OCR requested but the tesseract program is not installed") from exc
    except (pytesseract.TesseractError, RuntimeError, OSError) as exc:
        raise ExtractionError(f"OCR failed: {exc}") from exc


def _open_image(data: bytes) -> Image:
    """The decoded image, refusing corrupt files and images over ``MAX_PIXELS``."""
    from PIL import Image

    try:
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_PIXELS:
            raise ExtractionError(f"image of {image.width}x{image.height} pixels is too large")
        image.load()
    except ExtractionError:
        raise
    except Exception as exc:  # Pillow raises UnidentifiedImageError, OSError, DecompressionBomb
        raise ExtractionError(f"image cannot be decoded: {exc}") from exc
    return image
