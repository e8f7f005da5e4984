"""The follow-up schedule through its services, time travelling with an injected clock.

An introduction between a designer and a maker in Borås (hub Västra Götaland) is made on a
Tuesday; the dispatcher runs at chosen moments and the outbox rows it writes are inspected.
Answers go through :func:`services.followups.answer` with the data the buttons carry.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services import outbox
from services.followups import (
    FollowUpDispatcher,
    FollowUpPolicy,
    PressResult,
    answer,
    blocked_hook,
    dispatch_due,
    set_checkins,
)
from services.introductions.calendar import STOCKHOLM
from storage.models import (
    Designer,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    Introduction,
    IntroductionEvent,
    IntroductionStatus,
    Maker,
    MatchRequest,
    Outbox,
    RequestStatus,
)
from storage.repositories.makers import MakerCreate, upsert_maker
from tests.fakes.roles import BORAS, coordinator_of, seeded_hubs

ADMIN, COORDINATOR, DESIGNER, MAKER = 1, 2, 100, 200
POLICY = FollowUpPolicy()


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=STOCKHOLM)  # type: ignore[misc]


# Tuesday 1 December 2026, 14:00 in Stockholm: both sides said yes.
INTRODUCED = at(2026, 12, 1, 14, 0)


@dataclass
class World:
    introduction: Introduction
    designer: Designer
    maker: Maker


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


async def _world(
    session: AsyncSession, *, introduced: datetime = INTRODUCED, language: str = "sv"
) -> World:
    hubs = await seeded_hubs(session)
    await coordinator_of(session, hubs["vastra-gotaland"], COORDINATOR)
    maker, _ = await upsert_maker(
        session=session,
        maker_in=MakerCreate(
            external_id="m-ringo",
            name="Ringö Metall",
            place_name="Borås",
            municipality_code=BORAS,
            lat=57.72,
            lon=12.94,
            materials=["rostfritt stål"],
            processes=["laserskärning"],
            volumes=["prototype"],
        ),
    )
    maker.telegram_user_id = MAKER
    designer = Designer(telegram_user_id=DESIGNER, name="Alva Ek", language=language)
    session.add_all([maker, designer])
    await session.flush()
    request = MatchRequest(
        designer_id=designer.id,
        text="Laserskurna detaljer, mejla alva@formbyran.example",
        status=RequestStatus.SUBMITTED.value,
        municipality_code=BORAS,
        hub_id=hubs["vastra-gotaland"].id,
    )
    session.add(request)
    await session.flush()
    assert request.id is not None and maker.id is not None
    introduction = Introduction(
        request_id=request.id,
        maker_id=maker.id,
        status=IntroductionStatus.INTERESTED.value,
        introduced_at=introduced,
    )
    session.add(introduction)
    await session.commit()
    return World(introduction, designer, maker)


async def _cycle(
    sessions: async_sessionmaker[AsyncSession], now: datetime, policy: FollowUpPolicy = POLICY
) -> list[Outbox]:
    """One dispatcher cycle at ``now``; returns the outbox rows it wrote."""
    async with sessions() as session:
        before = set((await session.exec(select(Outbox.id))).all())
    await FollowUpDispatcher(
        sessions, clock=Clock(now), policy=policy, admin_ids={ADMIN}
    ).run_once()
    async with sessions() as session:
        rows = (await session.exec(select(Outbox).order_by(col(Outbox.id)))).all()
    return [row for row in rows if row.id not in before]


def _check_ins(rows: list[Outbox]) -> list[Outbox]:
    return [row for row in rows if row.kind.startswith("followup.checkin")]


async def _follow_ups(session: AsyncSession, **where: object) -> list[FollowUp]:
    statement = select(FollowUp).order_by(col(FollowUp.id))
    for name, value in where.items():
        statement = statement.where(getattr(FollowUp, name) == value)
    return list((await session.exec(statement.execution_options(populate_existing=True))).all())


def _data(row: Outbox, answer_code: str) -> str:
    for line in row.payload["buttons"]:  # type: ignore[union-attr]
        for button in line:
            if button["data"].endswith(f":{answer_code}"):
                return str(button["data"])
    raise AssertionError(f"no {answer_code} button in {row.payload}")


async def _deliver(session: AsyncSession, rows: list[Outbox], now: datetime) -> None:
    """What the sender does: claim the rows and mark them sent (no Telegram here)."""
    claimed = await outbox.claim_due(session=session, now=now, limit=1000)
    for row in claimed:
        if row.id in {r.id for r in rows}:
            await outbox.mark_sent(session=session, row=row, now=now, telegram_message_id=1)
    await session.commit()


async def _press(
    sessions: async_sessionmaker[AsyncSession],
    data: str,
    user: int,
    now: datetime,
    policy: FollowUpPolicy = POLICY,
) -> PressResult:
    async with sessions() as session:
        outcome = await answer(
            session=session, data=data, user_id=user, now=now, policy=policy, admin_ids={ADMIN}
        )
        await session.commit()
    return outcome.result


# -- the whole schedule ---------------------------------------------------------------------


async def test_the_whole_schedule_in_working_hours(
    session: AsyncSession, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    world = await _world(session)
    assert await _cycle(session_maker, INTRODUCED + timedelta(days=6, hours=23)) == []
    # Day 7 is Tuesday 8 December, 14:00: both sides are asked.
    seven = _check_ins(await _cycle(session_maker, at(2026, 12, 8, 14, 0)))
    assert sorted(row.chat_id for row in seven) == [DESIGNER, MAKER]
    assert all(row.working_hours_only for row in seven)
    designer_text = next(str(r.payload["text"]) for r in seven if r.chat_id == DESIGNER)
    maker_text = next(str(r.payload["text"]) for r in seven if r.chat_id == MAKER)
    assert "7 dagar" in designer_text and "Ringö Metall" in designer_text
    assert "alva@formbyran.example" not in maker_text  # contacts typed into the request
    # Running again at the same moment, or a minute later, adds nothing.
    assert await _cycle(session_maker, at(2026, 12, 8, 14, 0)) == []
    assert await _cycle(session_maker, at(2026, 12, 8, 14, 1)) == []
    # Day 30 is Thursday 31 December (nyårsafton): the next opening is Monday 4 January.
    assert _check_ins(await _cycle(session_maker, at(2026, 12, 31, 14, 0))) == []
    assert _check_ins(await _cycle(session_maker, at(2027, 1, 1, 14, 0))) == []
    assert _check_ins(await _cycle(session_maker, at(2027, 1, 4, 8, 59))) == []
    thirty = _check_ins(await _cycle(session_maker, at(2027, 1, 4, 9, 0)))
    assert {row.kind for row in thirty} == {"followup.checkin.prototype"}
    assert len(thirty) == 2
    # Day 90 is Monday 1 March 2027, 14:00.
    assert _check_ins(await _cycle(session_maker, at(2027, 3, 1, 13, 59))) == []
    ninety = _check_ins(await _cycle(session_maker, at(2027, 3, 1, 14, 0)))
    assert {row.kind for row in ninety} == {"followup.checkin.production"}
    rows = await _follow_ups(session, introduction_id=world.introduction.id)
    assert len(rows) == 6
    assert {row.status for row in rows} == {FollowUpStatus.QUEUED.value}
    assert all(row.outbox_id is not None for row in rows)


@pytest.mark.parametrize(
    ("introduced", "due", "sent"),
    [
        # Due on a Saturday: Monday morning.
        (at(2026, 11, 28, 11, 0), at(2026, 12, 5, 11, 0), at(2026, 12, 7, 9, 0)),
        # Due after closing time: the next morning.
        (at(2026, 12, 1, 17, 30), at(2026, 12, 8, 17, 30), at(2026, 12, 9, 9, 0)),
        # Due before opening: at opening.
        (at(2026, 12, 1, 6, 0), at(2026, 12, 8, 6, 0), at(2026, 12, 8, 9, 0)),
        # Due on julafton: juldagen, annandag jul and a weekend follow; Monday 28 December.
        (at(2026, 12, 17, 10, 0), at(2026, 12, 24, 10, 0), at(2026, 12, 28, 9, 0)),
    ],
)
async def test_due_outside_working_hours_goes_out_at_the_next_opening(
    session: AsyncSession,
    session_maker: async_sessionmaker[AsyncSession],
    introduced: datetime,
    due: datetime,
    sent: datetime,
) -> None:
    await _world(session, introduced=introduced)
    moment = due
    while moment < sent:  # every half hour from the due time up to the opening: nothing
        assert _check_ins(await _cycle(session_maker, moment)) == [], moment
        moment += timedelta(minutes=30)
    assert len(_check_ins(await _cycle(session_maker, sent))) == 2


async def test_intervals_are_configurable(
    session: AsyncSession, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    await _world(session)
    policy = FollowUpPolicy(checkin_days=(2, 5, 9))
    assert _check_ins(await _cycle(session_maker, at(2026, 12, 3, 14, 0), policy)) != []
    with pytest.raises(ValueError, match="three increasing"):
        FollowUpPolicy(checkin_days=(30, 7, 90))


# -- answers --------------------------------------------------------------------------------


async def test_answers_become_the_outcome_and_stages_never_go_back(
    session: AsyncSession, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    world = await _world(session)
    seven = _check_ins(await _cycle(session_maker, at(2026, 12, 8, 14, 0)))
    to_designer = next(row for row in seven if row.chat_id == DESIGNER)
    to_maker = next(row for row in seven if row.chat_id == MAKER)
    now = at(2026, 12, 8, 15, 0)
    assert await _press(session_maker, _data(to_designer, "met"), DESIGNER, now) is PressResult.DONE
    # The maker says only "in touch" later: the furthest stage reported stays.
    assert await _press(session_maker, _data(to_maker, "contacted"), MAKER, now) is PressResult.DONE
    async with session_maker() as fresh:
        introduction = await fresh.get(Introduction, world.introduction.id)
        assert introduction is not None and introduction.outcome == "met"
        events = (await fresh.exec(select(IntroductionEvent.detail))).all()
    assert {"kind": "checkin.contact", "side": "designer", "answer": "met"} in events
    # The same button again, another person's press, and an answer not offered change nothing.
    assert await _press(session_maker, _data(to_designer, "met"), DESIGNER, now) is (
        PressResult.ALREADY
    )
    forged = _data(to_maker, "met").rsplit(":", 1)[0] + ":production"
    assert await _press(session_maker, forged, MAKER, now) is PressResult.ALREADY
    assert await _press(session_maker, _data(to_maker, "met"), DESIGNER, now) is (
        PressResult.REFUSED
    )
    assert await _press(session_maker, "fu:nonsense:met", DESIGNER, now) is PressResult.REFUSED
    thirty = _check_ins(await _cycle(session_maker, at(2027, 1, 4, 9, 0)))
    prototype = next(row for row in thirty if row.chat_id == MAKER)
    assert await _press(session_maker, _data(prototype, "prototype"), MAKER, now) is (
        PressResult.DONE
    )
    async with session_maker() as fresh:
        introduction = await fresh.get(Introduction, world.introduction.id)
        assert introduction is not None and introduction.outcome == "prototype"


async def test_no_contact_alerts_the_coordinators(
    session: AsyncSession, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    await _world(session)
    seven = _check_ins(await _cycle(session_maker, at(2026, 12, 8, 14, 0)))
    to_designer = next(row for row in seven if row.chat_id == DESIGNER)
    await _press(session_maker, _data(to_designer, "no_contact"), DESIGNER, at(2026, 12, 8, 15))
    async with session_maker() as fresh:
        notices = (
            await fresh.exec(select(Outbox).where(col(Outbox.kind) == "followup.no_contact"))
        ).all()
    assert [row.chat_id for row in notices] == [COORDINATOR]
    assert "Ringö Metall" in str(notices[0].payload["text"])
    assert "Alva Ek" in str(notices[0].payload["text"])


async def test_not_going_ahead_asks_why_and_ends_the_series(
    session: AsyncSession, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    world = await _world(session)
    seven = _check_ins(await _cycle(session_maker, at(2026, 12, 8, 14, 0)))
    to_maker = next(row for row in seven if row.chat_id == MAKER)
    now = at(2026, 12, 8, 15, 0)
    async with session_maker() as fresh:
        outcome = await answer(
            session=fresh, data=_data(to_maker, "end"), user_id=MAKER, now=now, policy=POLICY
        )
        await fresh.commit()
    reasons = [b.data for line in outcome.replies[0].buttons for b in line]
    assert len(reasons) == 5 and all(r.startswith("fu:") and len(r) <= 64 for r in reasons)
    assert await _press(session_maker, reasons[0], MAKER, now) is PressResult.DONE  # price
    async with session_maker() as fresh:
        introduction = await fresh.get(Introduction, world.introduction.id)
        assert introduction is not None
        assert (introduction.ended_reason, introduction.ended_at) == ("price", now)
        rows = await _follow_ups(fresh, introduction_id=world.introduction.id)
        ended = (await fresh.exec(select(Outbox).where(col(Outbox.kind) == "followup.ended"))).all()
    assert [r.status for r in rows if r.kind != FollowUpKind.CHECKIN_CONTACT] == ["cancelled"] * 4
    assert [row.chat_id for row in ended] == [COORDINATOR]
    assert "priset" in str(ended[0].payload["text"])
    assert _check_ins(await _cycle(session_maker, at(2027, 3, 2, 14, 0))) == []


# -- who is asked ---------------------------------------------------------------------------


async def test_checkins_off_skips_that_person_only_and_on_again_resumes(
    session: AsyncSession, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    await _world(session)
    async with session_maker() as fresh:
        state = await set_checkins(session=fresh, user_id=DESIGNER, on=False, now=INTRODUCED)
        await fresh.commit()
    assert state.known and not state.on
    seven = _check_ins(await _cycle(session_maker, at(2026, 12, 8, 14, 0)))
    assert [row.chat_id for row in seven] == [MAKER]
    async with session_maker() as fresh:
        skipped = await _follow_ups(fresh, status=FollowUpStatus.SKIPPED.value)
        assert [(r.side, r.last_error) for r in skipped] == [("designer", "check-ins off")]
        state = await set_checkins(session=fresh, user_id=DESIGNER, on=True, now=INTRODUCED)
        await fresh.commit()
    assert state.on
    thirty = _check_ins(await _cycle(session_maker, at(2027, 1, 4, 9, 0)))
    assert sorted(row.chat_id for row in thirty) == [DESIGNER, MAKER]
    async with session_maker() as fresh:
        nobody = await set_checkins(session=fresh, user_id=999, on=False, now=INTRODUCED)
    assert not nobody.known


async def test_a_person_who_blocked_the_bot_is_not_asked_again(
    session: AsyncSession, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    world = await _world(session)
    await _cycle(session_maker, INTRODUCED)  # plans the check-ins
    async with session_maker() as fresh:
        await blocked_hook(fresh, MAKER, MAKER)
        await fresh.commit()
        rows = await _follow_ups(fresh, side="maker")
    assert {row.status for row in rows} == {FollowUpStatus.CANCELLED.value}
    seven = _check_ins(await _cycle(session_maker, at(2026, 12, 8, 14, 0)))
    assert [row.chat_id for row in seven] == [DESIGNER]
    assert world.introduction.id is not None


async def test_delivery_outcomes_are_mirrored_on_the_follow_up(
    session: AsyncSession, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    await _world(session)
    now = at(2026, 12, 8, 14, 0)
    seven = _check_ins(await _cycle(session_maker, now))
    async with session_maker() as fresh:
        claimed = await outbox.claim_due(session=fresh, now=now, limit=10)
        by_chat = {row.chat_id: row for row in claimed}
        await outbox.mark_sent(session=fresh, row=by_chat[DESIGNER], now=now, telegram_message_id=7)
        policy = outbox.RetryPolicy(max_attempts=1)
        status = await outbox.mark_retry(
            session=fresh, row=by_chat[MAKER], now=now, error="NetworkError: down", policy=policy
        )
        await fresh.commit()
        rows = {
            row.side: row
            for row in await _follow_ups(fresh, kind=FollowUpKind.CHECKIN_CONTACT.value)
        }
    assert status == "failed" and len(seven) == 2
    assert (rows["designer"].status, rows["designer"].sent_at) == ("sent", now)
    assert (rows["maker"].status, rows["maker"].last_error, rows["maker"].attempts) == (
        "failed",
        "NetworkError: down",
        1,
    )


# -- makers' freshness ----------------------------------------------------------------------


async def test_freshness_checks_yes_unanswered_and_late_answers(
    session: AsyncSession, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    world = await _world(session)
    start = at(2026, 12, 1, 10, 0)
    policy = FollowUpPolicy(freshness_weeks=2, freshness_answer_days=7)
    await _cycle(session_maker, start, policy)  # plans the first check, two weeks out
    async with session_maker() as fresh:
        (planned,) = await _follow_ups(fresh, kind=FollowUpKind.FRESHNESS.value)
    assert planned.due_at == start + timedelta(weeks=2)
    asked = [r for r in await _cycle(session_maker, start + timedelta(weeks=2), policy)]
    asked = [r for r in asked if r.kind == "followup.freshness"]
    assert [row.chat_id for row in asked] == [MAKER]
    async with session_maker() as fresh:
        await _deliver(fresh, asked, start + timedelta(weeks=2))
    # Not answered within a week: stale, ranked lower, the hub told; a new check is planned.
    late = start + timedelta(weeks=3, hours=1)
    notices = [r for r in await _cycle(session_maker, late, policy) if r.kind == "followup.stale"]
    assert [row.chat_id for row in notices] == [COORDINATOR]
    async with session_maker() as fresh:
        maker = await fresh.get(Maker, world.maker.id, populate_existing=True)
        assert maker is not None and maker.freshness_penalty == 0.5
        rows = await _follow_ups(fresh, kind=FollowUpKind.FRESHNESS.value)
    assert [r.status for r in rows] == ["unanswered", "pending"]
    # A late "yes" still counts: the listing is confirmed and fresh again.
    assert await _press(session_maker, _data(asked[0], "yes"), MAKER, late) is PressResult.DONE
    async with session_maker() as fresh:
        maker = await fresh.get(Maker, world.maker.id, populate_existing=True)
        assert maker is not None
        assert (maker.freshness_penalty, maker.last_confirmed) == (0.0, late.date())


async def test_busy_pauses_the_listing_and_asks_again_after_the_pause(
    session: AsyncSession, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    world = await _world(session)
    policy = FollowUpPolicy(freshness_weeks=1)
    start = at(2026, 12, 1, 10, 0)
    await _cycle(session_maker, start, policy)
    asked = [
        r
        for r in await _cycle(session_maker, start + timedelta(weeks=1), policy)
        if r.kind == "followup.freshness"
    ]
    now = start + timedelta(weeks=1, hours=1)
    async with session_maker() as fresh:
        outcome = await answer(
            session=fresh, data=_data(asked[0], "busy"), user_id=MAKER, now=now, policy=policy
        )
        await fresh.commit()
    spans = [b.data for line in outcome.replies[0].buttons for b in line]
    month = next(data for data in spans if data.endswith("busy.month1"))
    assert await _press(session_maker, month, MAKER, now, policy) is PressResult.DONE
    async with session_maker() as fresh:
        maker = await fresh.get(Maker, world.maker.id, populate_existing=True)
        assert maker is not None
        assert (maker.status, maker.paused_until) == ("paused", now.date() + timedelta(days=30))
        rows = await _follow_ups(fresh, kind=FollowUpKind.FRESHNESS.value)
    assert [r.status for r in rows] == ["answered", "pending"]
    assert rows[1].due_at == at(2027, 1, 8, 9, 0)  # the morning after the pause ends


async def test_unlist_us_unlists_and_tells_the_hub(
    session: AsyncSession, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    world = await _world(session)
    policy = FollowUpPolicy(freshness_weeks=1)
    start = at(2026, 12, 1, 10, 0)
    await _cycle(session_maker, start, policy)
    asked = [
        r
        for r in await _cycle(session_maker, start + timedelta(weeks=1), policy)
        if r.kind == "followup.freshness"
    ]
    assert await _press(session_maker, _data(asked[0], "unlist"), MAKER, start) is (
        PressResult.DONE
    )
    async with session_maker() as fresh:
        maker = await fresh.get(Maker, world.maker.id, populate_existing=True)
        told = (
            await fresh.exec(select(Outbox).where(col(Outbox.kind) == "followup.unlisted"))
        ).all()
    assert maker is not None and maker.status == "unlisted"
    assert [row.chat_id for row in told] == [COORDINATOR]
    later = [r for r in await _cycle(session_maker, start + timedelta(weeks=9), policy)]
    assert [r for r in later if r.kind == "followup.freshness"] == []


# -- exactly once ---------------------------------------------------------------------------


async def test_a_restart_sends_what_fell_due_while_stopped_exactly_once(
    session: AsyncSession, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    """The dispatcher holds no state: a new one (after a restart) finds the rows that fell due
    while nothing ran, queues each once, and the next one finds nothing more."""
    await _world(session)
    await _cycle(session_maker, INTRODUCED)  # planned while running; then "stopped" for weeks
    first = _check_ins(await _cycle(session_maker, at(2027, 1, 4, 10, 0)))
    assert sorted((r.kind, r.chat_id) for r in first) == [
        ("followup.checkin.contact", DESIGNER),
        ("followup.checkin.contact", MAKER),
        ("followup.checkin.prototype", DESIGNER),
        ("followup.checkin.prototype", MAKER),
    ]
    assert _check_ins(await _cycle(session_maker, at(2027, 1, 4, 10, 1))) == []


async def test_concurrent_dispatchers_claim_disjoint_rows(
    session: AsyncSession, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    """Several dispatchers at once (PostgreSQL: SKIP LOCKED; SQLite: one writer) queue every
    due row exactly once."""
    await _world(session)
    due = at(2026, 12, 8, 14, 0)
    rows = [
        {
            "maker_id": None,
            "introduction_id": None,
            "kind": FollowUpKind.FRESHNESS.value,
            "due_at": due,
            "status": FollowUpStatus.PENDING.value,
            "attempts": 0,
            "created_at": due,
            "dedupe_key": f"bulk:{i}",
        }
        for i in range(120)
    ]
    makers = []
    for i in range(120):
        maker = Maker(
            external_id=f"bulk-{i}",
            name=f"Verkstad {i}",
            municipality_code=BORAS,
            lat=57.7,
            lon=12.9,
            telegram_user_id=10_000 + i,
        )
        makers.append(maker)
    session.add_all(makers)
    await session.flush()
    for row, maker in zip(rows, makers, strict=True):
        row["maker_id"] = maker.id
    from services.followups.schedule import insert_rows

    await insert_rows(session, rows)
    await session.commit()

    async def one() -> int:
        total = 0
        while True:
            async with session_maker() as own:
                report = await dispatch_due(own, now=due, policy=POLICY, limit=7)
                await own.commit()
            if not report.claimed:
                return total
            total += report.claimed

    claimed = await asyncio.gather(*(one() for _ in range(4)))
    assert sum(claimed) == 120
    async with session_maker() as fresh:
        keys = (
            await fresh.exec(
                select(Outbox.dedupe_key).where(col(Outbox.kind) == "followup.freshness")
            )
        ).all()
    assert len(keys) == len(set(keys)) == 120


async def test_a_paused_maker_is_first_asked_after_the_pause(
    session: AsyncSession, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    world = await _world(session)
    world.maker.status = "paused"
    world.maker.paused_until = datetime(2027, 3, 31).date()
    session.add(world.maker)
    await session.commit()
    await _cycle(session_maker, at(2026, 12, 1, 10, 0), FollowUpPolicy(freshness_weeks=1))
    async with session_maker() as fresh:
        (planned,) = await _follow_ups(fresh, kind=FollowUpKind.FRESHNESS.value)
    assert planned.due_at == at(2027, 4, 1, 9, 0)
