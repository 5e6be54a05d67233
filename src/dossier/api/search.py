"""``GET /api/search``: the query language of the CLI, over the collections granted to you."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router
from ninja.responses import codes_4xx

from dossier.api.auth import client_ip
from dossier.api.schemas import Error, SearchOut
from dossier.corpus import access
from dossier.corpus.search.service import MAX_LIMIT, MAX_OFFSET, result_to_json

router = Router(tags=["search"])


@router.get("/search", response={200: SearchOut, codes_4xx: Error}, by_alias=True)
def search(
    request: HttpRequest,
    q: str = Query(..., description="A query; see docs/query-language.md."),
    limit: int = Query(20, ge=1, le=MAX_LIMIT, description="Hits per page."),
    offset: int = Query(0, ge=0, le=MAX_OFFSET, description="Hits to skip."),
    facets: bool = Query(False, description="Also count by sender, domain, month, ..."),
    snippets: bool = Query(True, description="Highlighted extracts (costs time)."),
    sort: Literal["relevance", "newest", "oldest"] = Query(
        "relevance", description="Best first, or by date."
    ),
):
    """One page of the messages matching `q`, best first (or newest or oldest first).
    Audited as `search.run`."""
    result = access.search_as(
        user=request.auth,
        query=q,
        limit=limit,
        offset=offset,
        facets=facets,
        snippets=snippets,
        sort=sort,
        ip=client_ip(request),
    )
    return result_to_json(result)
