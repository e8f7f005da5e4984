"""Introductions end to end: three simulated people — a designer, a maker (bound by invite) and
a coordinator (bound by invite; the hub's group bound with /bindhub) — talk to the real
Application running in-process against the local fake Bot API server (HTTP on loopback), on a
real database with the demo catalogue. The outbox sender and the lifecycle's tick are driven
by the test on one movable clock: nothing sleeps.

Runs: request → brief → *Interested* → both contact cards → coordinator notices; *Not now* with a
reason → the designer told kindly with alternatives → the hub told the reason; no answer →
reminder after 3 working days → unanswered after 2 more → designer offered alternatives, hub
told.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select
from telegram import Update
from telegram.ext import Application

from bot.bench.scripted import Sent, SimulatedPerson, designer_journey, play
from bot.cli import main
from bot.telegram.app import build_application
from bot.telegram.introductions.handlers import TICK_JOB_NAME
from bot.telegram.transport.sender import OutboxSender
from services.hubs.desk import start_hub_desk
from services.hubs.registry import SEED_HUBS
from services.introductions import add_working_days, blocked_hook
from services.introductions.texts import IntroTexts
from services.limits import SendLimiter
from services.runtime import Runtime, start_runtime
from storage.engine import session_factory
from storage.models import Introduction, IntroductionEvent, Maker, utcnow
from tests.fakes.bot_api import FakeBotApi
from tests.fakes.redelivery import snapshot

TOKEN = "424242:E2E-introductions-token"
ADMIN = SimulatedPerson(9001, language_code="en", first_name="Ada")
KARIN = SimulatedPerson(9002, language_code="sv", first_name="Karin")  # coordinator
MAJA = SimulatedPerson(9003, language_code="sv", first_name="Maja")  # maker
ALVA = SimulatedPerson(9004, language_code="sv", first_name="Alva")  # designer
GROUP = {"id": -900500, "type": "group", "title": "SPOK VG koordinatorer"}
LINK = re.compile(r"\?start=(inv_[A-Za-z0-9_-]+)")
T = IntroTexts("sv")


class MovableClock:
    """One clock for the lifecycle and the outbox sender; ``sleep`` moves it, never waits."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def now(self) -> datetime:
        return self.current

    async def sleep(self, seconds: float) -> None:
        self.current += timedelta(seconds=seconds)

    def move_to(self, moment: datetime) -> None:
        assert moment >= self.current
        self.current = moment


class ManualSender(OutboxSender):
    """The real sender, run when the test says (``run_until_idle``) instead of in the
    background."""

    def start(self, application: Application) -> None:  # type: ignore[type-arg]
        pass


@dataclass
class Bench:
    api: FakeBotApi
    app: Application  # type: ignore[type-arg]
    runtime: Runtime
    sender: ManualSender
    clock: MovableClock

    async def feed(self, update: dict[str, Any]) -> None:
        await self.app.process_update(Update.de_json(update, self.app.bot))

    async def deliver(self, update: dict[str, Any], expect: str = "") -> list[Sent]:
        """Hand one update to the bot and send what the outbox holds; what went to the chat."""
        chat_id = _chat_of(update)
        mark = self.api.mark()
        await self.feed(update)
        await self.flush()
        return self.to(chat_id, since=mark)

    async def flush(self) -> None:
        await self.sender.run_until_idle()

    def to(self, chat_id: int, *, since: int = 0) -> list[Sent]:
        sent = []
        for call in self.api.sent(since):
            if int(call.params["chat_id"]) != chat_id:
                continue
            markup = call.params.get("reply_markup")
            text = call.params.get("text") or call.params.get("caption") or ""
            sent.append(Sent(text, markup if isinstance(markup, dict) else None))
        return sent

    async def tick(self, at: datetime) -> None:
        """Move the clock and run the lifecycle's JobQueue job once, as the schedule would."""
        self.clock.move_to(at)
        assert self.app.job_queue is not None
        (job,) = self.app.job_queue.get_jobs_by_name(TICK_JOB_NAME)
        await job.run(self.app)
        await self.flush()


def _chat_of(update: dict[str, Any]) -> int:
    if "callback_query" in update:
        return int(update["callback_query"]["message"]["chat"]["id"])
    return int(update["message"]["chat"]["id"])


def in_group(update: dict[str, Any]) -> dict[str, Any]:
    return {**update, "message": {**update["message"], "chat": GROUP}}


def texts(sent: list[Sent]) -> str:
    return "\n".join(item.text for item in sent)


def press(person: SimulatedPerson, sent: list[Sent], label: str) -> dict[str, Any]:
    for item in reversed(sent):
        for button in item.buttons():
            if button["text"] == label:
                return person.press(button["callback_data"], item.as_message(person.chat()))
    shown = [b["text"] for item in sent for b in item.buttons()]
    raise AssertionError(f"no button {label!r}; buttons: {shown}")


