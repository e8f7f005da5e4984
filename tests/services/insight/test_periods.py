"""Reporting periods as coordinators type them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.insight.periods import PeriodError, month_starts, parse_period

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


def test_the_default_is_the_last_thirty_days() -> None:
    assert parse_period("", now=NOW).label == "2026-10-27 – 2026-11-25"


def test_months_years_and_ranges_follow_stockholm_days() -> None:
    october = parse_period("2026-10", now=NOW)
    assert october.start == datetime(2026, 9, 30, 22, tzinfo=UTC)  # 00:00 CEST
    assert october.end == datetime(2026, 10, 31, 23, tzinfo=UTC)  # 00:00 CET
    assert parse_period("2026", now=NOW).label == "2026-01-01 – 2026-12-31"
    assert parse_period(" 90 dagar ", now=NOW).label == "2026-08-28 – 2026-11-25"
    span = parse_period("2026-09-01 2026-10-31", now=NOW)
    assert [m.isoformat() for m in month_starts(span)] == ["2026-09-01", "2026-10-01"]


@pytest.mark.parametrize(
    "text", ["igår", "2026-13", "2026-02-30 2026-03-01", "2026-10-31 2026-09-01", "0d", "x y z"]
)
def test_what_is_no_period_is_refused(text: str) -> None:
    with pytest.raises(PeriodError):
        parse_period(text, now=NOW)
