"""A maker edits their listing through /profile and the hub's coordinators decide, all through
the real Application on a real database, with the real ranking: an edit reaches the ranking
only once a coordinator approves it; a rejected one never does; nobody else can decide."""

from __future__ import annotations

import itertools
import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.bench.offline import RecordingRequest
from services.catalogue.worker import ParseWorker
from services.dialogue.contract import Outcome
from services.hubs.desk import HubDesk, start_hub_desk
from services.hubs.registry import SEED_HUBS
from services.makers.edits import DECIDE_PREFIX, DRAFT_LIFETIME, edit_data
from services.makers.fields import ListingField
from services.makers.texts import ProfileTexts
from services.matchmaking import DesignerRequest, Matchmaker
from services.messages import Reply, language_for
from storage.models import ListingChangeStatus, Maker, MakerListingChange, Outbox
from storage.repositories.hubs import get_hub_by_slug
from storage.repositories.makers import get_maker_by_external_id
from tests.bot.telegram.conftest import ScriptedDialogue, feed, running_bot
from tests.fakes.roles import coordinator_of, listed_maker
from tests.fakes.updates import TelegramUser

ADMIN = TelegramUser(1, language_code="en", first_name="Ada")
KARIN = TelegramUser(2, language_code="sv", first_name="Karin")  # coordinates Västra Götaland
MAJA = TelegramUser(3, language_code="sv", first_name="Maja")  # bound to m-boras
SAM = TelegramUser(4, language_code="en-GB", first_name="Sam")  # nobody in particular
OLLE = TelegramUser(5, language_code="en", first_name="Olle")  # bound to m-other
SKANE = TelegramUser(6, language_code="sv", first_name="Sara")  # coordinates Skåne only
TODAY = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
SV = ProfileTexts("sv")


@dataclass
class EditRuntime:
    hub_desk: HubDesk
    matchmaker: Matchmaker
    limits: None = None
    engine: None = None  # the edge runs without an inbox here
    round_scorer: None = None  # rounds score with the matchmaker's ranking
    dialogue: ScriptedDialogue = field(
        default_factory=lambda: ScriptedDialogue(lambda _: Outcome(replies=(Reply("dialogue"),)))
    )
    parse_worker: ParseWorker = field(default_factory=ParseWorker)  # never started

    async def close(self) -> None:
        pass


@pytest.fixture
async def runtime(session_maker: async_sessionmaker[AsyncSession]) -> EditRuntime:
    desk = await start_hub_desk(session_maker, hubs=SEED_HUBS, admin_ids={ADMIN.user_id})
    async with session_maker() as session:
        hub = await get_hub_by_slug(session=session, slug="vastra-gotaland")
        skane = await get_hub_by_slug(session=session, slug="skane")
        assert hub is not None and skane is not None
        await coordinator_of(session, hub, KARIN.user_id)
        await coordinator_of(session, skane, SKANE.user_id)
        maker = await listed_maker(session, "m-boras", telegram_user_id=MAJA.user_id)
        maker.materials = ["stål", "plåt"]
        maker.description = "Plåtdetaljer i små serier."
        session.add(maker)
        await session.commit()
        await listed_maker(session, "m-other", telegram_user_id=OLLE.user_id)
        matchmaker = await Matchmaker.load(session=session)
    return EditRuntime(desk, matchmaker)


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    # Today, a second further at each reading: Maja's replies keep Telegram's one message a
    # second per chat, which the edge waits out by this clock (a frozen one never gets there).
    ticks = itertools.count()
    monkeypatch.setattr(
        "bot.telegram.context.utcnow", lambda: TODAY + timedelta(seconds=next(ticks))
    )


def _equipment_seen(runtime: EditRuntime, word: str) -> bool:
    """Whether the running ranking finds ``word`` in m-boras' own words."""
    ranked = runtime.matchmaker.rank(DesignerRequest(text=word, limit=10), today=TODAY.date())
    found = [m for m in ranked.matches if m.maker_id == "m-boras"]
    return bool(found) and any(w.maker_word == word for w in found[0].explanation.words)


async def _maker(runtime: EditRuntime) -> Maker:
    async with runtime.hub_desk.sessions() as session:
        maker = await get_maker_by_external_id(session=session, external_id="m-boras")
    assert maker is not None
    return maker


async def _outbox(runtime: EditRuntime, kind: str) -> list[Outbox]:
    async with runtime.hub_desk.sessions() as session:
        rows = await session.exec(
            select(Outbox).where(col(Outbox.kind) == kind).order_by(col(Outbox.id))
        )
        return list(rows.all())


