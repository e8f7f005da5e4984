"""The matchmaking service: from what a designer typed to ranked, explained makers."""

from datetime import date

import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from matching.models import MakerProfile, MakerStatus, VolumeStage
from services.demo import seed_demo
from services.matchmaking import (
    DesignerRequest,
    Matchmaker,
    RankNote,
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
    # Oak joinery: the oak joiner is a fit; the pine joiner shows joinery, not oak.
    assert [(m["id"], m["fit"], m["tier"]) for m in document["makers"]] == [
        ("a", True, "fit"),
        ("b", False, "maybe"),
    ]
    oak = first["reasons"]["capabilities"]
    assert {(c["code"], c["evidence"], tuple(c["maker_words"])) for c in oak} == {
        ("wood", "direct", ("ek",)),
        ("joinery", "direct", ("snickeri",)),
    }
    assert document["none_fits"] is False and document["beyond_radius"] == []
    assert document["candidates"] == 1 and document["weaker_candidates"] == 1


@pytest.mark.parametrize(
    ("request_", "problem"),
    [
        (DesignerRequest("ek", location="Xyzzyqwerty"), RequestProblem.PLACE_NOT_FOUND),
        (DesignerRequest("ek", location="Habo"), RequestProblem.PLACE_AMBIGUOUS),
        (DesignerRequest("ek", radius_km=50), RequestProblem.RADIUS_WITHOUT_PLACE),
        (DesignerRequest("ek", location="Lund", radius_km=-5), RequestProblem.BAD_RADIUS),
        (DesignerRequest("ek", location="Lund", radius_km=float("inf")), RequestProblem.BAD_RADIUS),
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


def test_an_unreadable_volume_is_left_out_and_said_so(matchmaker: Matchmaker) -> None:
    ranked = matchmaker.rank(DesignerRequest("ek", volume="hmm kanske"), today=TODAY)
    assert ranked.volume.stage is None and ranked.matches
    assert RankNote.VOLUME_UNREADABLE in ranked.notes
    assert ranked_json(ranked)["notes"] == ["volume_unreadable"]


@pytest.mark.parametrize(
    ("volume", "stage", "quantity"),
    [
        ("ett par hundra st", VolumeStage.PILOT, 200),
        ("sex stolar, engångsjobb", VolumeStage.PROTOTYPE, 6),
        ("small batch ca 100", VolumeStage.PILOT, 100),
        ("ett dussin", VolumeStage.PILOT, 12),
    ],
)
def test_everyday_volume_phrases_are_read(
    matchmaker: Matchmaker, volume: str, stage: VolumeStage, quantity: int
) -> None:
    ranked = matchmaker.rank(DesignerRequest("ek", volume=volume), today=TODAY)
    assert (ranked.volume.stage, ranked.volume.quantity) == (stage, quantity)
    assert not ranked.notes


def test_place_and_quantity_written_in_the_text_are_used(matchmaker: Matchmaker) -> None:
    ranked = matchmaker.rank(DesignerRequest("20 st pallar i ek, nära Mölndal"), today=TODAY)
    assert ranked.place is not None and ranked.place.name == "Mölndal"
    assert (ranked.volume.stage, ranked.volume.quantity) == (VolumeStage.PILOT, 20)
    assert set(ranked.notes) == {RankNote.PLACE_FROM_TEXT, RankNote.VOLUME_FROM_TEXT}
    assert ranked_json(ranked)["request"]["place"]["from_text"] is True
    typed = matchmaker.rank(DesignerRequest("pallar nära Mölndal", location="Umeå"), today=TODAY)
    assert typed.place is not None and typed.place.name == "Umeå"  # a typed place wins


def test_a_strong_maker_beyond_the_radius_is_named_when_nothing_inside_fits() -> None:
    foundry = MakerProfile(
        "foundry", "Formsand Gjuteri", 58.2284, 13.9548,  # Tidaholm, 129 km from Göteborg
        materials=("brons", "mässing"), processes=("sandgjutning",),
    )  # fmt: skip
    welder = MakerProfile(
        "weld", "Svets", 57.7072, 11.9668, materials=("stål",), processes=("svetsning",)
    )
    ranked = Matchmaker.from_profiles([foundry, welder]).rank(
        DesignerRequest("bronsgjutning", location="Göteborg", radius_km=100), today=TODAY
    )
    assert ranked.none_fits
    assert [m.maker_id for m in ranked.result.maybes] == ["weld"]
    (beyond,) = ranked.result.beyond_radius
    assert beyond.maker_id == "foundry" and beyond.explanation.distance_km > 100
    document = ranked_json(ranked)
    assert document["none_fits"] is True
    assert [m["id"] for m in document["beyond_radius"]] == ["foundry"]
