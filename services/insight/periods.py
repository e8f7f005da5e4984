"""Reporting periods: what ``/stats 30d``, ``/stats 2026-10``, ``/stats 2026`` and
``/stats 2026-09-01 2026-10-31`` mean.

Days and months are Stockholm's (a request sent at 00:30 on 1 November local time belongs to
November); a period is stored as UTC instants, start inclusive and end exclusive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from services.introductions.calendar import STOCKHOLM

__all__ = [
    "DEFAULT_DAYS",
    "Period",
    "PeriodError",
    "day_start",
    "month_of",
    "month_starts",
    "parse_period",
    "period_between",
]

DEFAULT_DAYS = 30
_DAYS = re.compile(r"(\d{1,4})\s*(d|dagar|dag|days?)")
_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_YEAR = re.compile(r"\d{4}")


class PeriodError(ValueError):
    """Text that is no period; the caller shows the usage."""


@dataclass(frozen=True, slots=True)
class Period:
    start: datetime  # UTC, inclusive
    end: datetime  # UTC, exclusive
    label: str  # "2026-10-01 – 2026-10-31", as people read it

    def contains(self, moment: datetime | None) -> bool:
        return moment is not None and self.start <= moment < self.end


def day_start(day: date) -> datetime:
    """Midnight of ``day`` in Stockholm, as UTC."""
    return datetime.combine(day, time(), tzinfo=STOCKHOLM).astimezone(UTC)


def period_between(first: date, last: date) -> Period:
    """From the start of ``first`` to the end of ``last`` (Stockholm days, both included)."""
    if last < first:
        raise PeriodError(f"{first.isoformat()} is after {last.isoformat()}")
    end = day_start(last + timedelta(days=1))
    return Period(day_start(first), end, f"{first.isoformat()} – {last.isoformat()}")


def _month_end(year: int, month: int) -> date:
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return following - timedelta(days=1)


def parse_period(text: str, *, now: datetime) -> Period:
    """The period ``text`` names; empty text is the last :data:`DEFAULT_DAYS` days.

    >>> from datetime import datetime, UTC
    >>> now = datetime(2026, 11, 25, 12, tzinfo=UTC)
    >>> parse_period("2026-10", now=now).label
    '2026-10-01 – 2026-10-31'
    >>> parse_period("7d", now=now).label
    '2026-11-19 – 2026-11-25'
    >>> parse_period("2026-09-01 2026-10-31", now=now).label
    '2026-09-01 – 2026-10-31'
    """
    value = " ".join(text.strip().lower().split())
    today = now.astimezone(STOCKHOLM).date()
    if not value:
        value = f"{DEFAULT_DAYS}d"
    try:
        if match := _DAYS.fullmatch(value):
            days = int(match.group(1))
            if days < 1:
                raise PeriodError("at least one day")
            return period_between(today - timedelta(days=days - 1), today)
        if match := _MONTH.fullmatch(value):
            year, month = int(match.group(1)), int(match.group(2))
            return period_between(date(year, month, 1), _month_end(year, month))
        if _YEAR.fullmatch(value):
            year = int(value)
            return period_between(date(year, 1, 1), date(year, 12, 31))
        parts = value.replace("–", " ").replace("..", " ").split()
        if len(parts) == 2:
            return period_between(date.fromisoformat(parts[0]), date.fromisoformat(parts[1]))
    except ValueError as error:  # a month 13, a 30 February, …
        raise PeriodError(str(error)) from None
    raise PeriodError(f"not a period: {text!r}")


def month_starts(period: Period) -> list[date]:
    """The first day of every Stockholm month the period touches, in order."""
    first = period.start.astimezone(STOCKHOLM).date().replace(day=1)
    last = (period.end - timedelta(microseconds=1)).astimezone(STOCKHOLM).date()
    months = []
    current = first
    while current <= last:
        months.append(current)
        current = _month_end(current.year, current.month) + timedelta(days=1)
    return months


def month_of(moment: datetime) -> str:
    """``"2026-10"``: the Stockholm month of a UTC instant."""
    return moment.astimezone(STOCKHOLM).strftime("%Y-%m")
