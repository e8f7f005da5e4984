"""Courtesy hours: check-ins go out on Swedish working days between 09:00 and 17:00
Europe/Stockholm (public holidays and midsommar-, jul- and nyårsafton excluded, from the
``holidays`` package via :mod:`services.introductions.calendar`). Anything due outside goes out
at the next opening."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from services.introductions.calendar import STOCKHOLM, is_working_day

__all__ = ["WorkingHours"]

_HOURS = re.compile(r"^\s*(\d{1,2})(?::(\d{2}))?\s*-\s*(\d{1,2})(?::(\d{2}))?\s*$")


@dataclass(frozen=True)
class WorkingHours:
    """``start``–``end`` Stockholm time on working days; ``always`` lifts the rule."""

    start: time = time(9, 0)
    end: time = time(17, 0)
    always: bool = False

    @classmethod
    def parse(cls, text: str) -> WorkingHours:
        """``"09:00-17:00"``, ``"8-16"`` or ``"always"``.

        >>> WorkingHours.parse("8-16:30")
        WorkingHours(start=datetime.time(8, 0), end=datetime.time(16, 30), always=False)
        """
        if text.strip().lower() == "always":
            return cls(always=True)
        match = _HOURS.match(text)
        if match is None:
            raise ValueError(f"working hours must look like 09:00-17:00 or be 'always': {text!r}")
        h1, m1, h2, m2 = match.groups()
        try:
            start, end = time(int(h1), int(m1 or 0)), time(int(h2), int(m2 or 0))
        except ValueError as error:
            raise ValueError(f"not a time of day in {text!r}: {error}") from None
        if start >= end:
            raise ValueError(f"working hours must start before they end: {text!r}")
        return cls(start=start, end=end)

    def allows(self, moment: datetime) -> bool:
        """May a check-in go out at ``moment``?"""
        if self.always:
            return True
        local = _local(moment)
        return is_working_day(local.date()) and self.start <= local.time() < self.end

    def next_opening(self, moment: datetime) -> datetime:
        """``moment`` itself when allowed, else the next working day's start (UTC)."""
        if self.allows(moment):
            return moment.astimezone(UTC)
        local = _local(moment)
        day = local.date()
        if local.time() >= self.start:  # today's window is over (or today is no working day)
            day += timedelta(days=1)
        while not is_working_day(day):
            day += timedelta(days=1)
        return datetime.combine(day, self.start, tzinfo=STOCKHOLM).astimezone(UTC)

    def describe(self) -> str:
        if self.always:
            return "always"
        return f"{self.start:%H:%M}-{self.end:%H:%M} Europe/Stockholm, Swedish working days"


def _local(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("working hours need a timezone-aware datetime")
    return moment.astimezone(STOCKHOLM)
