"""The attachment text extractors and their registry, on documents built here."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from reportlab.lib import pdfencrypt
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from dossier.corpus.ingest.extractors import (
    MAX_TEXT_CHARS,
    ExtractionError,
    extract_text,
    find_format,
)
from dossier.corpus.ingest.extractors import docx as docx_format
from dossier.corpus.ingest.extractors import pdf as pdf_format
from dossier.corpus.ingest.extractors.text import decode_bytes, resolve_charset

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def pdf_bytes(*pages: str, encrypt=None, font: str = "Helvetica") -> bytes:
    buffer = io.BytesIO()
    document = canvas.Canvas(buffer, encrypt=encrypt)
    for text in pages:
        document.setFont(font, 12)
        document.drawString(72, 720, text)
        document.showPage()
    document.save()
    return buffer.getvalue()


def docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("Before the table")
    table = document.add_table(rows=2, cols=3)
    for row, values in zip(table.rows, [["a", "b", "c"], ["d", "e", "f"]], strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    table.cell(1, 1).merge(table.cell(1, 2))
    document.add_paragraph("After the table")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# -- registry ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "mime", "filename", "module"),
    [
        (b"%PDF-1.7 ...", "application/octet-stream", "", "pdf"),
        (b"%PDF-1.7 ...", "text/plain", "notes.txt", "pdf"),
        (b"x", DOCX_TYPE, "", "docx"),
        (b"x", "application/octet-stream", "Memo.DOCX", "docx"),
        (b"x", "text/html", "", "html"),
        (b"x", "application/xhtml+xml", "", "html"),
        (b"x", "image/png", "", "image"),
        (b"x", "text/csv", "", "text"),
        (b"x", "application/vnd.api+json", "", "text"),
        (b"x", "application/octet-stream", "data.json", "text"),
    ],
)
def test_format_is_chosen_by_signature_then_type_then_extension(data, mime, filename, module):
    assert find_format(data, mime, filename).__name__.rsplit(".", 1)[-1] == module


def test_unknown_binary_has_no_text_and_no_error():
    assert find_format(b"\x00\x01", "application/x-msdownload", "setup.exe") is None
    assert extract_text(b"\x00\x01\x02", "application/zip", "a.zip", ocr=False) == ""


def test_text_is_capped_and_cleaned():
    big = b"a" * (MAX_TEXT_CHARS + 1000)
    assert len(extract_text(big, "text/plain", "", ocr=False)) == MAX_TEXT_CHARS
    raw = "\ufeffone\r\ntwo\rthree\x00".encode()
    assert extract_text(raw, "text/plain; charset=utf-8", "", ocr=False) == "one\ntwo\nthree"


# -- text and charsets ------------------------------------------------------------------------


def test_textual_types_decode_with_the_declared_charset():
    csv = "город,сумма\nМосква,12\n".encode("koi8-r")
    assert extract_text(csv, 'text/csv; charset="KOI8-R"', "", ocr=False).startswith("город")
    json = '{"name": "Zoë"}'.encode()
    assert extract_text(json, "application/json", "x.json", ocr=False) == '{"name": "Zoë"}'


@pytest.mark.parametrize(
    ("name", "codec"),
    [
        ("latin1", "cp1252"),
        ("US-ASCII", "cp1252"),
        ('"utf8"', "utf-8"),
        ("gb2312", "gb18030"),
        ("ks_c_5601-1987", "cp949"),
        ("x-unknown", None),
        ("rot13", None),
        ("base64", None),
        ("unicode-escape", None),
        ("", None),
        (None, None),
        ("x-mac-roman", "mac-roman"),
    ],
)
def test_charset_aliases(name, codec):
    assert resolve_charset(name) == codec


def test_decoding_chain():
    assert decode_bytes("Привет".encode("cp1251"), "windows-1251").text == "Привет"
    assert decode_bytes("naïve".encode(), None).text == "naïve"
    assert decode_bytes("naïve".encode("cp1252"), None).text == "naïve"
    unknown = decode_bytes("naïve".encode(), "x-unknown")
    assert unknown.text == "naïve" and "unknown charset" in unknown.note
    # not UTF-8, not cp1252 (0x81, 0x8d are undefined there): the statistical guess decides
    guessed = decode_bytes("Съешь же ещё этих мягких французских булок".encode("cp1251"))
    assert isinstance(guessed.text, str) and guessed.text


# -- PDF ----------------------------------------------------------------------------------------


def test_pdf_pages_in_order_and_nfkc():
    pdfmetrics.registerFont(TTFont("Vera", "Vera.ttf"))
    text = extract_text(
        pdf_bytes("page one", "x\u00b2 page two", font="Vera"),
        "application/pdf",
        "r.pdf",
        ocr=False,
    )
    assert text.index("page one") < text.index("x2 page two")


def test_encrypted_pdf_is_a_clear_error_and_empty_password_pdfs_open():
    locked = pdf_bytes("secret", encrypt=pdfencrypt.StandardEncryption("pw", canPrint=0))
    with pytest.raises(ExtractionError, match="encrypted"):
        extract_text(locked, "application/pdf", "", ocr=False)
    open_one = pdf_bytes("readable", encrypt=pdfencrypt.StandardEncryption("", "owner"))
    assert "readable" in extract_text(open_one, "application/pdf", "", ocr=False)


@pytest.mark.parametrize("cut", [0.5, 0.1])
def test_corrupt_pdf_is_a_clear_error(cut):
    data = pdf_bytes("truncated")
    with pytest.raises(ExtractionError, match="PDF cannot be read"):
        extract_text(data[: int(len(data) * cut)], "application/pdf", "", ocr=False)


def test_oversized_pdf_is_refused_before_parsing(monkeypatch):
    monkeypatch.setattr(pdf_format, "MAX_PDF_BYTES", 1000)
    with pytest.raises(ExtractionError, match="over the 200 MB limit"):
        extract_text(pdf_bytes("x" * 50) + b" " * 1000, "application/pdf", "", ocr=False)


# -- DOCX ---------------------------------------------------------------------------------------


def test_docx_paragraphs_and_tables_in_order():
    text = extract_text(docx_bytes(), DOCX_TYPE, "m.docx", ocr=False)
    assert text.splitlines() == ["Before the table", "a\tb\tc", "d\te f", "After the table"]


def test_docx_encrypted_corrupt_and_bomb(monkeypatch):
    with pytest.raises(ExtractionError, match="encrypted"):
        extract_text(docx_format.OLE_MAGIC + b"\x00" * 100, DOCX_TYPE, "", ocr=False)
    with pytest.raises(ExtractionError, match="corrupt"):
        extract_text(b"PK\x03\x04 nope", DOCX_TYPE, "", ocr=False)
    not_word = io.BytesIO()
    with zipfile.ZipFile(not_word, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(ExtractionError, match="DOCX cannot be read"):
        extract_text(not_word.getvalue(), DOCX_TYPE, "", ocr=False)
    monkeypatch.setattr(docx_format, "MAX_UNZIPPED_BYTES", 100)
    with pytest.raises(ExtractionError, match="over the limit"):
        extract_text(docx_bytes(), DOCX_TYPE, "", ocr=False)


# -- HTML -----------------------------------------------------------------------------------------


def test_html_text_keeps_structure_and_drops_script_and_style():
    html = (
        "<html><head><title>T</title><style>p {color: red}</style></head><body>"
        "<script>document.write('injected')</script><h1>Title</h1>"
        "<table><tr><td>k1</td><td>v1</td></tr></table><ul><li>item</li></ul>"
        "<img src='http://example.invalid/track.gif'></body></html>"
    )
    text = extract_text(html.encode("cp1252"), "text/html; charset=windows-1252", "", ocr=False)
    assert "Title" in text and "k1" in text and "v1" in text and "* item" in text
    assert "injected" not in text and "color" not in text and "example.invalid" not in text


# -- images -------------------------------------------------------------------------------------


def test_images_have_no_text_without_ocr():
    assert extract_text(b"\x89PNG\r\n\x1a\n", "image/png", "scan.png", ocr=False) == ""


def test_ocr_reads_text_from_an_image():
    """Real OCR: .ci/run installs tesseract and pytesseract, so this never skips or branches."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (600, 120), color=255)
    font = ImageFont.load_default(size=48)
    ImageDraw.Draw(image).text((20, 30), "HELLO OCR", fill=0, font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    text = extract_text(buffer.getvalue(), "image/png", "scan.png", ocr=True)
    assert "HELLO" in text.upper()


def test_ocr_refuses_undecodable_images():
    with pytest.raises(ExtractionError, match="image cannot be decoded"):
        extract_text(b"not an image", "image/png", "x.png", ocr=True)
