"""Search, count and facet messages: the one entry point the CLI, the web UI and the API share.

``collection_ids`` restricts every result, count, facet, collection name and thread size to
messages with a Location in those collections: None means all, an empty set means nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Count
from django.db.models.functions import Substr

from dossier.corpus.models import Collection as CollectionModel
from dossier.corpus.models import Location, Message
from dossier.corpus.search import (
    datesort,
    postgres_fts,
    senders,
    sqlite_fts,
    textsnippets,
    topn,
)
from dossier.corpus.search.facets import DEFAULT_BUDGET, compute_facets, run_with_budget
from dossier.corpus.search.nodes import Node
from dossier.corpus.search.plan import Compiled, Sql, count_sql, page_sql, scope_sql
from dossier.corpus.search.query import parse
from dossier.corpus.search.snippets import (
    MARKS,
    clean,
    has_match,
    head,
    snippet_html,
    snippet_plain,
    snippet_rich,
)
from dossier.errors import QueryError

T = TypeVar("T")

__all__ = [
    "Hit",
    "SearchResult",
    "count",
    "facets",
    "hit_to_json",
    "result_to_json",
    "search",
    "snippet_html",
    "snippet_plain",
    "snippet_rich",
]
MAX_LIMIT = 1000
MAX_OFFSET = 1_000_000_000
SNIPPET_BUDGET = 1.0  # seconds
HEAD_FALLBACK = 600  # characters of the body a hit without a snippet shows the start of


@dataclass
class Hit:
    id: int
    message_id: str
    subject: str
    from_addr: str
    from_name: str
    to: list[str]
    date: datetime | None
    collection: str
    thread_id: int | None
    thread_size: int
    snippet: str  # matches between snippets.START and snippets.STOP
    has_attachments: bool
    rank: float


@dataclass
class SearchResult:
    query: str
    total: int
    offset: int
    limit: int
    hits: list[Hit]
    facets: dict[str, dict[str, Any]] | None = None


def search(
    query: str,
    *,
    limit: int = 20,
    offset: int = 0,
    facets: bool = False,
    snippets: bool = True,
    collection_ids: Collection[int] | None = None,
    sort: str = "relevance",
) -> SearchResult:
    """One page of the messages matching ``query``, best first (``sort="relevance"``), or
    ``"newest"`` / ``"oldest"`` first; ``QueryError`` on bad input."""
    if sort not in datesort.SORTS:
        raise QueryError(f"sort must be one of {', '.join(datesort.SORTS)}, not {sort!r}")
    return unscoped_when_all(
        collection_ids,
        lambda ids: _search(query, limit, offset, facets, snippets, ids, sort),
    )


def unscoped_when_all(collection_ids: Collection[int] | None, run: Callable[[Any], T]) -> T:
    """``run(collection_ids)``, or ``run(None)`` when the ids include every collection.

    A scope costs a join through the locations of every hit (3 to 7 times slower on the
    benchmark corpus); one that hides nothing can be dropped. The check is repeated after the
    unscoped run: if a collection appeared meanwhile, its messages may be in the result, and
    the run is done again with the scope. Collections are never deleted, so this is exact."""
    if collection_ids is not None and _covers_all(collection_ids):
        result = run(None)
        if _covers_all(collection_ids):
            return result
    return run(collection_ids)


def _covers_all(collection_ids: Collection[int]) -> bool:
    ids = {int(i) for i in collection_ids}
    return bool(ids) and not CollectionModel.objects.exclude(id__in=ids).exists()


def _search(
    query: str,
    limit: int,
    offset: int,
    facets: bool,
    snippets: bool,
    collection_ids: Collection[int] | None,
    sort: str = "relevance",
) -> SearchResult:
    if not 1 <= limit <= MAX_LIMIT:
        raise QueryError(f"limit must be between 1 and {MAX_LIMIT}, not {limit}")
    if not 0 <= offset <= MAX_OFFSET:
        raise QueryError(f"offset must be between 0 and {MAX_OFFSET:,}, not {offset}")
    node = parse(query)
    compiled = compile_node(node)
    scope = scope_sql(collection_ids)
    top = None
    if sort != "relevance" or not compiled.ranked:  # unranked: newest first is the order
        top = datesort.page(compiled, scope, limit, offset, newest=sort != "oldest")
    elif topn.applies(compiled, scope, limit, offset):
        top = topn.page(compiled, limit, offset)
    if top is not None:
        ranked, total = top
    else:
        rows = _rows(page_sql(compiled, scope, limit, offset))
        ranked = [row[:2] for row in rows]
        if rows:
            total = rows[0][2]
        else:
            total = _rows(count_sql(compiled, scope))[0][0] if offset else 0
    hits = _hits(node, ranked, collection_ids, snippets)
    facet_data = None
    if facets:
        where = (compiled.where, compiled.params)
        facet_data = compute_facets(where, collection_ids, hit_ids=topn.ids_sql(compiled))
    return SearchResult(query, total, offset, limit, hits, facet_data)


def count(query: str, *, collection_ids: Collection[int] | None = None) -> int:
    """How many messages match ``query``."""
    compiled = compile_node(parse(query))
    return unscoped_when_all(
        collection_ids, lambda ids: _rows(count_sql(compiled, scope_sql(ids)))[0][0]
    )


def facets(
    query: str,
    *,
    collection_ids: Collection[int] | None = None,
    budget: float = DEFAULT_BUDGET,
) -> dict[str, dict[str, Any]]:
    """Facet counts (sender, domain, month, collection) over all messages matching ``query``."""
    compiled = compile_node(parse(query))
    where = (compiled.where, compiled.params)

    def run(ids: Collection[int] | None) -> dict[str, dict[str, Any]]:
        return compute_facets(where, ids, budget=budget, hit_ids=topn.ids_sql(compiled))

    return unscoped_when_all(collection_ids, run)


def compile_node(node: Node) -> Compiled:
    """Compile for the database in use (``from:DOMAIN`` resolved to the stored domains)."""
    node = senders.resolve(node, senders.cached_suffixes)
    if connection.vendor == "sqlite":
        return sqlite_fts.compile_query(node)
    return postgres_fts.compile_query(node)


def _rows(query: Sql) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(*query)
        return cursor.fetchall()


_HIT_FIELDS = (
    "id", "message_id", "subject", "from_addr", "from_name", "to_addrs", "date",
    "collection_id", "collection__name", "thread_id", "thread__message_count",
    "has_attachments",
)  # fmt: skip


def _hits(
    node: Node, rows: list[tuple], collection_ids: Collection[int] | None, with_snippets: bool
) -> list[Hit]:
    """The hits of one page: a single query for the rows (plain values, not model objects) and
    the heads of their texts that snippets are cut from; thread sizes come from the thread rows
    unless a collection scope must recount them."""
    ids = [row[0] for row in rows]
    found = Message.objects.filter(id__in=ids)
    fields = _HIT_FIELDS
    if with_snippets:
        found = found.annotate(
            body_head=Substr("body_text", 1, textsnippets.HEAD_CHARS),
            attachment_head=Substr("attachment_text", 1, textsnippets.HEAD_CHARS),
        )
        fields = (*_HIT_FIELDS, "body_head", "attachment_head")
    messages = {m["id"]: m for m in found.values(*fields)}
    snippets = _snippets(node, messages.values()) if with_snippets else {}
    names = _collection_names(list(messages.values()), collection_ids)
    sizes = _thread_sizes(list(messages.values()), collection_ids)
    hits = []
    for message_id, rank in rows:
        message = messages.get(message_id)
        if message is None:  # deleted since the page query ran
            continue
        snippet = snippets.get(message_id) or (
            head(message["body_head"][:HEAD_FALLBACK]) if with_snippets else ""
        )
        hits.append(_hit(message, names[message_id], sizes, snippet, float(rank or 0.0)))
    return hits


def _hit(message: dict, collection: str, sizes: dict, snippet: str, rank: float) -> Hit:
    return Hit(
        id=message["id"],
        message_id=message["message_id"],
        subject=message["subject"],
        from_addr=message["from_addr"],
        from_name=message["from_name"],
        to=addresses(message["to_addrs"]),
        date=message["date"],
        collection=collection,
        thread_id=message["thread_id"],
        thread_size=sizes.get(message["thread_id"], 1),
        snippet=snippet,
        has_attachments=message["has_attachments"],
        rank=rank,
    )


def _snippets(node: Node, messages: Iterable[dict]) -> dict[int, str]:
    """Per id, the first of body, attachment text and subject snippets that shows a match.

    Cut in Python from the head of each text (``textsnippets.py``); the database's snippet
    function answers only for hits whose match lies further in. Snippets are a courtesy: past
    ``SNIPPET_BUDGET`` seconds those hits keep their plain heads.
    """
    rows = [(m["id"], m["body_head"], m["attachment_head"], m["subject"]) for m in messages]
    cut, missing = textsnippets.page_snippets(node, rows)
    found = {row_id: clean(text) for row_id, text in cut.items()}
    if not missing:
        return found
    builder = sqlite_fts.snippet_sql if connection.vendor == "sqlite" else postgres_fts.snippet_sql
    query = builder(node, missing, MARKS)
    rows = run_with_budget(query, SNIPPET_BUDGET) if query is not None else None
    for row_id, *candidates in rows or []:
        best = next((c for c in candidates if has_match(c)), None)
        if best is not None:
            found[row_id] = clean(best)
    return found


def _collection_names(messages: list[dict], collection_ids: Collection[int] | None) -> dict:
    """The message's own collection, or the first visible one it was also found in."""
    names = {
        m["id"]: m["collection__name"]
        for m in messages
        if collection_ids is None or m["collection_id"] in collection_ids
    }
    missing = [m["id"] for m in messages if m["id"] not in names]
    if missing:
        rows = (
            Location.objects.filter(message_id__in=missing, collection_id__in=collection_ids)
            .order_by("collection_id")
            .values_list("message_id", "collection__name")
        )
        for message_id, name in rows:
            names.setdefault(message_id, name)
    return names


