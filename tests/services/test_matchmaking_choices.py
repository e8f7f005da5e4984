"""What a designer chose by button reaches the ranking: county, volume, confirmed concepts."""

from __future__ import annotations

from datetime import date

from matching.models import MakerProfile, VolumeStage
from services.matchmaking import DesignerRequest, Matchmaker

TODAY = date(2026, 11, 25)
MAKERS = [
    MakerProfile("wood-gbg", "Snickeri Göteborg", 57.70, 11.97, "1480", ("ek",), ("svarvning",)),
    MakerProfile("wood-halm", "Snickeri Halmstad", 56.67, 12.86, "1380", ("ek",), ()),
    MakerProfile(
        "glass-gbg",
        "Glasbruk Göteborg",
        57.70,
        11.97,
        "1480",
        ("glas",),
        (),
        frozenset({VolumeStage.PILOT}),
    ),
]


def _ids(matchmaker: Matchmaker, request: DesignerRequest) -> list[str]:
    return [m.maker_id for m in matchmaker.rank(request, today=TODAY).matches]


def test_county_keeps_to_the_designers_county() -> None:
    matchmaker = Matchmaker.from_profiles(MAKERS)
    assert _ids(matchmaker, DesignerRequest(text="ekbord")) == ["wood-gbg", "wood-halm"]
    assert _ids(matchmaker, DesignerRequest(text="ekbord", county_code="13")) == ["wood-halm"]


def test_confirmed_concepts_replace_the_texts_reading() -> None:
    matchmaker = Matchmaker.from_profiles(MAKERS)
    # The designer switched wood off and added glass by button.
    assert _ids(matchmaker, DesignerRequest(text="ekbord", concepts=("glass",))) == ["glass-gbg"]
    assert "wood-gbg" in _ids(matchmaker, DesignerRequest(text="ekbord", concepts=("wood",)))


def test_volume_stage_by_button_wins_over_the_text() -> None:
    matchmaker = Matchmaker.from_profiles(MAKERS)
    ranked = matchmaker.rank(
        DesignerRequest(text="glasvas, 2 st", volume_stage=VolumeStage.PILOT, quantity=None),
        today=TODAY,
    )
    assert ranked.volume.stage is VolumeStage.PILOT
    ranked = matchmaker.rank(DesignerRequest(text="glasvas", quantity=2000), today=TODAY)
    assert (ranked.volume.stage, ranked.volume.quantity) == (VolumeStage.PRODUCTION, 2000)
