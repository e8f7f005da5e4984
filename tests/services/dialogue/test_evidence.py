"""Matches a coordinator would sign, as a designer meets them in the dialogue (demo catalogue).

Every card carries its evidence; fits are makers whose own listing shows what was asked;
weaker candidates are labelled; "nobody does this" is said when true; a strong maker just
outside the distance is named; what the description says is not asked again.
"""

from __future__ import annotations

import re

import pytest

from services.dialogue.engine import DesignerDialogue
from services.dialogue.texts import Texts
from tests.services.dialogue.driver import Designer, skip_deadline_and_budget

SV = Texts("sv")
_CARD = re.compile(r"^<b>(\d+)\. ([^<]+)</b>")


async def to_describe(designer: Designer) -> None:
    await designer.command("start")
    for answer in ("Anna Svensson", "Studio Anna AB", "anna@example.se"):
        await designer.say(answer)
    await designer.press_key(SV, "button.skip")
    assert (await designer.press_key(SV, "button.accept")).step == "describe"


async def search(designer: Designer, text: str, place: str, radius: str = "radius.100") -> str:
    """Describe, answer what is asked (a prototype, no quantity), search; the step reached."""
    await to_describe(designer)
    await designer.say(text)
    step = (await designer.press_key(SV, "button.continue")).step
    if step == "volume":
        await designer.press_key(SV, "volume.prototype")
        step = (await designer.press_key(SV, "button.skip")).step
    if step == "location":
        step = (await designer.say(place)).step
    assert step == "radius"
    assert (await designer.press_key(SV, radius)).step == "deadline"
    assert (await skip_deadline_and_budget(designer, SV)).step == "summary"
    return (await designer.press_key(SV, "button.search")).step


def cards(text: str) -> list[tuple[str, str]]:
    """(maker name, card text) for every numbered card in the results."""
    found = []
    for chunk in text.split("\n\n"):
        match = _CARD.match(chunk)
        if match:
            found.append((match.group(2).strip(), chunk))
    return found


def fits(text: str) -> list[str]:
    """The makers presented as fits: the cards before the weaker candidates' heading."""
    best = text.split(SV("results.maybe_header"))[0]
    if SV("results.none_fit") in best:
        return []
    return [name for name, _ in cards(best)]


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("bronsgjutning av en skulptur", "gbg"),
        ("keramik muggar", "Göteborg"),
        ("stickade mössor i ull", "Borås"),
        ("laserskurna plåtdetaljer i rostfritt stål", "Göteborg"),
        ("ett ekbord i massivt trä", "Skövde"),
        ("skrov till en båt i glasfiber", "Göteborg"),
    ],
)
async def test_no_card_without_evidence(dialogue: DesignerDialogue, text: str, place: str) -> None:
    designer = Designer(dialogue)
    assert await search(designer, text, place) == "results"
    shown = cards(designer.text)
    assert shown
    for name, card in shown:
        evidence = [line for line in card.splitlines() if line.startswith(("✓", "≈"))]
        # The volume line alone is no evidence of the work.
        work = [
            line for line in evidence if line not in (SV("volume_fit.match"), SV("volume_fit.near"))
        ]
        assert work, (name, card)


async def test_bronze_casting_in_gbg_shows_no_leather_workshop_and_names_the_foundry(
    dialogue: DesignerDialogue,
) -> None:
    designer = Designer(dialogue)
    assert await search(designer, "bronsgjutning av en skulptur", "gbg") == "results"
    names = [name for name, _ in cards(designer.text)]
    assert "Sadelgjorden Läder" not in names
    assert "Vänerporslin Ateljé" not in names  # its "koppar" are cups
    assert fits(designer.text) == []  # nobody within 100 km casts bronze ...
    assert SV("results.none_fit") in designer.text
    # ... but the foundry in Tidaholm, 129 km away, is named, and can be taken along.
    beyond = SV("results.beyond", name="Formsand Gjuteri", town="Tidaholm", km="129", words="x")
    assert beyond.split("x")[0].split("–")[0] in designer.text
    assert "Formsand Gjuteri" in designer.text and "129 km" in designer.text
    assert SV("button.widen") in [b.label for b in designer.buttons]
    assert SV("button.unmet") in [b.label for b in designer.buttons]
    await designer.press(SV("button.beyond", name="Formsand Gjuteri"))
    assert SV("results.selected", count=1, names="Formsand Gjuteri") in designer.text
    assert designer.last.step == "results"


