"""The coordinator's round desk on SQLite and PostgreSQL, without Telegram: create, choose
makers, open, the closing job's proposal (within capacity, the hub told), a move to another
maker, approval through the introduction lifecycle, and the round's figures."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from matching.models import MakerProfile
from services.hubs.registry import SEED_HUBS, ensure_hubs
from services.insight.periods import period_between
from services.insight.rounds import round_figures
from services.insight.scope import Scope
from services.matchmaking import Matchmaker
from services.messages import Reply
from services.rounds.desk import RoundDesk
from services.rounds.scoring import CapabilityExpectedYes
from services.rounds.texts import RoundTexts
from storage.models import (
    Designer,
    Introduction,
    Maker,
    MatchRequest,
    Outbox,
    RequestStatus,
    Round,
    RoundEntry,
    RoundPair,
)
from tests.services.dialogue.driver import FIXED_NOW

ADMIN = 7001
T = RoundTexts("en")
BRIEFS = {  # text → the materials and processes the designer confirmed
    "knitted wool hats": (["textile"], ["knitting"]),
    "knitted wool blanket": (["textile"], ["knitting"]),
    "knitted wool mittens": (["textile"], ["knitting"]),
    "matbord i massiv ek": (["wood"], []),
}


def buttons(reply: Reply) -> dict[str, str]:
    return {button.label: button.data for row in reply.buttons for button in row}


async def seeded(session_maker: async_sessionmaker[AsyncSession], matchmaker: Matchmaker) -> None:
    """The hubs (the ``matchmaker`` fixture loaded the demo catalogue)."""
    async with session_maker() as session:
        await ensure_hubs(session=session, hubs=SEED_HUBS)
        await session.commit()


async def test_a_round_from_creation_to_approval(
    session_maker: async_sessionmaker[AsyncSession], matchmaker: Matchmaker
) -> None:
    await seeded(session_maker, matchmaker)
    desk = RoundDesk(
        session_maker, admin_ids={ADMIN}, expected_yes=CapabilityExpectedYes(matchmaker)
    )

    async def command(argument: str) -> Reply:
        return await desk.command(
            user_id=ADMIN, language="en", argument=argument, now=FIXED_NOW, bot_username="spokbot"
        )

    created = await command("new vastra-gotaland; Winter goods; 2026-12-01")
    assert "is created as a draft" in created.text
    async with session_maker() as session:
        (round_,) = (await session.exec(select(Round))).all()
    assert round_.id is not None
    refused = await command(f"makers {round_.id} demo-005:2 demo-046")  # demo-046: Malmö
    assert "belongs to another hub" in refused.text
    card = await command(f"makers {round_.id} demo-005:2 demo-007 demo-036")
    assert "Makers: 3 (4 places)" in card.text
    pressed = await desk.press(
        user_id=ADMIN,
        language="en",
        data=buttons(card)[T.plain("button.open")],
        now=FIXED_NOW,
        bot_username="spokbot",
    )
    assert f"https://t.me/spokbot?start=round_{round_.token}" in pressed.replies[0].text

    async with session_maker() as session:
        for number, (text, (materials, processes)) in enumerate(BRIEFS.items()):
            designer = Designer(telegram_user_id=8000 + number, name=f"D{number}", language="en")
            session.add(designer)
            await session.flush()
            request = MatchRequest(
                designer_id=designer.id,
                text=text,
                materials=materials,
                processes=processes,
                status=RequestStatus.ROUND.value,
                municipality_code="1490",
                lat=57.721,
                lon=12.940,
                place_name="Borås",
            )
            session.add(request)
            await session.flush()
            assert request.id is not None
            session.add(
                RoundEntry(round_id=round_.id, designer_id=designer.id, request_id=request.id)
            )
        await session.commit()

    # Nothing is due before the window ends; after it, the round closes once.
    assert await desk.close_due(now=FIXED_NOW, bot_username="spokbot") == 0
    later = round_.closes_at + timedelta(minutes=1)
    assert await desk.close_due(now=later, bot_username="spokbot") == 1
    assert await desk.close_due(now=later, bot_username="spokbot") == 0
    async with session_maker() as session:
        pairs = list((await session.exec(select(RoundPair))).all())
        makers = {m.id: m.external_id for m in (await session.exec(select(Maker))).all()}
        notices = (
            await session.exec(select(Outbox).where(col(Outbox.kind) == "round.proposed"))
        ).all()
    by_maker = [makers[p.maker_id] for p in pairs]
    assert by_maker.count("demo-005") == 2  # three knitting briefs, two places
    assert len(pairs) == 3 and [n.chat_id for n in notices] == [ADMIN]  # the hub has nobody

    # The admin opens the card, moves the table to the boat joiner (who builds furniture in
    # oak too), and approves.
    card = await command(str(round_.id))
    assert "proposal to review" in card.text and "are full): 1" in card.text
    table = next(p for p in pairs if makers[p.maker_id] == "demo-007")
    async with session_maker() as session:
        entry = await session.get(RoundEntry, table.entry_id)
        assert entry is not None
    move = next(data for label, data in buttons(card).items() if f"no. {entry.request_id}" in label)
    options = await desk.press(
        user_id=ADMIN, language="en", data=move, now=later, bot_username="spokbot"
    )
    choices = buttons(options.replies[0])
    target = next((d for label, d in choices.items() if label.startswith("Kölsvinet")), None)
    assert target is not None, choices  # the wood turner fits the table and has room
    moved = await desk.press(
        user_id=ADMIN, language="en", data=target, now=later, bot_username="spokbot"
    )
    assert "swapped" in moved.replies[0].text
    approve = buttons(card)[T.plain("button.approve")]
    done = await desk.press(
        user_id=ADMIN, language="en", data=approve, now=later, bot_username="spokbot"
    )
    assert "Approved" in done.replies[0].text
    again = await desk.press(
        user_id=ADMIN, language="en", data=approve, now=later, bot_username="spokbot"
    )
    assert again.notice == T.plain("press.already")

    async with session_maker() as session:
        introductions = list((await session.exec(select(Introduction))).all())
        statuses = sorted(r.status for r in (await session.exec(select(MatchRequest))).all())
        told = (await session.exec(select(Outbox).where(col(Outbox.kind) == "round.result"))).all()
        hubs = list((await session.exec(select(Round))).all())
        figures = await round_figures(
            session=session,
            scope=Scope((), True, ()),
            period=period_between(date(2026, 11, 1), date(2026, 12, 31)),
        )
    assert len(introductions) == 3 and {i.status for i in introductions} == {"brief_sent"}
    assert statuses == ["submitted", "submitted", "submitted", "unmet"]
    assert len(told) == 4 and hubs[0].status == "approved"
    (f,) = figures
    assert (f.entries, f.pairs_proposed, f.pairs_approved, f.introductions_made, f.unmet) == (
        4, 3, 3, 0, 1,
    )  # fmt: skip


class Fixed:
    """A scorer that says what the test wants."""

    def __init__(self, scores: Mapping[str, Mapping[str, float]]) -> None:
        self.scores = scores

    def __call__(
        self, brief: MatchRequest, makers: Sequence[MakerProfile], *, today: date
    ) -> Mapping[str, float]:
        return self.scores.get(brief.text, {})


async def test_someone_elses_round_is_refused(
    session_maker: async_sessionmaker[AsyncSession],
) -> None:
    async with session_maker() as session:
        await ensure_hubs(session=session, hubs=SEED_HUBS)
        await session.commit()
    desk = RoundDesk(session_maker, admin_ids={ADMIN}, expected_yes=Fixed({}))
    await desk.command(
        user_id=ADMIN,
        language="en",
        argument="new skane; Lamps; 2026-12-01",
        now=FIXED_NOW,
        bot_username="spokbot",
    )
    stranger = await desk.command(
        user_id=4242, language="en", argument="1", now=FIXED_NOW, bot_username="spokbot"
    )
    assert stranger.text == T("refused")
    bad = await desk.command(
        user_id=ADMIN, language="en", argument="new skane; Lamps; tomorrow", now=FIXED_NOW,
        bot_username="spokbot",
    )  # fmt: skip
    assert bad.text == T("new.bad_date")
