"""The designer's journey through DesignerDialogue.handle, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.dialogue.engine import DesignerDialogue
from services.dialogue.flow import CONSENT_VERSION
from services.dialogue.texts import Texts
from services.matchmaking import Matchmaker
from storage.models import Conversation, Introduction, MatchRequest
from storage.models import Designer as DesignerRow
from tests.services.dialogue.driver import (
    FIXED_NOW,
    Designer,
    ask_introductions,
    journey_to_results,
    skip_deadline_and_budget,
)


async def _rows(session_maker: async_sessionmaker[AsyncSession], model: type) -> list:
    async with session_maker() as session:
        return list((await session.exec(select(model))).all())


@pytest.mark.parametrize(
    ("language_code", "language", "text", "place"),
    [
        ("sv-SE", "sv", "stickade mössor i ull", "Borås"),
        ("en-GB", "en", "knitted wool hats", "Boras"),
    ],
)
async def test_the_whole_journey_to_introductions(
    dialogue: DesignerDialogue,
    session_maker: async_sessionmaker[AsyncSession],
    language_code: str,
    language: str,
    text: str,
    place: str,
) -> None:
    texts = Texts(language)
    designer = Designer(dialogue, language_code=language_code)
    await journey_to_results(designer, texts, text=text, place=place)
    assert texts("results.header", first=1, last=5, total=0).split("(")[0] in designer.text
    assert "km" in designer.text  # every maker says how far away it is
    await designer.press("1. ")
    await designer.press("2. ")
    outcome = await designer.press(texts("button.ask", count=2))
    assert outcome.step == "nudge"  # no deadline, no drawing: named once, then sent anyway
    outcome = await designer.press(texts("button.send_anyway", count=2))
    assert outcome.step == "idle"

    (row,) = await _rows(session_maker, DesignerRow)
    assert (row.name, row.company, row.email, row.phone) == (
        "Anna Svensson",
        "Studio Anna AB",
        "anna@example.se",
        "070-174 06 05",
    )
    assert (row.consent_version, row.consent_at, row.language) == (
        CONSENT_VERSION,
        FIXED_NOW,
        language,
    )
    (request,) = await _rows(session_maker, MatchRequest)
    assert request.designer_id == row.id and request.status == "submitted"
    assert request.text == text
    assert "textile" in request.materials and "knitting" in request.processes
    assert (request.volume_stage, request.quantity, request.radius_km) == ("pilot", 200, 100)
    assert request.municipality_code == "1490" and request.place_name == "Borås"
    assert request.lat is not None and request.county_code is None
    introductions = await _rows(session_maker, Introduction)
    assert len(introductions) == 2
    assert {i.status for i in introductions} == {"brief_sent"}  # submit_request sent the briefs
    assert {i.request_id for i in introductions} == {request.id}

    await designer.command("myrequests")
    assert texts("status.submitted") in designer.text

    await designer.command("language")
    other = "en" if language == "sv" else "sv"
    await designer.press("English" if other == "en" else "Svenska")
    assert Texts(other)("idle.prompt") in designer.text
    (row,) = await _rows(session_maker, DesignerRow)
    assert row.language == other


async def test_toggles_added_material_photo_edits_and_county(
    dialogue: DesignerDialogue, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    texts = Texts("sv")
    designer = Designer(dialogue)
    await designer.command("start")
    for answer in ("Anna", "Studio", "070-174 06 05", "556677-8899"):
        await designer.say(answer)
    assert (await designer.press_key(texts, "button.accept")).step == "describe"
    assert (await designer.photo("photo-1", caption="")).step == "describe"
    assert (await designer.photo("photo-2", caption="lampskärm i glas")).step == "capabilities"
    assert "✓ Glas" in designer.text
    await designer.press("✓ Glas")
    assert "✗ Glas" in [b.label for b in designer.buttons]
    assert (await designer.press_key(texts, "button.add_material")).step == "add_material"
    assert (await designer.press("Metall")).step == "capabilities"
    assert "✓ Metall" in [b.label for b in designer.buttons]
    await designer.press_key(texts, "button.continue")
    assert (await designer.say("en småserie")).step == "quantity"
    await designer.press_key(texts, "button.skip")
    # A misspelt place offers candidates; a shared location maps to its municipality.
    assert (await designer.say("Göterborg")).step == "place_choice"
    assert (await designer.press_key(texts, "button.type_again")).step == "location"
    assert (await designer.location(57.72, 12.94)).step == "radius"
    await designer.press("Inom Västra Götalands län")
    assert designer.last.step == "deadline"
    assert (await skip_deadline_and_budget(designer, texts)).step == "summary"
    assert "(med bild)" in designer.text
    assert (await designer.press_key(texts, "button.edit_volume")).step == "volume"
    await designer.press_key(texts, "volume.prototype")
    assert (await designer.say("3")).step == "summary"  # an edit returns to the summary
    assert "ca 3 st" in designer.text
    assert (await designer.press_key(texts, "button.search")).step in ("results", "no_match")
    if designer.last.step == "results":
        await designer.press("1. ")
        await ask_introductions(designer, texts, 1)
    else:
        await designer.press_key(texts, "button.unmet")
    (request,) = await _rows(session_maker, MatchRequest)
    assert request.photo_file_id == "photo-2"
    assert request.materials == ["metal"] and request.county_code == "14"
    assert (request.volume_stage, request.quantity) == ("prototype", 3)
    (row,) = await _rows(session_maker, DesignerRow)
    assert row.org_number == "556677-8899" and row.email is None


@pytest.mark.parametrize(
    ("text", "after_widening"),
    [("stickade mössor i ull", "results"), ("qwzx blorfian vromp", "no_match")],
)
async def test_nothing_near_widen_or_send_to_the_hub(
    dialogue: DesignerDialogue,
    session_maker: async_sessionmaker[AsyncSession],
    text: str,
    after_widening: str,
) -> None:
    """Nobody within 25 km of Kiruna: the nearest maker that fits is named however far it is
    (knitwear); when nobody anywhere fits, the designer can widen or send it to the hub."""
    texts = Texts("en")
    designer = Designer(dialogue, language_code="en")
    await designer.command("start")
    for answer in ("Bo", "Bo Design", "bo@example.se"):
        await designer.say(answer)
    await designer.press_key(texts, "button.skip")
    await designer.press_key(texts, "button.accept")
    await designer.say(text)
    await designer.press_key(texts, "button.continue")
    await designer.press_key(texts, "volume.production")
    await designer.press_key(texts, "button.skip")
    await designer.say("Kiruna")
    await designer.press_key(texts, "radius.25")
    await skip_deadline_and_budget(designer, texts)
    if after_widening == "results":
        assert (await designer.press_key(texts, "button.search")).step == "results"
        assert texts("results.none_fit") in designer.text
        assert "Beyond your distance" in designer.text  # named, with its distance
        assert (await designer.press_key(texts, "button.widen")).step == "results"
        return
    assert (await designer.press_key(texts, "button.search")).step == "no_match"
    assert texts("no_match.text") in designer.text
    assert (await designer.press_key(texts, "button.widen")).step == after_widening
    assert texts("button.widen") not in [b.label for b in designer.buttons]
    assert (await designer.press_key(texts, "button.unmet")).step == "idle"
    (request,) = await _rows(session_maker, MatchRequest)
    assert request.status == "unmet" and request.radius_km is None
    assert await _rows(session_maker, Introduction) == []


async def test_show_more_refine_and_at_most_three(dialogue: DesignerDialogue) -> None:
    texts = Texts("sv")
    designer = Designer(dialogue)
    await journey_to_results(
        designer, texts, text="möbelsnickeri i trä", place="Göteborg", radius="radius.all"
    )
    first_page = [b.label for b in designer.buttons]
    await designer.press_key(texts, "button.more")
    assert "6. " in designer.text and first_page != [b.label for b in designer.buttons]
    for label in ("6. ", "7. ", "8. "):
        await designer.press(label)
    assert (await designer.press("9. ")).notice == texts("results.max", max=3)
    assert sum(b.label.startswith("✓") for b in designer.buttons) == 3
    await designer.press("✓ 6. ")
    assert sum(b.label.startswith("✓") for b in designer.buttons) == 2
    assert (await designer.press_key(texts, "button.refine")).step == "summary"


async def test_commands_at_any_time(
    dialogue: DesignerDialogue, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    texts = Texts("sv")
    designer = Designer(dialogue)
    await designer.command("start")
    assert (await designer.command("new")).step == "name"  # the profile comes first
    assert (await designer.command("language")).step == "language"
    assert (await designer.press("English")).step == "name"
    en = Texts("en")
    assert en("name.prompt") in designer.text
    await designer.command("language")
    await designer.press("Svenska")
    assert (await designer.command("cancel")).step == "start"
    assert (await designer.say("hej")).step == "name"
    for answer in ("Anna", "Studio", "anna@example.se"):
        await designer.say(answer)
    await designer.press_key(texts, "button.skip")
    await designer.press_key(texts, "button.accept")
    await designer.say("ekbord")
    assert (await designer.command("help")).step == "capabilities"
    assert "/myrequests" in designer.text
    assert (await designer.command("myrequests")).step == "capabilities"
    assert texts("myrequests.none") in designer.text
    assert (await designer.command("whatever")).step == "capabilities"
    assert (await designer.command("cancel")).step == "idle"
    assert (await designer.command("new")).step == "describe"
    assert (await designer.command("start")).step == "describe"
    assert texts("welcome_back") in designer.text
    # /privacy: what is stored, and erasing it after a confirmation.
    assert (await designer.command("privacy")).step == "privacy"
    assert (await designer.press_key(texts, "button.back")).step == "describe"
    await designer.command("privacy")
    assert (await designer.press_key(texts, "button.delete")).step == "delete_confirm"
    assert (await designer.press_key(texts, "button.delete_no")).step == "describe"
    await designer.command("privacy")
    await designer.press_key(texts, "button.delete")
    assert (await designer.press_key(texts, "button.delete_yes")).step == "start"
    assert await _rows(session_maker, DesignerRow) == []
    (conversation,) = await _rows(session_maker, Conversation)
    assert conversation.data["profile"] == {
        "name": None,
        "company": None,
        "email": None,
        "phone": None,
        "org_number": None,
    }


async def test_declining_consent_keeps_nothing(
    dialogue: DesignerDialogue, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    texts = Texts("sv")
    designer = Designer(dialogue)
    await designer.command("start")
    for answer in ("Anna", "Studio", "anna@example.se"):
        await designer.say(answer)
    await designer.press_key(texts, "button.skip")
    assert (await designer.press_key(texts, "button.decline")).step == "declined"
    assert await _rows(session_maker, DesignerRow) == []
    (conversation,) = await _rows(session_maker, Conversation)
    assert conversation.data["profile"]["name"] is None
    assert (await designer.press_key(texts, "button.start_again")).step == "name"


@pytest.mark.parametrize(
    "contact",
    ["anna@example", "070", "anna@example.se och en hund", "<script>", "x" * 300],
)
async def test_contact_details_are_checked(dialogue: DesignerDialogue, contact: str) -> None:
    designer = Designer(dialogue)
    await designer.command("start")
    await designer.say("Anna")
    await designer.say("Studio")
    assert (await designer.say(contact)).step == "contact"


async def test_user_text_is_escaped_for_telegram_html(dialogue: DesignerDialogue) -> None:
    texts = Texts("sv")
    designer = Designer(dialogue, first_name="<Anna & Co>")
    await designer.command("start")
    assert "&lt;Anna &amp; Co&gt;" in designer.text and "<Anna" not in designer.text
    for answer in ("Anna", "Studio", "anna@example.se"):
        await designer.say(answer)
    await designer.press_key(texts, "button.skip")
    await designer.press_key(texts, "button.accept")
    await designer.say("bord <i>ek</i> & *björk* `x`")
    await designer.press_key(texts, "button.continue")
    await designer.press_key(texts, "volume.prototype")
    await designer.press_key(texts, "button.skip")
    assert designer.last.replies[-1].ask_location
    # Leaving the location step by any way takes the "share location" keyboard away.
    assert (await designer.command("cancel")).replies[0].remove_keyboard
    await designer.command("new")
    await designer.say("bord <i>ek</i> & *björk* `x`")
    await designer.press_key(texts, "button.continue")
    await designer.press_key(texts, "volume.prototype")
    await designer.press_key(texts, "button.skip")
    outcome = await designer.press_key(texts, "button.all_sweden")
    assert outcome.step == "deadline" and outcome.replies[0].remove_keyboard
    await skip_deadline_and_budget(designer, texts)
    assert "bord &lt;i&gt;ek&lt;/i&gt; &amp; *björk* `x`" in designer.text


async def test_hub_notices_reach_the_admins_when_a_hub_has_nobody(
    session_maker: async_sessionmaker[AsyncSession], matchmaker: Matchmaker
) -> None:
    from storage.models import Outbox
    from tests.services.dialogue.driver import fixed_clock

    admin = 4_000_000_001
    dialogue = DesignerDialogue(session_maker, matchmaker, clock=fixed_clock, admin_ids=(admin,))
    texts = Texts("sv")
    designer = Designer(dialogue, language_code="sv")
    await journey_to_results(designer, texts, text="stickade mössor i ull", place="Borås")
    await designer.press("1. ")
    await ask_introductions(designer, texts, 1)
    notices = [row for row in await _rows(session_maker, Outbox) if row.chat_id == admin]
    assert notices  # the new-request notice went to the admin, not nowhere


async def test_skene_in_the_chat_is_skene_in_mark(dialogue: DesignerDialogue) -> None:
    # A place that exists is taken as typed: no "did you mean Skee?" (170 km away).
    texts = Texts("sv")
    designer = Designer(dialogue)
    assert (await designer.command("start")).step == "name"
    for answer in ("Anna", "Studio", "070-174 06 05"):
        await designer.say(answer)
    await designer.press_key(texts, "button.skip")
    assert (await designer.press_key(texts, "button.accept")).step == "describe"
    assert (await designer.say("vävda plädar i ull")).step == "capabilities"
    assert (await designer.press_key(texts, "button.continue")).step == "volume"
    assert (await designer.press_key(texts, "volume.pilot")).step == "quantity"
    assert (await designer.say("20")).step == "location"
    assert (await designer.say("Skene")).step == "radius"
    assert (await designer.press_key(texts, "radius.100")).step == "deadline"
    assert (await skip_deadline_and_budget(designer, texts)).step == "summary"
    assert "Skene" in designer.text and "Skee" not in designer.text