async def _changes(runtime: EditRuntime) -> list[MakerListingChange]:
    async with runtime.hub_desk.sessions() as session:
        rows = await session.exec(select(MakerListingChange).order_by(col(MakerListingChange.id)))
        return list(rows.all())


def _buttons(payload: dict[str, Any]) -> dict[str, str]:
    """The outbox message's buttons, label → data."""
    rows = payload.get("buttons") or []
    assert isinstance(rows, list)
    return {button["label"]: button["data"] for row in rows for button in row}


def _keyboard(markup: Any) -> list[dict[str, Any]]:
    value = json.loads(markup) if isinstance(markup, str) else markup
    if hasattr(value, "to_dict"):
        value = value.to_dict()
    return [button for row in value["inline_keyboard"] for button in row]


def _texts_to(request: RecordingRequest, chat_id: int) -> list[str]:
    return [
        str(c.params.get("text") or c.params.get("caption"))
        for c in request.sent()
        if int(c.params["chat_id"]) == chat_id
    ]


def _toasts(request: RecordingRequest) -> list[str | None]:
    return [c.params.get("text") for c in request.sent("answerCallbackQuery")]


async def _propose_equipment(app: Any, request: RecordingRequest, text: str) -> None:
    """Maja opens /profile, presses the equipment button and types the new text."""
    await feed(app, MAJA.command("profile"))
    (markup,) = [
        c.params.get("reply_markup")
        for c in request.sent()
        if int(c.params["chat_id"]) == MAJA.user_id
    ][-1:]
    label = SV("profile.edit_button", field=SV.plain("field.equipment"))
    (button,) = [b for b in _keyboard(markup) if b["text"] == label]
    await feed(app, MAJA.press(button["callback_data"]))
    await feed(app, MAJA.message(text=text))


async def test_an_approved_edit_reaches_the_ranking_only_after_the_coordinator_approves(
    runtime: EditRuntime,
) -> None:
    assert not _equipment_seen(runtime, "kantpress")
    async with running_bot(runtime) as (app, request):
        await _propose_equipment(app, request, "kantpress 100 t, fiberlaser")

        # Submitted: the hub has old → new with two buttons; the listing is as it was.
        (notice,) = await _outbox(runtime, "listing_change")
        assert notice.chat_id == KARIN.user_id  # no group bound: the coordinator's own chat
        assert "kantpress 100 t, fiberlaser" in str(notice.payload["text"])
        assert SV.plain("field.equipment") in str(notice.payload["text"])
        buttons = _buttons(notice.payload)
        approve = buttons[SV.plain("change.button.approve")]
        assert approve.startswith(DECIDE_PREFIX) and len(approve.encode()) <= 64
        assert (await _maker(runtime)).equipment == ""
        assert not _equipment_seen(runtime, "kantpress")
        assert _texts_to(request, MAJA.user_id)[-1] == SV(
            "edit.sent", field=SV.plain("field.equipment")
        )

        await feed(app, KARIN.press(approve))

    assert (await _maker(runtime)).equipment == "kantpress 100 t, fiberlaser"
    assert _equipment_seen(runtime, "kantpress")  # at once: no reload of the index
    (change,) = await _changes(runtime)
    assert (change.status, change.decided_by) == (ListingChangeStatus.APPROVED, KARIN.user_id)
    assert _texts_to(request, KARIN.user_id)[-1] == SV(
        "change.approved", field=SV.plain("field.equipment"), name="Verkstad m-boras"
    )
    (told,) = await _outbox(runtime, "listing_change_decided")
    assert told.chat_id == MAJA.user_id and "kantpress" in str(told.payload["text"])
    assert runtime.dialogue.seen == []  # nothing of it reached the designer dialogue


async def test_a_rejected_edit_never_reaches_the_ranking_and_the_maker_is_told(
    runtime: EditRuntime,
) -> None:
    async with running_bot(runtime) as (app, request):
        await _propose_equipment(app, request, "kantpress 100 t")
        (notice,) = await _outbox(runtime, "listing_change")
        buttons = _buttons(notice.payload)
        await feed(app, KARIN.press(buttons[SV.plain("change.button.reject")]))
        await feed(app, KARIN.press(buttons[SV.plain("change.button.approve")]))  # too late

    assert _toasts(request)[-1] == SV.plain("change.press.decided")
    assert (await _maker(runtime)).equipment == ""
    assert not _equipment_seen(runtime, "kantpress")
    (change,) = await _changes(runtime)
    assert change.status == ListingChangeStatus.REJECTED
    (told,) = await _outbox(runtime, "listing_change_decided")
    assert told.chat_id == MAJA.user_id
    assert told.payload["text"] == SV(
        "change.maker_rejected", field=SV.plain("field.equipment"), name="Verkstad m-boras"
    )


