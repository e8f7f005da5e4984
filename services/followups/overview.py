"""/followups: the follow-up table as a coordinator reads it — counts by kind and status, what
goes out next, and what could not be delivered (with the last error)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import ColumnElement, or_
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.followups.courtesy import WorkingHours
from services.followups.texts import FollowUpTexts
from services.hubs.access import Access
from services.hubs.registry import HubMap
from services.introductions.calendar import STOCKHOLM
from services.messages import Reply
from storage.models import (
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    Hub,
    Introduction,
    Maker,
    MatchRequest,
)
from storage.repositories.hubs import list_hubs

__all__ = ["overview"]

MAX_FAILURES = 5


async def overview(
    *, session: AsyncSession, access: Access, hours: WorkingHours, language: str | None = None
) -> Reply:
    """The follow-ups of the hubs ``access`` coordinates (an admin: all of them)."""
    t = FollowUpTexts(language)
    if not access.is_staff:
        return Reply(t("overview.refused"))
    scope = await _scope(session, access)
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for kind, status, n in (
        await session.exec(
            select(FollowUp.kind, FollowUp.status, func.count())
            .where(scope)
            .group_by(col(FollowUp.kind), col(FollowUp.status))
        )
    ).all():
        counts[kind][status] = n
    if access.is_admin:
        hub_name = "alla nav" if t.language == "sv" else "all hubs"
    else:
        names = (
            await session.exec(select(Hub.name).where(col(Hub.id).in_(access.coordinator_hub_ids)))
        ).all()
        hub_name = ", ".join(sorted(names))
    lines: list[str] = [t("overview.title", hub=hub_name)]
    if not counts:
        lines.append(t("overview.empty"))
        return Reply("\n".join(lines))
    for kind in FollowUpKind:
        if kind.value not in counts:
            continue
        parts = [
            f"{counts[kind.value][status.value]} {t(f'overview.status.{status.value}')}"
            for status in FollowUpStatus
            if status.value in counts[kind.value]
        ]
        lines.append(t("overview.counts", kind=t(f"kind.{kind.value}"), counts=", ".join(parts)))
    upcoming = (
        await session.exec(
            select(FollowUp)
            .where(scope, col(FollowUp.status) == FollowUpStatus.PENDING.value)
            .order_by(col(FollowUp.due_at))
            .limit(1)
        )
    ).first()
    if upcoming is not None:
        lines.append("")
        lines.append(
            t(
                "overview.next",
                when=_when(hours.next_opening(upcoming.due_at)),
                kind=t(f"kind.{upcoming.kind}"),
                who=t(f"who.{upcoming.side or 'maker'}"),
            )
        )
    lines.append(t("overview.hours", hours=hours.describe()))
    failures = (
        await session.exec(
            select(FollowUp)
            .where(scope, col(FollowUp.status) == FollowUpStatus.FAILED.value)
            .order_by(col(FollowUp.due_at).desc())
            .limit(MAX_FAILURES)
        )
    ).all()
    if failures:
        lines.append("")
    for failed in failures:
        lines.append(
            t(
                "overview.failure",
                when=_when(failed.due_at),
                kind=t(f"kind.{failed.kind}"),
                who=t(f"who.{failed.side or 'maker'}"),
                error=(failed.last_error or "")[:120],
                attempts=failed.attempts,
            )
        )
    return Reply("\n".join(lines))


async def _scope(session: AsyncSession, access: Access) -> ColumnElement[bool]:
    """Follow-ups of the hubs ``access`` coordinates: check-ins by their request's hub,
    freshness checks by the maker's hub (set on the listing, else its county's)."""
    if access.is_admin:
        return col(FollowUp.id).is_not(None)
    hubs = list(access.coordinator_hub_ids)
    of_requests = (
        select(Introduction.id)
        .join(MatchRequest, col(MatchRequest.id) == col(Introduction.request_id))
        .where(col(MatchRequest.hub_id).in_(hubs))
    )
    asked = select(FollowUp.maker_id).where(col(FollowUp.maker_id).is_not(None)).distinct()
    makers = (await session.exec(select(Maker).where(col(Maker.id).in_(asked)))).all()
    hub_map = HubMap(await list_hubs(session=session))
    ours = [maker.id for maker in makers if hub_map.of_maker(maker).id in hubs]
    return or_(col(FollowUp.introduction_id).in_(of_requests), col(FollowUp.maker_id).in_(ours))


def _when(moment: datetime) -> str:
    return moment.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M")
