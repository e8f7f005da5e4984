"""The results show what a maker's fuller listing says, and its photos on request, as the
running ranking has the listing; on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from dataclasses import replace

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.dialogue.contract import Press
from services.dialogue.engine import DesignerDialogue
from services.dialogue.texts import Texts
from services.matchmaking import Matchmaker
from storage.models import Maker
from tests.services.dialogue.driver import Designer, journey_to_results

SV = Texts("sv")
_CARD = re.compile(r"<b>1\. ([^<]+)</b>")


async def test_a_listing_changed_in_the_ranking_shows_on_its_card_with_its_photos(
    dialogue: DesignerDialogue,
    matchmaker: Matchmaker,
    session_maker: async_sessionmaker[AsyncSession],
) -> None:
    designer = Designer(dialogue)
    await journey_to_results(designer, SV, text="träbord i ek", place="Göteborg")
    (name,) = _CARD.findall(designer.text)[:1]
    assert SV("listing.photos_button", name=name) not in [b.label for b in designer.buttons]
    async with session_maker() as session:
        stored = (await session.exec(select(Maker).where(col(Maker.name) == name))).one()
    first = matchmaker.index.get(stored.external_id)
    assert first is not None

    matchmaker.apply(replace(first, min_order=10, lead_time_days=14, photos=("photo-a", "photo-b")))
    outcome = await designer.command("start")  # the same results, shown again

    assert outcome.step == "results"
    assert "tar serier från 10 st · ledtid ca 2 veckor" in designer.text
    pick = designer.button(f"☐ 1. {name}")
    shown = await designer.press(SV("listing.photos_button", name=name))
    assert shown.step == "results"  # the list stays where it was
    assert [r.photo_file_id for r in shown.replies] == ["photo-a", "photo-b"]
    assert shown.replies[0].text == SV("listing.photos_caption", name=name, number=1, count=2)
    again = await designer.send(Press(pick.data))
    assert again.step == "results"  # the list's own buttons still work after the photos
    assert f"✓ 1. {name}" in [b.label for b in designer.buttons]
