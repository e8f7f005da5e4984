"""Follow-up check-ins on Telegram: the real Application, offline, on one movable clock.

The bot is built as ``spok-bot run`` builds it (``dialogue_starter`` and ``outbox_starter``'s
hooks), on a recording Bot API that notes the clock's time of every message. The test runs the
follow-up job (``FollowUpJob.run_once``, what the JobQueue rings) and then the outbox sender
(``run_until_idle``, which moves the clock instead of sleeping), and presses the buttons the bot
actually sent with real callback updates.

The world: the hub Västra Götaland with a coordinator (no group, so notices go to the
coordinator's private chat), a listed maker in Borås bound to Telegram, and a designer whose
introduction to it was made on Tuesday 1 December 2026 at 10:00 Stockholm time.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import Update
from telegram.ext import Application
from telegram.request import RequestData

from bot.bench.offline import RecordingRequest
from bot.commands.run import dialogue_starter, outbox_starter
from bot.settings import Settings
from bot.telegram.app import build_application
from bot.telegram.followups.handlers import JOB_NAME, FollowUpJob
from bot.telegram.transport.sender import OutboxSender
from matching.models import MakerStatus
from services.dialogue.contract import Command, Incoming, Outcome
from services.followups import CycleReport, FollowUpPolicy, dispatch_due
from services.followups.texts import FollowUpTexts
from services.introductions.calendar import STOCKHOLM
from services.introductions.texts import IntroTexts
from services.outbox import RetryPolicy
from services.runtime import Runtime
from storage.models import (
    Designer,
    FollowUp,
    Introduction,
    IntroductionStatus,
    Maker,
    MatchRequest,
    RequestStatus,
)
from tests.bot.telegram.conftest import TOKEN
from tests.fakes.redelivery import snapshot
from tests.fakes.roles import BORAS, coordinator_of, listed_maker, seeded_hubs
from tests.fakes.updates import TelegramUser

ADMIN = 11
COORDINATOR = TelegramUser(501, language_code="sv", first_name="Karin")
DESIGNER = TelegramUser(502, language_code="sv", first_name="Alva")
MAKER = TelegramUser(503, language_code="sv", first_name="Bo")
STRANGER = TelegramUser(504, language_code="sv", first_name="Eve")
MAKER_ID = "m-ringo"
MAKER_NAME = f"Verkstad {MAKER_ID}"  # what tests.fakes.roles.listed_maker calls it
SV, EN = FollowUpTexts("sv"), FollowUpTexts("en")

# Check-ins only: the freshness question comes long after the last check-in.
CHECKINS = FollowUpPolicy(freshness_weeks=52)
# Freshness only, and soon: asked after a week, unanswered after three days.
FRESHNESS = FollowUpPolicy(freshness_weeks=1, freshness_answer_days=3)
CONTACT, PROTOTYPE, PRODUCTION = "checkin.contact", "checkin.prototype", "checkin.production"
BLOCKED = (403, "Forbidden: bot was blocked by the user")
BAD_GATEWAY = (502, "Bad Gateway")  # a transient failure

M = TypeVar("M", bound=SQLModel)


def stockholm(
    year: int, month: int, day: int, hour: int, minute: int = 0, second: int = 0
) -> datetime:
    """A Stockholm wall-clock time, in UTC."""
    return datetime(year, month, day, hour, minute, second, tzinfo=STOCKHOLM).astimezone(UTC)


INTRODUCED = stockholm(2026, 12, 1, 10)  # Tuesday
SEVEN_DAYS = INTRODUCED + timedelta(days=7)  # Tuesday 8 December, 10:00
# Thirty days is New Year's Eve (no working day); the next opening is Monday 4 January.
AFTER_NEW_YEAR = stockholm(2027, 1, 4, 10)
NINETY_DAYS = INTRODUCED + timedelta(days=90)  # Monday 1 March 2027, 10:00


@pytest.fixture(autouse=True)
def _no_stray_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The settings come from the test, not from the environment it runs in."""
    for name in ("ADMIN_TELEGRAM_IDS", "CHECKIN_DAYS", "CHECKIN_HOURS", "HUBS_FILE"):
        monkeypatch.delenv(name, raising=False)


# -- the recording Bot API and the clock ------------------------------------------------------