def _thread_sizes(messages: list[dict], collection_ids: Collection[int] | None) -> dict:
    """Messages per thread, counting only visible ones (unscoped: the thread's own count)."""
    if collection_ids is None:
        return {m["thread_id"]: m["thread__message_count"] for m in messages if m["thread_id"]}
    threads = Message.objects.filter(
        thread_id__in={m["thread_id"] for m in messages if m["thread_id"]}
    )
    threads = threads.filter(locations__collection_id__in=collection_ids)
    counted = threads.values("thread_id").annotate(n=Count("id", distinct=True))
    return {row["thread_id"]: row["n"] for row in counted}


def addresses(value: Any) -> list[str]:
    """The recipient addresses stored in ``Message.to_addrs`` (a JSON list of strings)."""
    return [item for item in value or [] if isinstance(item, str) and item]


def hit_to_json(hit: Hit) -> dict[str, Any]:
    """The JSON shape of a hit; the snippet is HTML with ``<mark>`` around matches."""
    return {
        "id": hit.id,
        "message_id": hit.message_id,
        "subject": hit.subject,
        "from": hit.from_addr,
        "from_name": hit.from_name,
        "to": hit.to,
        "date": iso_utc(hit.date),
        "collection": hit.collection,
        "thread_id": hit.thread_id,
        "thread_size": hit.thread_size,
        "snippet": snippet_html(hit.snippet),
        "has_attachments": hit.has_attachments,
    }


def result_to_json(result: SearchResult) -> dict[str, Any]:
    """The JSON shape of a search result: paging, total, hits and (if asked) facets."""
    return {
        "query": result.query,
        "total": result.total,
        "offset": result.offset,
        "limit": result.limit,
        "hits": [hit_to_json(hit) for hit in result.hits],
        "facets": result.facets,
    }


def iso_utc(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with a ``Z``, or None."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
