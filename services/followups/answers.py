"""What people answer: the check-in and freshness buttons, and /checkins.

A button's data is ``fu:<token>:<answer>``: the token (an :class:`~storage.models.ActionToken`
minted with the message) ties it to one follow-up and one person; the answer must be one the
follow-up offers. An answer is stored on the follow-up (``answered``), as an
:class:`~storage.models.IntroductionEvent`, and as the introduction's outcome (the furthest
stage either side reported). Nothing here commits.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date as date_type
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import and_, update
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from matching.models import MakerStatus
from services.followups.dispatch import (
    CALLBACK_PREFIX,
    HUB_LANGUAGE,
    MAKER_LANGUAGE,
    TOKEN_ACTION,
    answers_for,
    button_data,
)
from services.followups.schedule import (
    FollowUpPolicy,
    after_pause,
    cancel_for_introduction,
    insert_rows,
    withdraw,
)
from services.followups.texts import FollowUpTexts
from services.hubs.notices import designer_label, maker_hub_id, notify_hub
from services.introductions.calendar import STOCKHOLM
from services.messages import Button, Reply
from storage.models import (
    OUTCOME_ORDER,
    ActionToken,
    Designer,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    Introduction,
    IntroductionEvent,
    Maker,
    MatchRequest,
    Outcome,
)

__all__ = [
    "EndReason",
    "FollowUpPress",
    "PressResult",
    "answer",
    "parse_button",
]

# Answers that move an introduction's outcome forward.
_OUTCOMES = {
    "no_contact": Outcome.NO_CONTACT,
    "contacted": Outcome.CONTACTED,
    "met": Outcome.MET,
    "prototype": Outcome.PROTOTYPE,
    "production": Outcome.PRODUCTION,
}
_GOOD_NEWS = {"met", "prototype", "production"}
_BUSY_SPANS = {
    "weeks2": timedelta(weeks=2),
    "month1": timedelta(days=30),
    "months3": timedelta(days=91),
}
# Still open to an answer: an unanswered freshness check answered late still counts.
_ANSWERABLE = (
    FollowUpStatus.QUEUED.value,
    FollowUpStatus.SENT.value,
    FollowUpStatus.UNANSWERED.value,
)


class EndReason(StrEnum):
    PRICE = "price"
    TIMING = "timing"
    CAPACITY = "capacity"
    TECHNICAL = "technical"
    OTHER = "other"


class PressResult(StrEnum):
    DONE = "done"
    ALREADY = "already"
    REFUSED = "refused"


@dataclass(frozen=True, slots=True)
class FollowUpPress:
    """What to show the presser (``notice`` as the toast, ``replies`` in the chat) and which
    listings changed (the running matcher must see them)."""

    result: PressResult
    notice: str = ""
    replies: tuple[Reply, ...] = ()
    changed_maker_ids: tuple[int, ...] = ()


def parse_button(data: str) -> tuple[str, str] | None:
    """``(token, answer)`` from a follow-up button's data, or ``None`` if it is not one."""
    parts = data.split(":")
    if len(parts) != 3 or parts[0] != CALLBACK_PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]


async def answer(
    *,
    session: AsyncSession,
    data: str,
    user_id: int,
    now: datetime,
    policy: FollowUpPolicy,
    admin_ids: Collection[int] = (),
) -> FollowUpPress:
    """Act on a pressed follow-up button."""
    parsed = parse_button(data)
    sv = FollowUpTexts(HUB_LANGUAGE)
    if parsed is None:
        return FollowUpPress(PressResult.REFUSED, sv("answer.refused"))
    value, choice = parsed
    token = (
        await session.exec(
            select(ActionToken).where(
                col(ActionToken.token) == value, col(ActionToken.action) == TOKEN_ACTION
            )
        )
    ).first()
    if token is None or token.allowed_user_id != user_id or token.follow_up_id is None:
        return FollowUpPress(PressResult.REFUSED, sv("answer.refused"))
    follow_up = await session.get(FollowUp, token.follow_up_id)
    t = await _texts_for(session, follow_up)
    if follow_up is None or token.used_at is not None or follow_up.status not in _ANSWERABLE:
        return FollowUpPress(PressResult.ALREADY, t("answer.already"))
    head = choice.split(".", 1)[0]
    if head not in answers_for(follow_up.kind) or not _valid_detail(choice):
        return FollowUpPress(PressResult.REFUSED, t("answer.refused"))
    if follow_up.kind == FollowUpKind.FRESHNESS:
        outcome = await _freshness(session, follow_up, value, choice, t, now, policy, admin_ids)
    else:
        outcome = await _checkin(session, follow_up, value, choice, t, now, user_id, admin_ids)
    if outcome.result is PressResult.DONE and follow_up.status == FollowUpStatus.ANSWERED:
        token.used_at = now
        session.add(token)
    await session.flush()
    return outcome


