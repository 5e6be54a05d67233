"""Attachment files: PDFs (reportlab), DOCX (python-docx), CSV, plain text and a PNG.

Each document has distinctive text so attachment search has something to find. Rendered bytes
are deterministic: reportlab runs in invariant mode and DOCX zips are re-packed with fixed times.
Documents are rendered once per ``Catalog`` and reused.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib
from dataclasses import dataclass
from datetime import datetime

FIXED_ZIP_TIME = (2011, 6, 1, 9, 0, 0)
MEMO_PHRASE = "plaza accounting ledger"


@dataclass(frozen=True)
class Attachment:
    """One file to attach: its name, MIME type, bytes and extractable text."""

    filename: str
    content_type: str
    data: bytes
    text: str  # what text extraction should find ("" for images)


PDFS: dict[str, tuple[str, list[str]]] = {
    "memo": (
        "memo-monterrey-review.pdf",
        [
            "MEMORANDUM - Monterrey field review",
            "To: Latin America desk    From: Finance",
            f"Subject: discrepancies found in the {MEMO_PHRASE}",
            "The auditors traced three payments to a logistics company with no employees.",
            "Cash withdrawals cluster in the week before each shipment leaves the port.",
            "Recommendation: suspend the vendor and re-interview the warehouse manager.",
        ],
    ),
    "threat": (
        "threat-assessment-northern-corridor.pdf",
        [
            "Threat Assessment: Northern Corridor Freight Routes",
            "Prepared for Castellan Shipping by Halvorsen Strategic Analysis",
            "Cargo theft on the Monterrey to Nuevo Laredo highway rose through the quarter.",
            "Drivers report improvised checkpoints staffed by armed men in civilian clothes.",
            "Convoys should travel in daylight and avoid the toll-free road after dusk.",
        ],
    ),
    "travel": (
        "travel-security-brief-caracas.pdf",
        [
            "Travel Security Brief: Caracas",
            "Use pre-arranged transport from Maiquetia airport only.",
            "Express kidnappings remain common in the eastern districts.",
            "Carry a second wallet with small bills; keep the passport in the hotel safe.",
        ],
    ),
}
DOCXS: dict[str, tuple[str, list[str]]] = {
    "minutes": (
        "board-minutes-september.docx",
        [
            "Minutes of the September board meeting",
            "Present: the directors, the finance officer and the secretary.",
            "The board approved the lighthouse subscription tier for corporate clients.",
            "The next meeting will review the Eurasia desk budget.",
        ],
    ),
    "guidelines": (
        "source-handling-guidelines-draft.docx",
        [
            "Source handling guidelines (draft for comment)",
            "Every source receives a code; the code alone travels in email.",
            "Handlers grade source reliability A to F and each item 1 to 6.",
            "Never write a true name in an insight; use the attribution wording.",
        ],
    ),
}


class Catalog:
    """Renders attachments on first use and keeps the bytes for reuse."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._cache: dict[str, Attachment] = {}

    def document(self, key: str) -> Attachment:
        """A PDF or DOCX by key (see ``PDFS`` and ``DOCXS``)."""
        if key not in self._cache:
            if key in PDFS:
                name, lines = PDFS[key]
                self._cache[key] = Attachment(name, "application/pdf", render_pdf(lines), _j(lines))
            else:
                name, lines = DOCXS[key]
                ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                self._cache[key] = Attachment(name, ctype, render_docx(lines), _j(lines))
        return self._cache[key]

    def csv(self, label: str) -> Attachment:
        """A small expense table, different for every call."""
        rows = ["date,description,amount_usd"]
        for day in range(1, self.rng.randint(4, 9)):
            item = self.rng.choice(("taxi", "hotel", "meals", "airfare", "phone card", "visa fee"))
            rows.append(
                f"2011-{self.rng.randint(1, 12):02d}-{day:02d},{item},{self.rng.randint(8, 900)}"
            )
        text = "\n".join(rows) + "\n"
        return Attachment(f"expenses-{label}.csv", "text/csv", text.encode("ascii"), text)

    def notes(self, label: str, text: str) -> Attachment:
        """A plain-text notes file."""
        return Attachment(f"notes-{label}.txt", "text/plain", text.encode("utf-8"), text)

    def image(self) -> Attachment:
        """A small PNG chart (no text)."""
        if "png" not in self._cache:
            self._cache["png"] = Attachment("chart.png", "image/png", render_png(32, 24), "")
        return self._cache["png"]


def _j(lines: list[str]) -> str:
    return "\n".join(lines)


def render_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with one line of text per entry."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=letter, invariant=1, pageCompression=1)
    pdf.setTitle(lines[0])
    pdf.setAuthor("Halvorsen Strategic Analysis")
    y = 720
    for i, line in enumerate(lines):
        pdf.setFont("Helvetica-Bold" if i == 0 else "Helvetica", 14 if i == 0 else 11)
        pdf.drawString(72, y, line)
        y -= 24 if i == 0 else 18
    pdf.showPage()
    pdf.save()
    return buf.getvalue()


def render_docx(lines: list[str]) -> bytes:
    """A DOCX with a heading and paragraphs, re-zipped with fixed timestamps."""
    import docx

    document = docx.Document()
    props = document.core_properties
    props.author = "Halvorsen Strategic Analysis"
    props.title = lines[0]
    props.created = props.modified = datetime(2011, 6, 1, 9, 0, 0)
    props.last_modified_by = "Halvorsen Strategic Analysis"
    props.comments = ""
    document.add_heading(lines[0], level=1)
    for line in lines[1:]:
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    return repack_zip(buf.getvalue())


def repack_zip(data: bytes) -> bytes:
    """The same zip with every member dated ``FIXED_ZIP_TIME`` (stable bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def render_png(width: int, height: int) -> bytes:
    """A small RGB gradient PNG written with zlib (no imaging library needed)."""
    rows = b"".join(
        b"\x00" + b"".join(bytes((x * 8 % 256, y * 10 % 256, 160)) for x in range(width))
        for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        """One PNG chunk: length, type, data, CRC."""
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )
