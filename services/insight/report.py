"""The funder report (``spok-bot report``, ``/report``): per month, the funnel, introductions
made and what came of them, as CSV or XLSX.

A month's row counts the requests created that month and everything that followed from them
(the same cohort rule as :mod:`services.insight.stats`), so the columns nest and a month's
figures only ever grow as outcomes are reported. The XLSX has a second sheet with every
introduction that was made (request number, maker, dates, outcome): makers are companies, and
nothing about the designer is in it.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlmodel.ext.asyncio.session import AsyncSession

from services.catalogue.columns import escape_cell
from services.insight.periods import Period, month_of, month_starts
from services.insight.rounds import ROUND_COLUMNS, RoundFigures, round_figures
from services.insight.rows import IntroRow, RequestRow, load_introductions, load_requests
from services.insight.scope import Scope
from services.insight.stats import Funnel, funnel_of, responses_of, unmet_request_ids
from services.insight.texts import InsightTexts

__all__ = ["MonthRow", "Report", "ReportFormat", "funder_report", "report_bytes"]

MONTH_COLUMNS = (
    "month",
    "requests",
    "unmet",
    "asked",
    "interested",
    "met",
    "prototype",
    "production",
    "ended",
    "answered",
    "response_rate",
)
INTRODUCTION_COLUMNS = (
    "month",
    "request",
    "maker",
    "introduced",
    "outcome",
    "outcome_date",
    "ended_reason",
)


class ReportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


@dataclass(frozen=True, slots=True)
class MonthRow:
    month: str  # "2026-10", or the total's label
    funnel: Funnel
    unmet: int
    ended: int  # introductions made that are "not going ahead"
    briefed: int
    answered: int

    def cells(self) -> list[str | int | float]:
        rate = round(100 * self.answered / self.briefed, 1) if self.briefed else ""
        f = self.funnel
        return [
            self.month, f.requests, self.unmet, f.asked, f.interested, f.met, f.prototype,
            f.production, self.ended, self.answered, rate,
        ]  # fmt: skip


@dataclass(frozen=True, slots=True)
class Report:
    period: Period
    months: tuple[MonthRow, ...]
    total: MonthRow
    introductions: tuple[IntroRow, ...]  # the ones made, oldest request first
    rounds: tuple[RoundFigures, ...] = ()  # matchmaking rounds opened in the period


def _row(label: str, requests: Sequence[RequestRow], introductions: Sequence[IntroRow]) -> MonthRow:
    responses = responses_of(introductions)
    return MonthRow(
        month=label,
        funnel=funnel_of(len(requests), introductions),
        unmet=len(unmet_request_ids(requests, introductions)),
        ended=sum(1 for row in introductions if row.made and row.ended_at is not None),
        briefed=responses.briefed,
        answered=responses.answered,
    )


async def funder_report(
    *, session: AsyncSession, scope: Scope, period: Period, total_label: str = "total"
) -> Report:
    hub_ids = None if scope.everything else scope.hub_ids
    requests = await load_requests(
        session=session, hub_ids=hub_ids, start=period.start, end=period.end
    )
    introductions = await load_introductions(
        session=session, hub_ids=hub_ids, start=period.start, end=period.end
    )
    requests_by_month: dict[str, list[RequestRow]] = defaultdict(list)
    for request in requests:
        requests_by_month[month_of(request.created_at)].append(request)
    introductions_by_month: dict[str, list[IntroRow]] = defaultdict(list)
    for row in introductions:
        introductions_by_month[month_of(row.request_created_at)].append(row)
    months = tuple(
        _row(key, requests_by_month[key], introductions_by_month[key])
        for key in (month.strftime("%Y-%m") for month in month_starts(period))
    )
    made = tuple(row for row in introductions if row.made)
    rounds = await round_figures(session=session, scope=scope, period=period)
    return Report(period, months, _row(total_label, requests, introductions), made, rounds)


def _introduction_cells(row: IntroRow, t: InsightTexts) -> list[str | int]:
    return [
        month_of(row.request_created_at),
        row.request_id,
        escape_cell(row.maker_name),
        row.introduced_at.date().isoformat() if row.introduced_at else "",
        row.outcome or "",
        row.outcome_at.date().isoformat() if row.outcome_at else "",
        row.ended_reason or "",
    ]


def _round_cells(figures: RoundFigures, t: InsightTexts) -> list[str | int]:
    cells = figures.cells()
    cells[1] = escape_cell(figures.theme)
    cells[2] = t.plain(f"report.round_status.{figures.status}")
    return cells


def report_bytes(report: Report, fmt: ReportFormat, t: InsightTexts) -> bytes:
    """CSV: the monthly table with its total (semicolon, UTF-8 with BOM, for Swedish Excel),
    then, when the period has matchmaking rounds, a blank line and their table.
    XLSX: that table, a sheet with every introduction made, and one with the rounds (if any)."""
    header = [t.plain(f"report.column.{column}") for column in MONTH_COLUMNS]
    rows = [row.cells() for row in (*report.months, report.total)]
    round_header = [t.plain(f"report.column.{column}") for column in ROUND_COLUMNS]
    round_rows = [_round_cells(figures, t) for figures in report.rounds]
    if fmt is ReportFormat.CSV:
        text = io.StringIO(newline="")
        writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
        if round_rows:
            writer.writerow([])
            writer.writerow(round_header)
            writer.writerows(round_rows)
        return text.getvalue().encode("utf-8-sig")
    from openpyxl import Workbook

    workbook = Workbook()
    months = workbook.active
    assert months is not None
    months.title = t.plain("report.sheet_months")
    months.append(header)
    for cells in rows:
        months.append(cells)
    months.freeze_panes = "A2"
    sheet = workbook.create_sheet(t.plain("report.sheet_introductions"))
    sheet.append([t.plain(f"report.column.{column}") for column in INTRODUCTION_COLUMNS])
    for row in report.introductions:
        sheet.append(_introduction_cells(row, t))
    sheet.freeze_panes = "A2"
    if round_rows:
        rounds = workbook.create_sheet(t.plain("report.sheet_rounds"))
        rounds.append(round_header)
        for round_cells in round_rows:
            rounds.append(round_cells)
        rounds.freeze_panes = "A2"
    data = io.BytesIO()
    workbook.save(data)
    return data.getvalue()
