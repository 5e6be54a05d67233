"""The corpus as one signed-in user may see it: the only reads the web pages and the API call.

Every function checks the user's permission (``accounts.policy``) and compartment (the
collections granted to them), and commits its audit event before it returns anything. Anonymous or
inactive users get ``PermissionDenied``; a message or thread outside the user's collections is
``NotFound``, worded exactly like one that does not exist. What comes back is trimmed to the
visible collections too: collection names, locations, thread members, sizes and dates.
"""

from __future__ import annotations

from collections import Counter

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef

from dossier.accounts import policy
from dossier.audit.services import audit_record
from dossier.blobs import BlobStore
from dossier.corpus import selectors
from dossier.corpus.ingest.bodies import Body, extract_body
from dossier.corpus.ingest.encoded import leave_out_encoded
from dossier.corpus.ingest.parse import parse_bytes
from dossier.corpus.models import Attachment, Collection, Location, Message
from dossier.corpus.search import service
from dossier.corpus.search.nodes import InCollection, leaves
from dossier.corpus.search.query import parse
from dossier.corpus.search.service import SearchResult
from dossier.corpus.search.words import tokenize
from dossier.errors import IngestError, NotFound, PermissionDenied, QueryError

RELATED_TERMS = 4
PARTICIPANTS = 5
_STOPWORDS = frozenset(
    "about above after again against because before being below between could would should "
    "their there these those through under until where which while other further having "
    "regards thanks please forwarded original message subject sent received".split()
)


def _record(user, action: str, target: str, details: dict, ip: str) -> None:
    """The read's audit event, committed before anything is returned: if it cannot be written,
    the caller gets the error, not the data. (Reads run outside the write transaction so a long
    search never holds SQLite's write lock.)"""
    with transaction.atomic():
        audit_record(action=action, actor=user, target=target, details=details, ip=ip)


def _blobs() -> BlobStore:
    return BlobStore(settings.DOSSIER.blobs_path)


def _scope(user, permission: str) -> frozenset[int]:
    """The user's visible collection ids, once they hold ``permission``."""
    if policy.role_of(user) is None:
        raise PermissionDenied("sign in to read the corpus")
    policy.require(user, permission)
    return policy.visible_collection_ids(user)


def _message(message_id, ids: frozenset[int]) -> Message:
    text = str(message_id).strip()
    if not text.isdigit():
        raise NotFound(f"no message {text[:80]!r} in this workspace")
    return selectors.get_message(int(text), collection_ids=set(ids))


def _visible_names(message_ids, ids: frozenset[int]) -> dict[int, str]:
    """Per message, the name of the first visible collection it was found in."""
    rows = (
        Location.objects.filter(message_id__in=list(message_ids), collection_id__in=ids)
        .order_by("collection_id")
        .values_list("message_id", "collection__name")
    )
    names: dict[int, str] = {}
    for message_id, name in rows:
        names.setdefault(message_id, name)
    return names


def _check_collections(query: str, ids: frozenset[int]) -> None:
    """``collection:NAME`` must name one of the user's collections. The filter matches a message
    with a location anywhere in NAME, so on another compartment's name it would tell which
    visible messages that compartment also holds. Unknown and ungranted names read the same."""
    wanted = {n.name.lower() for n in leaves(parse(query)) if isinstance(n, InCollection)}
    if not wanted:
        return
    mine = {
        name.lower()
        for name in Collection.objects.filter(id__in=ids).values_list("name", flat=True)
    }
    unknown = sorted(wanted - mine)
    if unknown:
        raise QueryError(f"collection:{unknown[0]} is not one of your collections")


