"""``/stats``: the funnel, what was asked for and where, and how makers answer, for a scope
and a period.

Everything is counted over the requests *created* in the period (a cohort): the introductions,
answers and outcomes are those of these requests, however late they came. So a month's
figures can still grow as its introductions lead somewhere, and the steps of the funnel always
nest.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from matching.regions import area_of
from services.insight.periods import Period
from services.insight.rounds import RoundFigures, round_figures
from services.insight.rows import IntroRow, RequestRow, load_introductions, load_requests, reached
from services.insight.scope import Scope
from storage.models import IntroductionStatus, Outcome, RequestStatus

__all__ = [
    "UNKNOWN",
    "Funnel",
    "Responses",
    "Stats",
    "funnel_of",
    "hub_stats",
    "responses_of",
    "unmet_request_ids",
]

UNKNOWN = "unknown"  # a request without a volume stage or place, in the breakdowns

NOT_TAKEN = (IntroductionStatus.DECLINED.value, IntroductionStatus.UNANSWERED.value)

Counts = tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class Funnel:
    requests: int
    asked: int  # introductions the designers asked for
    interested: int  # the maker said yes: introduced
    met: int
    prototype: int
    production: int

    def steps(self) -> tuple[tuple[str, int], ...]:
        return (
            ("requests", self.requests),
            ("asked", self.asked),
            ("interested", self.interested),
            ("met", self.met),
            ("prototype", self.prototype),
            ("production", self.production),
        )


@dataclass(frozen=True, slots=True)
class Responses:
    briefed: int  # briefs that reached a maker (or their hub)
    answered: int  # interested or declined
    declined: int
    median_hours: float | None  # from the brief to the first answer

    @property
    def rate(self) -> float | None:
        return self.answered / self.briefed if self.briefed else None


@dataclass(frozen=True, slots=True)
class Stats:
    period: Period
    funnel: Funnel
    unmet: int  # no maker matched, or every maker asked declined or never answered
    by_material: Counts  # taxonomy code → requests, most first
    by_process: Counts
    by_volume: Counts  # VolumeStage value (or UNKNOWN)
    by_area: Counts  # sub-region or county name (or UNKNOWN)
    responses: Responses
    rounds: tuple[RoundFigures, ...] = ()  # matchmaking rounds opened in the period


def _ranked(counter: Counter[str]) -> Counts:
    return tuple(sorted(counter.items(), key=lambda item: (-item[1], item[0])))


def funnel_of(requests: int, introductions: Iterable[IntroRow]) -> Funnel:
    rows = list(introductions)
    return Funnel(
        requests=requests,
        asked=len(rows),
        interested=sum(1 for row in rows if row.made),
        met=sum(1 for row in rows if reached(row.outcome, Outcome.MET)),
        prototype=sum(1 for row in rows if reached(row.outcome, Outcome.PROTOTYPE)),
        production=sum(1 for row in rows if reached(row.outcome, Outcome.PRODUCTION)),
    )


def responses_of(introductions: Iterable[IntroRow]) -> Responses:
    briefed = [row for row in introductions if row.brief_sent_at is not None]
    hours = [
        max(0.0, (row.answered_at - row.brief_sent_at).total_seconds() / 3600)
        for row in briefed
        if row.answered_at is not None and row.brief_sent_at is not None
    ]
    return Responses(
        briefed=len(briefed),
        answered=len(hours),
        declined=sum(1 for row in briefed if row.status == "declined"),
        median_hours=statistics.median(hours) if hours else None,
    )


def unmet_request_ids(
    requests: Sequence[RequestRow], introductions: Sequence[IntroRow]
) -> set[int]:
    """Requests no maker took: none matched (``unmet``), or every maker asked declined or
    never answered."""
    by_request: dict[int, list[IntroRow]] = {}
    for row in introductions:
        by_request.setdefault(row.request_id, []).append(row)
    unmet = set()
    for request in requests:
        asked = by_request.get(request.id, [])
        nobody_took_it = bool(asked) and all(row.status in NOT_TAKEN for row in asked)
        if request.status == RequestStatus.UNMET or nobody_took_it:
            unmet.add(request.id)
    return unmet


async def hub_stats(*, session: AsyncSession, scope: Scope, period: Period) -> Stats:
    hub_ids = None if scope.everything else scope.hub_ids
    requests = await load_requests(
        session=session, hub_ids=hub_ids, start=period.start, end=period.end
    )
    introductions = await load_introductions(
        session=session, hub_ids=hub_ids, start=period.start, end=period.end
    )
    materials: Counter[str] = Counter()
    processes: Counter[str] = Counter()
    volumes: Counter[str] = Counter()
    areas: Counter[str] = Counter()
    for request in requests:
        materials.update(set(request.materials))
        processes.update(set(request.processes))
        volumes[request.volume_stage or UNKNOWN] += 1
        areas[area_of(request.municipality_code) or UNKNOWN] += 1
    return Stats(
        period=period,
        funnel=funnel_of(len(requests), introductions),
        unmet=len(unmet_request_ids(requests, introductions)),
        by_material=_ranked(materials),
        by_process=_ranked(processes),
        by_volume=_ranked(volumes),
        by_area=_ranked(areas),
        responses=responses_of(introductions),
        rounds=await round_figures(session=session, scope=scope, period=period),
    )
