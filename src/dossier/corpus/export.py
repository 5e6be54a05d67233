"""Export the messages a query finds, as an mbox (the stored raw bytes) or JSON lines.

Streams: one page of hits at a time, one message's bytes at a time, whatever the result size.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import BinaryIO

from dossier.blobs import BlobStore
from dossier.corpus.models import Message
from dossier.corpus.search import service
from dossier.corpus.selectors import message_detail
from dossier.errors import BadInput

FORMATS = ("mbox", "jsonl")
_FROM_LINE = re.compile(rb"^(>*From )", re.MULTILINE)
PAGE = 500


def matching_ids(query: str, *, collection_ids: set[int] | None = None) -> Iterator[int]:
    offset = 0
    while True:
        result = service.search(
            query, limit=PAGE, offset=offset, snippets=False, collection_ids=collection_ids
        )
        yield from (hit.id for hit in result.hits)
        offset += len(result.hits)
        if not result.hits or offset >= result.total:
            return


def mbox_entry(raw: bytes, sender: str, date_text: str) -> bytes:
    """One mboxrd entry: a ``From `` line, the message with ``From `` lines escaped by ``>``."""
    body = raw.replace(b"\r\n", b"\n")
    body = _FROM_LINE.sub(rb">\1", body)
    if not body.endswith(b"\n"):
        body += b"\n"
    envelope = f"From {sender or 'MAILER-DAEMON'} {date_text}\n".encode("ascii", "replace")
    return envelope + body + b"\n"


def export_messages(
    query: str,
    *,
    fmt: str,
    out: BinaryIO,
    blobs: BlobStore,
    collection_ids: set[int] | None = None,
) -> int:
    """Write every message matching ``query`` to ``out``; return how many were written."""
    if fmt not in FORMATS:
        raise BadInput(f"unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}")
    written = 0
    for message_id in matching_ids(query, collection_ids=collection_ids):
        m = Message.objects.select_related("collection").get(id=message_id)
        if fmt == "mbox":
            # An undated message gets the time it was ingested on its envelope line (never 1970).
            date_text = (m.date or m.created_at).strftime("%a %b %d %H:%M:%S %Y")
            out.write(mbox_entry(blobs.read(m.raw_id), m.from_addr, date_text))
        else:
            line = json.dumps(message_detail(m, blobs), ensure_ascii=False)
            out.write(line.encode("utf-8") + b"\n")
        written += 1
    return written
