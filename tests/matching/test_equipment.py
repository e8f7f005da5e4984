"""A maker's machines and equipment are part of its listing's text: searchable, and quoted as
evidence, without changing how the other texts are read."""

from dataclasses import replace
from datetime import date

from matching.index import MakerIndex
from matching.models import MakerProfile
from matching.ranking import MatchQuery

TODAY = date(2026, 6, 1)
GBG = (57.7072, 11.9668)

LASER_SHOP = MakerProfile(
    "plat-laser", "Plåt & Form", *GBG, materials=("stål",),
    description="Vi gör det mesta i plåt.", equipment="fiberlaser 6 kW, kantpress 100 t",
    last_confirmed=TODAY,
)  # fmt: skip
SHEET_SHOP = MakerProfile(
    "plat-hand", "Stålverket", *GBG, materials=("stål",),
    description="Vi gör det mesta i plåt.", last_confirmed=TODAY,
)  # fmt: skip


def test_equipment_shows_a_capability_the_other_columns_do_not() -> None:
    index = MakerIndex.build([SHEET_SHOP, LASER_SHOP])

    result = index.search(MatchQuery("laserskärning av stålplåt", today=TODAY))

    first = result.matches[0]
    assert first.maker_id == "plat-laser" and first.fit
    laser = next(c for c in first.explanation.capabilities if c.source == "equipment")
    assert "fiberlaser" in laser.snippet
    assert not result.matches[1].fit  # the same shop without the laser is only a maybe


def test_an_equipment_word_is_found_as_the_makers_own_word() -> None:
    index = MakerIndex.build([SHEET_SHOP, LASER_SHOP])

    result = index.search(MatchQuery("kantpress", today=TODAY))

    assert [m.maker_id for m in result.matches][:1] == ["plat-laser"]
    assert [w.maker_word for w in result.matches[0].explanation.words] == ["kantpress"]


def test_an_edited_equipment_text_is_searched_at_once() -> None:
    index = MakerIndex.build([SHEET_SHOP])
    (before,) = index.search(MatchQuery("kantpress", today=TODAY)).matches
    assert before.explanation.words == ()

    index.upsert(replace(SHEET_SHOP, equipment="kantpress 100 t"))

    (after,) = index.search(MatchQuery("kantpress", today=TODAY)).matches
    assert [w.maker_word for w in after.explanation.words] == ["kantpress"]
    assert after.score > before.score