def _valid_detail(choice: str) -> bool:
    head, _, detail = choice.partition(".")
    if not detail:
        return True
    if head == "end":
        return detail in set(EndReason)
    if head == "busy":
        return detail in _BUSY_SPANS
    return False


async def _texts_for(session: AsyncSession, follow_up: FollowUp | None) -> FollowUpTexts:
    """The designer's language for their check-ins; Swedish for makers."""
    if follow_up is None or follow_up.side != "designer" or follow_up.introduction_id is None:
        return FollowUpTexts(MAKER_LANGUAGE)
    designer = (
        await session.exec(
            select(Designer)
            .join(MatchRequest, col(MatchRequest.designer_id) == col(Designer.id))
            .join(Introduction, col(Introduction.request_id) == col(MatchRequest.id))
            .where(col(Introduction.id) == follow_up.introduction_id)
        )
    ).first()
    return FollowUpTexts(designer.language if designer else None)


def _mark_answered(session: AsyncSession, follow_up: FollowUp, choice: str, now: datetime) -> None:
    follow_up.status = FollowUpStatus.ANSWERED.value
    follow_up.answer = choice[:32]
    follow_up.answered_at = now
    session.add(follow_up)


# -- introduction check-ins -----------------------------------------------------------------


async def _checkin(
    session: AsyncSession,
    follow_up: FollowUp,
    token: str,
    choice: str,
    t: FollowUpTexts,
    now: datetime,
    user_id: int,
    admin_ids: Collection[int],
) -> FollowUpPress:
    introduction = await session.get(Introduction, follow_up.introduction_id)
    if introduction is None:
        return FollowUpPress(PressResult.ALREADY, t("answer.already"))
    if choice == "end":  # show the reasons first; nothing changes yet
        buttons = tuple(
            (Button(t(f"button.reason.{reason}"), button_data(token, f"end.{reason}")),)
            for reason in EndReason
        )
        return FollowUpPress(PressResult.DONE, replies=(Reply(t("answer.ask_reason"), buttons),))
    _mark_answered(session, follow_up, choice, now)
    session.add(
        IntroductionEvent(
            introduction_id=introduction.id or 0,
            at=now,
            actor_user_id=user_id,
            event="checkin",
            detail={"kind": follow_up.kind, "side": follow_up.side, "answer": choice},
        )
    )
    if choice.startswith("end."):
        return await _end(session, introduction, follow_up, choice, t, now, admin_ids)
    reported = _OUTCOMES.get(choice)
    if reported is not None and _further(reported, introduction.outcome):
        introduction.outcome = reported.value
        introduction.outcome_at = now
        session.add(introduction)
    if choice == "no_contact":
        await _tell_hub(session, introduction, follow_up, "hub.no_contact", now, admin_ids)
        return FollowUpPress(PressResult.DONE, replies=(Reply(t("answer.no_contact")),))
    key = "answer.good_news" if choice in _GOOD_NEWS else "answer.thanks"
    return FollowUpPress(PressResult.DONE, replies=(Reply(t(key)),))


def _further(reported: Outcome, current: str | None) -> bool:
    if current is None:
        return True
    if reported is Outcome.NO_CONTACT:
        return False  # never undoes a stage reached
    return OUTCOME_ORDER.index(reported) > OUTCOME_ORDER.index(Outcome(current))


async def _end(
    session: AsyncSession,
    introduction: Introduction,
    follow_up: FollowUp,
    choice: str,
    t: FollowUpTexts,
    now: datetime,
    admin_ids: Collection[int],
) -> FollowUpPress:
    reason = choice.split(".", 1)[1]
    ended = await session.exec(
        update(Introduction)
        .where(col(Introduction.id) == introduction.id, col(Introduction.ended_at).is_(None))
        .values(ended_at=now, ended_reason=reason)
        .execution_options(synchronize_session=False)
    )
    if ended.rowcount:
        await session.refresh(introduction)
        assert introduction.id is not None
        await cancel_for_introduction(
            session, introduction_id=introduction.id, reason="not going ahead"
        )
        await _tell_hub(
            session, introduction, follow_up, "hub.ended", now, admin_ids, reason=reason
        )
    return FollowUpPress(PressResult.DONE, replies=(Reply(t("answer.ended")),))