@pytest.fixture
def database_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'spok.db'}"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["demo", "seed"]) == 0
    return url


@asynccontextmanager
async def running(database_url: str) -> AsyncIterator[Bench]:
    clock = MovableClock(utcnow())
    runtimes: list[Runtime] = []
    senders: list[ManualSender] = []

    async def start() -> Runtime:
        runtime = await start_runtime(database_url)
        # Telegram's limits on the test's clock: the script answers faster than any person.
        runtime.limits = SendLimiter.in_memory(clock=clock)
        runtime.hub_desk = await start_hub_desk(
            session_factory(runtime.engine), hubs=SEED_HUBS, admin_ids={ADMIN.user_id}
        )
        runtimes.append(runtime)
        return runtime

    def start_outbox(application: Application, runtime: Runtime) -> OutboxSender:  # type: ignore[type-arg]
        assert isinstance(runtime, Runtime)
        sender = ManualSender(
            application.bot,
            session_factory(runtime.engine),
            clock=clock,
            on_blocked=blocked_hook({ADMIN.user_id}),
            limits=runtime.limits,
        )
        senders.append(sender)
        return sender

    with FakeBotApi(TOKEN) as api:
        app = build_application(
            TOKEN,
            start,
            api_base_url=api.base_url,
            with_updater=False,
            start_outbox=start_outbox,
            clock=clock.now,
        )
        async with app:
            assert app.post_init is not None and app.post_shutdown is not None
            await app.post_init(app)
            try:
                yield Bench(api, app, runtimes[0], senders[0], clock)
            finally:
                await app.post_shutdown(app)


async def invite(bench: Bench, inviter: SimulatedPerson, what: str) -> str:
    answer = await bench.deliver(inviter.command("invite", what))
    match = LINK.search(texts(answer))
    assert match is not None, texts(answer)
    return match.group(1)


async def staff_the_hub(bench: Bench) -> None:
    """The admin invites Karin as Västra Götaland's coordinator; she binds the hub's group."""
    token = await invite(bench, ADMIN, "coordinator vastra-gotaland")
    assert "samordnare" in texts(await bench.deliver(KARIN.command("start", token)))
    bound = await bench.deliver(in_group(KARIN.command("bindhub")))
    assert "SPOK Västra Götaland" in texts(bound)


async def ask_for_introductions(bench: Bench) -> list[Sent]:
    """Alva's whole request (two makers picked); the outbox then sends the briefs."""
    mark = bench.api.mark()
    await play(ALVA, designer_journey("sv"), bench.deliver, language="sv")
    return bench.to(MAJA.user_id, since=mark)


async def introductions(bench: Bench) -> list[tuple[Introduction, Maker]]:
    async with session_factory(bench.runtime.engine)() as session:
        rows = await session.exec(
            select(Introduction, Maker)
            .join(Maker, col(Maker.id) == col(Introduction.maker_id))
            .order_by(col(Introduction.id))
        )
        return list(rows.all())


MAKER_EMAIL = "jenny.maskell@example.se"  # Maskstickeriet (demo-005), the designer's first pick
DESIGNER_EMAIL = "alva@example.se"


async def maker_and_request(bench: Bench) -> tuple[list[Sent], int]:
    """Karin invites Maja to Maskstickeriet's listing; Alva asks for introductions. The brief Maja
    got, and where Karin's group notices start."""
    await staff_the_hub(bench)
    token = await invite(bench, KARIN, "maker demo-005")
    assert "Maskstickeriet" in texts(await bench.deliver(MAJA.command("start", token)))
    group_mark = bench.api.mark()
    brief = await ask_for_introductions(bench)
    return brief, group_mark


def assert_anonymous_brief(brief: list[Sent]) -> None:
    text = texts(brief)
    assert "Ny förfrågan via SPOK" in text and "stickade mössor i ull" in text
    assert "Borås" in text and "50 st" in text
    for secret in (DESIGNER_EMAIL, "070-123 45 67", "Alva Ek", "Ek &amp; Ull"):
        assert secret not in text
    labels = {b["text"] for item in brief for b in item.buttons()}
    assert {T("button.interested"), T("button.not_now"), T("button.question")} <= labels


async def events(bench: Bench) -> list[tuple[str, int | None]]:
    async with session_factory(bench.runtime.engine)() as session:
        rows = await session.exec(select(IntroductionEvent).order_by(col(IntroductionEvent.id)))
        return [(row.event, row.actor_user_id) for row in rows.all()]