@pytest.mark.parametrize("who", ["stranger", "the maker", "another maker", "another hub"])
async def test_only_a_coordinator_of_the_makers_hub_can_approve(
    runtime: EditRuntime, caplog: pytest.LogCaptureFixture, who: str
) -> None:
    caplog.set_level(logging.INFO)
    person = {"stranger": SAM, "the maker": MAJA, "another maker": OLLE, "another hub": SKANE}[who]
    async with running_bot(runtime) as (app, request):
        await _propose_equipment(app, request, "kantpress 100 t")
        (notice,) = await _outbox(runtime, "listing_change")
        approve = _buttons(notice.payload)[SV.plain("change.button.approve")]
        await feed(app, person.press(approve))
        await feed(app, person.press(f"{DECIDE_PREFIX}forged-token:a"))

    refused = ProfileTexts(language_for(person.language_code))
    assert _toasts(request)[-2:] == [
        refused.plain("change.press.not_allowed"),
        refused.plain("change.press.unknown"),
    ]
    assert (await _maker(runtime)).equipment == ""
    assert not _equipment_seen(runtime, "kantpress")
    (change,) = await _changes(runtime)
    assert change.status == ListingChangeStatus.PENDING
    refusals = [r.getMessage() for r in caplog.records if r.getMessage().startswith("refused")]
    assert any(f"listing_decision for user {person.user_id}" in r for r in refusals)
    assert not any("kantpress" in r for r in refusals)  # what was written is never logged


async def test_the_admin_may_decide_for_any_hub(runtime: EditRuntime) -> None:
    async with running_bot(runtime) as (app, request):
        await _propose_equipment(app, request, "kantpress 100 t")
        (notice,) = await _outbox(runtime, "listing_change")
        await feed(app, ADMIN.press(_buttons(notice.payload)["✅ Godkänn"]))
    assert _equipment_seen(runtime, "kantpress")


async def test_only_the_listings_own_maker_can_start_an_edit(
    runtime: EditRuntime, caplog: pytest.LogCaptureFixture
) -> None:
    maker = await _maker(runtime)
    assert maker.id is not None
    data = edit_data(maker.id, ListingField.EQUIPMENT)
    async with running_bot(runtime) as (app, request):
        await feed(app, OLLE.press(data))
        await feed(app, OLLE.message(text="kantpress"))  # no edit open: the dialogue's
    assert _toasts(request) == [ProfileTexts("en").plain("edit.not_yours")]
    assert await _changes(runtime) == []
    assert len(runtime.dialogue.seen) == 1


async def test_a_value_that_cannot_be_read_is_asked_for_again(runtime: EditRuntime) -> None:
    maker = await _maker(runtime)
    assert maker.id is not None
    async with running_bot(runtime) as (app, request):
        await feed(app, MAJA.press(edit_data(maker.id, ListingField.LEAD_TIME)))
        await feed(app, MAJA.message(text="snabbt"))
        await feed(app, MAJA.message(text="ca 3 veckor"))
    texts = _texts_to(request, MAJA.user_id)
    assert texts[1] == SV("edit.bad.lead_time", value="snabbt", detail="")
    assert texts[2] == SV("edit.sent", field=SV.plain("field.lead_time"))
    (change,) = await _changes(runtime)
    assert change.changes == {"lead_time": {"old": None, "new": 21}}
    assert change.status == ListingChangeStatus.PENDING
    assert (await _maker(runtime)).lead_time_days is None


async def test_a_newer_proposal_replaces_the_unanswered_one(runtime: EditRuntime) -> None:
    async with running_bot(runtime) as (app, request):
        await _propose_equipment(app, request, "kantpress 100 t")
        await _propose_equipment(app, request, "fiberlaser 6 kW")
        first, second = await _outbox(runtime, "listing_change")
        await feed(app, KARIN.press(_buttons(first.payload)["✅ Godkänn"]))
        await feed(app, KARIN.press(_buttons(second.payload)["✅ Godkänn"]))
    assert _toasts(request)[-2] == SV.plain("change.press.superseded")
    assert (await _maker(runtime)).equipment == "fiberlaser 6 kW"
    assert [c.status for c in await _changes(runtime)] == [
        ListingChangeStatus.SUPERSEDED,
        ListingChangeStatus.APPROVED,
    ]


