"""A spreadsheet sent to the bot by a coordinator, through the real Application on a real
database: the dry run with every rejected line, Cancel, Apply (exactly the plan, once, seen by
the matchmaker, after a restart too), a plan the catalogue overtook, the hub boundary, and
everyone whose button or document it is not."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.telegram.catalogue.texts import desk_text
from storage.repositories.makers import get_maker_by_external_id
from tests.bot.telegram.catalogue.catalogue_support import (
    ADMIN,
    BAD_FILE,
    KARIN,
    MAJA,
    SAM,
    SVEN,
    Clock,
    DeskRuntime,
    buttons,
    desk_runtime,
    dry_run,
    fixed_clock,
    last_with_buttons,
    maker,
    on_report,
    snapshot,
    texts_to,
    toasts,
    upload,
)
from tests.bot.telegram.conftest import feed, running_bot
from tests.fakes.redelivery import snapshot as database_rows
from tests.fakes.updates import TelegramUser
from tests.services.test_catalogue_support import ods_file


@pytest.fixture
async def runtime(session_maker: async_sessionmaker[AsyncSession]) -> DeskRuntime:
    return await desk_runtime(session_maker)


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return fixed_clock(monkeypatch)


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
        await upload(app, request, KARIN, b"PK\x03\x04...", "apple", "Katalog.numbers")
    too_big, unusable, numbers = texts_to(request, KARIN.user_id)
    assert too_big == desk_text("upload.too_big", "sv", limit=5)
    assert "katalog.csv" in unusable and "spara det som .xlsx eller .csv" in unusable
    assert "Katalog.numbers" in numbers and "Arkiv › Exportera till › Excel" in numbers
    assert [c.params["file_id"] for c in request.sent("getFile")] == ["junk", "apple"]


async def test_an_ods_file_is_read_like_any_spreadsheet(runtime: DeskRuntime) -> None:
    rows = [line.split(";") for line in BAD_FILE.decode().splitlines()]
    async with running_bot(runtime) as (app, request):
        await upload(app, request, KARIN, ods_file([("Blad1", rows)]), "ods", "katalog.ods")
    [report] = texts_to(request, KARIN.user_id)
    assert "5 rader – 1 nya, 1 ändrade, 0 oförändrade, 3 avvisade" in report


async def test_apply_after_a_restart_plans_the_document_again_and_applies(
    runtime: DeskRuntime,
) -> None:
    async with running_bot(runtime) as (app, request):
        document, apply, _, _ = await dry_run(app, request)
    async with running_bot(runtime, request) as (app, _):  # a new process, same Telegram
        await feed(app, KARIN.press(apply, on_report(KARIN, document)))
    assert await maker(runtime, "vg-new") is not None
    assert [c.params["file_id"] for c in request.sent("getFile")] == ["file-2", "file-2"]


async def test_a_document_telegram_no_longer_has_is_asked_for_again(
    runtime: DeskRuntime,
) -> None:
    before = await snapshot(runtime)
    async with running_bot(runtime) as (app, request):
        document, apply, _, _ = await dry_run(app, request)
        request.files.clear()
        await feed(app, KARIN.press(apply, on_report(KARIN, document)))
        await feed(app, KARIN.press(apply, on_report(KARIN, document)))
    assert texts_to(request, KARIN.user_id)[-1] == desk_text("press.file_gone", "sv")
    assert toasts(request)[-1] == desk_text("press.used", "sv")
    assert await snapshot(runtime) == before


async def test_an_old_dry_run_expires(runtime: DeskRuntime, clock: Clock) -> None:
    before = await snapshot(runtime)
    async with running_bot(runtime) as (app, request):
        document, apply, _, _ = await dry_run(app, request)
        clock.now += timedelta(days=3)
        await feed(app, KARIN.press(apply, on_report(KARIN, document)))
    assert texts_to(request, KARIN.user_id)[-1] == desk_text("press.expired", "sv")
    assert await snapshot(runtime) == before


async def test_a_coordinators_pdf_is_no_catalogue_and_goes_to_the_dialogue(
    runtime: DeskRuntime,
) -> None:
    async with running_bot(runtime) as (app, request):
        await feed(app, KARIN.document("sketch", file_name="skiss.pdf", file_size=1000))
    assert texts_to(request, KARIN.user_id) == ["dialogue"]
    assert request.sent("getFile") == []


async def test_unknown_words_are_notes_in_the_dry_run_and_the_row_is_imported(
    runtime: DeskRuntime,
) -> None:
    data = "id;namn;kommun;material\r\nvg-new;Nya Sömmeriet;Borås;jeresy, näver\r\n".encode()
    async with running_bot(runtime) as (app, request):
        document, apply, _, report = await dry_run(app, request, data)
        text = report.params["text"]
        await feed(app, KARIN.press(apply, on_report(KARIN, document)))
    assert "1 rader – 1 nya, 0 ändrade, 0 oförändrade, 0 avvisade, 2 anmärkningar" in text
    assert "Anmärkningar (raderna läses in som de står):" in text
    assert "rad 2, material: ”jeresy” är inget ord vi känner till – menade du ”jersey”?" in text
    assert "rad 2, material: ”näver” är inget ord vi känner till; det står kvar" in text
    created = await maker(runtime, "vg-new")
    assert created is not None and created.materials == ["jeresy", "näver"]


async def test_a_rename_without_an_id_is_shown_in_the_dry_run_and_updates_the_listing(
    runtime: DeskRuntime,
) -> None:
    first = "namn;kommun;material\r\nSnickeri Ekdahl AB;Borås;ek\r\n".encode()
    renamed = "namn;kommun;material\r\nEkdahls Snickeri AB;Borås;ek\r\n".encode()
    async with running_bot(runtime) as (app, request):
        document, apply, _, _ = await dry_run(app, request, first)
        await feed(app, KARIN.press(apply, on_report(KARIN, document)))
        document, apply, _, report = await dry_run(app, request, renamed)
        text = report.params["text"]
        await feed(app, KARIN.press(apply, on_report(KARIN, document)))
    assert "1 rader – 0 nya, 1 ändrade" in text
    assert (
        "rad 2, namn: ”Ekdahls Snickeri AB” ser ut att vara ”Snickeri Ekdahl AB” "
        "(snickeri-ekdahl-ab-1490) med nytt namn" in text
    )
    listing = await maker(runtime, "snickeri-ekdahl-ab-1490")
    assert listing is not None and listing.name == "Ekdahls Snickeri AB"
    assert await maker(runtime, "ekdahls-snickeri-ab-1490") is None


async def test_a_redelivered_upload_or_import_press_does_nothing_and_sends_nothing(
    runtime: DeskRuntime, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    upload = KARIN.document("again-1", file_name="katalog.csv", file_size=len(BAD_FILE))
    async with running_bot(runtime) as (app, request):
        request.files["again-1"] = BAD_FILE
        await feed(app, upload)
        before, calls = await database_rows(session_maker), len(request.calls)
        await feed(app, upload)  # delivered again by Telegram, same update id: no second dry run
        assert request.calls[calls:] == []
        assert await database_rows(session_maker) == before

        report = last_with_buttons(request, KARIN.user_id)
        apply = next(b["callback_data"] for b in buttons(report))
        press = KARIN.press(apply, on_report(KARIN, upload["message"]))
        await feed(app, press)
        before, calls = await database_rows(session_maker), len(request.calls)
        await feed(app, press)  # the Import press delivered again
        assert request.calls[calls:] == []
        assert await database_rows(session_maker) == before
    assert sorted(p.id for p in runtime.matchmaker.applied) == ["vg-1", "vg-new"]
