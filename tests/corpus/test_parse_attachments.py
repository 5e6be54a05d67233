"""parse_message: attachments, their names, bytes and text; forwarded messages."""

from __future__ import annotations

import base64
import io
from email.message import EmailMessage

import docx
import pytest
from reportlab.pdfgen import canvas

from dossier.corpus.ingest.parse import parse_message


def pdf_bytes(text: str) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.showPage()
    page.save()
    return buffer.getvalue()


def docx_bytes(paragraph: str, cells: list[str]) -> bytes:
    document = docx.Document()
    document.add_paragraph(paragraph)
    table = document.add_table(rows=1, cols=len(cells))
    for cell, value in zip(table.rows[0].cells, cells, strict=True):
        cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def with_attachments(*files: tuple[bytes, str, str, str]) -> bytes:
    message = EmailMessage()
    message["From"] = "a@b.c"
    message["Subject"] = "files"
    message.set_content("See attached.\n")
    for data, maintype, subtype, filename in files:
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes()


DOCX_TYPE = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")


def test_pdf_docx_html_csv_attachments_with_their_text(blobs):
    pdf = pdf_bytes("Invoice 4711 total due")
    document = docx_bytes("Memo about the merger", ["Cell A", "Cell B"])
    html = b"<html><body><h1>Report</h1><script>evil()</script><p>All good.</p></body></html>"
    csv = b"name,amount\nacme,12\n"
    data = with_attachments(
        (pdf, "application", "pdf", "invoice.pdf"),
        (document, *DOCX_TYPE, "memo.docx"),
        (html, "text", "html", "report.html"),
        (csv, "text", "csv", "amounts.csv"),
    )
    parsed = parse_message(data, blobs=blobs)
    assert parsed.body_text == "See attached.\n"
    names = [(a.part, a.filename, a.content_type) for a in parsed.attachments]
    assert names == [
        (0, "invoice.pdf", "application/pdf"),
        (1, "memo.docx", "/".join(DOCX_TYPE)),
        (2, "report.html", "text/html"),
        (3, "amounts.csv", "text/csv"),
    ]
    pdf_a, docx_a, html_a, csv_a = parsed.attachments
    assert "Invoice 4711 total due" in pdf_a.text
    assert "Memo about the merger" in docx_a.text and "Cell A\tCell B" in docx_a.text
    assert "Report" in html_a.text and "All good." in html_a.text and "evil" not in html_a.text
    assert csv_a.text == "name,amount\nacme,12\n"
    for attachment, original in zip(parsed.attachments, [pdf, document, html, csv], strict=True):
        assert blobs.read(attachment.sha256) == original
        assert attachment.size == len(original) and attachment.text_error == ""


def test_pdf_sent_as_octet_stream_is_still_read(blobs):
    data = with_attachments((pdf_bytes("Hidden PDF"), "application", "octet-stream", "scan"))
    assert "Hidden PDF" in parse_message(data, blobs=blobs).attachments[0].text


def test_corrupt_attachment_gives_text_error_and_the_message_still_parses(blobs):
    data = with_attachments((b"%PDF-1.4 this is not really a pdf", "application", "pdf", "x.pdf"))
    parsed = parse_message(data, blobs=blobs)
    attachment = parsed.attachments[0]
    assert attachment.text == "" and "PDF cannot be read" in attachment.text_error
    assert parsed.body_text == "See attached.\n"


def test_unknown_binary_attachment_has_no_text_and_no_error(blobs):
    data = with_attachments((bytes(range(256)), "application", "x-thing", "blob.bin"))
    attachment = parse_message(data, blobs=blobs).attachments[0]
    assert (attachment.text, attachment.text_error, attachment.size) == ("", "", 256)


RAW_HEAD = b"From: a@b.c\nSubject: s\nContent-Type: multipart/mixed; boundary=B\n\n--B\n"
RAW_BODY = b"Content-Type: text/plain\n\nbody\n--B\n"


def raw_attachment(headers: bytes, payload: bytes) -> bytes:
    return RAW_HEAD + RAW_BODY + headers + b"\n\n" + payload + b"\n--B--\n"


DISPOSITION = b"Content-Disposition: attachment; "


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (DISPOSITION + b"filename*=utf-8''r%C3%A9sum%C3%A9%20final.txt", "résumé final.txt"),
        (DISPOSITION + b"\n filename*0*=iso-8859-1''Pr%FCf;\n filename*1=ung.txt", "Prüfung.txt"),
        (DISPOSITION + b'filename="=?utf-8?B?0J/RgNC40LLQtdGCLnR4dA==?="', "Привет.txt"),
        (b'Content-Type: text/plain; name="=?iso-8859-1?q?caf=E9.txt?="', "café.txt"),
        (DISPOSITION + b'filename="na\xc3\xafve.txt"', "naïve.txt"),
        (DISPOSITION + b"filename*=x-bogus''caf%E9.txt", "café.txt"),
    ],
)
def test_rfc2231_and_rfc2047_filenames(blobs, header, expected):
    parsed = parse_message(raw_attachment(header, b"data"), blobs=blobs)
    assert parsed.attachments[0].filename == expected