class MovableClock:
    """The one clock of the job, the handlers and the sender; ``sleep`` moves it."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def now(self) -> datetime:
        return self.current

    async def sleep(self, seconds: float) -> None:
        self.current += timedelta(seconds=seconds)

    def move_to(self, moment: datetime) -> None:
        assert moment >= self.current, "the clock only moves forward"
        self.current = moment


@dataclass(frozen=True)
class Delivery:
    """A message Telegram accepted: to whom, when (on the clock), what, with which buttons."""

    chat_id: int
    at: datetime
    text: str
    markup: dict[str, Any] | None

    def labels(self) -> list[str]:
        return [button["text"] for row in self._rows() for button in row]

    def data(self, label: str) -> str:
        for row in self._rows():
            for button in row:
                if button["text"] == label:
                    return str(button["callback_data"])
        raise AssertionError(f"no button {label!r} under {self.text!r}: {self.labels()}")

    def as_message(self, chat: dict[str, Any]) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": 1,
            "date": int(self.at.timestamp()),
            "chat": chat,
            "text": self.text,
        }
        if self.markup:
            message["reply_markup"] = self.markup
        return message

    def _rows(self) -> list[list[dict[str, Any]]]:
        return list((self.markup or {}).get("inline_keyboard") or [])


class ClockedRequest(RecordingRequest):
    """Records each delivered message with the clock's time; sends to ``failing_chats`` fail
    with the given status (403: blocked; 502: a transient error)."""

    def __init__(self, clock: MovableClock) -> None:
        super().__init__()
        self.clock = clock
        self.deliveries: list[Delivery] = []
        self.failing_chats: dict[int, tuple[int, str]] = {}
        self.failed_attempts: list[int] = []  # chat ids

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        if api_method in ("sendMessage", "sendPhoto") and request_data is not None:
            params = dict(request_data.parameters)
            chat_id = int(str(params["chat_id"]))
            if chat_id in self.failing_chats:
                self.failed_attempts.append(chat_id)
                status, description = self.failing_chats[chat_id]
                body = {"ok": False, "error_code": status, "description": description}
                return status, json.dumps(body).encode()
            markup = params.get("reply_markup")
            text = str(params.get("text") or params.get("caption") or "")
            self.deliveries.append(
                Delivery(
                    chat_id, self.clock.now(), text, markup if isinstance(markup, dict) else None
                )
            )
        return await super().do_request(url, method, request_data, *args, **kwargs)


class ManualSender(OutboxSender):
    """``spok-bot run``'s sender, run when the test says instead of in the background."""

    def start(self, application: Application) -> None:
        pass


# -- the world --------------------------------------------------------------------------------


@dataclass(frozen=True)
class World:
    maker_id: int
    designer_id: int | None = None
    introduction_id: int | None = None


async def seed(
    sessions: async_sessionmaker[AsyncSession],
    *,
    introduced_at: datetime | None = INTRODUCED,
    designer_language: str = "sv",
    freshness_penalty: float = 0.0,
) -> World:
    """Hubs, Karin coordinating Västra Götaland, the maker; with ``introduced_at``, a designer
    and an introduction both sides said yes to at that time."""
    async with sessions() as session:
        hubs = await seeded_hubs(session)
        hub = hubs["vastra-gotaland"]
        await coordinator_of(session, hub, COORDINATOR.user_id)
        maker = await listed_maker(session, MAKER_ID, telegram_user_id=MAKER.user_id)
        maker.freshness_penalty = freshness_penalty
        session.add(maker)
        await session.commit()
        assert maker.id is not None
        if introduced_at is None:
            return World(maker.id)
        designer = Designer(
            telegram_user_id=DESIGNER.user_id,
            name="Alva Ek",
            company="Formbyrån AB",
            language=designer_language,
        )
        session.add(designer)
        await session.flush()
        request = MatchRequest(
            designer_id=designer.id,
            text="Laserskurna plåtdetaljer i rostfritt stål",
            municipality_code=BORAS,
            status=RequestStatus.SUBMITTED.value,
            hub_id=hub.id,
        )
        session.add(request)
        await session.flush()
        assert request.id is not None and designer.id is not None
        introduction = Introduction(
            request_id=request.id,
            maker_id=maker.id,
            status=IntroductionStatus.INTERESTED.value,
            brief_sent_at=introduced_at - timedelta(days=1),
            introduced_at=introduced_at,
        )
        session.add(introduction)
        await session.commit()
        assert introduction.id is not None
        return World(maker.id, designer.id, introduction.id)


# -- the running bot --------------------------------------------------------------------------


@dataclass
class Answered:
    """What a press got back: its toasts, and the messages to the presser's chat."""

    toasts: list[str | None]
    replies: list[Delivery]

    @property
    def text(self) -> str:
        return "\n".join(reply.text for reply in self.replies)


@dataclass
class Bench:
    app: Application
    request: ClockedRequest
    clock: MovableClock
    job: FollowUpJob
    sender: ManualSender
    runtime: Runtime
    sessions: async_sessionmaker[AsyncSession]
    seen: list[Incoming] = field(default_factory=list)  # what reached the dialogue

    async def cycle(self, at: datetime, *, send: bool = True) -> CycleReport:
        """Move the clock, run the follow-up job once, then (``send``) the outbox sender."""
        self.clock.move_to(at)
        report = await self.job.run_once()
        assert report is not None
        if send:
            await self.sender.run_until_idle()
        return report

    async def feed(self, update: dict[str, Any]) -> None:
        """One update to the bot, then whatever it queued is sent (if it may go now: the
        clock stays where it is)."""
        await self.app.process_update(Update.de_json(update, self.app.bot))
        await self.sender.drain()

    async def command(self, person: TelegramUser, name: str, argument: str = "") -> str:
        mark = len(self.request.deliveries)
        await self.feed(person.command(name, argument))
        return texts(self.to(person.user_id, since=mark))

    async def press(self, person: TelegramUser, on: Delivery, label: str) -> Answered:
        return await self.press_data(person, on, on.data(label))

    async def press_data(self, person: TelegramUser, on: Delivery, data: str) -> Answered:
        calls, sent = len(self.request.calls), len(self.request.deliveries)
        await self.feed(person.press(data, on.as_message(person.chat())))
        toasts = [
            call.params.get("text")
            for call in self.request.calls[calls:]
            if call.method == "answerCallbackQuery"
        ]
        return Answered(toasts, self.to(person.user_id, since=sent))

    def to(self, chat_id: int, *, since: int = 0) -> list[Delivery]:
        return [d for d in self.request.deliveries[since:] if d.chat_id == chat_id]

    def mark(self) -> int:
        return len(self.request.deliveries)

    async def follow_ups(self) -> list[FollowUp]:
        async with self.sessions() as session:
            return list((await session.exec(select(FollowUp).order_by(col(FollowUp.id)))).all())

    async def checkin(self, kind: str, side: str) -> FollowUp:
        (row,) = [r for r in await self.follow_ups() if r.kind == kind and r.side == side]
        return row

    async def statuses(self, *kinds: str) -> dict[tuple[str, str | None], str]:
        """``(kind, side) -> status`` of the check-ins (of ``kinds``; default all)."""
        return {
            (r.kind, r.side): r.status
            for r in await self.follow_ups()
            if r.introduction_id is not None and (not kinds or r.kind in kinds)
        }

    async def get(self, model: type[M], row_id: int | None) -> M:
        async with self.sessions() as session:
            found = await session.get(model, row_id)
        assert found is not None
        return found