async def test_profile_shows_the_new_fields_and_what_waits_for_the_hub(
    runtime: EditRuntime,
) -> None:
    async with running_bot(runtime) as (app, request):
        await _propose_equipment(app, request, "kantpress 100 t")
        await feed(app, MAJA.command("profile"))
    profile = _texts_to(request, MAJA.user_id)[-1]
    assert SV("profile.field", field=SV.plain("field.lead_time"), value="–") in profile
    assert (
        SV("profile.pending", field=SV.plain("field.equipment"), new="kantpress 100 t") in profile
    )


async def test_photos_from_the_maker_wait_for_approval_and_then_show_with_the_card(
    runtime: EditRuntime,
) -> None:
    maker = await _maker(runtime)
    assert maker.id is not None
    async with running_bot(runtime) as (app, request):
        await feed(app, MAJA.press(edit_data(maker.id, ListingField.PHOTOS)))
        for _ in range(4):  # the fourth does not fit
            await feed(app, MAJA.photo())
        await feed(app, MAJA.press("mk:draft:done"))
        assert runtime.matchmaker.index.get("m-boras").photos == ()  # type: ignore[union-attr]
        photos = await _outbox(runtime, "listing_change")
        *shown, notice = photos
        assert [p.payload["photo_file_id"] for p in shown] == ["photo-1280"] * 3
        await feed(app, KARIN.press(_buttons(notice.payload)["✅ Godkänn"]))
    texts = _texts_to(request, MAJA.user_id)
    assert texts[-2] == SV("edit.photos_full", max=3)
    listing = runtime.matchmaker.index.get("m-boras")
    assert listing is not None and listing.photos == ("photo-1280",) * 3
    assert (await _maker(runtime)).photos == ["photo-1280"] * 3


async def test_a_coordinator_adds_photos_from_the_desk_without_asking_anyone(
    runtime: EditRuntime,
) -> None:
    maker = await _maker(runtime)
    assert maker.id is not None
    async with running_bot(runtime) as (app, request):
        await feed(app, KARIN.command("maker", "m-boras"))
        (card_markup,) = [
            c.params.get("reply_markup")
            for c in request.sent()
            if int(c.params["chat_id"]) == KARIN.user_id
        ]
        photos_button = _keyboard(card_markup)[-1]
        assert photos_button["callback_data"] == edit_data(maker.id, ListingField.PHOTOS)
        await feed(app, KARIN.press(photos_button["callback_data"]))
        await feed(app, KARIN.photo())
        await feed(app, KARIN.press("mk:draft:done"))
    assert await _outbox(runtime, "listing_change") == []
    listing = runtime.matchmaker.index.get("m-boras")
    assert listing is not None and listing.photos == ("photo-1280",)
    assert _texts_to(request, KARIN.user_id)[-1] == SV(
        "edit.applied", field=SV.plain("field.photos"), name="Verkstad m-boras"
    )


async def test_an_edit_left_open_too_long_lets_the_next_message_go_to_the_dialogue(
    runtime: EditRuntime, monkeypatch: pytest.MonkeyPatch
) -> None:
    maker = await _maker(runtime)
    assert maker.id is not None
    async with running_bot(runtime) as (app, _request):
        await feed(app, MAJA.press(edit_data(maker.id, ListingField.LEAD_TIME)))
        later = TODAY + DRAFT_LIFETIME + timedelta(minutes=1)
        monkeypatch.setattr("bot.telegram.context.utcnow", lambda: later)
        await feed(app, MAJA.message(text="3 veckor"))
    assert len(runtime.dialogue.seen) == 1
    (draft,) = await _changes(runtime)
    assert draft.status == ListingChangeStatus.DRAFT  # never submitted


async def test_an_english_speaking_maker_edits_in_english_and_the_hub_reads_swedish(
    runtime: EditRuntime,
) -> None:
    en = ProfileTexts("en")
    async with runtime.hub_desk.sessions() as session:
        other = await get_maker_by_external_id(session=session, external_id="m-other")
    assert other is not None and other.id is not None
    async with running_bot(runtime) as (app, request):
        await feed(app, OLLE.press(edit_data(other.id, ListingField.MIN_ORDER)))
        await feed(app, OLLE.message(text="from 50 pcs"))
        (notice,) = await _outbox(runtime, "listing_change")
        await feed(app, KARIN.press(_buttons(notice.payload)["✅ Godkänn"]))
    prompt, sent = _texts_to(request, OLLE.user_id)
    assert prompt.startswith("What is the smallest order")
    assert sent == en("edit.sent", field=en.plain("field.min_order"))
    assert f"<b>{SV.plain('field.min_order')}</b>: – → 50 st" in str(notice.payload["text"])
    listing = runtime.matchmaker.index.get("m-other")
    assert listing is not None and listing.min_order == 50
