"""A user's export: every message of a search, from their collections only, as an mbox.

Like the other reads in ``access.py``: the permission (``corpus.export``, analysts and above)
and the compartment are checked first, the ``export.run`` event (query, format) is committed
before the first byte leaves, and each message is written as the copy found in one of the
user's own collections (the bytes of its location there), never another collection's copy.
Streams: one page of hits and one message at a time.
"""

from __future__ import annotations

from collections.abc import Iterator

from dossier.corpus.access import _blobs, _record, _scope
from dossier.corpus.export import matching_ids, mbox_entry
from dossier.corpus.models import Location, Message
from dossier.corpus.search.query import parse

FORMATS = ("mbox",)


def export_as(*, user, query: str, ip: str = "") -> Iterator[bytes]:
    """The mbox entries of every visible message matching ``query``, best first."""
    ids = _scope(user, "corpus.export")
    parse(query)  # a bad query fails here, before anything is recorded or sent
    _record(user, "export.run", "export", {"query": query, "format": "mbox"}, ip)
    return _entries(query, ids)


def _entries(query: str, ids: frozenset[int]) -> Iterator[bytes]:
    blobs = _blobs()
    for message_id in matching_ids(query, collection_ids=set(ids)):
        message = Message.objects.only("date", "created_at", "from_addr").get(id=message_id)
        here = Location.objects.filter(message_id=message_id, collection_id__in=ids)
        location = here.order_by("id").first()
        if location is None:  # its last visible location went away mid-export
            continue
        date_text = (message.date or message.created_at).strftime("%a %b %d %H:%M:%S %Y")
        yield mbox_entry(blobs.read(location.raw_id), message.from_addr, date_text)
