"""The matchmaking service: from what a designer typed to ranked, explained makers."""

from datetime import date

import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from matching.models import MakerProfile, MakerStatus, VolumeStage
from services.demo import seed_demo
from services.matchmaking import (
    DesignerRequest,
    Matchmaker,
    RequestError,
    RequestProblem,
    ranked_json,
)

TODAY = date(2026, 6, 1)
MAKERS = [
    MakerProfile("a", "Ek & Co", 57.7072, 11.9668, materials=("ek",), processes=("snickeri",)),
    MakerProfile("b", "Norr", 63.8258, 20.263, materials=("furu",), processes=("snickeri",)),
    MakerProfile("c", "Vila", 57.7072, 11.9668, materials=("ek",), status=MakerStatus.PAUSED),
]  # fmt: skip


@pytest.fixture(scope="module")
def matchmaker() -> Matchmaker:
    return Matchmaker.from_profiles(MAKERS)


def test_place_volume_and_radius_shape_the_ranking(matchmaker: Matchmaker) -> None:
    ranked = matchmaker.rank(
        DesignerRequest("ekbord, 12 st", location="Mölndal", radius_km=50), today=TODAY
    )
    assert ranked.place is not None and ranked.place.name == "Mölndal"
    assert ranked.volume.stage is VolumeStage.PILOT and ranked.volume.quantity == 12
    assert [m.maker_id for m in ranked.matches] == ["a"]


def test_json_holds_the_interpreted_request_and_ranked_makers(matchmaker: Matchmaker) -> None:
    ranked = matchmaker.rank(
        DesignerRequest("snickeri i ek", volume="småserie", location="Goteborg"), today=TODAY
    )
    document = ranked_json(ranked)
    request = document["request"]
    assert [m["code"] for m in request["materials"]] == ["wood"]
    assert [p["code"] for p in request["processes"]] == ["joinery"]
    assert request["volume"] == {"stage": "pilot", "quantity": None}
    assert request["place"]["name"] == "Göteborg"
    assert request["place"]["county"] == "Västra Götalands län"
    first = document["makers"][0]
    assert first["id"] == "a" and first["distance_km"] == 0.0
    assert set(first) >= {"id", "name", "score", "distance_km", "reasons", "volume_fit"}
    assert first["reasons"]["capabilities"][0]["request_words"]
    assert [m["id"] for m in document["makers"]] == ["a", "b"]


@pytest.mark.parametrize(
    ("request_", "problem"),
    [
        (DesignerRequest("ek", location="Xyzzyqwerty"), RequestProblem.PLACE_NOT_FOUND),
        (DesignerRequest("ek", location="Habo"), RequestProblem.PLACE_AMBIGUOUS),
        (DesignerRequest("ek", radius_km=50), RequestProblem.RADIUS_WITHOUT_PLACE),
        (DesignerRequest("ek", location="Lund", radius_km=-5), RequestProblem.BAD_RADIUS),
        (DesignerRequest("ek", location="Lund", radius_km=float("inf")), RequestProblem.BAD_RADIUS),
        (DesignerRequest("ek", volume="hmm kanske"), RequestProblem.VOLUME_UNREADABLE),
        (DesignerRequest("   "), RequestProblem.EMPTY_TEXT),
        (DesignerRequest("ek", limit=0), RequestProblem.BAD_LIMIT),
    ],
)
def test_bad_input_is_explained(
    matchmaker: Matchmaker, request_: DesignerRequest, problem: RequestProblem
) -> None:
    with pytest.raises(RequestError) as caught:
        matchmaker.rank(request_, today=TODAY)
    assert caught.value.problem is problem
    if problem is RequestProblem.PLACE_AMBIGUOUS:
        assert {p.municipality.name for p in caught.value.candidates} >= {"Habo", "Håbo"}


async def test_loads_the_catalogue_from_the_database(session: AsyncSession) -> None:
    await seed_demo(session=session)
    await session.commit()
    matchmaker = await Matchmaker.load(session=session)
    assert len(matchmaker.index) >= 60
    ranked = matchmaker.rank(DesignerRequest("stickade mössor i ull", location="Borås"))
    assert ranked.matches
    assert "knitting" in {c.code for c in ranked.matches[0].explanation.capabilities}


def test_a_misspelt_place_is_used_but_flagged(matchmaker: Matchmaker) -> None:
    exact = matchmaker.rank(DesignerRequest("ek", location="Göteborg"), today=TODAY)
    guessed = matchmaker.rank(DesignerRequest("ek", location="Göterborg"), today=TODAY)
    assert not exact.place_corrected and guessed.place_corrected
    assert guessed.place == exact.place
    assert ranked_json(guessed)["request"]["place"]["corrected"] is True
