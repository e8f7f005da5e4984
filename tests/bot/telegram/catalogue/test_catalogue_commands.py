"""The catalogue desk's commands through the real Application on a real database: who may
use them, /export (the hub's makers and outreach log, re-importable), /maker with its buttons,
/stale and /outreach."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.telegram.catalogue.texts import desk_text
from matching.models import MakerStatus
from services.catalogue.importer import plan_import
from services.catalogue.reader import read_catalogue_bytes
from storage.models import FollowUp, Invite, OutreachEntry
from storage.repositories.makers import get_maker_by_external_id
from tests.bot.telegram.catalogue.catalogue_support import (
    ADMIN,
    KARIN,
    MAJA,
    SAM,
    SVEN,
    TODAY,
    Clock,
    DeskRuntime,
    buttons,
    desk_runtime,
    fixed_clock,
    last_with_buttons,
    maker,
    texts_to,
    toasts,
)
from tests.bot.telegram.conftest import feed, running_bot
from tests.fakes.updates import TelegramUser, in_group


@pytest.fixture
async def runtime(session_maker: async_sessionmaker[AsyncSession]) -> DeskRuntime:
    return await desk_runtime(session_maker)


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return fixed_clock(monkeypatch)


# -- commands: who may ------------------------------------------------------------------------


@pytest.mark.parametrize("person", [SAM, MAJA], ids=["designer", "maker"])
@pytest.mark.parametrize(
    "command", [("export", ""), ("maker", "vg-1"), ("stale", ""), ("outreach", "x; Borås")]
)
async def test_the_desk_commands_are_for_coordinators_only(
    runtime: DeskRuntime, person: TelegramUser, command: tuple[str, str]
) -> None:
    async with running_bot(runtime) as (app, request):
        await feed(app, person.command(*command))
    assert texts_to(request, person.user_id) == [desk_text("not_staff", person.language_code)]
    assert request.sent("sendDocument") == []


async def test_the_desk_answers_in_private_chats_only(runtime: DeskRuntime) -> None:
    async with running_bot(runtime) as (app, request):
        await feed(app, in_group(KARIN.command("maker", "vg-1")))
    (call,) = request.sent()
    assert call.params["text"] == desk_text("private_only", "sv")
    assert int(call.params["chat_id"]) != KARIN.user_id  # said in the group, nothing else


# -- /export ---------------------------------------------------------------------------------


def _sheets(data: bytes) -> dict[str, list[list[str]]]:
    book = load_workbook(io.BytesIO(data), read_only=True)
    sheets = {
        sheet.title: [
            [str(c) if c is not None else "" for c in row]
            for row in sheet.iter_rows(values_only=True)
        ]
        for sheet in book.worksheets
    }
    book.close()
    return sheets


async def test_export_sends_the_hubs_makers_and_outreach_log_and_reimports_unchanged(
    runtime: DeskRuntime, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    async with running_bot(runtime) as (app, request):
        await feed(app, KARIN.command("outreach", "Glasbruket AB; Borås; glas; kanske senare"))
        await feed(app, SVEN.command("outreach", "Lundaplåt; Lund; plåt; nej"))
        await feed(app, KARIN.command("export"))
        await feed(app, ADMIN.command("export", "csv"))
    karin, *admin = request.sent("sendDocument")
    ((filename, content, _mime),) = karin.files.values()
    assert filename == "spok-vastra-gotaland-2026-11-25.xlsx"
    sheets = _sheets(content)
    assert list(sheets) == ["Tillverkare", "Kontaktade"]  # Karin reads Swedish
    assert sheets["Tillverkare"][0][:4] == ["id", "namn", "kommun", "material"]
    assert [row[0] for row in sheets["Tillverkare"][1:]] == ["vg-1", "vg-2"]
    assert [row[:5] for row in sheets["Kontaktade"][1:]] == [
        ["Glasbruket AB", "Borås", "glas", "2026-11-25", "maybe_later"]
    ]
    async with session_maker() as session:
        plan = await plan_import(read_catalogue_bytes(content), session=session, source="x")
    assert plan.report.counts()["unchanged"] == 2 and not plan.report.rejected
    assert [next(iter(call.files.values()))[0] for call in admin] == [
        "spok-alla-2026-11-25.csv",
        "spok-alla-2026-11-25-kontaktade.csv",
    ]
    catalogue_csv = next(iter(admin[0].files.values()))[1].decode("utf-8-sig")
    assert catalogue_csv.startswith("id;name;municipality;materials")  # Ada reads English
    assert "sk-1" in catalogue_csv and "vg-1" in catalogue_csv
    outreach_csv = next(iter(admin[1].files.values()))[1].decode("utf-8-sig")
    assert "Glasbruket AB" in outreach_csv and "Lundaplåt" in outreach_csv


# -- /maker and its buttons ------------------------------------------------------------------


async def test_maker_card_buttons_pause_unlist_relist_and_the_matchmaker_sees_each(
    runtime: DeskRuntime,
) -> None:
    async with running_bot(runtime) as (app, request):
        await feed(app, KARIN.command("maker", "vg-1"))
        card = last_with_buttons(request, KARIN.user_id)
        assert "Verkstad vg-1" in card.params["text"]
        pause = next(b for b in buttons(card) if b["text"] == "Pausa 14 dagar")
        await feed(app, KARIN.press(pause["callback_data"]))
        paused = await maker(runtime, "vg-1")
        await feed(app, KARIN.press(pause["callback_data"]))  # replayed: refused
        assert toasts(request)[-1] == desk_text("press.used", "sv")
        card = last_with_buttons(request, KARIN.user_id)
        assert "Pausad till och med 2026-12-09" in card.params["text"]
        relist = next(b for b in buttons(card) if b["text"] == "Lista igen")
        await feed(app, KARIN.press(relist["callback_data"]))
        card = last_with_buttons(request, KARIN.user_id)
        unlist = next(b for b in buttons(card) if b["text"] == "Avlista")
        await feed(app, KARIN.press(unlist["callback_data"]))
    assert paused is not None and (paused.status, paused.paused_until) == (
        "paused",
        date(2026, 12, 9),
    )
    final = await maker(runtime, "vg-1")
    assert final is not None and final.status == "unlisted"
    assert [(p.id, p.status) for p in runtime.matchmaker.applied] == [
        ("vg-1", MakerStatus.PAUSED),
        ("vg-1", MakerStatus.LISTED),
        ("vg-1", MakerStatus.UNLISTED),
    ]


async def test_a_coordinator_sets_a_makers_weekly_cap_from_its_card(
    runtime: DeskRuntime,
) -> None:
    async with running_bot(runtime) as (app, request):
        await feed(app, KARIN.command("maker", "vg-1"))
        card = last_with_buttons(request, KARIN.user_id)
        assert desk_text("card.cap_default", "sv", cap=3) in card.params["text"]
        five = next(
            b for b in buttons(card) if b["text"] == desk_text("card.button.cap", "sv", cap=5)
        )
        await feed(app, KARIN.press(five["callback_data"]))
        card = last_with_buttons(request, KARIN.user_id)
        assert desk_text("card.cap", "sv", cap=5) in card.params["text"]
        assert desk_text("done.c", "sv", cap=5) in card.params["text"]
        set_five = await maker(runtime, "vg-1")
        three = next(
            b for b in buttons(card) if b["text"] == desk_text("card.button.cap", "sv", cap=3)
        )
        await feed(app, KARIN.press(three["callback_data"]))
    assert set_five is not None and set_five.weekly_brief_cap == 5
    back = await maker(runtime, "vg-1")
    assert back is not None and back.weekly_brief_cap is None  # the default again


async def test_maker_search_is_fuzzy_and_the_invite_button_makes_a_link(
    runtime: DeskRuntime, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    async with session_maker() as session:
        vg2 = await get_maker_by_external_id(session=session, external_id="vg-2")
        assert vg2 is not None
        vg2.name = "Ekdahls Snickeri"
        session.add(vg2)
        await session.commit()
    async with running_bot(runtime) as (app, request):
        await feed(app, KARIN.command("maker", "ekdals snickri"))  # typos
        card = last_with_buttons(request, KARIN.user_id)
        invite = next(b for b in buttons(card) if b["text"] == "Inbjudningslänk")
        await feed(app, KARIN.press(invite["callback_data"]))
    assert "Ekdahls Snickeri" in card.params["text"]
    assert "https://t.me/spok_test_bot?start=inv_" in texts_to(request, KARIN.user_id)[-1]
    async with session_maker() as session:
        invites = (await session.exec(select(Invite))).all()
    assert [(i.maker_id, i.created_by) for i in invites] == [(vg2.id, KARIN.user_id)]


async def test_another_hubs_maker_is_neither_found_nor_changed_but_an_admin_may(
    runtime: DeskRuntime,
) -> None:
    async with running_bot(runtime) as (app, request):
        await feed(app, SVEN.command("maker", "vg-1"))
        assert texts_to(request, SVEN.user_id) == [desk_text("maker.none", "sv", query="vg-1")]
        await feed(app, KARIN.command("maker", "vg-1"))
        unlist = next(
            b for b in buttons(last_with_buttons(request, KARIN.user_id)) if b["text"] == "Avlista"
        )
        await feed(app, SVEN.press(unlist["callback_data"]))
        assert toasts(request)[-1] == desk_text("press.not_allowed", "sv")
        await feed(app, ADMIN.command("maker", "sk-1"))
        card = last_with_buttons(request, ADMIN.user_id)
        unlist = next(b for b in buttons(card) if b["text"] == "Unlist")
        await feed(app, ADMIN.press(unlist["callback_data"]))
    vg1, sk1 = await maker(runtime, "vg-1"), await maker(runtime, "sk-1")
    assert vg1 is not None and vg1.status == "listed"
    assert sk1 is not None and sk1.status == "unlisted"


# -- /stale ----------------------------------------------------------------------------------


async def test_stale_lists_the_hubs_makers_with_unanswered_checks_and_when(
    runtime: DeskRuntime, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    async with session_maker() as session:
        for external_id, penalty in (("vg-1", 0.5), ("sk-1", 1.0)):
            stale = await get_maker_by_external_id(session=session, external_id=external_id)
            assert stale is not None
            stale.freshness_penalty = penalty
            session.add(stale)
            for weeks in (6, 2):
                session.add(
                    FollowUp(
                        maker_id=stale.id,
                        kind="freshness",
                        status="unanswered",
                        due_at=TODAY - timedelta(weeks=weeks),
                        dedupe_key=f"freshness:{stale.id}:{weeks}",
                    )
                )
        await session.commit()
    async with running_bot(runtime) as (app, request):
        await feed(app, KARIN.command("stale"))
        await feed(app, SVEN.command("stale"))
    (karin,) = texts_to(request, KARIN.user_id)
    assert "Verkstad vg-1" in karin and "obesvarad sedan 2026-11-11" in karin
    assert "sk-1" not in karin
    (sven,) = texts_to(request, SVEN.user_id)
    assert "Verkstad sk-1" in sven and "vg-1" not in sven


# -- /outreach -------------------------------------------------------------------------------


async def test_outreach_is_added_updated_searched_and_kept_per_hub(
    runtime: DeskRuntime, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    async with running_bot(runtime) as (app, request):
        await feed(app, KARIN.command("outreach", "Glasbruket AB; Borås; glas; kanske senare"))
        await feed(app, KARIN.command("outreach", "glasbruket ab; ; ; listad; skrev på idag"))
        await feed(app, KARIN.command("outreach", "Ståltorget; Alingsås; stål; kanske nån gång"))
        await feed(app, KARIN.command("outreach", "; Borås"))
        await feed(app, KARIN.command("outreach", "glasbruk"))
        await feed(app, SVEN.command("outreach"))
    added, updated, bad_outcome, no_company, found = texts_to(request, KARIN.user_id)
    assert added == desk_text(
        "outreach.added",
        "sv",
        hub="SPOK Västra Götaland",
        company="Glasbruket AB",
        outcome="kanske senare",
    )
    assert updated.startswith("Uppdaterat") and "listad" in updated
    assert bad_outcome == desk_text("outreach.outcome", "sv", value="kanske nån gång")
    assert no_company == desk_text("outreach.usage", "sv")
    assert "Glasbruket AB" in found and "listad" in found and "skrev på idag" in found
    (sven,) = texts_to(request, SVEN.user_id)
    assert "Glasbruket" not in sven
    async with session_maker() as session:
        entries = (await session.exec(select(OutreachEntry))).all()
    assert [(e.company, e.outcome, e.municipality_code) for e in entries] == [
        ("Glasbruket AB", "listed", "1490")
    ]
