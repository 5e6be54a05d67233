"""``date:`` values: ``2011``, ``2011-03``, ``2011-03-05`` and ranges of them joined by ``..``.

A date names a whole period (a year, a month or a day, UTC). A range runs from the start of its
first period to the end of its last, so ``..2011-03`` means before 2011-04-01. Either side of a
range may be left open, not both.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from dossier.corpus.search.nodes import DateRange
from dossier.errors import QueryError

_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?")
FORMS = "use YYYY, YYYY-MM or YYYY-MM-DD, or a range such as 2011-01..2011-06-30"


def parse_date_range(value: str, position: int | None = None) -> DateRange:
    """The ``DateRange`` a ``date:`` value names; ``QueryError`` when it names none."""
    value = value.strip()
    if ".." not in value:
        start, end = _period(value, position)
        return DateRange(start, end)
    first, _, last = value.partition("..")
    if not first and not last:
        raise QueryError(f"date:{value} needs a date on at least one side of '..'", position)
    start = _period(first, position)[0] if first else None
    end = _period(last, position)[1] if last else None
    if start is not None and end is not None and end <= start:
        raise QueryError(f"date:{value} ends before it starts", position)
    return DateRange(start, end)


def _period(text: str, position: int | None) -> tuple[datetime, datetime | None]:
    """The start and the (exclusive) end of the year, month or day ``text`` names."""
    match = _DATE.fullmatch(text)
    if match is None:
        raise QueryError(f"date:{text} is not a date: {FORMS}", position)
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        start = datetime(year, month or 1, day or 1, tzinfo=UTC)
    except ValueError as exc:
        raise QueryError(f"date:{text} is not a valid date ({exc})", position) from exc
    return start, _after(start, month is not None, day is not None)


def _after(start: datetime, has_month: bool, has_day: bool) -> datetime | None:
    """The first instant after the period beginning at ``start``; None past year 9999."""
    try:
        if has_day:
            return start + timedelta(days=1)
        if has_month:
            if start.month == 12:
                return start.replace(year=start.year + 1, month=1)
            return start.replace(month=start.month + 1)
        return start.replace(year=start.year + 1)
    except (OverflowError, ValueError):
        return None
