"""Courtesy hours: Swedish working days, 09:00-17:00 Stockholm, holidays from the library."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.followups.courtesy import WorkingHours
from services.introductions.calendar import STOCKHOLM

HOURS = WorkingHours()


def stockholm(*args: int) -> datetime:
    return datetime(*args, tzinfo=STOCKHOLM)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("moment", "allowed"),
    [
        (stockholm(2026, 12, 1, 9, 0), True),  # a Tuesday, opening time
        (stockholm(2026, 12, 1, 8, 59), False),
        (stockholm(2026, 12, 1, 16, 59), True),
        (stockholm(2026, 12, 1, 17, 0), False),  # closing time is closed
        (stockholm(2026, 12, 5, 12, 0), False),  # Saturday
        (stockholm(2026, 12, 6, 12, 0), False),  # Sunday
        (stockholm(2026, 12, 24, 10, 0), False),  # julafton (de facto holiday)
        (stockholm(2026, 12, 25, 10, 0), False),  # juldagen
        (stockholm(2027, 1, 6, 10, 0), False),  # trettondedag jul (a Wednesday)
        (stockholm(2026, 6, 19, 10, 0), False),  # midsommarafton
        (stockholm(2026, 6, 22, 10, 0), True),
    ],
)
def test_allows_working_hours_on_swedish_working_days(moment: datetime, allowed: bool) -> None:
    assert HOURS.allows(moment) is allowed
    assert HOURS.allows(moment.astimezone(UTC)) is allowed  # the zone of the input is irrelevant


@pytest.mark.parametrize(
    ("moment", "opening"),
    [
        (stockholm(2026, 12, 1, 7, 30), stockholm(2026, 12, 1, 9, 0)),  # later the same day
        (stockholm(2026, 12, 1, 17, 30), stockholm(2026, 12, 2, 9, 0)),  # the next morning
        (stockholm(2026, 12, 4, 17, 0), stockholm(2026, 12, 7, 9, 0)),  # Friday → Monday
        (stockholm(2026, 12, 5, 11, 0), stockholm(2026, 12, 7, 9, 0)),  # Saturday → Monday
        # Julafton, juldagen, annandag jul, then a weekend: Monday 28 December.
        (stockholm(2026, 12, 23, 17, 5), stockholm(2026, 12, 28, 9, 0)),
        (stockholm(2026, 12, 31, 12, 0), stockholm(2027, 1, 4, 9, 0)),  # nyårsafton/-dagen
        (stockholm(2026, 12, 1, 10, 0), stockholm(2026, 12, 1, 10, 0)),  # open: now
    ],
)
def test_next_opening(moment: datetime, opening: datetime) -> None:
    assert HOURS.next_opening(moment) == opening
    assert HOURS.next_opening(moment).tzinfo is UTC


def test_opening_follows_daylight_saving_time() -> None:
    winter = HOURS.next_opening(stockholm(2026, 12, 5, 12, 0))
    summer = HOURS.next_opening(stockholm(2026, 6, 20, 12, 0))
    assert (winter.hour, summer.hour) == (8, 7)  # 09:00 in Stockholm, in UTC


def test_parse_and_always() -> None:
    assert WorkingHours.parse("08:30-16") == WorkingHours(
        start=stockholm(2026, 1, 1, 8, 30).time(), end=stockholm(2026, 1, 1, 16, 0).time()
    )
    always = WorkingHours.parse("always")
    saturday_night = stockholm(2026, 12, 5, 23, 0)
    assert always.allows(saturday_night)
    assert always.next_opening(saturday_night) == saturday_night


@pytest.mark.parametrize("text", ["", "9", "17-9", "25:00-26:00", "nine to five", "09:00-09:00"])
def test_bad_hours_are_rejected_with_the_input_named(text: str) -> None:
    with pytest.raises(ValueError, match=r"working hours|not a time"):
        WorkingHours.parse(text)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        HOURS.allows(datetime(2026, 12, 1, 10, 0))
