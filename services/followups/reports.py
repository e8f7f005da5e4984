"""A check-in the outbox could not deliver after every retry is reported to the hub (the
sender's ``on_failed`` hook, in the transaction that marks it failed)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.followups.dispatch import HUB_LANGUAGE
from services.followups.texts import FollowUpTexts
from services.hubs.notices import designer_label, maker_hub_id, notify_hub
from services.messages import Reply
from storage.models import Designer, FollowUp, Introduction, Maker, MatchRequest, Outbox

__all__ = ["delivery_failed"]


async def delivery_failed(
    session: AsyncSession, row: Outbox, *, now: datetime, admin_ids: Collection[int]
) -> None:
    """An outbox row that carried a check-in failed after every retry: tell the hub."""
    follow_up = (
        await session.exec(select(FollowUp).where(col(FollowUp.outbox_id) == row.id))
    ).first()
    if follow_up is None:  # not a check-in
        return
    hub_id, who = await _hub_and_who(session, follow_up)
    t = FollowUpTexts(HUB_LANGUAGE)
    await notify_hub(
        session,
        hub_id=hub_id,
        reply=Reply(
            t(
                "hub.failed",
                kind=t(f"kind.{follow_up.kind}"),
                who=who,
                attempts=row.attempts,
                error=(row.last_error or "")[:200],
            )
        ),
        kind="followup.failed",
        key=f"followup-failed:{follow_up.id}",
        now=now,
        admin_ids=admin_ids,
    )


async def _hub_and_who(session: AsyncSession, follow_up: FollowUp) -> tuple[int | None, str]:
    if follow_up.introduction_id is not None:
        introduction = await session.get(Introduction, follow_up.introduction_id)
        request = await session.get(MatchRequest, introduction.request_id) if introduction else None
        maker = await session.get(Maker, introduction.maker_id) if introduction else None
        designer = (
            await session.get(Designer, request.designer_id)
            if request is not None and request.designer_id
            else None
        )
        who = (
            designer_label(designer)
            if follow_up.side == "designer"
            else (maker.name if maker else "–")
        )
        return (request.hub_id if request else None), who
    maker = await session.get(Maker, follow_up.maker_id) if follow_up.maker_id else None
    if maker is None:
        return None, "–"
    return await maker_hub_id(session, maker), maker.name
