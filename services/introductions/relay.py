"""Questions relayed through the bot both ways, without contact details."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.introductions.common import (
    _answer_buttons,
    _designer_chat,
    _designer_texts,
    _maker_chat,
    _number,
    _parties,
    _record,
)
from services.introductions.model import (
    _OPEN,
    MAKER_LANGUAGE,
    MAX_RELAYED_CHARS,
    RELAY_OPEN_FOR,
    PressOutcome,
    PressStatus,
    RelayOutcome,
)
from services.introductions.texts import IntroTexts
from services.messages import Button, Reply
from services.outbox import enqueue
from storage.models import (
    Introduction,
    IntroductionRelay,
)


async def _open_question(
    session: AsyncSession, introduction: Introduction, user_id: int, now: datetime
) -> PressOutcome:
    assert introduction.id is not None
    # A second tap on "Ask a question" keeps the one open question, not two.
    await _close_relays(session, introduction, now)
    session.add(
        IntroductionRelay(
            introduction_id=introduction.id,
            writer_user_id=user_id,
            writer_role="maker",
            opened_at=now,
        )
    )
    await session.flush()
    t = IntroTexts(MAKER_LANGUAGE)
    return PressOutcome(
        PressStatus.DONE,
        replies=(Reply(t("maker.question_prompt")),),
        introduction_id=introduction.id,
    )


async def _close_relays(session: AsyncSession, introduction: Introduction, now: datetime) -> None:
    await session.exec(
        update(IntroductionRelay)
        .where(
            col(IntroductionRelay.introduction_id) == introduction.id,
            col(IntroductionRelay.closed_at).is_(None),
        )
        .values(closed_at=now)
        .execution_options(synchronize_session=False)
    )


async def relay(
    *, session: AsyncSession, from_user_id: int, text: str, now: datetime
) -> RelayOutcome | None:
    """Pass ``text`` on if ``from_user_id`` has an open relay: a maker's question to the
    designer (who may then answer once), the designer's answer back to the maker with the
    answer buttons again. Neither side sees the other's contact details. ``None``: no open
    relay, the text is not for this module."""
    open_relay = (
        await session.exec(
            select(IntroductionRelay)
            .where(
                col(IntroductionRelay.writer_user_id) == from_user_id,
                col(IntroductionRelay.closed_at).is_(None),
                # An unanswered relay lapses, so a text days later is the conversation's again.
                col(IntroductionRelay.opened_at) > now - RELAY_OPEN_FOR,
            )
            .order_by(col(IntroductionRelay.opened_at).desc(), col(IntroductionRelay.id).desc())
        )
    ).first()
    if open_relay is None:
        return None
    open_relay.closed_at = now
    session.add(open_relay)
    introduction = await session.get(Introduction, open_relay.introduction_id)
    assert introduction is not None and introduction.id is not None and open_relay.id is not None
    request, maker, designer = await _parties(session, introduction)
    message = text.strip()[:MAX_RELAYED_CHARS]
    if open_relay.writer_role == "maker":
        t = IntroTexts(MAKER_LANGUAGE)
        chat = _designer_chat(designer)
        if chat is not None:
            dt = _designer_texts(designer)
            what = request.text.strip()
            what = what if len(what) <= 60 else what[:59] + "…"
            await enqueue(
                session=session,
                chat_id=chat,
                recipient_user_id=chat,
                reply=Reply(
                    dt("designer.question", number=_number(dt, request), what=what, text=message)
                ),
                kind="intro.relay",
                now=now,
                dedupe_key=f"relay:{open_relay.id}",
            )
            session.add(
                IntroductionRelay(
                    introduction_id=introduction.id,
                    writer_user_id=chat,
                    writer_role="designer",
                    opened_at=now,
                )
            )
        _record(session, introduction, "question", now=now, actor=from_user_id, chars=len(message))
        confirmation = t("maker.question_sent")
    else:
        dt = _designer_texts(designer)
        t = IntroTexts(MAKER_LANGUAGE)
        chat = _maker_chat(maker)
        if chat is not None:
            buttons: tuple[tuple[Button, ...], ...] = ()
            if introduction.status == _OPEN:
                buttons = await _answer_buttons(session, t, introduction, now, user_id=chat)
            await enqueue(
                session=session,
                chat_id=chat,
                recipient_user_id=chat,
                reply=Reply(
                    t("maker.answer", number=_number(t, request), text=message), buttons=buttons
                ),
                kind="intro.relay",
                now=now,
                dedupe_key=f"relay:{open_relay.id}",
            )
        _record(session, introduction, "answer", now=now, actor=from_user_id, chars=len(message))
        confirmation = dt("designer.answer_sent")
    await session.flush()
    return RelayOutcome(replies=(Reply(confirmation),), introduction_id=introduction.id)
