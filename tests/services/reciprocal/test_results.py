"""The reciprocal ranking in the designer's results, through the dialogue: a maker whose week
is full is not offered (nor briefed when picked earlier), a recent "fully booked" moves a maker
down and says so on its card, and with the ranking off the results are the capability
ranking's. SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.demo import seed_demo
from services.dialogue.engine import DesignerDialogue
from services.dialogue.texts import Texts
from services.matchmaking import Matchmaker
from services.reciprocal.explain import Sign, render
from storage.models import (
    Introduction,
    IntroductionEvent,
    IntroductionStatus,
    Maker,
    MatchRequest,
    RequestStatus,
)
from tests.services.dialogue.driver import (
    FIXED_NOW,
    Designer,
    ask_introductions,
    fixed_clock,
    journey_to_results,
)

SV = Texts("sv")
_CARD = re.compile(r"<b>(\d+)\. ([^<]+)</b>")
TEXT = "stickade mössor i ull"
# Four fits in the demo catalogue: with the first full, the next two can change places.
SEVERAL_FITS = "svetsade ramar i stål"


def cards(designer: Designer) -> list[str]:
    return [name for _, name in _CARD.findall(designer.text)]


async def dialogue_on(
    session_maker: async_sessionmaker[AsyncSession], *, reciprocal: bool
) -> DesignerDialogue:
    async with session_maker() as session:
        if not (await session.exec(select(Maker))).first():
            await seed_demo(session=session)
            await session.commit()
        matchmaker = await Matchmaker.load(session=session, reciprocal=reciprocal)
    return DesignerDialogue(session_maker, matchmaker, clock=fixed_clock)


async def brief(
    session_maker: async_sessionmaker[AsyncSession],
    maker_name: str,
    *,
    days_ago: float,
    declined: str | None = None,
) -> None:
    """Another designer's request briefed to ``maker_name``, optionally declined."""
    at = FIXED_NOW - timedelta(days=days_ago)
    async with session_maker() as session:
        maker = (await session.exec(select(Maker).where(col(Maker.name) == maker_name))).one()
        request = MatchRequest(
            text=TEXT,
            materials=["textile"],
            status=RequestStatus.SUBMITTED.value,
            created_at=at,
            updated_at=at,
        )
        session.add(request)
        await session.flush()
        assert request.id is not None and maker.id is not None
        status = IntroductionStatus.DECLINED if declined else IntroductionStatus.BRIEF_SENT
        introduction = Introduction(
            request_id=request.id,
            maker_id=maker.id,
            status=status.value,
            decline_reason=declined,
            created_at=at,
            updated_at=at,
            brief_sent_at=at,
        )
        session.add(introduction)
        await session.flush()
        assert introduction.id is not None
        if declined:
            answered = at + timedelta(hours=5)
            session.add(
                IntroductionEvent(introduction_id=introduction.id, at=answered, event="declined")
            )
        await session.commit()


async def test_a_full_week_leaves_a_maker_out_and_fully_booked_moves_one_down(
    session_maker: async_sessionmaker[AsyncSession],
) -> None:
    dialogue = await dialogue_on(session_maker, reciprocal=True)
    first = Designer(dialogue, user_id=1)
    await journey_to_results(first, SV, text=SEVERAL_FITS)
    before = cards(first)
    assert len(before) >= 3
    full, booked = before[0], before[1]
    for days in (1, 2, 3):
        await brief(session_maker, full, days_ago=days)
    await brief(session_maker, booked, days_ago=2, declined="fully_booked")

    second = Designer(dialogue, user_id=2)
    await journey_to_results(second, SV, text=SEVERAL_FITS)
    after = cards(second)
    assert full not in after
    assert SV("results.capped_hidden", count=1) in second.text  # said, not hidden silently
    # With the first gone the booked maker would lead; the decline moved it down.
    assert after[0] != booked and booked in after
    assert SV("reciprocal.booked") in second.text

    # With the ranking off, the capability ranking alone: the full maker is offered again.
    off = await dialogue_on(session_maker, reciprocal=False)
    third = Designer(off, user_id=3)
    await journey_to_results(third, SV, text=SEVERAL_FITS)
    assert full in cards(third) and booked in cards(third)
    assert SV("reciprocal.booked") not in third.text


async def test_a_pick_whose_week_filled_meanwhile_is_taken_back_before_asking(
    session_maker: async_sessionmaker[AsyncSession],
) -> None:
    dialogue = await dialogue_on(session_maker, reciprocal=True)
    designer = Designer(dialogue, user_id=1)
    await journey_to_results(designer, SV, text=TEXT)
    names = cards(designer)
    await designer.press("1. ")
    await designer.press("2. ")
    for days in (1, 2, 3):
        await brief(session_maker, names[0], days_ago=days)
    await ask_introductions(designer, SV, 2)
    assert SV("results.at_cap", count=1, names=names[0]) in designer.text
    async with session_maker() as session:
        asked = (
            await session.exec(
                select(col(Maker.name))
                .join(Introduction, col(Introduction.maker_id) == col(Maker.id))
                .join(MatchRequest, col(MatchRequest.id) == col(Introduction.request_id))
                .where(col(MatchRequest.designer_id).is_not(None))
            )
        ).all()
    assert asked == [names[1]]


async def test_a_deadline_shorter_than_a_makers_lead_time_is_said_on_its_card(
    session_maker: async_sessionmaker[AsyncSession],
) -> None:
    dialogue = await dialogue_on(session_maker, reciprocal=True)
    designer = Designer(dialogue, user_id=1)
    await journey_to_results(designer, SV, text=TEXT, deadline="inom 1 vecka")
    # Maskstickeriet lists three weeks' lead time (services/data/demo_makers.csv).
    assert "Maskstickeriet" in cards(designer)
    assert render(SV, Sign("reciprocal.lead_time_short", {"days": 21})) in designer.text
    relaxed = Designer(dialogue, user_id=2)
    await journey_to_results(relaxed, SV, text=TEXT, deadline="inom 10 veckor")
    assert render(SV, Sign("reciprocal.lead_time_short", {"days": 21})) not in relaxed.text


async def test_a_cap_the_hub_set_counts_instead_of_the_default(
    session_maker: async_sessionmaker[AsyncSession],
) -> None:
    dialogue = await dialogue_on(session_maker, reciprocal=True)
    first = Designer(dialogue, user_id=1)
    await journey_to_results(first, SV, text=TEXT)
    capped, roomy = cards(first)[:2]
    async with session_maker() as session:
        for name, cap in ((capped, 1), (roomy, 5)):
            row = (await session.exec(select(Maker).where(col(Maker.name) == name))).one()
            row.weekly_brief_cap = cap
            session.add(row)
        await session.commit()
    await brief(session_maker, capped, days_ago=1)
    for days in (1, 2, 3):
        await brief(session_maker, roomy, days_ago=days)
    second = Designer(dialogue, user_id=2)
    await journey_to_results(second, SV, text=TEXT)
    assert capped not in cards(second) and roomy in cards(second)
