"""The coordinators' catalogue desk through the real Application, on a real database: a
spreadsheet upload (dry run, Cancel, Apply, a stale plan), the hub boundary, /export, /maker
with its buttons, /stale and /outreach — and who is refused."""

from __future__ import annotations

import io
import json
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.telegram.catalogue_texts import desk_text
from bot.telegram.offline import BOT_USER, ApiCall, RecordingRequest
from matching.models import MakerProfile, MakerStatus
from services.catalogue.importer import import_catalogue, plan_import
from services.catalogue.reader import read_catalogue_bytes
from services.dialogue.contract import Outcome, Reply
from services.hub_desk import HubDesk, start_hub_desk
from services.hubs import SEED_HUBS
from storage.models import FollowUp, Invite, Maker, OutreachEntry
from storage.repositories.hubs import get_hub_by_slug
from storage.repositories.makers import get_maker_by_external_id
from tests.bot.telegram.conftest import ScriptedDialogue, feed, running_bot
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
    dialogue: ScriptedDialogue = field(
        default_factory=lambda: ScriptedDialogue(lambda _: Outcome(replies=(Reply("dialogue"),)))
    )

    async def close(self) -> None:
        pass


@pytest.fixture
async def runtime(session_maker: async_sessionmaker[AsyncSession]) -> DeskRuntime:
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


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.telegram.catalogue_handlers.utcnow", lambda: TODAY)


# -- helpers ---------------------------------------------------------------------------------


def texts_to(request: RecordingRequest, chat_id: int) -> list[str]:
    return [c.params["text"] for c in request.sent() if int(c.params["chat_id"]) == chat_id]


def toasts(request: RecordingRequest) -> list[str | None]:
    return [c.params.get("text") for c in request.sent("answerCallbackQuery")]


def buttons(call: ApiCall) -> list[dict[str, Any]]:
    markup = call.params.get("reply_markup")
    value = json.loads(markup) if isinstance(markup, str) else markup
    if hasattr(value, "to_dict"):
        value = value.to_dict()
    return [button for row in (value or {}).get("inline_keyboard", []) for button in row]


def last_with_buttons(request: RecordingRequest, chat_id: int) -> ApiCall:
    calls = [c for c in request.sent() if int(c.params["chat_id"]) == chat_id and buttons(c)]
    return calls[-1]


async def upload(
    app: Any, request: RecordingRequest, person: TelegramUser, data: bytes, file_id: str
) -> dict[str, Any]:
    """``person`` sends ``data`` as katalog.csv; returns the document message."""
    request.files[file_id] = data
    update = person.document(file_id, file_name="katalog.csv", file_size=len(data))
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


# -- the upload ------------------------------------------------------------------------------


async def test_a_bad_file_is_shown_as_a_dry_run_with_every_rejected_line_and_reason(
    runtime: DeskRuntime,
) -> None:
    before = await snapshot(runtime)
    async with running_bot(runtime) as (app, request):
        document, apply, cancel, report = await dry_run(app, request)
    text = report.params["text"]
    assert "5 rader – 1 nya, 1 ändrade, 0 oförändrade, 3 avvisade" in text
    assert "rad 4, kommun: ”Atlantisstad” är ingen svensk ort" in text
    assert "rad 5, id: ”sk-1” hör till SPOK Skåne" in text
    assert "rad 6, kommun: ”Lund” hör till SPOK Skåne" in text
    assert "ny: Nya Snickeriet (vg-new)" in text and "ändras: Verkstad vg-1 (vg-1)" in text
    reply_to = report.params["reply_parameters"]
    reply_to = json.loads(reply_to) if isinstance(reply_to, str) else reply_to
    assert reply_to["message_id"] == document["message_id"]
    assert [len(apply.encode()), len(cancel.encode())] <= [64, 64] and apply != cancel
    assert await snapshot(runtime) == before  # a dry run writes nothing
    assert runtime.matchmaker.applied == []


async def test_cancel_applies_nothing_and_spends_the_buttons(runtime: DeskRuntime) -> None:
    before = await snapshot(runtime)
    async with running_bot(runtime) as (app, request):
        document, apply, cancel, _ = await dry_run(app, request)
        await feed(app, KARIN.press(cancel, on_report(KARIN, document)))
        await feed(app, KARIN.press(apply, on_report(KARIN, document)))
    assert desk_text("upload.cancelled", "sv") in texts_to(request, KARIN.user_id)
    assert toasts(request)[-1] == desk_text("press.used", "sv")
    assert await snapshot(runtime) == before
    assert runtime.matchmaker.applied == []


async def test_apply_writes_exactly_the_plan_and_the_matchmaker_sees_it(
    runtime: DeskRuntime,
) -> None:
    sk_before = await maker(runtime, "sk-1")
    async with running_bot(runtime) as (app, request):
        document, apply, _, _ = await dry_run(app, request)
        await feed(app, KARIN.press(apply, on_report(KARIN, document)))
        await feed(app, KARIN.press(apply, on_report(KARIN, document)))  # a replay
    created, updated = await maker(runtime, "vg-new"), await maker(runtime, "vg-1")
    assert created is not None and (created.name, created.email) == (
        "Nya Snickeriet",
        "info@example.se",
    )
    assert updated is not None and (updated.materials, updated.place_name) == (["trä"], "Borås")
    assert await maker(runtime, "bad-1") is None and await maker(runtime, "sk-new") is None
    sk_after = await maker(runtime, "sk-1")
    assert sk_before is not None and sk_after is not None
    assert (sk_after.name, sk_after.materials) == (sk_before.name, sk_before.materials)
    assert sorted(p.id for p in runtime.matchmaker.applied) == ["vg-1", "vg-new"]
    assert desk_text("upload.applied", "sv", created=1, updated=1) in texts_to(
        request, KARIN.user_id
    )
    assert toasts(request)[-1] == desk_text("press.used", "sv")
    assert request.sent("editMessageReplyMarkup")  # the dry run's buttons are gone