def search_as(
    *, user, query: str, limit: int = 20, offset: int = 0, facets: bool = False,
    snippets: bool = True, ip: str = "", sort: str = "relevance",
) -> SearchResult:  # fmt: skip
    """One page of hits (and facets if asked) among the user's collections; ``search.run``."""
    ids = _scope(user, "corpus.search")
    _check_collections(query, ids)
    result = service.search(
        query, limit=limit, offset=offset, facets=facets, snippets=snippets, collection_ids=ids,
        sort=sort,
    )  # fmt: skip
    details = {"query": query, "total": result.total, "offset": offset, "limit": limit}
    if sort != "relevance":
        details["sort"] = sort
    _record(user, "search.run", "search", details, ip)
    return result


def facets_as(*, user, query: str, ip: str = "") -> dict:
    """Facet counts for ``query`` among the user's collections; recorded as ``search.run``."""
    ids = _scope(user, "corpus.search")
    _check_collections(query, ids)
    data = service.facets(query, collection_ids=ids)
    _record(user, "search.run", "facets", {"query": query, "facets": True}, ip)
    return data


def document_as(*, user, message_id: int, ip: str = "") -> dict:
    """One message in full, as ``selectors.message_detail`` plus attachments with their text,
    visible locations and provenance; ``document.view``."""
    ids = _scope(user, "corpus.view")
    message = _message(message_id, ids)
    detail = _document(message, ids)
    _record(user, "document.view", f"message:{message.id}", {}, ip)
    return detail


def _document(message: Message, ids: frozenset[int]) -> dict:
    blobs = _blobs()
    detail = selectors.message_detail(message, blobs)
    locations = _locations(message, ids)
    raw_sha = locations[0]["raw_sha256"]
    body = _body(blobs.read(raw_sha))  # this user's copy: its own headers, text and HTML
    if raw_sha != message.raw_id:  # another compartment's copy was stored first
        detail["headers"] = _headers(raw_sha, blobs)
        detail["body"] = leave_out_encoded(body.text) if body is not None else ""
    detail["body_html"] = (body.html or "") if body is not None else ""
    detail["collection"] = locations[0]["collection"]
    detail["locations"] = locations
    detail["attachments"] = _attachments(message)
    detail["provenance"] = {"sha256": raw_sha, "size": message.size, "locations": locations}
    detail["thread_id"] = message.thread_id
    return detail


def _body(raw: bytes) -> Body | None:
    """The body parts as sent. Its HTML is hostile: the web sanitises it (nh3) before showing."""
    try:
        return extract_body(parse_bytes(raw))
    except (IngestError, ValueError, LookupError):
        return None


def _locations(message: Message, ids: frozenset[int]) -> list[dict]:
    rows = message.locations.filter(collection_id__in=ids).select_related("collection")
    return [
        {
            "collection": loc.collection.name,
            "path": loc.source_path,
            "position": loc.position,
            "container": loc.container,
            "raw_sha256": loc.raw_id,
        }
        for loc in rows.order_by("id")
    ]


def _headers(sha: str, blobs: BlobStore) -> list[list[str]]:
    stand_in = Message(raw_id=sha)
    return selectors.raw_headers(stand_in, blobs)


def _attachments(message: Message) -> list[dict]:
    rows = Attachment.objects.filter(message=message).select_related("blob").order_by("part")
    return [
        {
            "id": a.id,
            "part": a.part,
            "filename": a.filename,
            "content_type": a.content_type,
            "size": a.size,
            "sha256": a.blob_id,
            "text": a.blob.text,
            "text_length": len(a.blob.text),
            "text_error": a.blob.text_error or None,
        }
        for a in rows
    ]


def thread_as(*, user, thread_id: int, ip: str = "") -> dict:
    """A thread's visible messages as a tree (``id``, ``parent_id``, ``depth``); its subject
    and dates are those of the visible messages; ``thread.view``."""
    ids = _scope(user, "corpus.view")
    text = str(thread_id).strip()
    if not text.isdigit():
        raise NotFound(f"no thread {text[:80]!r} in this workspace")
    detail = selectors.thread_detail(text, collection_ids=set(ids))
    _trim_thread(detail, ids)
    _record(user, "thread.view", f"thread:{detail['id']}", {}, ip)
    return detail