async def test_ceramic_mugs_show_no_wood_shop_or_weaver_as_a_fit(
    dialogue: DesignerDialogue,
) -> None:
    designer = Designer(dialogue)
    assert await search(designer, "keramik muggar", "Göteborg") == "results"
    best = fits(designer.text)
    assert best and "Keramikstudion Kålltorp" in best
    for name in best:
        assert not any(word in name for word in ("Trä", "Väv", "Snickeri", "Äppelträ")), name


async def test_a_glass_fibre_hull_gets_an_honest_nobody(dialogue: DesignerDialogue) -> None:
    designer = Designer(dialogue)
    step = await search(designer, "skrov till en båt i glasfiber", "Göteborg")
    assert step in ("results", "no_match")
    assert fits(designer.text) == []
    assert SV("results.none_fit") in designer.text or SV("no_match.text") in designer.text
    assert "Resåren Tapetseri" not in fits(designer.text)  # its "skumplast" is no plastic


async def test_koppar_on_a_porcelain_listing_is_not_copper(dialogue: DesignerDialogue) -> None:
    designer = Designer(dialogue)
    assert await search(designer, "gjutna detaljer i koppar", "Lidköping") in (
        "results",
        "no_match",
    )
    assert "Vänerporslin Ateljé" not in [name for name, _ in cards(designer.text)]


async def test_quantity_and_place_in_the_description_are_not_asked_again(
    dialogue: DesignerDialogue,
) -> None:
    designer = Designer(dialogue)
    await to_describe(designer)
    await designer.say("20 st stolar i ek, gärna nära Skövde")
    # Neither the volume, the quantity nor the place is asked: straight to the distance.
    assert (await designer.press_key(SV, "button.continue")).step == "radius"
    assert (await designer.press_key(SV, "radius.100")).step == "deadline"
    assert (await skip_deadline_and_budget(designer, SV)).step == "summary"
    summary = designer.text
    assert SV("summary.quantity", volume=SV("volume.pilot"), quantity=20) in summary
    assert "Skövde" in summary and SV("summary.from_text") in summary
    # Editing the description updates what it says.
    await designer.press_key(SV, "button.edit_text")
    await designer.say("30 st stolar i ek, första serie, nära Skövde")
    assert (await designer.press_key(SV, "button.continue")).step == "summary"
    assert SV("summary.quantity", volume=SV("volume.pilot"), quantity=30) in designer.text
    await designer.press_key(SV, "button.edit_text")
    await designer.say("ett unikat i ek")
    assert (await designer.press_key(SV, "button.continue")).step == "summary"
    assert SV("volume.prototype") in designer.text and "30" not in designer.text
    assert SV("summary.not_given") not in designer.text.split(SV("volume.prototype"))[0][-40:]
    assert (await designer.press_key(SV, "button.search")).step == "results"


async def test_cards_carry_town_what_the_maker_does_and_website(
    dialogue: DesignerDialogue,
) -> None:
    designer = Designer(dialogue)
    assert await search(designer, "stickade mössor i ull", "Borås") == "results"
    name, card = cards(designer.text)[0]
    assert name == "Maskstickeriet" and "· Ulricehamn" in card
    assert "Flatstickeri med moderna stickmaskiner" in card
    assert "https://example.se/maskstickeriet" in card
    assert "✓ Stickning" in card