def texts(deliveries: list[Delivery]) -> str:
    return "\n".join(d.text for d in deliveries)


@asynccontextmanager
async def running(
    database_url: str,
    sessions: async_sessionmaker[AsyncSession],
    *,
    start: datetime,
    policy: FollowUpPolicy = CHECKINS,
    retry: RetryPolicy | None = None,
) -> AsyncIterator[Bench]:
    clock = MovableClock(start)
    request = ClockedRequest(clock)
    settings = Settings(_env_file=None, admin_telegram_ids=str(ADMIN))
    runtimes: list[Runtime] = []
    senders: list[ManualSender] = []
    seen: list[Incoming] = []
    start_dialogue = dialogue_starter(database_url, settings)

    async def start_runtime() -> Runtime:
        runtime = await start_dialogue()
        assert isinstance(runtime, Runtime)
        original = runtime.dialogue.handle

        async def handle(  # what falls through to the dialogue
            incoming: Incoming, *, session: AsyncSession | None = None
        ) -> Outcome:
            seen.append(incoming)
            return await original(incoming, session=session)

        runtime.dialogue.handle = handle  # type: ignore[method-assign]
        runtimes.append(runtime)
        return runtime

    def start_outbox(application: Application, runtime: Runtime) -> OutboxSender:
        wired = outbox_starter(settings, clock)(application, runtime)  # run.py's hooks, hours
        sender = ManualSender(
            application.bot,
            wired.sessions,
            clock=clock,
            policy=retry,
            on_blocked=wired.on_blocked,
            on_failed=wired.on_failed,
            hours=wired.hours,
        )
        senders.append(sender)
        return sender

    app = build_application(
        TOKEN,
        start_runtime,
        request=request,
        with_updater=False,
        start_outbox=start_outbox,
        clock=clock.now,
        followup_policy=policy,
    )
    assert app.job_queue is not None
    (scheduled,) = app.job_queue.get_jobs_by_name(JOB_NAME)
    job = getattr(scheduled.callback, "__self__", None)
    assert isinstance(job, FollowUpJob)  # the very job the JobQueue would ring
    async with app:
        assert app.post_init is not None and app.post_shutdown is not None
        await app.post_init(app)
        try:
            yield Bench(app, request, clock, job, senders[0], runtimes[0], sessions, seen)
        finally:
            await app.post_shutdown(app)


async def seven_day_checkins(bench: Bench) -> tuple[Delivery, Delivery]:
    """Plan at the introduction, then the 7-day check-ins go out: (the designer's, the
    maker's)."""
    await bench.cycle(INTRODUCED)
    await bench.cycle(SEVEN_DAYS)
    (to_designer,) = bench.to(DESIGNER.user_id)
    (to_maker,) = bench.to(MAKER.user_id)
    return to_designer, to_maker


async def freshness_question(bench: Bench) -> Delivery:
    """Plan at the start, then "still taking requests?" goes out a week later."""
    await bench.cycle(INTRODUCED)
    assert bench.to(MAKER.user_id) == []
    await bench.cycle(INTRODUCED + timedelta(weeks=1))
    (question,) = bench.to(MAKER.user_id)
    return question


# -- 1. the 7-day check-in and its buttons ----------------------------------------------------


