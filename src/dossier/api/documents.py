"""Messages, their raw bytes, related messages, threads, attachments, and exports.

A message or thread outside the collections granted to you answers 404, exactly like one that
does not exist. Reads are audited by the access layer (document.view, raw.download, ...).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header
from ninja import Path, Query, Router
from ninja.responses import codes_4xx

from dossier.api.auth import client_ip
from dossier.api.schemas import MAX_ID, AttachmentOut, DocumentOut, Error, RelatedOut, ThreadOut
from dossier.corpus import access, access_export

router = Router(tags=["documents"])


def _id(description: str):
    return Path(..., ge=1, le=MAX_ID, description=description)


def download(data: bytes, filename: str, content_type: str) -> HttpResponse:
    """Bytes as a download: never rendered inline, never sniffed into something active."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@router.get("/messages/{message_id}", response={200: DocumentOut, codes_4xx: Error}, by_alias=True)
def message(request: HttpRequest, message_id: int = _id("Message id.")):
    """Headers, body text, attachments (metadata), thread and provenance of one message."""
    return access.document_as(user=request.auth, message_id=message_id, ip=client_ip(request))


@router.get("/messages/{message_id}/raw", response={200: None, codes_4xx: Error})
def message_raw(request: HttpRequest, message_id: int = _id("Message id.")):
    """The original bytes as stored (`message/rfc822`, as a download). Needs
    `corpus.download_raw` (analysts and above). Audited as `raw.download`."""
    data = access.raw_as(user=request.auth, message_id=message_id, ip=client_ip(request))
    return download(data, f"message-{message_id}.eml", "message/rfc822")


@router.get(
    "/messages/{message_id}/related",
    response={200: list[RelatedOut], codes_4xx: Error},
    by_alias=True,
)
def message_related(
    request: HttpRequest,
    message_id: int = _id("Message id."),
    limit: int = Query(10, ge=1, le=50, description="At most this many."),
):
    """Messages sharing this one's participants or rare terms, from your collections only."""
    return access.related_as(user=request.auth, message_id=message_id, limit=limit)


@router.get("/threads/{thread_id}", response={200: ThreadOut, codes_4xx: Error}, by_alias=True)
def thread(request: HttpRequest, thread_id: int = _id("Thread id.")):
    """A thread as a flat list in tree order (`parent_id`, `depth`), your messages only."""
    return access.thread_as(user=request.auth, thread_id=thread_id, ip=client_ip(request))


@router.get("/attachments/{attachment_id}", response={200: AttachmentOut, codes_4xx: Error})
def attachment(request: HttpRequest, attachment_id: int = _id("Attachment id.")):
    """An attachment's metadata and the text extracted from it. Audited as `attachment.view`."""
    return access.attachment_detail_as(
        user=request.auth, attachment_id=attachment_id, ip=client_ip(request)
    )


@router.get("/attachments/{attachment_id}/download", response={200: None, codes_4xx: Error})
def attachment_download(request: HttpRequest, attachment_id: int = _id("Attachment id.")):
    """The attachment's bytes, always as `application/octet-stream` and a download.
    Audited as `attachment.download`."""
    filename, _content_type, data = access.attachment_as(
        user=request.auth, attachment_id=attachment_id, ip=client_ip(request)
    )
    return download(data, filename or f"attachment-{attachment_id}", "application/octet-stream")


@router.get("/export", response={200: None, codes_4xx: Error})
def export(
    request: HttpRequest,
    q: str = Query(..., max_length=2000, description="A query in the search language."),
):
    """Every message matching `q` in your collections, as one mbox download (streamed). Needs
    `corpus.export` (analysts and above). Audited as `export.run` with the query."""
    entries = access_export.export_as(user=request.auth, query=q, ip=client_ip(request))
    response = StreamingHttpResponse(entries, content_type="application/mbox")
    response["Content-Disposition"] = content_disposition_header(True, "export.mbox")
    response["X-Content-Type-Options"] = "nosniff"
    return response