def _trim_thread(detail: dict, ids: frozenset[int]) -> None:
    messages = detail["messages"]
    names = _visible_names([m["id"] for m in messages], ids)
    for m in messages:
        m["collection"] = names.get(m["id"], "")
    dated = sorted(m["date"] for m in messages if m["date"])
    first = min(messages, key=lambda m: (m["date"] is None, m["date"] or "", m["id"]))
    detail["subject"] = first["subject"]
    detail["first_date"] = dated[0] if dated else None
    detail["last_date"] = dated[-1] if dated else None


def raw_as(*, user, message_id: int, ip: str = "") -> bytes:
    """The original bytes of the message as found in one of the user's collections."""
    ids = _scope(user, "corpus.download_raw")
    message = _message(message_id, ids)
    location = Location.objects.filter(message=message, collection_id__in=ids).order_by("id")[0]
    data = _blobs().read(location.raw_id)
    details = {"sha256": location.raw_id, "size": len(data)}
    _record(user, "raw.download", f"message:{message.id}", details, ip)
    return data


def _visible_attachment(attachment_id, ids: frozenset[int]) -> Attachment:
    text = str(attachment_id).strip()
    found = None
    if text.isdigit():
        found = Attachment.objects.select_related("blob").filter(id=int(text)).first()
    here = Location.objects.filter(message_id=getattr(found, "message_id", None))
    if found is None or not here.filter(collection_id__in=ids).exists():
        raise NotFound(f"no attachment {text[:80]!r} in this workspace")
    return found


def attachment_detail_as(*, user, attachment_id: int, ip: str = "") -> dict:
    """An attachment's metadata and extracted text (no bytes); ``attachment.view``."""
    ids = _scope(user, "corpus.view")
    a = _visible_attachment(attachment_id, ids)
    detail = {
        "id": a.id, "message_id": a.message_id, "part": a.part, "filename": a.filename,
        "content_type": a.content_type, "size": a.size, "sha256": a.blob_id,
        "text": a.blob.text, "text_length": len(a.blob.text),
        "text_error": a.blob.text_error or None,
    }  # fmt: skip
    _record(user, "attachment.view", f"attachment:{a.id}", {"message": a.message_id}, ip)
    return detail


def attachment_as(*, user, attachment_id: int, ip: str = "") -> tuple[str, str, bytes]:
    """``(filename, content_type, bytes)`` of an attachment of a visible message."""
    ids = _scope(user, "corpus.view")
    attachment = _visible_attachment(attachment_id, ids)
    data = _blobs().read(attachment.blob_id)
    details = {"message": attachment.message_id, "sha256": attachment.blob_id}
    _record(user, "attachment.download", f"attachment:{attachment.id}", details, ip)
    return attachment.filename, attachment.content_type, data


def related_as(*, user, message_id: int, limit: int = 10) -> list[dict]:
    """Messages related to this one, among the user's collections: first those the thread's
    senders wrote nearest to it (outside the thread), then those sharing its rarest words.
    Not audited (it is part of viewing the document, which is). Every query is bounded."""
    ids = _scope(user, "corpus.view")
    message = _message(message_id, ids)
    limit = max(1, min(int(limit), 100))
    found: dict[int, str] = {}
    for other in _by_participants(message, ids, limit):
        found.setdefault(other, "participants")
    if len(found) < limit:
        for other in _by_terms(message, ids, limit):
            found.setdefault(other, "terms")
    found.pop(message.id, None)
    return _summaries(list(found.items())[:limit], ids)


def _visible_rows(qs, ids: frozenset[int]):
    """``qs`` narrowed to messages with a location in ``ids`` (a correlated EXISTS: no join,
    no DISTINCT, so LIMIT stops early)."""
    here = Location.objects.filter(message_id=OuterRef("id"), collection_id__in=ids)
    return qs.filter(Exists(here))


