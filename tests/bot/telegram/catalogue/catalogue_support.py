"""Shared by the catalogue desk's flow tests: the people, the hub catalogue they start from (two
makers of Västra Götaland, one of Skåne, imported as a hub's catalogue gets there), a runtime
with a recording matchmaker, and helpers to upload, press and read what the bot sent."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.bench.offline import BOT_USER, ApiCall, RecordingRequest
from matching.models import MakerProfile
from services.catalogue.importer import import_catalogue
from services.catalogue.reader import read_catalogue_bytes
from services.catalogue.worker import ParseWorker, WorkerKind
from services.dialogue.contract import Outcome
from services.hubs.desk import HubDesk, start_hub_desk
from services.hubs.registry import SEED_HUBS
from services.messages import Reply
from storage.models import Maker
from storage.repositories.hubs import get_hub_by_slug
from storage.repositories.makers import get_maker_by_external_id
from tests.bot.telegram.conftest import ScriptedDialogue, feed
from tests.fakes.roles import coordinator_of
from tests.fakes.updates import TelegramUser

ADMIN = TelegramUser(1, language_code="en", first_name="Ada")
KARIN = TelegramUser(2, language_code="sv", first_name="Karin")  # coordinates Västra Götaland
MAJA = TelegramUser(3, language_code="sv", first_name="Maja")  # the maker of vg-1
SAM = TelegramUser(4, language_code="en", first_name="Sam")  # a designer
SVEN = TelegramUser(6, language_code="sv", first_name="Sven")  # coordinates Skåne
TODAY = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)

SEED_FILE = (
    "id;name;municipality;materials\r\n"
    "vg-1;Verkstad vg-1;Borås;ek\r\n"
    "vg-2;Verkstad vg-2;Borås;ek\r\n"
    "sk-1;Verkstad sk-1;Malmö;ek\r\n"
).encode()
# Line 1 is the header. vg-new is new, vg-1 changes, bad-1 has no real place, sk-1 is Skåne's
# maker and sk-new would be a new maker in Skåne: the last two are not Karin's to write.
BAD_FILE = (
    "id;name;municipality;materials;email\r\n"
    "vg-new;Nya Snickeriet;Borås;ek;info@example.se\r\n"
    "vg-1;Verkstad vg-1;Borås;trä;\r\n"
    "bad-1;Trasig Rad;Atlantisstad;ek;\r\n"
    "sk-1;Kapad av Väst;Malmö;ek;\r\n"
    "sk-new;Ny i Lund;Lund;ek;\r\n"
).encode()


@dataclass
class RecordingMatchmaker:
    applied: list[MakerProfile] = field(default_factory=list)

    def apply(self, maker: MakerProfile) -> None:
        self.applied.append(maker)


@dataclass
class DeskRuntime:
    hub_desk: HubDesk
    matchmaker: RecordingMatchmaker = field(default_factory=RecordingMatchmaker)
    limits: None = None
    engine: None = None  # the inbox uses the hub desk's database
    dialogue: ScriptedDialogue = field(
        default_factory=lambda: ScriptedDialogue(lambda _: Outcome(replies=(Reply("dialogue"),)))
    )
    # A thread: tests start a bot each, and a process each would take a second to spawn.
    parse_worker: ParseWorker = field(default_factory=lambda: ParseWorker(WorkerKind.THREAD))

    async def close(self) -> None:
        self.parse_worker.close()


@dataclass
class Clock:
    now: datetime = TODAY


async def desk_runtime(session_maker: async_sessionmaker[AsyncSession]) -> DeskRuntime:
    desk = await start_hub_desk(session_maker, hubs=SEED_HUBS, admin_ids={ADMIN.user_id})
    async with session_maker() as session:
        for slug, person in (("vastra-gotaland", KARIN), ("skane", SVEN)):
            hub = await get_hub_by_slug(session=session, slug=slug)
            assert hub is not None
            await coordinator_of(session, hub, person.user_id)
        # Through the importer, as a hub's catalogue gets there.
        table = read_catalogue_bytes(SEED_FILE)
        report = await import_catalogue(table, session=session, source="seed")
        assert report.counts()["created"] == 3
        vg1 = await get_maker_by_external_id(session=session, external_id="vg-1")
        assert vg1 is not None
        vg1.telegram_user_id = MAJA.user_id
        session.add(vg1)
        await session.commit()
    return DeskRuntime(desk)


def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """The desk's clock, at ``TODAY`` until a test moves it."""
    clock = Clock()
    monkeypatch.setattr("bot.telegram.context.utcnow", lambda: clock.now)
    return clock


# -- helpers ---------------------------------------------------------------------------------


def texts_to(request: RecordingRequest, chat_id: int) -> list[str]:
    return [c.params["text"] for c in request.sent() if int(c.params["chat_id"]) == chat_id]


def toasts(request: RecordingRequest) -> list[str | None]:
    return [c.params.get("text") for c in request.sent("answerCallbackQuery")]


def buttons(call: ApiCall) -> list[dict[str, Any]]:
    markup = call.params.get("reply_markup")
    value: Any = json.loads(markup) if isinstance(markup, str) else markup
    if hasattr(value, "to_dict"):
        value = value.to_dict()
    return [button for row in (value or {}).get("inline_keyboard", []) for button in row]


def last_with_buttons(request: RecordingRequest, chat_id: int) -> ApiCall:
    calls = [c for c in request.sent() if int(c.params["chat_id"]) == chat_id and buttons(c)]
    return calls[-1]


async def upload(
    app: Any,
    request: RecordingRequest,
    person: TelegramUser,
    data: bytes,
    file_id: str,
    file_name: str = "katalog.csv",
) -> dict[str, Any]:
    """``person`` sends ``data`` as ``file_name``; returns the document message."""
    request.files[file_id] = data
    update = person.document(file_id, file_name=file_name, file_size=len(data))
    await feed(app, update)
    message: dict[str, Any] = update["message"]
    return message


def on_report(person: TelegramUser, document_message: dict[str, Any]) -> dict[str, Any]:
    """The bot's dry-run message in ``person``'s chat, answering the uploaded document."""
    return {
        "message_id": 90_000,
        "date": int(time.time()),
        "chat": person.chat(),
        "from": {k: BOT_USER[k] for k in ("id", "is_bot", "first_name", "username")},
        "text": "…",
        "reply_to_message": document_message,
    }


async def maker(runtime: DeskRuntime, external_id: str) -> Maker | None:
    async with runtime.hub_desk.sessions() as session:
        return await get_maker_by_external_id(session=session, external_id=external_id)


async def snapshot(runtime: DeskRuntime) -> list[tuple[str, str, list[str], str]]:
    async with runtime.hub_desk.sessions() as session:
        makers = (await session.exec(select(Maker).order_by(Maker.external_id))).all()
    return [(m.external_id, m.name, list(m.materials), m.status) for m in makers]


async def dry_run(
    app: Any, request: RecordingRequest, data: bytes = BAD_FILE, person: TelegramUser = KARIN
) -> tuple[dict[str, Any], str, str, ApiCall]:
    document = await upload(app, request, person, data, f"file-{person.user_id}")
    report = last_with_buttons(request, person.user_id)
    apply, cancel = (b["callback_data"] for b in buttons(report))
    return document, apply, cancel, report
