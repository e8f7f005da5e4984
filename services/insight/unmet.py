"""``/unmet``: the requests no maker took, grouped by material, process and area, with counts
per month — the hubs' recruitment list — and the same list as a CSV for a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from matching.places import load_places
from matching.regions import area_of
from services.catalogue.columns import escape_cell
from services.insight.periods import Period, month_of, month_starts
from services.insight.rows import load_introductions, load_requests
from services.insight.scope import Scope
from services.insight.stats import UNKNOWN, Counts, unmet_request_ids
from services.insight.texts import InsightTexts
from services.introductions.anonymise import without_contacts
from storage.models import RequestStatus

__all__ = ["UnmetReport", "UnmetRequest", "unmet_csv", "unmet_report"]

TEXT_CHARS = 200  # of the designer's description, contacts removed


@dataclass(frozen=True, slots=True)
class UnmetRequest:
    id: int
    created_at: datetime
    reason: str  # "no_match" or "declined"
    materials: tuple[str, ...]
    processes: tuple[str, ...]
    volume_stage: str | None
    area: str
    municipality: str | None
    text: str


@dataclass(frozen=True, slots=True)
class UnmetReport:
    period: Period
    requests: tuple[UnmetRequest, ...]
    by_material: Counts
    by_process: Counts
    by_area: Counts
    by_month: Counts  # every month of the period, "2026-10", in order (zeros included)


def _ranked(counter: Counter[str]) -> Counts:
    return tuple(sorted(counter.items(), key=lambda item: (-item[1], item[0])))


def _municipality(code: str | None) -> str | None:
    if not code:
        return None
    try:
        return load_places().municipality(code).name
    except KeyError:
        return None


async def unmet_report(*, session: AsyncSession, scope: Scope, period: Period) -> UnmetReport:
    hub_ids = None if scope.everything else scope.hub_ids
    requests = await load_requests(
        session=session, hub_ids=hub_ids, start=period.start, end=period.end
    )
    introductions = await load_introductions(
        session=session, hub_ids=hub_ids, start=period.start, end=period.end
    )
    unmet_ids = unmet_request_ids(requests, introductions)
    rows = []
    for request in requests:
        if request.id not in unmet_ids:
            continue
        text = without_contacts(" ".join(request.text.split()))
        rows.append(
            UnmetRequest(
                id=request.id,
                created_at=request.created_at,
                reason="no_match" if request.status == RequestStatus.UNMET else "declined",
                materials=request.materials,
                processes=request.processes,
                volume_stage=request.volume_stage,
                area=area_of(request.municipality_code) or UNKNOWN,
                municipality=_municipality(request.municipality_code),
                text=text if len(text) <= TEXT_CHARS else text[: TEXT_CHARS - 1] + "…",
            )
        )
    materials: Counter[str] = Counter()
    processes: Counter[str] = Counter()
    areas: Counter[str] = Counter()
    months: Counter[str] = Counter()
    for row in rows:
        materials.update(set(row.materials))
        processes.update(set(row.processes))
        areas[row.area] += 1
        months[month_of(row.created_at)] += 1
    return UnmetReport(
        period=period,
        requests=tuple(rows),
        by_material=_ranked(materials),
        by_process=_ranked(processes),
        by_area=_ranked(areas),
        by_month=tuple(
            (month.strftime("%Y-%m"), months[month.strftime("%Y-%m")])
            for month in month_starts(period)
        ),
    )


def unmet_csv(report: UnmetReport, t: InsightTexts) -> bytes:
    """Semicolon CSV in UTF-8 with a BOM, as Swedish Excel opens it (like the catalogue export);
    a cell that starts like a formula gets a leading apostrophe."""
    columns = (
        "request",
        "date",
        "month",
        "reason",
        "materials",
        "processes",
        "volume",
        "area",
        "municipality",
        "text",
    )
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([t.plain(f"unmet.column.{column}") for column in columns])
    for row in report.requests:
        writer.writerow(
            [
                str(row.id),
                row.created_at.date().isoformat(),
                month_of(row.created_at),
                t.plain(f"unmet.reason_{row.reason}"),
                ", ".join(t.concept(code) for code in row.materials),
                ", ".join(t.concept(code) for code in row.processes),
                t.volume(row.volume_stage or UNKNOWN),
                escape_cell(t.area(row.area)),
                row.municipality or "",
                escape_cell(row.text),
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
