"""Makers' answers so far, folded into what the model needs: pure, fed by the database
(:mod:`services.reciprocal.store`) or by the market simulation alike.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from services.reciprocal.model import (
    DEFAULT_RECIPROCAL_WEIGHTS,
    DEFAULT_WEEKLY_CAP,
    WEEK_DAYS,
    Decline,
    DeclineKind,
    HubRates,
    MakerHistory,
    ReciprocalWeights,
    shrunk_rate,
)

# Statuses of an introduction (storage.models.IntroductionStatus values).
INTERESTED = "interested"
DECLINED = "declined"
UNANSWERED = "unanswered"
DECIDED = (INTERESTED, DECLINED, UNANSWERED)
# How far back answers are read: older ones say little about a maker today.
HISTORY_DAYS = 365
# Jobs a maker said yes to within this many days still fill its calendar.
TAKEN_DAYS = 28


@dataclass(frozen=True, slots=True)
class BriefRecord:
    """One introduction as the history sees it."""

    maker_id: str  # the catalogue's external id
    sent_at: datetime  # when the designer asked for it (it counts against the week from then)
    status: str
    answered_at: datetime | None = None  # the maker's first answer
    decline_reason: str | None = None
    concepts: frozenset[str] = frozenset()  # the request's taxonomy codes
    brief_sent_at: datetime | None = None
    quantity: int | None = None  # the request's pieces


@dataclass(frozen=True, slots=True)
class MarketSignals:
    """Every maker's history at ``now`` and the hub's rate that new makers start from."""

    now: datetime
    histories: Mapping[str, MakerHistory]
    prior: HubRates
    default_cap: int = DEFAULT_WEEKLY_CAP

    def history(self, maker_id: str) -> MakerHistory:
        found = self.histories.get(maker_id)
        return found if found is not None else MakerHistory(cap=self.default_cap)


def histories(
    records: Iterable[BriefRecord],
    *,
    now: datetime,
    caps: Mapping[str, int] | None = None,
    default_cap: int = DEFAULT_WEEKLY_CAP,
) -> dict[str, MakerHistory]:
    """Fold ``records`` (any order) into a :class:`MakerHistory` per maker; ``caps`` are the
    coordinators' weekly caps by maker id (missing: ``default_cap``)."""
    caps = caps or {}
    week_start = now - timedelta(days=WEEK_DAYS)
    by_maker: dict[str, list[BriefRecord]] = {}
    for record in records:
        if record.sent_at <= now:
            by_maker.setdefault(record.maker_id, []).append(record)
    result: dict[str, MakerHistory] = {}
    for maker_id, rows in by_maker.items():
        rows.sort(key=lambda r: r.sent_at)
        hours = [
            (r.answered_at - (r.brief_sent_at or r.sent_at)).total_seconds() / 3600
            for r in rows
            if r.answered_at is not None and r.answered_at <= now
        ]
        declines = tuple(
            Decline(
                r.answered_at or r.sent_at, DeclineKind(r.decline_reason), r.concepts, r.quantity
            )
            for r in rows
            if r.status == DECLINED and r.decline_reason in tuple(DeclineKind)
        )
        result[maker_id] = MakerHistory(
            decided=sum(1 for r in rows if r.status in DECIDED),
            answered=sum(1 for r in rows if r.status in (INTERESTED, DECLINED)),
            interested=sum(1 for r in rows if r.status == INTERESTED),
            explained=len(declines),
            median_answer_hours=statistics.median(hours) if hours else None,
            this_week=sum(1 for r in rows if r.sent_at > week_start),
            jobs_taken=sum(
                1
                for r in rows
                if r.status == INTERESTED
                and r.answered_at is not None
                and now - timedelta(days=TAKEN_DAYS) < r.answered_at <= now
            ),
            cap=caps.get(maker_id, default_cap),
            declines=declines,
        )
    for maker_id, cap in caps.items():
        result.setdefault(maker_id, MakerHistory(cap=cap))
    return result


def hub_prior(
    found: Mapping[str, MakerHistory], weights: ReciprocalWeights = DEFAULT_RECIPROCAL_WEIGHTS
) -> HubRates:
    """The hub's answer and yes rates, each shrunk towards :class:`HubRates`' defaults (so a
    hub with three answers does not swing every new maker's start)."""
    start = HubRates()
    k = weights.prior_strength
    decided = sum(h.decided for h in found.values())
    answered = sum(h.answered for h in found.values())
    unexplained = sum(max(0, h.answered - h.explained) for h in found.values())
    interested = sum(h.interested for h in found.values())
    return HubRates(
        answer=shrunk_rate(answered, decided, start.answer, k),
        yes=shrunk_rate(interested, unexplained, start.yes, k),
    )


def market_signals(
    records: Iterable[BriefRecord],
    *,
    now: datetime,
    caps: Mapping[str, int] | None = None,
    default_cap: int = DEFAULT_WEEKLY_CAP,
    weights: ReciprocalWeights = DEFAULT_RECIPROCAL_WEIGHTS,
) -> MarketSignals:
    found = histories(records, now=now, caps=caps, default_cap=default_cap)
    return MarketSignals(now, found, hub_prior(found, weights), default_cap)