async def test_interested_exchanges_both_contact_cards_and_tells_the_hub(
    database_url: str,
) -> None:
    async with running(database_url) as bench:
        brief, group_mark = await maker_and_request(bench)
        assert_anonymous_brief(brief)
        news = texts(bench.to(GROUP["id"], since=group_mark))
        assert "Ny förfrågan nr 1" in news and "• Maskstickeriet" in news
        assert MAKER_EMAIL not in texts(bench.to(ALVA.user_id))  # nothing before consent

        mark = bench.api.mark()
        await bench.deliver(press(MAJA, brief, T("button.interested")))
        to_maja, to_alva = bench.to(MAJA.user_id, since=mark), bench.to(ALVA.user_id, since=mark)
        assert DESIGNER_EMAIL in texts(to_maja) and "Alva Ek" in texts(to_maja)
        assert MAKER_EMAIL in texts(to_alva) and "Maskstickeriet" in texts(to_alva)
        assert "Presentation klar" in texts(bench.to(GROUP["id"], since=mark))

        again = bench.api.mark()  # pressing twice changes nothing
        await bench.deliver(press(MAJA, brief, T("button.interested")))
        assert bench.api.sent(again) == []
        toasts = [c.params.get("text") for c in bench.api.calls[again:]]
        assert toasts == [T("press.already")]

        status = {m.external_id: i.status for i, m in await introductions(bench)}
        assert status["demo-005"] == "interested"
        assert ("interested", MAJA.user_id) in await events(bench)


async def test_not_now_tells_the_designer_kindly_and_the_hub_the_reason(
    database_url: str,
) -> None:
    async with running(database_url) as bench:
        brief, _ = await maker_and_request(bench)
        reasons = await bench.deliver(press(MAJA, brief, T("button.not_now")))
        assert T("maker.reasons") in texts(reasons)

        mark = bench.api.mark()
        answer = await bench.deliver(press(MAJA, reasons, T("button.reason.fully_booked")))
        assert T("maker.declined") in texts(answer)
        to_alva = texts(bench.to(ALVA.user_id, since=mark))
        assert "Maskstickeriet har tyvärr inte möjlighet" in to_alva
        assert "fullbokade" not in to_alva  # the reason is the hub's, not the designer's
        assert MAKER_EMAIL not in to_alva
        assert DESIGNER_EMAIL not in texts(bench.to(MAJA.user_id))
        to_group = texts(bench.to(GROUP["id"], since=mark))
        assert "Maskstickeriet</b> tackade nej till förfrågan nr 1: fullbokade" in to_group
        status = {m.external_id: i.status for i, m in await introductions(bench)}
        assert status["demo-005"] == "declined"

        # The next best makers are offered; one tap asks for an introduction to one of them.
        offer = bench.to(ALVA.user_id, since=mark)
        assert "Andra tillverkare som kan passa" in texts(offer)
        label = next(
            b["text"]
            for item in offer
            for b in item.buttons()
            if b["text"].startswith("Presentera")
        )
        name = label.removeprefix("Presentera mig för ")
        introduced = await bench.deliver(press(ALVA, offer, label))
        assert T("designer.introduced", maker=name) in texts(introduced)
        status = {m.name: i.status for i, m in await introductions(bench)}
        assert status[name] == "brief_sent"


async def test_a_redelivered_not_now_or_reason_press_does_nothing_and_sends_nothing(
    database_url: str,
) -> None:
    """Telegram delivering the maker's *Inte nu* press (or the reason after it) again, with
    the same update id, shows no reasons twice and declines nothing twice."""
    async with running(database_url) as bench:
        brief, _ = await maker_and_request(bench)
        not_now = press(MAJA, brief, T("button.not_now"))
        reasons = await bench.deliver(not_now)
        assert T("maker.reasons") in texts(reasons)
        before, mark = await snapshot(bench.runtime.engine), bench.api.mark()
        assert await bench.deliver(not_now) == []
        assert bench.api.calls[mark:] == []
        assert await snapshot(bench.runtime.engine) == before

        reason = press(MAJA, reasons, T("button.reason.fully_booked"))
        assert T("maker.declined") in texts(await bench.deliver(reason))
        before, mark = await snapshot(bench.runtime.engine), bench.api.mark()
        await bench.deliver(reason)
        assert bench.api.calls[mark:] == []
        assert await snapshot(bench.runtime.engine) == before


