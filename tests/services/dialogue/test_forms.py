"""Forms that forgive: skip words, Luhn-checked org numbers (and personnummer never stored),
email typo suggestions, names that are contact details, an optional company and a long brief
that is kept, through DesignerDialogue.handle on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.dialogue.engine import DesignerDialogue
from services.dialogue.forms import (
    OrgNumberCheck,
    contact_in_name,
    is_skip,
    read_org_number,
    suggest_email,
)
from services.dialogue.texts import Texts
from storage.models import Conversation, MatchRequest
from storage.models import Designer as DesignerRow
from tests.services.dialogue.driver import Designer, ask_introductions, skip_deadline_and_budget

SV, EN = Texts("sv"), Texts("en")
# What people write to skip an optional question, and the skip buttons' own words.
SKIP_WORDS = [
    "nej", "Nej tack", "hoppa över", "Hoppa över.", "skippa", "inget", "vet inte",
    "-", "–", "skip", "Skip", "none", "no", "n/a",
]  # fmt: skip


async def _rows(session_maker: async_sessionmaker[AsyncSession], model: type) -> list:
    async with session_maker() as session:
        return list((await session.exec(select(model))).all())


async def _to_company(designer: Designer) -> None:
    assert (await designer.command("start")).step == "name"
    assert (await designer.say("Anna Svensson")).step == "company"


async def _consented(designer: Designer) -> None:
    await _to_company(designer)
    for answer in ("Studio Anna AB", "anna@example.se"):
        await designer.say(answer)
    await designer.press_key(SV, "button.skip")
    assert (await designer.press_key(SV, "button.accept")).step == "describe"


# -- the pure readers ------------------------------------------------------------------------


def test_skip_words_and_only_skip_words_skip() -> None:
    for word in SKIP_WORDS:
        assert is_skip(word), word
    for answer in ("Nejlika Design AB", "Ingenjörsbyrån", "556677-8899", "200", "Borås", "a"):
        assert not is_skip(answer), answer
    assert is_skip("hoppa över – hela sverige", SV("button.all_sweden"))


@pytest.mark.parametrize(
    ("text", "check", "number"),
    [
        ("556677-8899", OrgNumberCheck.VALID, "556677-8899"),
        ("5566778899", OrgNumberCheck.VALID, "556677-8899"),
        ("16556677-8899", OrgNumberCheck.VALID, "556677-8899"),
        ("556677-8890", OrgNumberCheck.CHECK_DIGIT, None),  # the wrong check digit
        ("811218-9876", OrgNumberCheck.PERSONAL, None),  # a personnummer (valid Luhn)
        ("811218-9870", OrgNumberCheck.PERSONAL, None),  # person-shaped, never stored either
        ("19811218-9876", OrgNumberCheck.PERSONAL, None),
        ("811278-9876", OrgNumberCheck.PERSONAL, None),  # samordningsnummer (day + 60)
        ("55667788", OrgNumberCheck.SHAPE, None),
        ("551377-8899", OrgNumberCheck.SHAPE, None),  # "month" 13: neither kind
    ],
)
def test_org_numbers_are_read_with_their_luhn_digit(
    text: str, check: OrgNumberCheck, number: str | None
) -> None:
    reading = read_org_number(text)
    assert (reading.check, reading.number) == (check, number)


@pytest.mark.parametrize(
    ("email", "suggestion"),
    [
        ("anna@gmial.con", "anna@gmail.com"),
        ("anna@gmail.se", "anna@gmail.com"),
        ("anna@hotmial.com", "anna@hotmail.com"),
        ("anna@outlok.se", "anna@outlook.se"),
        ("anna@studio.con", "anna@studio.com"),
        ("anna@gmail.com", None),
        ("anna@hotmail.se", None),
        ("anna@example.se", None),
        ("anna@studio-anna.se", None),
    ],
)
def test_likely_email_typos_get_a_suggestion(email: str, suggestion: str | None) -> None:
    assert suggest_email(email) == suggestion


def test_names_that_are_contact_details_are_noticed() -> None:
    assert contact_in_name("070-174 06 05") == "phone"
    assert contact_in_name("+46 70 174 06 05") == "phone"
    assert contact_in_name("anna@example.se") == "email"
    for name in ("Anna Svensson", "Anna-Karin Öberg", "Studio 54"):
        assert contact_in_name(name) is None, name


# -- in the dialogue -------------------------------------------------------------------------


async def test_every_skip_word_skips_every_optional_profile_step(
    dialogue: DesignerDialogue, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    designer = Designer(dialogue)
    for word in [*SKIP_WORDS, SV("button.skip"), EN("button.skip")]:
        await _to_company(designer)
        assert (await designer.say(word)).step == "contact", word
        assert (await designer.say("anna@example.se")).step == "org_number"
        assert (await designer.say(word)).step == "consent", word
        assert (await designer.command("cancel")).step == "start"
    await _to_company(designer)
    await designer.say("nej")  # no company: students and freelancers are welcome
    await designer.say("070-174 06 05")
    await designer.say("hoppa över")
    await designer.press_key(SV, "button.accept")
    (row,) = await _rows(session_maker, DesignerRow)
    assert (row.name, row.company, row.phone, row.org_number) == (
        "Anna Svensson",
        None,
        "070-174 06 05",
        None,
    )


async def test_every_skip_word_skips_quantity_place_deadline_and_budget(
    dialogue: DesignerDialogue,
) -> None:
    designer = Designer(dialogue)
    await _consented(designer)
    for word in [*SKIP_WORDS, SV("button.skip")]:
        assert (await designer.say("ekbord")).step == "capabilities"
        await designer.press_key(SV, "button.continue")
        assert (await designer.press_key(SV, "volume.prototype")).step == "quantity"
        assert (await designer.say(word)).step == "location", word
        outcome = await designer.say(word)
        assert outcome.step == "deadline", word
        assert outcome.replies[0].remove_keyboard  # the "share location" keyboard goes away
        assert (await designer.say(word)).step == "budget", word  # the deadline skipped
        assert (await designer.say(word)).step == "summary", word  # and the budget
        assert SV("radius.all") in designer.text
        assert (await designer.command("new")).step == "describe"


async def test_an_org_number_is_luhn_checked_and_a_personnummer_is_never_stored(
    dialogue: DesignerDialogue, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    designer = Designer(dialogue)
    await _to_company(designer)
    await designer.say("Studio Anna AB")
    await designer.say("anna@example.se")
    outcome = await designer.say("556677-8890")
    assert outcome.step == "org_number" and SV("org_number.check_digit") in designer.text
    outcome = await designer.say("811218-9876")
    assert outcome.step == "org_number" and SV("org_number.personal") in designer.text
    (conversation,) = await _rows(session_maker, Conversation)
    assert "8112189876" not in json.dumps(conversation.data).replace("-", "")
    assert (await designer.say("556677 - 8899")).step == "consent"
    await designer.press_key(SV, "button.accept")
    (row,) = await _rows(session_maker, DesignerRow)
    assert row.org_number == "556677-8899"


@pytest.mark.parametrize("accept", [True, False])
async def test_a_mistyped_email_domain_gets_a_did_you_mean(
    dialogue: DesignerDialogue, session_maker: async_sessionmaker[AsyncSession], accept: bool
) -> None:
    designer = Designer(dialogue)
    await _to_company(designer)
    await designer.say("Studio Anna AB")
    outcome = await designer.say("anna@gmial.con, 070-174 06 05")
    assert outcome.step == "contact"
    assert SV("contact.suggest", suggestion="anna@gmail.com", email="anna@gmial.con") in (
        designer.text
    )
    if accept:
        await designer.press(SV("button.email_suggested", email="anna@gmail.com"))
    else:
        await designer.press(SV("button.email_typed", email="anna@gmial.con"))
    assert designer.last.step == "org_number"
    await designer.press_key(SV, "button.skip")
    await designer.press_key(SV, "button.accept")
    (row,) = await _rows(session_maker, DesignerRow)
    assert row.email == ("anna@gmail.com" if accept else "anna@gmial.con")
    assert row.phone == "070-174 06 05"


async def test_a_mistyped_email_can_simply_be_typed_again(dialogue: DesignerDialogue) -> None:
    designer = Designer(dialogue)
    await _to_company(designer)
    await designer.say("Studio Anna AB")
    assert (await designer.say("anna@hotmial.com")).step == "contact"
    assert (await designer.say("anna@hotmail.com")).step == "org_number"


@pytest.mark.parametrize(
    ("typed", "key"),
    [("070-174 06 05", "name.looks_like_phone"), ("anna@example.se", "name.looks_like_email")],
)
async def test_a_name_that_is_contact_details_is_questioned(
    dialogue: DesignerDialogue, typed: str, key: str
) -> None:
    designer = Designer(dialogue)
    await designer.command("start")
    outcome = await designer.say(typed)
    assert outcome.step == "name" and SV(key) in designer.text
    assert (await designer.say("Anna Svensson")).step == "company"


async def test_a_long_brief_up_to_telegrams_limit_is_taken_whole(
    dialogue: DesignerDialogue, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    designer = Designer(dialogue)
    await _consented(designer)
    brief = ("Ett matbord i massiv ek med utdragsskivor, oljad yta och svarvade ben. " * 60)[:4000]
    assert (await designer.say(brief)).step == "capabilities"
    await designer.press_key(SV, "button.continue")
    await designer.press_key(SV, "volume.prototype")
    await designer.press_key(SV, "button.skip")
    await designer.press_key(SV, "button.all_sweden")
    await skip_deadline_and_budget(designer, SV)
    await designer.press_key(SV, "button.search")
    if designer.last.step == "results":
        await designer.press("1. ")
        await ask_introductions(designer, SV, 1)
    else:
        await designer.press_key(SV, "button.unmet")
    (request,) = await _rows(session_maker, MatchRequest)
    assert request.text == brief.strip()


async def test_a_brief_over_the_limit_is_kept_and_can_be_shortened(
    dialogue: DesignerDialogue, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    designer = Designer(dialogue)
    await _consented(designer)
    sentence = "Stickade mössor i merinoull med broderad logga och vikt kant. "
    brief = (sentence * 100).strip()  # 6,000+ characters, pasted into the terminal
    outcome = await designer.say(brief)
    assert outcome.step == "describe"
    assert SV("describe.too_long", length=len(brief), limit=4096) in designer.text
    # A restart, a stray sticker: the text is still there, and so is the way on.
    assert (await designer.command("start")).step == "describe"
    await designer.press(SV("button.shorten", limit=4096))
    assert designer.last.step == "capabilities"
    (conversation,) = await _rows(session_maker, Conversation)
    kept = conversation.data["request"]["text"]
    assert brief.startswith(kept) and 3200 < len(kept) <= 4096 and kept.endswith("kant.")
