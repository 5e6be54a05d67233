"""The search page's state in its URL: ``q`` (what was typed), ``f`` (one filter term each,
appended to the query, removable) and ``page``. A shared URL reproduces the same search.

Filters are ordinary query-language terms (docs/query-language.md): a facet click adds
``from:ADDRESS``, ``from:*@DOMAIN``, ``date:YYYY-MM`` or ``collection:"NAME"``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from dossier.corpus.search.datesort import SORTS

PAGE_SIZE = 20
MAX_PAGE = 500
MAX_FILTERS = 20
_MONTH = re.compile(r"^\d{4}-\d{2}$")


@dataclass(frozen=True)
class SearchState:
    q: str = ""
    filters: tuple[str, ...] = field(default_factory=tuple)
    page: int = 1
    sort: str = "relevance"  # or "newest", "oldest" (service.search)

    @classmethod
    def from_request(cls, request) -> SearchState:
        q = request.GET.get("q", "").strip()[:10_000]
        seen: dict[str, None] = {}
        for value in request.GET.getlist("f")[:MAX_FILTERS]:
            if value.strip():
                seen.setdefault(value.strip()[:500], None)
        try:
            page = int(request.GET.get("page", "1"))
        except ValueError:
            page = 1
        sort = request.GET.get("sort", "relevance")
        sort = sort if sort in SORTS else "relevance"
        return cls(q=q, filters=tuple(seen), page=min(max(page, 1), MAX_PAGE), sort=sort)

    @property
    def query(self) -> str:
        """What the search service runs: the typed query and every filter, ANDed."""
        parts = [f"({self.q})" if self.q and self.filters else self.q, *self.filters]
        return " ".join(p for p in parts if p)

    @property
    def offset(self) -> int:
        return (self.page - 1) * PAGE_SIZE

    def params(self, *, filters=None, page: int = 1, sort: str | None = None) -> str:
        pairs = [("q", self.q)] if self.q else []
        pairs += [("f", f) for f in (self.filters if filters is None else filters)]
        sort = self.sort if sort is None else sort
        if sort != "relevance":
            pairs.append(("sort", sort))
        if page > 1:
            pairs.append(("page", str(page)))
        return urlencode(pairs)

    def sorted_by(self, sort: str) -> str:
        """The first page of the same search in another order."""
        return self.params(sort=sort)

    def with_filter(self, term: str) -> str:
        if term in self.filters:
            return self.params()
        return self.params(filters=(*self.filters, term))

    def without_filter(self, term: str) -> str:
        return self.params(filters=tuple(f for f in self.filters if f != term))

    def at_page(self, page: int) -> str:
        return self.params(page=page)


_BARE = re.compile(r"^[\w.@+][\w.@+-]*$")


def _term(name: str, value: str) -> str | None:
    """``name:value``, the value quoted as a phrase unless it is one plain token."""
    if _BARE.match(value):
        return f"{name}:{value}"
    if '"' in value or not value.strip():
        return None
    return f'{name}:"{value}"'


def facet_term(facet: str, value) -> str | None:
    """The filter term a click on ``value`` of ``facet`` adds; None when it cannot be expressed."""
    if value is None:
        return None
    value = str(value)
    if facet in ("sender", "sender_domain"):
        return _term("from", value)
    if facet == "month":
        return f"date:{value}" if _MONTH.match(value) else None
    if facet == "collection":
        return _term("collection", value)
    return None
