"""The extraction error and the limits every extractor shares."""

from __future__ import annotations

from dossier.errors import DossierError

MAX_TEXT_CHARS = 5 * 1024 * 1024  # extracted text kept per attachment (characters)


class ExtractionError(DossierError):
    """An attachment's text cannot be extracted (encrypted, corrupt, too big, OCR unavailable).

    The parser stores the message as ``text_error``; the message itself still parses."""