async def test_no_answer_brings_a_reminder_then_unanswered_on_the_working_day_clock(
    database_url: str,
) -> None:
    async with running(database_url) as bench:
        await maker_and_request(bench)
        (sent_at,) = [
            i.brief_sent_at for i, m in await introductions(bench) if m.external_id == "demo-005"
        ]
        assert sent_at is not None
        reminder_due = add_working_days(sent_at, 3)

        mark = bench.api.mark()
        await bench.tick(reminder_due - timedelta(minutes=1))
        assert bench.to(MAJA.user_id, since=mark) == []

        await bench.tick(reminder_due)
        reminder = texts(bench.to(MAJA.user_id, since=mark))
        assert "Påminnelse" in reminder and "stickade mössor" in reminder
        assert T("button.interested") in {
            b["text"] for item in bench.to(MAJA.user_id, since=mark) for b in item.buttons()
        }
        once = bench.api.mark()
        await bench.tick(reminder_due + timedelta(hours=1))  # a reminder goes out once
        assert bench.to(MAJA.user_id, since=once) == []

        unanswered_due = add_working_days(reminder_due, 2)
        mark = bench.api.mark()
        await bench.tick(unanswered_due)
        to_alva = texts(bench.to(ALVA.user_id, since=mark))
        assert "Maskstickeriet har inte svarat på förfrågan nr 1" in to_alva
        assert "Andra tillverkare som kan passa" in to_alva  # alternatives offered
        assert MAKER_EMAIL not in to_alva
        assert "markerad som obesvarad" in texts(bench.to(GROUP["id"], since=mark))
        status = {m.external_id: i.status for i, m in await introductions(bench)}
        assert status["demo-005"] == "unanswered"


async def test_a_question_is_relayed_both_ways_without_contacts(database_url: str) -> None:
    async with running(database_url) as bench:
        brief, _ = await maker_and_request(bench)
        prompt = await bench.deliver(press(MAJA, brief, T("button.question")))
        assert T("maker.question_prompt") in texts(prompt)

        mark = bench.api.mark()
        sent = await bench.deliver(MAJA.text("Vilken sorts ull tänker du dig?"))
        assert T("maker.question_sent") in texts(sent)
        question = texts(bench.to(ALVA.user_id, since=mark))
        assert "Vilken sorts ull tänker du dig?" in question
        assert MAKER_EMAIL not in question and "Maskstickeriet" not in question

        mark = bench.api.mark()
        await bench.deliver(ALVA.text("Merinoull, gärna svensk"))
        back = bench.to(MAJA.user_id, since=mark)
        assert "Merinoull, gärna svensk" in texts(back) and DESIGNER_EMAIL not in texts(back)
        assert T("button.interested") in {b["text"] for item in back for b in item.buttons()}

        # With the relay closed, Alva's next text is the dialogue's again.
        mark = bench.api.mark()
        await bench.deliver(ALVA.text("hej igen"))
        assert bench.to(MAJA.user_id, since=mark) == []
        assert bench.to(ALVA.user_id, since=mark) != []


async def test_a_stranger_cannot_answer_a_brief(database_url: str) -> None:
    async with running(database_url) as bench:
        brief, _ = await maker_and_request(bench)
        stranger = SimulatedPerson(9099, language_code="sv", first_name="Eve")
        mark = bench.api.mark()
        await bench.deliver(press(stranger, brief, T("button.interested")))
        assert bench.api.sent(mark) == []
        toasts = [c.params.get("text") for c in bench.api.calls[mark:]]
        assert toasts == [T("press.refused")]
        status = {m.external_id: i.status for i, m in await introductions(bench)}
        assert status["demo-005"] == "brief_sent"


async def test_a_coordinator_answers_for_a_maker_without_telegram(database_url: str) -> None:
    async with running(database_url) as bench:
        await staff_the_hub(bench)
        group_mark = bench.api.mark()
        await ask_for_introductions(bench)  # nobody is bound to Maskstickeriet
        on_behalf = [
            item
            for item in bench.to(GROUP["id"], since=group_mark)
            if "Maskstickeriet</b> använder inte Telegram" in item.text
        ]
        assert on_behalf and MAKER_EMAIL in on_behalf[0].text  # copyable, to forward by email

        stranger = SimulatedPerson(9099, language_code="sv", first_name="Eve")
        refused = bench.api.mark()
        await bench.deliver(press(stranger, on_behalf, T("button.interested")))
        assert [c.params.get("text") for c in bench.api.calls[refused:]] == [T("press.refused")]

        mark = bench.api.mark()
        group_press = press(KARIN, on_behalf, T("button.not_now"))
        group_press["callback_query"]["message"]["chat"] = GROUP  # pressed in the hub group
        await bench.deliver(group_press)
        # The reasons to choose go to Karin privately, not to everyone in the hub group.
        assert bench.to(KARIN.user_id, since=mark) and not bench.to(GROUP["id"], since=mark)

        mark = bench.api.mark()
        await bench.deliver(press(KARIN, on_behalf, T("button.interested")))
        assert MAKER_EMAIL in texts(bench.to(ALVA.user_id, since=mark))
        status = {m.external_id: i.status for i, m in await introductions(bench)}
        assert status["demo-005"] == "interested"
        assert ("interested", KARIN.user_id) in await events(bench)
