"""Template filters for the pages."""

from __future__ import annotations

from datetime import datetime

from django import template

register = template.Library()

REASONS = {"participants": "same people", "terms": "shared rare words"}


@register.filter
def when(value) -> str:
    """An ISO 8601 UTC timestamp (``2011-08-01T10:00:00Z``) as ``2011-08-01 10:00 UTC``."""
    if not value:
        return ""
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return str(value)
    return parsed.strftime("%Y-%m-%d %H:%M UTC")


@register.filter
def reason(value) -> str:
    return REASONS.get(str(value), str(value or ""))