async def test_a_plan_the_catalogue_overtook_is_shown_again_instead_of_applied(
    runtime: DeskRuntime, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    async with running_bot(runtime) as (app, request):
        document, apply, _, _ = await dry_run(app, request)
        async with session_maker() as session:  # meanwhile, the listing changes
            changed = await get_maker_by_external_id(session=session, external_id="vg-1")
            assert changed is not None
            changed.description = "Ny beskrivning"
            session.add(changed)
            await session.commit()
        await feed(app, KARIN.press(apply, on_report(KARIN, document)))
        assert await maker(runtime, "vg-new") is None  # nothing applied
        replanned = last_with_buttons(request, KARIN.user_id)
        assert replanned.params["text"].startswith(desk_text("upload.replanned", "sv"))
        fresh_apply = buttons(replanned)[0]["callback_data"]
        assert fresh_apply != apply
        await feed(app, KARIN.press(fresh_apply, on_report(KARIN, document)))
    updated = await maker(runtime, "vg-1")
    assert await maker(runtime, "vg-new") is not None
    assert updated is not None and updated.description == "Ny beskrivning"


async def test_a_coordinator_cannot_overwrite_another_hubs_maker_but_an_admin_can(
    runtime: DeskRuntime,
) -> None:
    data = "id;name;municipality\r\nsk-1;Kapad;Malmö\r\n".encode()
    async with running_bot(runtime) as (app, request):
        await upload(app, request, KARIN, data, "karin-sk")
        (karin_reply,) = texts_to(request, KARIN.user_id)
        document, apply, _, _ = await dry_run(app, request, data, person=ADMIN)
        await feed(app, ADMIN.press(apply, on_report(ADMIN, document)))
    assert "hör till SPOK Skåne" in karin_reply
    assert desk_text("upload.nothing", "sv") in karin_reply  # and no buttons to apply
    stored = await maker(runtime, "sk-1")
    assert stored is not None and stored.name == "Kapad"  # the admin's upload


@pytest.mark.parametrize("presser", [SVEN, SAM, MAJA, ADMIN], ids=lambda p: p.first_name)
async def test_someone_elses_apply_button_is_refused(
    runtime: DeskRuntime, presser: TelegramUser, caplog: pytest.LogCaptureFixture
) -> None:
    before = await snapshot(runtime)
    async with running_bot(runtime) as (app, request):
        document, apply, _, _ = await dry_run(app, request)
        downloads = len(request.sent("downloadFile"))
        await feed(app, presser.press(apply, on_report(presser, document)))
        assert toasts(request)[-1] == desk_text("press.not_allowed", presser.language_code)
        assert len(request.sent("downloadFile")) == downloads
        assert await snapshot(runtime) == before
        await feed(app, KARIN.press(apply, on_report(KARIN, document)))  # still Karin's
    assert await maker(runtime, "vg-new") is not None
    assert any(r.getMessage().startswith("refused desk_button") for r in caplog.records)


@pytest.mark.parametrize("person", [SAM, MAJA], ids=["designer", "maker"])
async def test_a_document_from_a_designer_or_maker_goes_to_the_dialogue(
    runtime: DeskRuntime, person: TelegramUser
) -> None:
    async with running_bot(runtime) as (app, request):
        await upload(app, request, person, BAD_FILE, "theirs")
    assert request.sent("getFile", "downloadFile") == []
    assert texts_to(request, person.user_id) == ["dialogue"]
    assert await maker(runtime, "vg-new") is None


async def test_too_big_and_unusable_files_get_a_clear_answer(runtime: DeskRuntime) -> None:
    async with running_bot(runtime) as (app, request):
        await feed(app, KARIN.document("huge", file_name="k.csv", file_size=6 * 1024 * 1024))
        await upload(app, request, KARIN, b"\x00\x01\x02binary\x00" * 50, "junk")
    too_big, unusable = texts_to(request, KARIN.user_id)
    assert too_big == desk_text("upload.too_big", "sv", limit=5)
    assert "katalog.csv" in unusable and "ingen CSV- eller XLSX-fil" in unusable
    assert [c.params["file_id"] for c in request.sent("getFile")] == ["junk"]


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


# -- /export ---------------------------------------------------------------------------------


def _sheets(data: bytes) -> dict[str, list[list[str]]]:
    book = load_workbook(io.BytesIO(data), read_only=True)
    sheets = {
        sheet.title: [[c or "" for c in row] for row in sheet.iter_rows(values_only=True)]
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
    ((filename, content),) = karin.files.values()
    assert filename == "spok-vastra-gotaland-2026-11-25.xlsx"
    sheets = _sheets(content)
    assert list(sheets) == ["Makers", "Kontaktade"]
    assert [row[0] for row in sheets["Makers"][1:]] == ["vg-1", "vg-2"]
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
