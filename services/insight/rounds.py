"""A matchmaking round's own figures, for ``/stats`` and the funder report: how many designers
entered, how many pairs were proposed and approved, how many makers said yes, how many
introductions were made, and how many entries no maker of the round took.

The rounds counted are those whose sign-up *opened* in the period; like the requests'
cohorts, a round's figures grow as its introductions are answered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.insight.periods import Period
from services.insight.scope import Scope
from storage.models import (
    Introduction,
    IntroductionStatus,
    Round,
    RoundEntry,
    RoundPair,
    RoundPairStatus,
)

__all__ = ["ROUND_COLUMNS", "RoundFigures", "round_figures"]

ROUND_COLUMNS = (
    "round",
    "theme",
    "status",
    "closes",
    "entries",
    "pairs_proposed",
    "pairs_approved",
    "makers_interested",
    "introductions_made",
    "round_unmet",
)


@dataclass(frozen=True, slots=True)
class RoundFigures:
    id: int
    theme: str
    status: str
    opens_at: datetime
    closes_at: datetime
    entries: int
    pairs_proposed: int  # pairs in the proposal (before and after approval)
    pairs_approved: int
    makers_interested: int  # the round's makers that said yes to one of its introductions
    introductions_made: int  # both sides said yes
    unmet: int  # entries without a pair

    def cells(self) -> list[str | int]:
        return [
            self.id, self.theme, self.status, self.closes_at.date().isoformat(), self.entries,
            self.pairs_proposed, self.pairs_approved, self.makers_interested,
            self.introductions_made, self.unmet,
        ]  # fmt: skip


async def round_figures(
    *, session: AsyncSession, scope: Scope, period: Period
) -> tuple[RoundFigures, ...]:
    query = select(Round).where(
        col(Round.opens_at) >= period.start, col(Round.opens_at) < period.end
    )
    if not scope.everything:
        query = query.where(col(Round.hub_id).in_(sorted(scope.hub_ids)))
    rounds = list((await session.exec(query.order_by(col(Round.opens_at), col(Round.id)))).all())
    figures = []
    for round_ in rounds:
        assert round_.id is not None
        entries = (
            await session.exec(select(RoundEntry.id).where(col(RoundEntry.round_id) == round_.id))
        ).all()
        pairs = list(
            (
                await session.exec(select(RoundPair).where(col(RoundPair.round_id) == round_.id))
            ).all()
        )
        approved = [p for p in pairs if p.status == RoundPairStatus.APPROVED]
        introduction_ids = [p.introduction_id for p in approved if p.introduction_id is not None]
        introductions = (
            list(
                (
                    await session.exec(
                        select(Introduction).where(col(Introduction.id).in_(introduction_ids))
                    )
                ).all()
            )
            if introduction_ids
            else []
        )
        made = [
            i
            for i in introductions
            if i.introduced_at is not None or i.status == IntroductionStatus.INTERESTED
        ]
        figures.append(
            RoundFigures(
                id=round_.id,
                theme=round_.theme,
                status=round_.status,
                opens_at=round_.opens_at,
                closes_at=round_.closes_at,
                entries=len(entries),
                pairs_proposed=len(pairs),
                pairs_approved=len(approved),
                makers_interested=len({i.maker_id for i in made}),
                introductions_made=len(made),
                unmet=len(entries) - len({p.entry_id for p in pairs}),
            )
        )
    return tuple(figures)