async def _tell_hub(
    session: AsyncSession,
    introduction: Introduction,
    follow_up: FollowUp,
    key: str,
    now: datetime,
    admin_ids: Collection[int],
    *,
    reason: str | None = None,
) -> None:
    request = await session.get(MatchRequest, introduction.request_id)
    maker = await session.get(Maker, introduction.maker_id)
    if request is None or maker is None:
        return
    designer = await session.get(Designer, request.designer_id) if request.designer_id else None
    hub = FollowUpTexts(HUB_LANGUAGE)
    text = hub(
        key,
        who=hub(f"who.{follow_up.side}"),
        designer=designer_label(designer),
        maker=maker.name,
        number=hub("number", number=request.id),
        count=(follow_up.due_at - (introduction.introduced_at or follow_up.due_at)).days,
        reason=hub(f"reason.{reason}") if reason else "",
    )
    await notify_hub(
        session,
        hub_id=request.hub_id,
        reply=Reply(text),
        kind=f"followup.{key.split('.', 1)[1]}",
        key=f"{key}:{follow_up.id}",
        now=now,
        admin_ids=admin_ids,
    )


# -- freshness ------------------------------------------------------------------------------


async def _freshness(
    session: AsyncSession,
    follow_up: FollowUp,
    token: str,
    choice: str,
    t: FollowUpTexts,
    now: datetime,
    policy: FollowUpPolicy,
    admin_ids: Collection[int],
) -> FollowUpPress:
    maker = await session.get(Maker, follow_up.maker_id) if follow_up.maker_id else None
    if maker is None or maker.id is None:
        return FollowUpPress(PressResult.ALREADY, t("answer.already"))
    if choice == "busy":
        buttons = tuple(
            (Button(t(f"freshness.button.{span}"), button_data(token, f"busy.{span}")),)
            for span in _BUSY_SPANS
        )
        return FollowUpPress(PressResult.DONE, replies=(Reply(t("freshness.ask_until"), buttons),))
    _mark_answered(session, follow_up, choice, now)
    # Any other check planned meanwhile (after this one went unanswered) is replaced by what
    # this answer says: the next one in FRESHNESS_WEEKS, after the pause, or none.
    await withdraw(
        session,
        and_(
            col(FollowUp.maker_id) == maker.id,
            col(FollowUp.kind) == FollowUpKind.FRESHNESS.value,
            col(FollowUp.id) != follow_up.id,
        ),
        reason=f"answered: {choice}",
    )
    today = now.astimezone(STOCKHOLM).date()
    if choice == "yes":
        maker.last_confirmed = today
        maker.freshness_penalty = 0.0
        if maker.status == MakerStatus.PAUSED:
            maker.status, maker.paused_until = MakerStatus.LISTED.value, None
        reply = t("freshness.confirmed", maker=maker.name)
    elif choice.startswith("busy."):
        until = today + _BUSY_SPANS[choice.split(".", 1)[1]]
        maker.status, maker.paused_until = MakerStatus.PAUSED.value, until
        maker.last_confirmed = today  # they answered: the listing is alive, just busy
        maker.freshness_penalty = 0.0
        await _next_freshness(session, maker.id, until, now, policy)
        reply = t("freshness.paused", maker=maker.name, until=until.isoformat())
    else:  # unlist
        maker.status, maker.paused_until = MakerStatus.UNLISTED.value, None
        hub = FollowUpTexts(HUB_LANGUAGE)
        await notify_hub(
            session,
            hub_id=await maker_hub_id(session, maker),
            reply=Reply(hub("hub.unlisted", maker=maker.name)),
            kind="followup.unlisted",
            key=f"unlisted:{follow_up.id}",
            now=now,
            admin_ids=admin_ids,
        )
        reply = t("freshness.unlisted", maker=maker.name)
    session.add(maker)
    return FollowUpPress(PressResult.DONE, replies=(Reply(reply),), changed_maker_ids=(maker.id,))


async def _next_freshness(
    session: AsyncSession, maker_id: int, until: date_type, now: datetime, policy: FollowUpPolicy
) -> None:
    """A paused maker is asked again after the pause, not while it lasts."""
    count = (
        await session.exec(
            select(func.count())
            .select_from(FollowUp)
            .where(
                col(FollowUp.maker_id) == maker_id,
                col(FollowUp.kind) == FollowUpKind.FRESHNESS.value,
            )
        )
    ).one()
    due = max(after_pause(until), now + timedelta(weeks=policy.freshness_weeks))
    await insert_rows(
        session,
        [
            {
                "maker_id": maker_id,
                "kind": FollowUpKind.FRESHNESS.value,
                "due_at": due,
                "status": FollowUpStatus.PENDING.value,
                "attempts": 0,
                "created_at": now,
                "dedupe_key": f"freshness:{maker_id}:{count + 1}",
            }
        ],
    )
