"""What the page views share: the client address for the audit log, and download responses."""

from __future__ import annotations

import re
import unicodedata

from django.http import HttpResponse
from django.utils.http import content_disposition_header

# Served with their own type; anything else is application/octet-stream. Always as a download.
SAFE_TYPES = frozenset(
    {"application/pdf", "image/png", "image/jpeg", "image/gif", "text/plain", "text/csv"}
)
_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f-\x9f"\\/:*?<>|;]+')
DOWNLOAD_CSP = "default-src 'none'; sandbox"


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or ""


def safe_filename(name: str, fallback: str = "attachment") -> str:
    """A file name fit for Content-Disposition: no path, no controls, no quotes, not too long."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_NAME.sub("_", name).strip(" ._")
    if len(name) > 150:
        stem, dot, ext = name.rpartition(".")
        name = (stem[:140] + dot + ext[:9]) if dot and len(ext) < 10 else name[:150]
    return name or fallback


def download(data: bytes, filename: str, content_type: str = "") -> HttpResponse:
    """``data`` as an attachment download that no browser will render or sniff."""
    kind = (content_type or "").split(";")[0].strip().lower()
    response = HttpResponse(
        data, content_type=kind if kind in SAFE_TYPES else "application/octet-stream"
    )
    response["Content-Disposition"] = content_disposition_header(True, safe_filename(filename))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = DOWNLOAD_CSP
    response["Cache-Control"] = "private, no-store"
    return response