def test_path_components_are_stripped_from_filenames(blobs):
    cases = {
        "../../../etc/passwd": "passwd",
        "..\\..\\Windows\\system32\\evil.dll": "evil.dll",
        "/absolute/path/report.pdf": "report.pdf",
        "C:secret.txt": "secret.txt",
        "..": "",
        "dir/..": "",
        "tab\tand\x01control.txt": "tab andcontrol.txt",
    }
    for name, expected in cases.items():
        header = f'Content-Disposition: attachment; filename="{name}"'.encode()
        parsed = parse_message(raw_attachment(header, b"x"), blobs=blobs)
        assert parsed.attachments[0].filename == expected, name


def test_broken_base64_keeps_what_decodes_and_notes_a_defect(blobs):
    good = base64.b64encode(b"first part of the file, ").decode()
    payload = (good + "!!!not*base64\n" + base64.b64encode(b"rest").decode()[:-2]).encode()
    header = b"Content-Type: text/plain; name=notes.txt\nContent-Transfer-Encoding: base64"
    parsed = parse_message(raw_attachment(header, payload), blobs=blobs)
    attachment = parsed.attachments[0]
    assert attachment.text.startswith("first part of the file, ")
    assert any("Base64" in defect for defect in parsed.defects)


def test_forwarded_message_is_an_attachment_with_its_text(blobs):
    inner = EmailMessage()
    inner["From"] = "Original Sender <orig@example.org>"
    inner["To"] = "boss@example.org"
    inner["Subject"] = "=?utf-8?q?Original_subj=C3=A9ct?="
    inner["Date"] = "Mon, 04 Mar 2024 09:00:00 +0000"
    inner.set_content("The original words.\n")
    outer = EmailMessage()
    outer["From"] = "fwd@example.org"
    outer["Subject"] = "Fwd: original"
    outer.set_content("FYI, see below.\n")
    outer.add_attachment(inner)
    parsed = parse_message(outer.as_bytes(), blobs=blobs)
    assert parsed.body_text == "FYI, see below.\n"
    [attachment] = parsed.attachments
    assert (attachment.filename, attachment.content_type) == ("forwarded.eml", "message/rfc822")
    assert "From: Original Sender <orig@example.org>" in attachment.text
    assert "Subject: Original subjéct" in attachment.text
    assert "The original words." in attachment.text
    stored = blobs.read(attachment.sha256)
    assert stored.startswith(b"From: Original Sender") and b"The original words." in stored
    assert attachment.size == len(stored)


def test_forwarded_message_sent_base64_encoded(blobs):
    inner = b"From: x@y.z\nSubject: wrapped\n\nwrapped body\n"
    header = b"Content-Type: message/rfc822\nContent-Transfer-Encoding: base64"
    parsed = parse_message(raw_attachment(header, base64.encodebytes(inner)), blobs=blobs)
    attachment = parsed.attachments[0]
    assert blobs.read(attachment.sha256).rstrip(b"\n") == inner.rstrip(b"\n")
    assert "Subject: wrapped" in attachment.text and "wrapped body" in attachment.text


def test_message_that_is_only_an_attachment(blobs):
    data = (
        b"From: a@b.c\nContent-Type: application/pdf; name=x.pdf\n"
        b"Content-Transfer-Encoding: base64\n\n" + base64.encodebytes(pdf_bytes("solo"))
    )
    parsed = parse_message(data, blobs=blobs)
    assert parsed.body_text == ""
    assert parsed.attachments[0].filename == "x.pdf" and "solo" in parsed.attachments[0].text


def test_forward_inside_a_forward_is_in_the_text(blobs):
    innermost = b"From: first@x.org\nSubject: the origin\n\nthe very first words\n"
    middle = b"From: second@x.org\nContent-Type: message/rfc822\n\n" + innermost
    header = b"Content-Type: message/rfc822; name=chain.eml"
    attachment = parse_message(raw_attachment(header, middle), blobs=blobs).attachments[0]
    assert attachment.filename == "chain.eml"
    assert "From: second@x.org" in attachment.text
    assert "Subject: the origin" in attachment.text and "the very first words" in attachment.text


def test_delivery_status_report_text(blobs):
    status = (
        b"Reporting-MTA: dns; mx.example.org\n\n"
        b"Final-Recipient: rfc822; gone@x.org\nAction: failed\n"
    )
    parsed = parse_message(
        raw_attachment(b"Content-Type: message/delivery-status", status), blobs=blobs
    )
    attachment = parsed.attachments[0]
    assert attachment.content_type == "message/delivery-status" and attachment.filename == ""
    assert "Action: failed" in attachment.text and "Reporting-MTA" in attachment.text