async def test_seven_days_after_an_introduction_both_sides_are_asked_with_buttons(
    database_url: str, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    await seed(session_maker)
    async with running(database_url, session_maker, start=INTRODUCED) as bench:
        await bench.cycle(INTRODUCED)
        await bench.cycle(SEVEN_DAYS - timedelta(minutes=1))
        assert bench.request.deliveries == []

        await bench.cycle(SEVEN_DAYS)

        (to_designer,) = bench.to(DESIGNER.user_id)
        (to_maker,) = bench.to(MAKER.user_id)
        assert "För 7 dagar sedan" in to_designer.text and MAKER_NAME in to_designer.text
        assert "Laserskurna plåtdetaljer" in to_maker.text  # the request, not the designer
        assert "Alva Ek" not in to_maker.text
        buttons = [SV(f"button.{a}") for a in ("met", "contacted", "no_contact", "end")]
        assert to_designer.labels() == to_maker.labels() == buttons
        assert {d.at for d in bench.request.deliveries} == {SEVEN_DAYS}
        assert await bench.statuses(CONTACT) == {
            (CONTACT, "designer"): "sent",
            (CONTACT, "maker"): "sent",
        }
        await bench.cycle(SEVEN_DAYS + timedelta(hours=1))  # asked once, not every cycle
        assert len(bench.request.deliveries) == 2


async def test_met_is_recorded_on_the_introduction_and_answered_privately(
    database_url: str, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    world = await seed(session_maker)
    async with running(database_url, session_maker, start=INTRODUCED) as bench:
        to_designer, _ = await seven_day_checkins(bench)
        mark = bench.mark()

        answered = await bench.press(DESIGNER, to_designer, SV("button.met"))

        assert answered.toasts == [None]
        assert answered.text == SV("answer.good_news")
        assert {d.chat_id for d in bench.request.deliveries[mark:]} == {DESIGNER.user_id}
        introduction = await bench.get(Introduction, world.introduction_id)
        assert (introduction.outcome, introduction.outcome_at) == ("met", SEVEN_DAYS)
        mine = await bench.checkin(CONTACT, "designer")
        assert (mine.status, mine.answer, mine.answered_at) == ("answered", "met", SEVEN_DAYS)
        assert (await bench.checkin(CONTACT, "maker")).status == "sent"


async def test_pressing_an_answered_check_in_again_says_it_is_answered(
    database_url: str, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    await seed(session_maker)
    async with running(database_url, session_maker, start=INTRODUCED) as bench:
        to_designer, _ = await seven_day_checkins(bench)
        await bench.press(DESIGNER, to_designer, SV("button.met"))

        again = await bench.press(DESIGNER, to_designer, SV("button.contacted"))

        assert again.toasts == [SV("answer.already")] and again.replies == []
        mine = await bench.checkin(CONTACT, "designer")
        assert (mine.status, mine.answer) == ("answered", "met")


async def test_someone_else_pressing_a_check_in_button_is_refused_and_changes_nothing(
    database_url: str, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    world = await seed(session_maker)
    async with running(database_url, session_maker, start=INTRODUCED) as bench:
        to_designer, _ = await seven_day_checkins(bench)

        for presser in (STRANGER, MAKER):  # the maker has a button of its own, not this one
            refused = await bench.press(presser, to_designer, SV("button.met"))
            assert refused.toasts == [SV("answer.refused")] and refused.replies == []

        assert (await bench.get(Introduction, world.introduction_id)).outcome is None
        assert await bench.statuses(CONTACT) == {
            (CONTACT, "designer"): "sent",
            (CONTACT, "maker"): "sent",
        }


async def test_forged_button_data_is_refused(
    database_url: str, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    world = await seed(session_maker)
    async with running(database_url, session_maker, start=INTRODUCED) as bench:
        to_designer, _ = await seven_day_checkins(bench)
        token = to_designer.data(SV("button.met")).split(":")[1]

        for forged in (
            "fu:bogus:met",  # no such token
            f"fu:{token}:production",  # an answer the contact check-in does not offer
            f"fu:{token}:end.bribe",  # no such reason
            f"fu:{token}:met:extra",
        ):
            refused = await bench.press_data(DESIGNER, to_designer, forged)
            assert refused.toasts == [SV("answer.refused")], forged
            assert refused.replies == []

        assert (await bench.get(Introduction, world.introduction_id)).outcome is None
        assert (await bench.checkin(CONTACT, "designer")).status == "sent"


# -- 2. "no contact yet" and "not going ahead" ------------------------------------------------


async def test_no_contact_yet_at_seven_days_alerts_the_hubs_coordinators(
    database_url: str, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    world = await seed(session_maker)
    async with running(database_url, session_maker, start=INTRODUCED) as bench:
        _, to_maker = await seven_day_checkins(bench)

        answered = await bench.press(MAKER, to_maker, SV("button.no_contact"))

        assert answered.text == SV("answer.no_contact")
        (alert,) = bench.to(COORDINATOR.user_id)
        assert "Ingen kontakt än" in alert.text and "efter 7 dagar" in alert.text
        assert "tillverkaren" in alert.text and "Alva Ek" in alert.text
        assert MAKER_NAME in alert.text
        assert (await bench.get(Introduction, world.introduction_id)).outcome == "no_contact"


async def test_not_going_ahead_asks_why_then_the_reason_ends_the_series(
    database_url: str, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    world = await seed(session_maker)
    async with running(database_url, session_maker, start=INTRODUCED) as bench:
        to_designer, _ = await seven_day_checkins(bench)

        asked = await bench.press(DESIGNER, to_designer, SV("button.end"))
        (reasons,) = asked.replies
        assert reasons.text == SV("answer.ask_reason")
        assert reasons.labels() == [
            SV(f"button.reason.{r}") for r in ("price", "timing", "capacity", "technical", "other")
        ]
        assert (await bench.get(Introduction, world.introduction_id)).ended_at is None

        ended = await bench.press(DESIGNER, reasons, SV("button.reason.price"))

        assert ended.text == SV("answer.ended")
        introduction = await bench.get(Introduction, world.introduction_id)
        assert (introduction.ended_at, introduction.ended_reason) == (SEVEN_DAYS, "price")
        assert await bench.statuses() == {
            (CONTACT, "designer"): "answered",
            (CONTACT, "maker"): "sent",  # already out: the maker may still answer it
            (PROTOTYPE, "designer"): "cancelled",
            (PROTOTYPE, "maker"): "cancelled",
            (PRODUCTION, "designer"): "cancelled",
            (PRODUCTION, "maker"): "cancelled",
        }
        (notice,) = bench.to(COORDINATOR.user_id)
        assert "Blir inget av" in notice.text and "Skäl: priset (enligt designern)" in notice.text

        mark = bench.mark()
        for later in (AFTER_NEW_YEAR, NINETY_DAYS):
            report = await bench.cycle(later)
            assert report.dispatched.claimed == 0
        assert bench.request.deliveries[mark:] == []


async def test_check_ins_held_overnight_are_not_sent_once_the_series_ended(
    database_url: str, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    """The 8-day check-ins are released at 16:59:59 and held overnight; at 17:30 the designer
    answers the 7-day one "not going ahead". Nothing more is asked about it next morning."""
    introduced = stockholm(2026, 12, 1, 16, 59, 59)
    await seed(session_maker, introduced_at=introduced)
    policy = FollowUpPolicy(checkin_days=(7, 8, 90), freshness_weeks=52)
    async with running(database_url, session_maker, start=introduced, policy=policy) as bench:
        await bench.cycle(introduced)
        await bench.cycle(introduced + timedelta(days=7))  # sent at 09:00 on Wednesday
        (to_designer,) = bench.to(DESIGNER.user_id)
        report = await bench.cycle(introduced + timedelta(days=8), send=False)
        assert report.dispatched.queued == 2
        bench.clock.move_to(stockholm(2026, 12, 9, 17, 30))
        reasons = await bench.press(DESIGNER, to_designer, SV("button.end"))
        await bench.press(DESIGNER, reasons.replies[0], SV("button.reason.timing"))
        mark = bench.mark()

        await bench.cycle(stockholm(2026, 12, 10, 9))

        assert bench.to(DESIGNER.user_id, since=mark) == []
        assert bench.to(MAKER.user_id, since=mark) == []
        assert await bench.statuses(PROTOTYPE) == {
            (PROTOTYPE, "designer"): "cancelled",
            (PROTOTYPE, "maker"): "cancelled",
        }


# -- 3. /checkins -----------------------------------------------------------------------------


async def test_checkins_off_skips_that_persons_next_check_in_only(
    database_url: str, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    world = await seed(session_maker)
    async with running(database_url, session_maker, start=INTRODUCED) as bench:
        await bench.cycle(INTRODUCED)

        reply = await bench.command(DESIGNER, "checkins", "av")

        assert SV("checkins.off") in reply
        assert (await bench.get(Designer, world.designer_id)).checkins_off_at == INTRODUCED
        mark = bench.mark()
        await bench.cycle(SEVEN_DAYS)
        assert bench.to(DESIGNER.user_id, since=mark) == []
        assert len(bench.to(MAKER.user_id)) == 1
        skipped = await bench.checkin(CONTACT, "designer")
        assert (skipped.status, skipped.last_error) == ("skipped", "check-ins off")
        assert (await bench.checkin(CONTACT, "maker")).status == "sent"


async def test_checkins_off_withdraws_a_check_in_already_held_for_the_morning(
    database_url: str, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    """Released at 16:59:59, the check-ins wait in the outbox overnight; the designer turns
    check-ins off at 17:30, so next morning only the maker's goes out."""
    introduced = stockholm(2026, 12, 1, 16, 59, 59)
    await seed(session_maker, introduced_at=introduced)
    async with running(database_url, session_maker, start=introduced) as bench:
        await bench.cycle(introduced)
        report = await bench.cycle(introduced + timedelta(days=7), send=False)
        assert report.dispatched.queued == 2
        bench.clock.move_to(stockholm(2026, 12, 8, 17, 30))
        assert SV("checkins.off") in await bench.command(DESIGNER, "checkins", "av")
        mark = bench.mark()

        await bench.cycle(stockholm(2026, 12, 9, 9))

        assert bench.to(DESIGNER.user_id, since=mark) == []
        assert len(bench.to(MAKER.user_id, since=mark)) == 1
        withdrawn = await bench.checkin(CONTACT, "designer")
        assert (withdrawn.status, withdrawn.last_error) == ("skipped", "check-ins off")
        assert (await bench.checkin(CONTACT, "maker")).status == "sent"


async def test_checkins_on_again_brings_the_following_check_in(
    database_url: str, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    world = await seed(session_maker)
    async with running(database_url, session_maker, start=INTRODUCED) as bench:
        await bench.cycle(INTRODUCED)
        await bench.command(DESIGNER, "checkins", "av")
        await bench.cycle(SEVEN_DAYS)

        reply = await bench.command(DESIGNER, "checkins", "på")

        assert SV("checkins.on", first=7, second=30, third=90) in reply
        assert (await bench.get(Designer, world.designer_id)).checkins_off_at is None
        mark = bench.mark()
        await bench.cycle(AFTER_NEW_YEAR)
        (prototype,) = bench.to(DESIGNER.user_id, since=mark)
        assert "prototyp eller ett prov" in prototype.text
        assert (await bench.checkin(PROTOTYPE, "designer")).status == "sent"


async def test_checkins_from_someone_the_bot_does_not_know_says_there_is_nothing(
    database_url: str, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    await seed(session_maker)
    async with running(database_url, session_maker, start=INTRODUCED) as bench:
        reply = await bench.command(STRANGER, "checkins", "av")

    assert reply == SV("checkins.nobody")


async def test_an_english_designer_is_asked_and_answered_in_english(
    database_url: str, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    """The language chosen in the dialogue counts, whatever the Telegram app says."""
    await seed(session_maker, designer_language="en")
    async with running(database_url, session_maker, start=INTRODUCED) as bench:
        to_designer, to_maker = await seven_day_checkins(bench)
        assert "7 days ago you got the contact details" in to_designer.text
        assert EN("button.met") in to_designer.labels()
        assert SV("button.met") in to_maker.labels()  # makers read Swedish

        reply = await bench.command(DESIGNER, "checkins", "off")

        assert EN("checkins.off") in reply


# -- 4. freshness -----------------------------------------------------------------------------


async def test_a_maker_on_telegram_is_asked_whether_it_still_takes_requests(
    database_url: str, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    await seed(session_maker, introduced_at=None)
    async with running(database_url, session_maker, start=INTRODUCED, policy=FRESHNESS) as bench:
        question = await freshness_question(bench)

        assert question.text.startswith(SV("freshness.ask", maker=MAKER_NAME))
        assert question.labels() == [SV(f"freshness.button.{a}") for a in ("yes", "busy", "unlist")]
        assert question.at == INTRODUCED + timedelta(weeks=1)


async def test_busy_for_a_month_pauses_the_listing_and_asks_again_after_the_pause(
    database_url: str, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    world = await seed(session_maker, introduced_at=None)
    async with running(database_url, session_maker, start=INTRODUCED, policy=FRESHNESS) as bench:
        question = await freshness_question(bench)

        spans = await bench.press(MAKER, question, SV("freshness.button.busy"))
        (until_when,) = spans.replies
        assert until_when.labels() == [
            SV(f"freshness.button.{s}") for s in ("weeks2", "month1", "months3")
        ]
        paused = await bench.press(MAKER, until_when, SV("freshness.button.month1"))

        until = date(2026, 12, 8) + timedelta(days=30)
        assert paused.text == SV("freshness.paused", maker=MAKER_NAME, until=until.isoformat())
        maker = await bench.get(Maker, world.maker_id)
        assert (maker.status, maker.paused_until) == (MakerStatus.PAUSED.value, until)
        profile = bench.runtime.matchmaker.index.get(MAKER_ID)
        assert profile is not None and profile.status is MakerStatus.PAUSED  # the live matcher
        answered, following = await bench.follow_ups()
        assert (answered.status, answered.answer) == ("answered", "busy.month1")
        assert following.status == "pending"
        assert following.due_at == stockholm(2027, 1, 8, 9)  # the day after the pause


async def test_yes_confirms_the_listing_and_clears_its_penalty(
    database_url: str, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    world = await seed(session_maker, introduced_at=None, freshness_penalty=0.5)
    async with running(database_url, session_maker, start=INTRODUCED, policy=FRESHNESS) as bench:
        question = await freshness_question(bench)

        confirmed = await bench.press(MAKER, question, SV("freshness.button.yes"))

        assert confirmed.text == SV("freshness.confirmed", maker=MAKER_NAME)
        maker = await bench.get(Maker, world.maker_id)
        assert (maker.last_confirmed, maker.freshness_penalty) == (date(2026, 12, 8), 0.0)
        profile = bench.runtime.matchmaker.index.get(MAKER_ID)
        assert profile is not None and profile.freshness_penalty == 0.0


async def test_please_unlist_us_unlists_the_maker_and_tells_the_hub(
    database_url: str, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    world = await seed(session_maker, introduced_at=None)
    async with running(database_url, session_maker, start=INTRODUCED, policy=FRESHNESS) as bench:
        question = await freshness_question(bench)

        unlisted = await bench.press(MAKER, question, SV("freshness.button.unlist"))

        assert unlisted.text == SV("freshness.unlisted", maker=MAKER_NAME)
        assert (await bench.get(Maker, world.maker_id)).status == MakerStatus.UNLISTED.value
        profile = bench.runtime.matchmaker.index.get(MAKER_ID)
        assert profile is not None and profile.status is MakerStatus.UNLISTED
        (notice,) = bench.to(COORDINATOR.user_id)
        assert notice.text == SV("hub.unlisted", maker=MAKER_NAME)
        mark = bench.mark()
        await bench.cycle(INTRODUCED + timedelta(weeks=3))  # an unlisted maker is not asked
        assert bench.request.deliveries[mark:] == []


async def test_an_unanswered_freshness_check_lowers_the_maker_and_tells_the_hub(
    database_url: str, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    world = await seed(session_maker, introduced_at=None)
    async with running(database_url, session_maker, start=INTRODUCED, policy=FRESHNESS) as bench:
        question = await freshness_question(bench)
        deadline = question.at + timedelta(days=3)  # Friday 11 December, 10:00
        await bench.cycle(deadline - timedelta(minutes=1))
        assert (await bench.follow_ups())[0].status == "sent"

        report = await bench.cycle(deadline)

        assert report.stale_makers == (world.maker_id,)
        unanswered, following = await bench.follow_ups()
        assert unanswered.status == "unanswered"
        assert (following.status, following.due_at) == ("pending", deadline + timedelta(weeks=1))
        assert (await bench.get(Maker, world.maker_id)).freshness_penalty > 0
        (stale,) = bench.to(COORDINATOR.user_id)
        assert stale.text == SV("hub.stale", maker=MAKER_NAME)
        profile = bench.runtime.matchmaker.index.get(MAKER_ID)
        assert profile is not None and profile.freshness_penalty > 0  # the running matcher


async def test_busy_answered_late_is_not_asked_again_during_the_pause(
    database_url: str, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    """An unanswered check may still be answered (the maker comes back to the message); after
    "busy for a month" the maker is asked nothing until the pause is over."""
    await seed(session_maker, introduced_at=None)
    async with running(database_url, session_maker, start=INTRODUCED, policy=FRESHNESS) as bench:
        question = await freshness_question(bench)
        deadline = question.at + timedelta(days=3)
        await bench.cycle(deadline)  # unanswered; the next check is planned a week on
        spans = await bench.press(MAKER, question, SV("freshness.button.busy"))
        await bench.press(MAKER, spans.replies[0], SV("freshness.button.month1"))
        after = deadline.astimezone(STOCKHOLM).date() + timedelta(days=31)  # the pause's end + 1
        mark = bench.mark()

        await bench.cycle(deadline + timedelta(weeks=1))

        assert bench.to(MAKER.user_id, since=mark) == []
        pending = [r for r in await bench.follow_ups() if r.status == "pending"]
        assert [r.due_at for r in pending] == [stockholm(after.year, after.month, after.day, 9)]


async def test_the_stale_notice_sends_coordinators_to_a_list_that_names_the_maker(
    database_url: str, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    await seed(session_maker, introduced_at=None)
    async with running(database_url, session_maker, start=INTRODUCED, policy=FRESHNESS) as bench:
        question = await freshness_question(bench)
        await bench.cycle(question.at + timedelta(days=3))
        (stale,) = bench.to(COORDINATOR.user_id)
        commands = re.findall(r"(?<![\w<])/(\w+)", stale.text)
        assert commands == ["stale"]

        listing = await bench.command(COORDINATOR, "stale")

        assert MAKER_NAME in listing
        assert bench.seen == []  # answered by the bot's desk, not the designer dialogue


# -- 5. delivery ------------------------------------------------------------------------------


async def test_a_designer_who_blocked_the_bot_has_every_check_in_cancelled_and_the_hub_is_told(
    database_url: str, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    world = await seed(session_maker)
    async with running(database_url, session_maker, start=INTRODUCED) as bench:
        await bench.cycle(INTRODUCED)
        bench.request.failing_chats[DESIGNER.user_id] = BLOCKED

        await bench.cycle(SEVEN_DAYS)

        assert bench.request.failed_attempts == [DESIGNER.user_id]  # tried once, not retried
        assert await bench.statuses() == {
            (CONTACT, "designer"): "cancelled",
            (CONTACT, "maker"): "sent",
            (PROTOTYPE, "designer"): "cancelled",
            (PROTOTYPE, "maker"): "pending",
            (PRODUCTION, "designer"): "cancelled",
            (PRODUCTION, "maker"): "pending",
        }
        assert (await bench.get(Designer, world.designer_id)).unreachable_at is not None
        (notice,) = bench.to(COORDINATOR.user_id)
        assert notice.text == IntroTexts("sv")(
            "hub.unreachable_designer", name="Alva Ek, Formbyrån AB"
        )


async def test_a_check_in_that_keeps_failing_is_marked_failed_and_reported_to_the_hub(
    database_url: str, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    await seed(session_maker)
    retry = RetryPolicy(max_attempts=3, base=timedelta(seconds=10))
    async with running(database_url, session_maker, start=INTRODUCED, retry=retry) as bench:
        await bench.cycle(INTRODUCED)
        bench.request.failing_chats[DESIGNER.user_id] = BAD_GATEWAY

        await bench.cycle(SEVEN_DAYS)

        assert bench.request.failed_attempts == [DESIGNER.user_id] * 3
        assert bench.clock.now() == SEVEN_DAYS + timedelta(seconds=30)  # at 0, 10 and 30 s
        failed = await bench.checkin(CONTACT, "designer")
        assert (failed.status, failed.attempts) == ("failed", 3)
        assert failed.last_error is not None and "Bad Gateway" in failed.last_error
        (report,) = bench.to(COORDINATOR.user_id)
        assert "kunde inte levereras efter 3 försök" in report.text
        assert "Alva Ek" in report.text and "Bad Gateway" in report.text
        assert (await bench.checkin(CONTACT, "maker")).status == "sent"


async def test_a_block_is_dated_by_the_bots_clock(
    database_url: str, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    world = await seed(session_maker)
    async with running(database_url, session_maker, start=INTRODUCED) as bench:
        await bench.cycle(INTRODUCED)
        bench.request.failing_chats[DESIGNER.user_id] = BLOCKED

        await bench.cycle(SEVEN_DAYS)

        assert (await bench.get(Designer, world.designer_id)).unreachable_at == SEVEN_DAYS


async def test_a_dispatch_claims_no_more_than_its_batch(
    database_url: str, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    """The job claims due check-ins batch by batch (``limit``): two due, a batch of one. (As
    a plain ``IN (SELECT … LIMIT n FOR UPDATE SKIP LOCKED)`` PostgreSQL re-ran the subquery
    per row and claimed every due row; ``outbox.picked_once`` materialises it.)"""
    await seed(session_maker)
    async with running(database_url, session_maker, start=INTRODUCED) as bench:
        await bench.cycle(INTRODUCED)  # plans the check-ins
        bench.clock.move_to(SEVEN_DAYS)

        async with session_maker() as session:
            report = await dispatch_due(session, now=SEVEN_DAYS, policy=CHECKINS, limit=1)
            await session.commit()

        assert report.claimed == 1
        assert sorted((await bench.statuses(CONTACT)).values()) == ["pending", "queued"]


# -- 6. /followups ----------------------------------------------------------------------------


async def test_followups_shows_a_coordinator_the_counts_and_what_goes_out_next(
    database_url: str, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    await seed(session_maker)
    async with running(database_url, session_maker, start=INTRODUCED) as bench:
        await seven_day_checkins(bench)

        overview = await bench.command(COORDINATOR, "followups")

        assert "Uppföljningar" in overview and "Västra Götaland" in overview
        assert "kontakt: 2 skickade" in overview
        assert "prototyp: 2 väntar" in overview and "produktion: 2 väntar" in overview
        # Thirty days is New Year's Eve: the next is at the first opening after the holidays.
        assert "Nästa: 2027-01-04 09:00 (prototyp," in overview
        assert bench.seen == []


async def test_followups_counts_the_freshness_checks_of_the_hubs_makers(
    database_url: str, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    """The maker belongs to Västra Götaland by its county (as ``maker_hub_id`` finds it, and as
    the stale notice reaches Karin), so its freshness check is one of her hub's follow-ups."""
    await seed(session_maker, introduced_at=None)
    async with running(database_url, session_maker, start=INTRODUCED, policy=FRESHNESS) as bench:
        await bench.cycle(INTRODUCED)
        assert [r.kind for r in await bench.follow_ups()] == ["freshness"]

        overview = await bench.command(COORDINATOR, "followups")

        assert "tar ni förfrågningar?: 1 väntar" in overview
        assert SV("overview.empty") not in overview


async def test_followups_from_a_designer_is_left_to_the_dialogue(
    database_url: str, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    await seed(session_maker)
    async with running(database_url, session_maker, start=INTRODUCED) as bench:
        await bench.cycle(INTRODUCED)

        reply = await bench.command(DESIGNER, "followups")

        assert [i.event for i in bench.seen] == [Command("followups")]
        assert "Uppföljningar" not in reply and SV("overview.refused") not in reply


# -- 7. courtesy hours ------------------------------------------------------------------------


async def test_a_check_in_due_on_saturday_goes_out_on_monday_morning(
    database_url: str, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    saturday = stockholm(2026, 11, 28, 10)
    await seed(session_maker, introduced_at=saturday)
    async with running(database_url, session_maker, start=saturday) as bench:
        await bench.cycle(saturday)
        for quiet in (
            saturday + timedelta(days=7),  # due now, but it is Saturday
            stockholm(2026, 12, 6, 12),  # Sunday
            stockholm(2026, 12, 7, 8, 59),  # Monday, before nine
        ):
            await bench.cycle(quiet)
            assert bench.request.deliveries == [], quiet
            assert set((await bench.statuses(CONTACT)).values()) == {"pending"}

        await bench.cycle(stockholm(2026, 12, 7, 9))

        assert {(d.chat_id, d.at) for d in bench.request.deliveries} == {
            (DESIGNER.user_id, stockholm(2026, 12, 7, 9)),
            (MAKER.user_id, stockholm(2026, 12, 7, 9)),
        }


async def test_a_check_in_due_on_christmas_eve_goes_out_after_the_holidays(
    database_url: str, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    """Julafton (Thursday), juldagen, annandag jul and a Sunday: Monday 28 December at 09:00."""
    introduced = stockholm(2026, 12, 17, 10)
    await seed(session_maker, introduced_at=introduced)
    async with running(database_url, session_maker, start=introduced) as bench:
        await bench.cycle(introduced)
        for quiet in (stockholm(2026, 12, 24, 10), stockholm(2026, 12, 25, 10)):
            await bench.cycle(quiet)
            assert bench.request.deliveries == [], quiet

        await bench.cycle(stockholm(2026, 12, 28, 9))

        assert {d.at for d in bench.request.deliveries} == {stockholm(2026, 12, 28, 9)}
        assert len(bench.request.deliveries) == 2


async def test_a_check_in_released_just_before_five_waits_for_the_next_working_day(
    database_url: str, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    introduced = stockholm(2026, 12, 1, 16, 59, 59)
    await seed(session_maker, introduced_at=introduced)
    async with running(database_url, session_maker, start=introduced) as bench:
        await bench.cycle(introduced)
        report = await bench.cycle(introduced + timedelta(days=7), send=False)
        assert report.dispatched.queued == 2  # released at 16:59:59 on Tuesday

        bench.clock.move_to(stockholm(2026, 12, 8, 17))  # the sender gets to it at 17:00
        await bench.sender.run_until_idle()

        wednesday_nine = stockholm(2026, 12, 9, 9)
        assert {(d.chat_id, d.at) for d in bench.request.deliveries} == {
            (DESIGNER.user_id, wednesday_nine),
            (MAKER.user_id, wednesday_nine),
        }
        assert {r.sent_at for r in await bench.follow_ups() if r.kind == CONTACT} == {
            wednesday_nine
        }


async def test_a_redelivered_check_in_answer_does_nothing_and_sends_nothing(
    database_url: str, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    await seed(session_maker)
    async with running(database_url, session_maker, start=INTRODUCED) as bench:
        to_designer, _ = await seven_day_checkins(bench)
        met = DESIGNER.press(
            to_designer.data(SV("button.met")), to_designer.as_message(DESIGNER.chat())
        )
        await bench.feed(met)
        before, calls = await snapshot(session_maker), len(bench.request.calls)
        await bench.feed(met)  # delivered again by Telegram, same update id
        assert bench.request.calls[calls:] == []
        assert await snapshot(session_maker) == before
        mine = await bench.checkin(CONTACT, "designer")
        assert (mine.status, mine.answer) == ("answered", "met")
