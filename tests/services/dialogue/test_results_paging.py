"""The results as a list to browse: pages forward and back, stable numbers, picks kept across
pages, edits and new searches, one refusal for a fourth pick; on SQLite and PostgreSQL."""

from __future__ import annotations

import html
import re

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.dialogue.engine import DesignerDialogue
from services.dialogue.paging import window
from services.dialogue.texts import Texts
from storage.models import Introduction, Maker
from tests.services.dialogue.driver import (
    Designer,
    ask_introductions,
    journey_to_results,
    skip_deadline_and_budget,
)

SV = Texts("sv")
_CARD = re.compile(r"<b>(\d+)\. ([^<]+)</b>")


def _cards(designer: Designer) -> dict[int, str]:
    """The makers on screen by their number, from the cards."""
    return {int(number): html.unescape(name) for number, name in _CARD.findall(designer.text)}


def _picked(designer: Designer) -> list[str]:
    return [b.label for b in designer.buttons if b.label.startswith("✓")]


async def _results(designer: Designer) -> None:
    await journey_to_results(
        designer, SV, text="möbelsnickeri i trä", place="Göteborg", radius="radius.all"
    )


def test_a_page_past_what_fits_never_repeats_a_maker() -> None:
    assert (window(1, 9, 9).first, window(1, 9, 9).last) == (6, 9)  # not 5-9 (#5 again)
    assert (window(3, 12, 12).first, window(3, 12, 12).last) == (11, 12)  # past the end: last
    assert not window(0, 5, 5).has_next and not window(0, 5, 5).has_previous


async def test_paging_forward_and_back_keeps_every_number_on_its_maker(
    dialogue: DesignerDialogue,
) -> None:
    designer = Designer(dialogue)
    await _results(designer)
    first = _cards(designer)
    assert sorted(first) == [1, 2, 3, 4, 5]
    assert SV("results.header", first=1, last=5, total=0).split("(")[0] in designer.text
    assert SV("button.previous") not in [b.label for b in designer.buttons]
    await designer.press_key(SV, "button.more")
    second = _cards(designer)
    assert sorted(second) == [6, 7, 8, 9, 10]  # not 5-9, no maker twice
    assert not set(first.values()) & set(second.values())
    keys = [b.key for b in designer.buttons if b.key]
    assert keys == ["6", "7", "8", "9", "10"]  # the terminal offers these numbers, not 1-5
    assert [b.label.split(" ", 1)[1] for b in designer.buttons if b.key][1] == f"7. {second[7]}"
    await designer.press_key(SV, "button.more")
    assert min(_cards(designer)) == 11
    await designer.press_key(SV, "button.previous")
    assert _cards(designer) == second
    await designer.press_key(SV, "button.previous")
    assert _cards(designer) == first
    assert (await designer.command("start")).step == "results"  # a restart: the same page
    assert _cards(designer) == first


async def test_picks_are_kept_across_pages_and_a_typed_number_picks_that_maker(
    dialogue: DesignerDialogue,
) -> None:
    designer = Designer(dialogue)
    await _results(designer)
    names = _cards(designer)
    await designer.press("2. ")
    await designer.press_key(SV, "button.more")
    seventh = _cards(designer)[7]
    await designer.press("7. ")
    # Maker 2 is on page one, yet still picked, and can be taken back from here.
    assert _picked(designer) == [f"✓ 7. {seventh}", f"✓ 2. {names[2]}"]
    assert SV("button.ask", count=2) in [b.label for b in designer.buttons]
    await designer.press_key(SV, "button.previous")
    assert f"✓ 2. {names[2]}" in _picked(designer) and f"✓ 7. {seventh}" in _picked(designer)
    assert (await designer.say("4")).step == "results"  # typed: maker 4
    assert f"✓ 4. {names[4]}" in _picked(designer)
    assert (await designer.say("nr 4")).step == "results"  # typed again: taken back
    assert f"✓ 4. {names[4]}" not in _picked(designer)
    assert (await designer.say("99")).step == "results"
    assert SV("results.no_number", number=99) in designer.text


async def test_picks_are_kept_through_an_edit_and_a_new_search(
    dialogue: DesignerDialogue, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    designer = Designer(dialogue)
    await _results(designer)
    names = _cards(designer)
    await designer.press("1. ")
    await designer.press("3. ")
    assert (await designer.press_key(SV, "button.refine")).step == "summary"
    assert (await designer.press_key(SV, "button.edit_volume")).step == "volume"
    await designer.press_key(SV, "volume.prototype")
    assert (await designer.say("2")).step == "summary"
    assert (await designer.press_key(SV, "button.search")).step == "results"
    shown = "\n".join(_picked(designer)) + designer.text
    assert names[1] in shown and names[3] in shown
    assert SV("button.ask", count=2) in [b.label for b in designer.buttons]
    await ask_introductions(designer, SV, 2)
    async with session_maker() as session:
        asked = (
            await session.exec(select(Maker.name).join(Introduction))  # type: ignore[arg-type]
        ).all()
    assert sorted(asked) == sorted([names[1], names[3]])
    await designer.command("new")  # a new request starts with no picks
    await designer.say("möbelsnickeri i trä")
    await designer.press_key(SV, "button.continue")
    await designer.press_key(SV, "volume.prototype")
    await designer.press_key(SV, "button.skip")
    await designer.press_key(SV, "button.all_sweden")
    await skip_deadline_and_budget(designer, SV)
    await designer.press_key(SV, "button.search")
    assert _picked(designer) == []


async def test_a_fourth_pick_is_refused_once(dialogue: DesignerDialogue) -> None:
    designer = Designer(dialogue)
    await _results(designer)
    for label in ("1. ", "2. ", "3. "):
        await designer.press(label)
    outcome = await designer.press("4. ")
    refusal = SV("results.max", max=3)
    assert outcome.notice == refusal  # the button's own answer …
    assert refusal not in designer.text  # … and not a second time as a message
    assert len(_picked(designer)) == 3
    await designer.say("5")  # typed: no button to answer, so it is said, once
    assert designer.text.count(refusal) == 1 and designer.last.notice is None
