"""The clock: one reminder after three working days without an answer, "unanswered"
two working days later (the designer is offered alternatives, the hub is told)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.hubs.notices import maker_hub_id, notify_hub
from services.introductions.anonymise import without_contacts
from services.introductions.answers import _tell_designer
from services.introductions.calendar import add_working_days
from services.introductions.common import (
    _answer_buttons,
    _maker_chat,
    _maker_contacts,
    _number,
    _parties,
    _record,
    _transition,
)
from services.introductions.model import (
    _OPEN,
    HUB_LANGUAGE,
    MAKER_LANGUAGE,
    REMINDER_AFTER_WORKING_DAYS,
    UNANSWERED_AFTER_REMINDER_WORKING_DAYS,
    TickReport,
)
from services.introductions.relay import _close_relays
from services.introductions.texts import IntroTexts
from services.matchmaking import Matchmaker
from services.messages import Reply
from services.outbox import enqueue
from storage.models import (
    Introduction,
    IntroductionStatus,
)


async def tick(
    *,
    session: AsyncSession,
    now: datetime,
    admin_ids: Collection[int] = (),
    matchmaker: Matchmaker | None = None,
) -> TickReport:
    """Remind makers who have not answered within 3 working days (once); 2 working days after
    the reminder mark the introduction unanswered, offer the designer alternatives and tell
    the hub. Safe to run as often as wanted, by several processes (each step is a conditional
    update; messages carry dedupe keys)."""
    reminded = unanswered = 0
    # 3 working days are at least 3 calendar days: the database narrows, the calendar decides.
    due = await session.exec(
        select(Introduction).where(
            col(Introduction.status) == _OPEN,
            col(Introduction.reminded_at).is_(None),
            col(Introduction.brief_sent_at) <= now - timedelta(days=REMINDER_AFTER_WORKING_DAYS),
        )
    )
    for introduction in list(due.all()):
        assert introduction.brief_sent_at is not None
        if add_working_days(introduction.brief_sent_at, REMINDER_AFTER_WORKING_DAYS) > now:
            continue
        if await _remind(session, introduction, now, admin_ids):
            reminded += 1
    stale = await session.exec(
        select(Introduction).where(
            col(Introduction.status) == _OPEN,
            col(Introduction.reminded_at)
            <= now - timedelta(days=UNANSWERED_AFTER_REMINDER_WORKING_DAYS),
        )
    )
    for introduction in list(stale.all()):
        assert introduction.reminded_at is not None
        deadline = add_working_days(
            introduction.reminded_at, UNANSWERED_AFTER_REMINDER_WORKING_DAYS
        )
        if deadline > now:
            continue
        if await _unanswered(session, introduction, now, admin_ids, matchmaker):
            unanswered += 1
    await session.flush()
    return TickReport(reminded=reminded, unanswered=unanswered)


async def _remind(
    session: AsyncSession, introduction: Introduction, now: datetime, admin_ids: Collection[int]
) -> bool:
    result = await session.exec(
        update(Introduction)
        .where(
            col(Introduction.id) == introduction.id,
            col(Introduction.status) == _OPEN,
            col(Introduction.reminded_at).is_(None),
        )
        .values(reminded_at=now)
        .execution_options(synchronize_session=False)
    )
    if not result.rowcount:
        return False
    await session.refresh(introduction)
    assert introduction.id is not None
    request, maker, _designer = await _parties(session, introduction)
    t = IntroTexts(MAKER_LANGUAGE)
    chat = _maker_chat(maker)
    if chat is not None:
        what = without_contacts(request.text.strip())
        what = what if len(what) <= 60 else what[:59] + "…"
        buttons = await _answer_buttons(session, t, introduction, now, user_id=chat)
        await enqueue(
            session=session,
            chat_id=chat,
            recipient_user_id=chat,
            reply=Reply(
                t("maker.reminder", number=_number(t, request), what=what), buttons=buttons
            ),
            kind="intro.reminder",
            now=now,
            dedupe_key=f"reminder:{introduction.id}",
        )
    else:
        hub_id = await maker_hub_id(session, maker)
        buttons = await _answer_buttons(session, t, introduction, now, hub_id=hub_id)
        text = t(
            "hub.reminder",
            maker=maker.name,
            number=_number(t, request),
            contacts=_maker_contacts(maker),
        )
        await notify_hub(
            session,
            hub_id=hub_id,
            reply=Reply(text, buttons=buttons),
            kind="intro.reminder",
            key=f"reminder:{introduction.id}",
            now=now,
            admin_ids=admin_ids,
        )
    _record(session, introduction, "reminded", now=now, actor=None, to="maker" if chat else "hub")
    return True


async def _unanswered(
    session: AsyncSession,
    introduction: Introduction,
    now: datetime,
    admin_ids: Collection[int],
    matchmaker: Matchmaker | None,
) -> bool:
    if not await _transition(session, introduction, IntroductionStatus.UNANSWERED, now):
        return False
    assert introduction.id is not None
    request, maker, designer = await _parties(session, introduction)
    _record(session, introduction, "unanswered", now=now, actor=None)
    await _tell_designer(
        session,
        request,
        maker,
        designer,
        "designer.unanswered",
        f"unanswered:{introduction.id}",
        now,
        matchmaker,
    )
    t = IntroTexts(HUB_LANGUAGE)
    await notify_hub(
        session,
        hub_id=request.hub_id,
        reply=Reply(t("hub.unanswered", maker=maker.name, number=_number(t, request))),
        kind="intro.unanswered",
        key=f"unanswered:{introduction.id}",
        now=now,
        admin_ids=admin_ids,
    )
    await _close_relays(session, introduction, now)
    return True
