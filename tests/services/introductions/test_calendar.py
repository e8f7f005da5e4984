"""Working days: Monday–Friday without Swedish holidays, counted on the Stockholm calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from services.introductions.calendar import STOCKHOLM, add_working_days, is_working_day


def _sthlm(*args: int) -> datetime:
    return datetime(*args, tzinfo=STOCKHOLM)


def test_three_working_days_after_a_friday_is_wednesday() -> None:
    friday = _sthlm(2026, 11, 27, 10, 0)
    assert add_working_days(friday, 3) == _sthlm(2026, 12, 2, 10, 0).astimezone(UTC)
    assert add_working_days(friday, 5) == _sthlm(2026, 12, 4, 10, 0).astimezone(UTC)


def test_midsommarafton_is_skipped() -> None:
    tuesday = _sthlm(2026, 6, 16, 10, 0)  # Fri 19 June is midsommarafton
    assert add_working_days(tuesday, 3) == _sthlm(2026, 6, 22, 10, 0).astimezone(UTC)


def test_christmas_is_skipped() -> None:
    tuesday = _sthlm(2026, 12, 22, 10, 0)  # julafton Thu 24, juldagen Fri 25
    assert add_working_days(tuesday, 3) == _sthlm(2026, 12, 29, 10, 0).astimezone(UTC)


def test_the_local_day_counts_not_the_utc_one() -> None:
    # 23:30 UTC on Thursday is already Friday 00:30 in Stockholm.
    thursday_utc = datetime(2026, 11, 26, 23, 30, tzinfo=UTC)
    assert add_working_days(thursday_utc, 1) == _sthlm(2026, 11, 30, 0, 30).astimezone(UTC)


def test_a_weekend_start_counts_from_monday() -> None:
    saturday = _sthlm(2026, 11, 28, 12, 0)
    assert add_working_days(saturday, 1) == _sthlm(2026, 11, 30, 12, 0).astimezone(UTC)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 12, 25), False),  # juldagen
        (date(2026, 12, 24), False),  # julafton
        (date(2026, 6, 19), False),  # midsommarafton
        (date(2026, 5, 14), False),  # Kristi himmelsfärd
        (date(2026, 11, 28), False),  # Saturday
        (date(2026, 11, 27), True),
    ],
)
def test_holidays_and_weekends_are_not_working_days(day: date, working: bool) -> None:
    assert is_working_day(day) is working


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError):
        add_working_days(datetime(2026, 11, 27, 10, 0), 3)
