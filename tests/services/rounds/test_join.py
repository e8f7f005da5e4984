"""Joining a round through its link, in the designer dialogue (SQLite and PostgreSQL): the
normal brief steps, the brief entered in the round instead of a search, and polite refusals
for a link that is unknown, not open yet, closed, or used twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.dialogue.contract import Command
from services.dialogue.engine import DesignerDialogue
from services.dialogue.texts import Texts
from services.hubs.registry import SEED_HUBS, ensure_hubs
from storage.models import MatchRequest, RequestStatus, Round, RoundEntry, RoundStatus
from tests.services.dialogue.driver import FIXED_NOW, Designer, skip_deadline_and_budget

T = Texts("sv")
TOKEN = "k3Yq9-Round_tok"


async def a_round(
    session_maker: async_sessionmaker[AsyncSession],
    *,
    status: RoundStatus = RoundStatus.OPEN,
    opens_in: timedelta = timedelta(days=-1),
    closes_in: timedelta = timedelta(days=6),
) -> int:
    async with session_maker() as session:
        (hub, *_) = await ensure_hubs(session=session, hubs=SEED_HUBS)
        assert hub.id is not None
        round_ = Round(
            hub_id=hub.id,
            theme="Vinterns produkter",
            token=TOKEN,
            opens_at=FIXED_NOW + opens_in,
            closes_at=FIXED_NOW + closes_in,
            status=status.value,
        )
        session.add(round_)
        await session.commit()
        assert round_.id is not None
        return round_.id


async def brief_to_summary(designer: Designer, *, profile: bool = True) -> None:
    if profile:
        assert (await designer.say("Anna Svensson")).step == "company"
        assert (await designer.press_key(T, "button.skip")).step == "contact"
        assert (await designer.say("anna@example.se")).step == "org_number"
        assert (await designer.press_key(T, "button.skip")).step == "consent"
        assert (await designer.press_key(T, "button.accept")).step == "describe"
    assert (await designer.say("stickade mössor i ull")).step == "capabilities"
    assert (await designer.press_key(T, "button.continue")).step == "volume"
    assert (await designer.press_key(T, "volume.pilot")).step == "quantity"
    assert (await designer.press_key(T, "button.skip")).step == "location"
    assert (await designer.say("Borås")).step == "radius"
    assert (await designer.press_key(T, "radius.100")).step == "deadline"
    assert (await skip_deadline_and_budget(designer, T)).step == "summary"


async def entries(session_maker: async_sessionmaker[AsyncSession]) -> list[RoundEntry]:
    async with session_maker() as session:
        return list((await session.exec(select(RoundEntry))).all())


async def test_a_brief_through_the_link_goes_to_the_round_not_to_a_search(
    dialogue: DesignerDialogue, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    round_id = await a_round(session_maker)
    designer = Designer(dialogue)
    opened = await designer.send(Command("start", f"round_{TOKEN}"))
    assert "Vinterns produkter" in designer.text and opened.step == "name"
    await brief_to_summary(designer)
    assert T("button.search") not in [b.label for b in designer.buttons]
    joined = await designer.press_key(T, "button.join_round")
    assert joined.step == "idle" and "är med i omgången" in designer.text
    (entry,) = await entries(session_maker)
    async with session_maker() as session:
        request = await session.get(MatchRequest, entry.request_id)
    assert entry.round_id == round_id and request is not None
    assert request.status == RequestStatus.ROUND and request.text == "stickade mössor i ull"

    # The same designer again: one brief per round. A new request of their own is as usual.
    await designer.send(Command("start", f"round_{TOKEN}"))
    await brief_to_summary(designer, profile=False)
    await designer.press_key(T, "button.join_round")
    assert T("round.already") in designer.text and designer.last.step == "summary"
    assert T("button.search") in [b.label for b in designer.buttons]
    assert len(await entries(session_maker)) == 1


@pytest.mark.parametrize(
    ("status", "opens_in", "closes_in", "refusal"),
    [
        (RoundStatus.OPEN, timedelta(days=-7), timedelta(minutes=-1), "round.closed"),
        (RoundStatus.PROPOSED, timedelta(days=-7), timedelta(days=1), "round.closed"),
        (RoundStatus.OPEN, timedelta(days=1), timedelta(days=7), "round.not_yet"),
        (RoundStatus.DRAFT, timedelta(days=-1), timedelta(days=7), "round.unknown"),
    ],
)
async def test_a_link_that_takes_no_entries_is_refused_politely(
    dialogue: DesignerDialogue,
    session_maker: async_sessionmaker[AsyncSession],
    status: RoundStatus,
    opens_in: timedelta,
    closes_in: timedelta,
    refusal: str,
) -> None:
    await a_round(session_maker, status=status, opens_in=opens_in, closes_in=closes_in)
    designer = Designer(dialogue)
    outcome = await designer.send(Command("start", f"round_{TOKEN}"))
    assert T(refusal) in designer.text
    assert outcome.step == "name"  # the normal conversation goes on
    made_up = Designer(dialogue, user_id=4343)
    await made_up.send(Command("start", "round_nosuchround"))
    assert T("round.unknown") in made_up.text


async def test_sign_up_closing_while_the_brief_is_written_keeps_the_brief(
    session_maker: async_sessionmaker[AsyncSession], dialogue: DesignerDialogue
) -> None:
    round_id = await a_round(session_maker, closes_in=timedelta(hours=1))
    designer = Designer(dialogue)
    await designer.send(Command("start", f"round_{TOKEN}"))
    await brief_to_summary(designer)
    async with session_maker() as session:  # the coordinator closed it meanwhile
        round_ = await session.get(Round, round_id)
        assert round_ is not None
        round_.status = RoundStatus.CLOSED.value
        await session.commit()
    await designer.press_key(T, "button.join_round")
    assert T("round.closed") in designer.text and designer.last.step == "summary"
    assert (await designer.press_key(T, "button.search")).step == "results"
    assert await entries(session_maker) == []
    async with session_maker() as session:
        saved = (await session.exec(select(MatchRequest).where(col(MatchRequest.id) > 0))).all()
    assert saved == []  # nothing saved until the designer asks for something
