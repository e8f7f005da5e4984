"""A maker's own commands through the real Application, before the dialogue: /pause, /resume,
/profile (and its "ask the hub" button), /requests — by the listing's maker, by a stranger and
by a coordinator, on a real database behind the hub desk."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.bench.offline import RecordingRequest
from bot.telegram.makers.handlers import CHANGE_PREFIX, parse_busy_until
from bot.telegram.makers.texts import maker_text
from matching.models import MakerProfile, MakerStatus
from services.catalogue.worker import ParseWorker
from services.dialogue.contract import Outcome
from services.hubs.desk import HubDesk, start_hub_desk
from services.hubs.registry import SEED_HUBS
from services.messages import Reply
from storage.models import Introduction, Maker, MatchRequest, Outbox
from storage.repositories.hubs import get_hub_by_slug
from storage.repositories.makers import get_maker_by_external_id
from tests.bot.telegram.conftest import ScriptedDialogue, feed, running_bot
from tests.fakes.redelivery import snapshot
from tests.fakes.roles import coordinator_of, listed_maker
from tests.fakes.updates import TelegramUser

ADMIN = TelegramUser(1, language_code="en", first_name="Ada")
KARIN = TelegramUser(2, language_code="sv", first_name="Karin")  # coordinates Västra Götaland
MAJA = TelegramUser(3, language_code="sv", first_name="Maja")  # bound to m-boras
SAM = TelegramUser(4, language_code="en-GB", first_name="Sam")  # nobody in particular
OLLE = TelegramUser(5, language_code="en", first_name="Olle")  # bound to m-other
TODAY = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


@dataclass
class RecordingMatchmaker:
    applied: list[MakerProfile] = field(default_factory=list)

    def apply(self, maker: MakerProfile) -> None:
        self.applied.append(maker)


@dataclass
class MakerRuntime:
    hub_desk: HubDesk
    matchmaker: RecordingMatchmaker = field(default_factory=RecordingMatchmaker)
    limits: None = None
    engine: None = None  # the inbox uses the hub desk's database
    dialogue: ScriptedDialogue = field(
        default_factory=lambda: ScriptedDialogue(lambda _: Outcome(replies=(Reply("dialogue"),)))
    )
    parse_worker: ParseWorker = field(default_factory=ParseWorker)  # never started: no uploads

    async def close(self) -> None:
        pass


@pytest.fixture
async def runtime(session_maker: async_sessionmaker[AsyncSession]) -> MakerRuntime:
    desk = await start_hub_desk(session_maker, hubs=SEED_HUBS, admin_ids={ADMIN.user_id})
    async with session_maker() as session:
        hub = await get_hub_by_slug(session=session, slug="vastra-gotaland")
        assert hub is not None
        await coordinator_of(session, hub, KARIN.user_id)
        maker = await listed_maker(session, "m-boras", telegram_user_id=MAJA.user_id)
        maker.materials = ["ull", "garn"]
        maker.email = "verkstad@example.se"
        session.add(maker)
        await session.commit()
        await listed_maker(session, "m-other", telegram_user_id=OLLE.user_id)
    return MakerRuntime(desk)


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.telegram.context.utcnow", lambda: TODAY)


def texts_to(request: RecordingRequest, chat_id: int) -> list[str]:
    return [c.params["text"] for c in request.sent() if int(c.params["chat_id"]) == chat_id]


def markup_to(request: RecordingRequest, chat_id: int) -> list[Any]:
    return [
        c.params.get("reply_markup") for c in request.sent() if int(c.params["chat_id"]) == chat_id
    ]


async def _maker(runtime: MakerRuntime, external_id: str) -> Maker:
    async with runtime.hub_desk.sessions() as session:
        maker = await get_maker_by_external_id(session=session, external_id=external_id)
    assert maker is not None
    return maker


def _refusals(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith("refused")]


# -- /pause and /resume ----------------------------------------------------------------------


async def test_a_maker_pauses_until_a_date_and_the_matchmaker_sees_it(
    runtime: MakerRuntime,
) -> None:
    async with running_bot(runtime) as (app, request):
        await feed(app, MAJA.command("pause", "24 dec"))
    maker = await _maker(runtime, "m-boras")
    assert (maker.status, maker.paused_until) == ("paused", date(2026, 12, 24))
    assert texts_to(request, MAJA.user_id) == [
        maker_text("pause.done", "sv", name="Verkstad m-boras", until="2026-12-24")
    ]
    (profile,) = runtime.matchmaker.applied
    assert (profile.id, profile.status, profile.paused_until) == (
        "m-boras",
        MakerStatus.PAUSED,
        date(2026, 12, 24),
    )
    assert runtime.dialogue.seen == []
    assert (await _maker(runtime, "m-other")).status == "listed"  # only her own listing


async def test_pause_without_a_readable_future_date_changes_nothing(runtime: MakerRuntime) -> None:
    async with running_bot(runtime) as (app, request):
        await feed(app, MAJA.command("pause"))
        await feed(app, MAJA.command("pause", "next week"))
        await feed(app, MAJA.command("pause", "2026-01-02"))
    assert texts_to(request, MAJA.user_id) == [
        maker_text("pause.usage", "sv"),
        maker_text("pause.usage", "sv"),
        maker_text("pause.past", "sv"),
    ]
    assert (await _maker(runtime, "m-boras")).status == "listed"
    assert runtime.matchmaker.applied == []


async def test_a_maker_resumes_and_is_listed_again(runtime: MakerRuntime) -> None:
    async with running_bot(runtime) as (app, request):
        await feed(app, MAJA.command("pause", "2026-12-24"))
        await feed(app, MAJA.command("resume"))
        await feed(app, MAJA.command("resume"))
    maker = await _maker(runtime, "m-boras")
    assert (maker.status, maker.paused_until) == ("listed", None)
    assert texts_to(request, MAJA.user_id)[1:] == [
        maker_text("resume.done", "sv", name="Verkstad m-boras"),
        maker_text("resume.already", "sv", name="Verkstad m-boras"),
    ]
    assert [p.status for p in runtime.matchmaker.applied] == [
        MakerStatus.PAUSED,
        MakerStatus.LISTED,
    ]


@pytest.mark.parametrize("command", ["pause 24/12", "resume", "profile", "requests"])
@pytest.mark.parametrize("who", ["stranger", "coordinator", "admin"])
async def test_maker_commands_are_refused_to_everyone_but_makers(
    runtime: MakerRuntime, caplog: pytest.LogCaptureFixture, command: str, who: str
) -> None:
    person = {"stranger": SAM, "coordinator": KARIN, "admin": ADMIN}[who]
    caplog.set_level(logging.INFO)
    name, _, argument = command.partition(" ")
    async with running_bot(runtime) as (app, request):
        await feed(app, person.command(name, argument))
    assert texts_to(request, person.user_id) == [maker_text("not_a_maker", person.language_code)]
    assert runtime.dialogue.seen == []
    assert runtime.matchmaker.applied == []
    assert (await _maker(runtime, "m-boras")).status == "listed"
    (refusal,) = _refusals(caplog)
    assert f"refused maker_{name} for user {person.user_id}" in refusal
    assert "24/12" not in refusal


# -- /profile --------------------------------------------------------------------------------


async def test_profile_shows_the_listing_and_asks_the_hub_to_change_it(
    runtime: MakerRuntime, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    async with running_bot(runtime) as (app, request):
        await feed(app, MAJA.command("profile"))
        (text,) = texts_to(request, MAJA.user_id)
        (markup,) = markup_to(request, MAJA.user_id)
        (button,) = [b for row in _keyboard(markup) for b in row]
        await feed(app, MAJA.press(button["callback_data"]))
        await feed(app, MAJA.press(button["callback_data"]))  # twice: one notice a day
    assert "Verkstad m-boras" in text and "ull, garn" in text
    assert "verkstad@example.se" in text
    assert button["text"] == maker_text("profile.change_button", "sv")
    answers = [c.params.get("text") for c in request.sent("answerCallbackQuery")]
    assert answers == [maker_text("profile.change_asked", "sv")] * 2
    async with session_maker() as session:
        rows = list((await session.exec(select(Outbox).where(Outbox.kind != "reply"))).all())
    # No group bound and one coordinator: the notice goes to Karin's private chat.
    assert [(row.chat_id, row.kind) for row in rows] == [(KARIN.user_id, "maker_change_request")]
    assert "m-boras" in str(rows[0].payload["text"])
    assert runtime.dialogue.seen == []


@pytest.mark.parametrize("who", ["stranger", "coordinator", "other maker"])
async def test_only_the_listings_maker_can_ask_for_a_change(
    runtime: MakerRuntime,
    session_maker: async_sessionmaker[AsyncSession],
    caplog: pytest.LogCaptureFixture,
    who: str,
) -> None:
    caplog.set_level(logging.INFO)
    person = {"stranger": SAM, "coordinator": KARIN, "other maker": OLLE}[who]
    maker = await _maker(runtime, "m-boras")
    async with running_bot(runtime) as (app, request):
        await feed(app, person.press(f"{CHANGE_PREFIX}{maker.id}"))
        await feed(app, person.press(f"{CHANGE_PREFIX}forged"))
    answers = [c.params.get("text") for c in request.sent("answerCallbackQuery")]
    assert answers == [maker_text("button.stale", person.language_code)] * 2
    async with session_maker() as session:
        assert list((await session.exec(select(Outbox))).all()) == []
    assert len(_refusals(caplog)) == 2
    assert runtime.dialogue.seen == []


def _keyboard(markup: Any) -> list[list[dict[str, Any]]]:
    import json

    value = json.loads(markup) if isinstance(markup, str) else markup
    if hasattr(value, "to_dict"):
        value = value.to_dict()
    rows: list[list[dict[str, Any]]] = value["inline_keyboard"]
    return rows


# -- /requests -------------------------------------------------------------------------------


async def test_requests_lists_only_the_makers_open_briefs(
    runtime: MakerRuntime, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    mine = await _maker(runtime, "m-boras")
    other = await _maker(runtime, "m-other")
    async with session_maker() as session:
        requests = [
            MatchRequest(text="stickade mössor i ull", place_name="Borås", status="submitted"),
            MatchRequest(text="filtade tofflor", place_name="Alingsås", status="submitted"),
            MatchRequest(text="vävda plädar", place_name="Skene", status="submitted"),
        ]
        session.add_all(requests)
        await session.flush()
        assert mine.id is not None and other.id is not None
        session.add_all(
            [
                Introduction(request_id=requests[0].id, maker_id=mine.id, status="brief_sent"),
                Introduction(request_id=requests[1].id, maker_id=mine.id, status="interested"),
                Introduction(request_id=requests[2].id, maker_id=other.id, status="brief_sent"),
            ]
        )
        await session.commit()
    async with running_bot(runtime) as (app, request):
        await feed(app, MAJA.command("requests"))
    (text,) = texts_to(request, MAJA.user_id)
    assert maker_text("requests.title", "sv", count=1) in text
    assert "stickade mössor i ull" in text and "Borås" in text
    assert "tofflor" not in text and "plädar" not in text


async def test_requests_without_any_says_so(runtime: MakerRuntime) -> None:
    async with running_bot(runtime) as (app, request):
        await feed(app, OLLE.command("requests"))
    assert texts_to(request, OLLE.user_id) == [maker_text("requests.none", "en")]


# -- dates and texts -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026-12-24", date(2026, 12, 24)),
        ("24/12", date(2026, 12, 24)),
        ("24.12.2026", date(2026, 12, 24)),
        ("24 dec", date(2026, 12, 24)),
        ("24 December", date(2026, 12, 24)),
        ("6 maj", date(2027, 5, 6)),
        ("1 okt 2027", date(2027, 10, 1)),
        ("25/11", date(2026, 11, 25)),
        ("31/2", None),
        ("soon", None),
        ("24 foo", None),
    ],
)
def test_busy_until_dates(typed: str, expected: date | None) -> None:
    assert parse_busy_until(typed, date(2026, 11, 25)) == expected


async def test_a_redelivered_maker_command_does_nothing_and_sends_nothing(
    runtime: MakerRuntime, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    pause, resume = MAJA.command("pause", "24 dec"), MAJA.command("resume")
    async with running_bot(runtime) as (app, request):
        await feed(app, pause)
        await feed(app, resume)
        before, calls = await snapshot(session_maker), len(request.calls)
        await feed(app, pause)  # Telegram delivers the /pause again, same update id
        assert request.calls[calls:] == []
        assert await snapshot(session_maker) == before
    assert (await _maker(runtime, "m-boras")).status == "listed"  # the resume stands
    assert len(runtime.matchmaker.applied) == 2
