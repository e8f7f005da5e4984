"""/stats, /unmet, /map and /report through the real Application, on the seeded autumn
(tests/fakes/insight.py): who may read what, and what each one sends (text, PNG photos, CSV
or XLSX documents); and the weekly digest job."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
from matplotlib.image import imread
from openpyxl import load_workbook
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.bench.offline import ApiCall, RecordingRequest
from bot.telegram.context import BotServices
from bot.telegram.insight.handlers import COMMANDS, InsightHandlers
from services.catalogue.worker import ParseWorker
from services.dialogue.contract import Outcome
from services.hubs.desk import HubDesk, start_hub_desk
from services.hubs.registry import SEED_HUBS
from services.insight.texts import InsightTexts
from services.messages import Reply
from storage.models import Maker, Outbox
from tests.bot.telegram.conftest import ScriptedDialogue, feed, running_bot
from tests.fakes.insight import Seeded, seed_autumn
from tests.fakes.roles import coordinator_of
from tests.fakes.updates import TelegramUser

ADMIN = TelegramUser(1, language_code="en", first_name="Ada")
KARIN = TelegramUser(2, language_code="sv", first_name="Karin")  # coordinates Västra Götaland
MAJA = TelegramUser(3, language_code="sv", first_name="Maja")  # the maker m-tra
SAM = TelegramUser(4, language_code="en", first_name="Sam")  # a designer
OLLE = TelegramUser(5, language_code="sv", first_name="Olle")  # coordinates Skåne
HUB_CHAT = {"id": -4001, "type": "group", "title": "SPOK VG samordnare"}
SV, EN = InsightTexts("sv"), InsightTexts("en")


@dataclass
class InsightRuntime:
    hub_desk: HubDesk
    seeded: Seeded
    matchmaker: None = None
    limits: None = None
    engine: None = None  # the inbox uses the hub desk's database
    dialogue: ScriptedDialogue = field(
        default_factory=lambda: ScriptedDialogue(lambda _: Outcome(replies=(Reply("dialogue"),)))
    )
    parse_worker: ParseWorker = field(default_factory=ParseWorker)  # never started: no uploads

    async def close(self) -> None:
        pass


@pytest.fixture
async def runtime(session_maker: async_sessionmaker[AsyncSession]) -> InsightRuntime:
    desk = await start_hub_desk(session_maker, hubs=SEED_HUBS, admin_ids={ADMIN.user_id})
    async with session_maker() as session:
        seeded = await seed_autumn(session)
        await coordinator_of(session, seeded.vg, KARIN.user_id)
        await coordinator_of(session, seeded.skane, OLLE.user_id)
        maker = await session.get(Maker, seeded.makers["m-tra"])
        assert maker is not None
        maker.telegram_user_id = MAJA.user_id
        session.add(maker)
        seeded.vg.telegram_chat_id = HUB_CHAT["id"]
        session.add(seeded.vg)
        await session.commit()
    return InsightRuntime(desk, seeded)


def to_chat(request: RecordingRequest, chat_id: int, method: str) -> list[ApiCall]:
    return [call for call in request.calls if call.method == method and
            int(call.params["chat_id"]) == chat_id]  # fmt: skip


def texts(request: RecordingRequest, chat_id: int) -> list[str]:
    return [call.params["text"] for call in to_chat(request, chat_id, "sendMessage")]


def upload(call: ApiCall) -> tuple[str, bytes]:
    ((name, data, _),) = call.files.values()
    return name, data


def png_width(data: bytes) -> int:
    return int(imread(io.BytesIO(data)).shape[1])


def in_chat(update: dict[str, Any], chat: dict[str, Any]) -> dict[str, Any]:
    return {**update, "message": {**update["message"], "chat": chat}}


async def test_a_coordinator_gets_the_hubs_stats_as_text_and_charts(
    runtime: InsightRuntime,
) -> None:
    async with running_bot(runtime) as (app, request):
        await feed(app, KARIN.command("stats", "2026-10"))
    (text,) = texts(request, KARIN.user_id)
    assert text.startswith(SV("stats.title", scope="SPOK Västra Götaland",
                              period="2026-10-01 – 2026-10-31"))  # fmt: skip
    assert "Förfrågningar: <b>5</b>" in text and "Prototyp: <b>1</b>" in text
    photos = to_chat(request, KARIN.user_id, "sendPhoto")
    assert len(photos) == 2
    assert all(png_width(upload(photo)[1]) == 1080 for photo in photos)
    assert runtime.dialogue.seen == []  # the dialogue never sees these commands


@pytest.mark.parametrize(
    ("person", "argument", "refusal"),
    [
        (SAM, "", "not_staff"),  # a designer
        (MAJA, "", "not_staff"),  # a maker
        (OLLE, "vastra-gotaland", "not_allowed"),  # another hub's coordinator
        (KARIN, "all", "not_allowed"),  # all hubs is for admins
    ],
)
async def test_others_are_refused_and_get_no_figures(
    runtime: InsightRuntime, person: TelegramUser, argument: str, refusal: str
) -> None:
    # ("/map all" is a map of all Sweden, showing the coordinator's own hub: not refused)
    commands = ("stats", "unmet", "report") if argument == "all" else COMMANDS
    async with running_bot(runtime) as (app, request):
        for command in commands:
            await feed(app, person.command(command, argument))
    t = InsightTexts(person.language_code)
    assert texts(request, person.user_id) == [t(f"refusal.{refusal}")] * len(commands)
    assert request.sent("sendPhoto", "sendDocument") == []


async def test_an_admin_may_choose_any_hub_or_all(runtime: InsightRuntime) -> None:
    async with running_bot(runtime) as (app, request):
        await feed(app, ADMIN.command("stats", "skane 2026-10"))
        await feed(app, ADMIN.command("stats", "all 2026-10"))
        await feed(app, ADMIN.command("stats", "nowhere"))
    skane, everything, unknown = texts(request, ADMIN.user_id)
    assert "SPOK Skåne" in skane and "Requests: <b>1</b>" in skane
    assert "Statistics for all hubs" in everything and "Requests: <b>6</b>" in everything
    assert unknown.startswith("I know no hub called <b>nowhere</b>. Hubs: ")
    assert unknown.endswith(EN("usage.stats"))
    assert len(to_chat(request, ADMIN.user_id, "sendPhoto")) == 4


async def test_in_the_hub_chat_only_that_hubs_figures_are_shown(runtime: InsightRuntime) -> None:
    other_group = {"id": -5005, "type": "supergroup", "title": "Formgivare i Borås"}
    async with running_bot(runtime) as (app, request):
        await feed(app, in_chat(ADMIN.command("stats", "2026-10"), HUB_CHAT))
        await feed(app, in_chat(ADMIN.command("stats", "all 2026-10"), HUB_CHAT))
        await feed(app, in_chat(OLLE.command("stats"), HUB_CHAT))  # Skåne's coordinator
        await feed(app, in_chat(KARIN.command("unmet"), other_group))  # no hub's chat
    here, everything, olle = texts(request, HUB_CHAT["id"])
    assert "Statistics for SPOK Västra Götaland" in here
    assert everything == EN("refusal.only_this_hub")
    assert olle == SV("refusal.not_allowed")
    assert texts(request, other_group["id"]) == [SV("refusal.not_a_hub_chat")]
    assert len(to_chat(request, HUB_CHAT["id"], "sendPhoto")) == 2
    assert to_chat(request, other_group["id"], "sendDocument") == []


async def test_a_bad_period_gets_the_usage(runtime: InsightRuntime) -> None:
    async with running_bot(runtime) as (app, request):
        await feed(app, KARIN.command("stats", "förra veckan"))
        await feed(app, KARIN.command("report", "2026-13"))
    unknown, usage = texts(request, KARIN.user_id)
    assert unknown.startswith("Jag hittar inget nav som heter <b>förra</b>. Nav: blekinge, ")
    assert unknown.endswith(SV("usage.stats"))  # a period typed wrongly, perhaps
    assert usage == SV("usage.report")


async def test_unmet_sends_the_list_a_chart_and_a_csv(runtime: InsightRuntime) -> None:
    async with running_bot(runtime) as (app, request):
        await feed(app, KARIN.command("unmet", "2026-09-01 2026-10-31"))
    (text,) = texts(request, KARIN.user_id)
    assert "Ouppfyllda förfrågningar, SPOK Västra Götaland" in text and "<b>3</b>" in text
    (photo,) = to_chat(request, KARIN.user_id, "sendPhoto")
    assert png_width(upload(photo)[1]) == 1080
    (document,) = to_chat(request, KARIN.user_id, "sendDocument")
    name, data = upload(document)
    assert name == "spok-unmet-vastra-gotaland-2026-09-01-2026-10-31.csv"
    assert len(data.decode("utf-8-sig").splitlines()) == 4  # the header and R3, R4, R5


async def test_map_of_the_region_and_of_sweden(runtime: InsightRuntime) -> None:
    async with running_bot(runtime) as (app, request):
        await feed(app, KARIN.command("map"))
        await feed(app, KARIN.command("map", "sverige"))
        await feed(app, KARIN.command("map", "2026"))
    region, sweden = to_chat(request, KARIN.user_id, "sendPhoto")
    assert "3 listade tillverkare" in region.params["caption"]
    heights = [imread(io.BytesIO(upload(call)[1])).shape[0] for call in (region, sweden)]
    assert heights[1] > heights[0]  # all of Sweden is taller than Västra Götaland
    assert texts(request, KARIN.user_id) == [SV("usage.map")]


async def test_report_sends_a_workbook_or_a_csv(runtime: InsightRuntime) -> None:
    async with running_bot(runtime) as (app, request):
        await feed(app, KARIN.command("report", "2026-09-01 2026-10-31"))
        await feed(app, ADMIN.command("report", "all 2026-10 csv"))
    (workbook_call,) = to_chat(request, KARIN.user_id, "sendDocument")
    name, data = upload(workbook_call)
    assert name == "spok-report-vastra-gotaland-2026-09-01-2026-10-31.xlsx"
    sheet = load_workbook(io.BytesIO(data))["Per månad"]
    assert [row[:3] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        ("2026-09", 3, 0), ("2026-10", 5, 3), ("totalt", 8, 3),
    ]  # fmt: skip
    (csv_call,) = to_chat(request, ADMIN.user_id, "sendDocument")
    name, data = upload(csv_call)
    assert name == "spok-report-alla-2026-10-01-2026-10-31.csv"
    assert data.decode("utf-8-sig").splitlines()[1].startswith("2026-10;6;4;")


async def test_the_digest_job_queues_each_hub_chat_once_a_week(
    runtime: InsightRuntime, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    now = [datetime(2026, 10, 26, 6, 0, tzinfo=UTC)]  # Monday 07:00 in Stockholm: too early
    services = BotServices(clock=lambda: now[0])
    handlers = InsightHandlers(services)
    assert await handlers.run_digest_once() is None  # the runtime is not running
    services.start(runtime)  # type: ignore[arg-type]
    assert await handlers.run_digest_once() == 0
    now[0] = datetime(2026, 10, 26, 7, 30, tzinfo=UTC)
    assert await handlers.run_digest_once() == 2  # VG's chat, and Skåne's coordinator Olle
    assert await handlers.run_digest_once() == 0
    async with session_maker() as session:
        rows = (await session.exec(select(Outbox).where(col(Outbox.kind) == "hub_digest"))).all()
    assert sorted(row.chat_id for row in rows) == [HUB_CHAT["id"], OLLE.user_id]


async def test_the_digest_job_is_on_the_job_queue(runtime: InsightRuntime) -> None:
    async with running_bot(runtime) as (app, _):
        assert app.job_queue is not None
        assert app.job_queue.get_jobs_by_name("insight-weekly-digest")
