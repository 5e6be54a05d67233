"""A date histogram of the hits as inline SVG, drawn on the server from the month facet.

Pure Python, no JavaScript: one ``<rect>`` per month, each a link that adds ``date:YYYY-MM`` to
the search. Every label is escaped. When the facet holds every month the gaps between the first
and last are drawn as empty months; when it holds only the busiest ones (truncated) only those
are drawn, in date order, and the caption says so.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT, TOP, BOTTOM, LEFT = 640, 120, 14, 20, 4
LABEL_GAP = 56  # px between axis labels
MAX_SLOT = 56  # a few months stay bars on the left, not a wall of blue
MAX_MONTHS = 240
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Bar:
    month: str
    count: int


def _next(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    return f"{year + mon // 12:04d}-{mon % 12 + 1:02d}"


def bars(facet: dict | None) -> tuple[list[Bar], bool]:
    """Months in date order with their counts, and whether some months are missing."""
    if not facet or facet.get("timed_out"):
        return [], False
    counts = {
        str(v["value"]): int(v["count"])
        for v in facet.get("values", [])
        if v.get("value") and _MONTH.match(str(v["value"]))
    }
    if not counts:
        return [], False
    partial = bool(facet.get("truncated"))
    months = sorted(counts)
    if not partial:
        filled, month = [], months[0]
        while month <= months[-1] and len(filled) < MAX_MONTHS:
            filled.append(month)
            month = _next(month)
        months = filled
    return [Bar(m, counts.get(m, 0)) for m in months], partial


def histogram_svg(facet: dict | None, link) -> SafeString:
    """The SVG markup (safe to insert), or "" when there is nothing to draw.

    ``link(month)`` returns the (unescaped) URL a click on that month's bar goes to.
    """
    data, partial = bars(facet)
    if not data:
        return mark_safe("")
    peak = max(b.count for b in data) or 1
    slot = min((WIDTH - 2 * LEFT) / len(data), MAX_SLOT)
    plot = HEIGHT - TOP - BOTTOM
    width = max(round(len(data) * slot + 2 * LEFT), 160)
    parts = [
        f'<svg class="histogram" width="{width}" height="{HEIGHT}" '
        f'viewBox="0 0 {width} {HEIGHT}" role="img" '
        f'aria-label="Hits by month" xmlns="http://www.w3.org/2000/svg">',
        f'<text class="peak" x="{LEFT}" y="10">max {peak:,} per month</text>',
    ]
    for i, bar in enumerate(data):
        h = plot * bar.count / peak
        x, y = LEFT + i * slot, TOP + plot - h
        label = escape(f"{bar.month}: {bar.count:,} hits")
        parts.append(
            f'<a href="{escape(link(bar.month))}"><title>{label}</title>'
            f'<rect x="{x + slot * 0.1:.1f}" y="{y:.1f}" width="{max(slot * 0.8, 1):.1f}" '
            f'height="{max(h, 0.5 if bar.count else 0):.1f}"/></a>'
        )
    for i in _label_positions(len(data), slot):
        x = LEFT + (i + 0.5) * slot
        parts.append(
            f'<text class="axis" x="{x:.1f}" y="{HEIGHT - 5}" text-anchor="middle">'
            f"{escape(data[i].month)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every value above is escaped or a number


def _label_positions(n: int, slot: float) -> list[int]:
    """Labels at least ``LABEL_GAP`` apart, from the first; the last month is always labelled."""
    step = max(1, math.ceil(LABEL_GAP / slot))
    positions = list(range(0, n, step))
    if positions[-1] != n - 1:
        if (n - 1 - positions[-1]) * slot < LABEL_GAP and len(positions) > 1:
            positions.pop()
        positions.append(n - 1)
    return positions
