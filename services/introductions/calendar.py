"""Working days in Sweden: Monday to Friday, except public holidays and the full-day de facto
ones (midsommarafton, julafton, nyårsafton), from the maintained ``holidays`` package.

Days are counted on the Stockholm calendar: a brief sent on Friday evening UTC is still a
Friday brief, and the deadline keeps the local time of day of ``start``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays

__all__ = ["STOCKHOLM", "add_working_days", "is_working_day"]

STOCKHOLM = ZoneInfo("Europe/Stockholm")


@cache
def _holidays(year: int) -> frozenset[date]:
    public = holidays.Sweden(years=year)  # also lists every Sunday, which is no working day anyway
    de_facto = holidays.Sweden(years=year, categories=("de_facto",))
    return frozenset(public) | frozenset(de_facto)


def is_working_day(day: date) -> bool:
    """Monday–Friday and not a Swedish holiday.

    >>> is_working_day(date(2026, 6, 19))  # midsommarafton
    False
    >>> is_working_day(date(2026, 6, 22))
    True
    """
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(start: datetime, n: int) -> datetime:
    """The moment ``n`` working days after ``start``, at the same Stockholm time of day (UTC).

    A start on a weekend or holiday counts from the next working day's same time.
    """
    if start.tzinfo is None:
        raise ValueError("add_working_days needs a timezone-aware datetime")
    if n < 0:
        raise ValueError("n must not be negative")
    local = start.astimezone(STOCKHOLM)
    day = local.date()
    remaining = n
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    moved = datetime.combine(day, local.time().replace(tzinfo=None), tzinfo=STOCKHOLM)
    return moved.astimezone(UTC)
