"""The search page (``/search/?q=&f=&page=``) and its htmx fragment (``/search/results/``).

Both render the same block; the page wraps it in the layout. Facet links are plain links that
htmx upgrades to a fragment swap (``hx-push-url`` keeps the page URL shareable), so the page
works without JavaScript too. A bad query renders its message (status 400) instead of results.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from dossier.corpus import access
from dossier.corpus.search.snippets import snippet_html
from dossier.errors import QueryError
from dossier.web.filters import PAGE_SIZE, SearchState, facet_term
from dossier.web.histogram import histogram_svg
from dossier.web.views.common import client_ip

FACETS = (
    ("sender", "Sender"),
    ("sender_domain", "Sender domain"),
    ("month", "Month"),
    ("collection", "Collection"),
)


@require_GET
@login_required
def search_page(request):
    context, status = _search(request)
    return render(request, "web/search.html", context, status=status)


@require_GET
@login_required
def search_fragment(request):
    context, status = _search(request)
    return render(request, "web/_search_area.html", context, status=status)


def _search(request) -> tuple[dict, int]:
    state = SearchState.from_request(request)
    page_url, fragment_url = reverse("web:search"), reverse("web:search_results")
    context = {"state": state, "page_url": page_url, "fragment_url": fragment_url}
    if not state.query:
        return context, 200
    try:
        result = access.search_as(
            user=request.user,
            query=state.query,
            limit=PAGE_SIZE,
            offset=state.offset,
            facets=True,
            sort=state.sort,
            ip=client_ip(request),
        )
    except QueryError as exc:
        context["error"] = _error(state.query, exc)
        return context, 400
    context.update(_result_context(state, result))
    return context, 200


def _error(query: str, exc: QueryError) -> dict:
    pos = exc.position
    error = {"message": str(exc), "position": pos}
    if pos is not None and 0 <= pos <= len(query):
        end = pos + len(query[pos:].split(" ", 1)[0]) if query[pos : pos + 1].strip() else pos + 1
        error.update(
            column=pos + 1,
            before=query[:pos],
            at=query[pos:end] or " ",
            after=query[end:],
        )
    else:
        error["position"] = None
    return error


def _result_context(state: SearchState, result) -> dict:
    pages = max(1, -(-result.total // PAGE_SIZE))
    return {
        "result": result,
        "hits": [_hit(h) for h in result.hits],
        "facets": _facets(state, result.facets or {}),
        "histogram": histogram_svg(
            (result.facets or {}).get("month"),
            lambda month: f"{reverse('web:search')}?{state.with_filter(f'date:{month}')}",
        ),
        "active_filters": [(f, state.without_filter(f)) for f in state.filters],
        "sorts": [
            (label, state.sorted_by(sort), sort == state.sort)
            for sort, label in (("relevance", "best"), ("newest", "newest"), ("oldest", "oldest"))
        ],
        "first": result.offset + 1 if result.hits else 0,
        "last": result.offset + len(result.hits),
        "pages": pages,
        "last_page_params": state.at_page(pages),
        "prev_params": state.at_page(state.page - 1) if state.page > 1 else None,
        "next_params": (
            state.at_page(state.page + 1) if state.page < pages and result.hits else None
        ),
    }


def _hit(hit) -> dict:
    return {
        "id": hit.id,
        "subject": hit.subject,
        "from_addr": hit.from_addr,
        "from_name": hit.from_name,
        "date": hit.date,
        "collection": hit.collection,
        "thread_id": hit.thread_id,
        "thread_size": hit.thread_size,
        "has_attachments": hit.has_attachments,
        "snippet": mark_safe(snippet_html(hit.snippet)),  # escaped text, then <mark>s
    }


def _facets(state: SearchState, facets: dict) -> list[dict]:
    out = []
    for name, label in FACETS:
        data = facets.get(name) or {}
        values = []
        for item in data.get("values", []):
            term = facet_term(name, item.get("value"))
            values.append(
                {
                    "value": item.get("value"),
                    "count": item.get("count", 0),
                    "params": state.with_filter(term) if term else None,
                    "active": term in state.filters if term else False,
                }
            )
        out.append(
            {
                "name": name,
                "label": label,
                "values": values,
                "truncated": data.get("truncated", False),
                "timed_out": data.get("timed_out", False),
            }
        )
    return out