def _senders(message: Message, ids: frozenset[int]) -> list[str]:
    """The visible thread's senders, this message's first, then by how often they wrote."""
    if message.thread_id is None:
        return [message.from_addr] if message.from_addr else []
    rows = _visible_rows(Message.objects.filter(thread_id=message.thread_id), ids)
    counts = Counter(rows.values_list("from_addr", flat=True)[:500])
    ordered = [message.from_addr] + [a for a, _ in counts.most_common()]
    return list(dict.fromkeys(a for a in ordered if a))[:PARTICIPANTS]


def _by_participants(message: Message, ids: frozenset[int], limit: int) -> list[int]:
    """Per sender, their visible messages just before and after this one (by id, which follows
    ingest order: the index on ``from_addr`` serves it without sorting), nearest first."""
    near: list[tuple[int, int]] = []
    for sender in _senders(message, ids):
        qs = Message.objects.filter(from_addr=sender).exclude(id=message.id)
        if message.thread_id is not None:
            qs = qs.exclude(thread_id=message.thread_id)
        qs = _visible_rows(qs, ids)
        before = qs.filter(id__lt=message.id).order_by("-id").values_list("id", flat=True)
        after = qs.filter(id__gt=message.id).order_by("id").values_list("id", flat=True)
        near += [(abs(i - message.id), i) for i in [*before[:limit], *after[:limit]]]
    return [i for _, i in sorted(set(near))][:limit]


def rare_terms(message: Message, count: int = RELATED_TERMS) -> list[str]:
    """The message's most telling words: the longest of its subject and opening text."""
    text = f"{message.subject}\n{(message.body_text or '')[:2000]}"
    words = {w for w in tokenize(text) if len(w) >= 5 and not w.isdigit()} - _STOPWORDS
    return sorted(words, key=lambda w: (-len(w), w))[:count]


def _by_terms(message: Message, ids: frozenset[int], limit: int) -> list[int]:
    """The best-ranked visible messages matching any of the rare terms, outside the thread.

    A search scoped to collections is slow on a large corpus, so a wider unscoped page is
    ranked first and filtered to visible ids: ranking is the same function either way, so the
    visible ids in that page, in order, are exactly the head of the scoped ranking. When they
    are too few and more hits remain, the scoped search answers instead."""
    terms = rare_terms(message)
    if not terms or not ids:
        return []
    query = " OR ".join(f'"{t}"' for t in terms)  # no -thread: it would cost the fast top-N
    wanted = limit + 1
    probe = service.search(query, limit=min(4 * wanted, 200), snippets=False)
    thread = message.thread_id
    candidates = [
        h.id for h in probe.hits if h.id != message.id and (not thread or h.thread_id != thread)
    ]
    visible = set(
        Location.objects.filter(message_id__in=candidates, collection_id__in=ids).values_list(
            "message_id", flat=True
        )
    )
    found = [i for i in candidates if i in visible]
    if len(found) >= limit or probe.total <= len(probe.hits):
        return found[:limit]
    if thread:
        query = f"({query}) -thread:{thread}"
    result = service.search(query, limit=wanted, snippets=False, collection_ids=ids)
    return [hit.id for hit in result.hits if hit.id != message.id][:limit]


def _summaries(found: list[tuple[int, str]], ids: frozenset[int]) -> list[dict]:
    by_id = {m.id: m for m in Message.objects.filter(id__in=[i for i, _ in found])}
    names = _visible_names(by_id, ids)
    out = []
    for message_id, reason in found:
        m = by_id.get(message_id)
        if m is None or message_id not in names:
            continue
        out.append(
            {
                "id": m.id,
                "subject": m.subject,
                "from": m.from_addr,
                "from_name": m.from_name,
                "date": selectors.iso(m.date),
                "collection": names[message_id],
                "thread_id": m.thread_id,
                "reason": reason,
            }
        )
    return out
