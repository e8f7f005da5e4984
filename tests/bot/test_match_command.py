"""``spok-bot match`` and ``spok-bot run`` as an operator uses them."""

import json
from pathlib import Path

import pytest

from bot.cli import main


@pytest.fixture
def demo_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'spok.db'}")
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env is read
    assert main(["demo", "seed"]) == 0
    return tmp_path


def test_match_json(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    code = main(
        ["match", "--text", "glasblåsta vaser", "--location", "Goteborg", "--limit", "3", "--json"]
    )
    assert code == 0
    document = json.loads(capsys.readouterr().out)
    assert document["request"]["processes"][0]["code"] == "glassblowing"
    assert 1 <= len(document["makers"]) <= 3
    first = document["makers"][0]
    assert first["id"].startswith("demo-") and first["distance_km"] >= 0


def test_match_text_explains(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["match", "--text", "stickade mössor", "--location", "Borås"]) == 0
    out = capsys.readouterr().out
    assert "Understood: knitting (stickade)" in out
    assert "Knitting: you wrote stickade; they list" in out
    assert " 1. " in out and "km" in out


def test_match_quotes_the_words_as_they_were_typed(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "ett räcke till ett Kafé i smide"
    capsys.readouterr()
    assert main(["match", "--text", text]) == 0
    assert "Other words: räcke, Kafé\n" in capsys.readouterr().out
    assert main(["match", "--text", text, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["request"]["other_words"] == ["räcke", "Kafé"]


def test_match_bad_place_exits_2(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["match", "--text", "ek", "--location", "Qwxzzt"]) == 2
    assert "no Swedish place" in capsys.readouterr().err
    assert main(["match", "--text", "ek", "--location", "Habo"]) == 2
    assert "Håbo" in capsys.readouterr().err


def test_match_never_exits_on_an_unreadable_volume(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    for volume in ("ett par hundra st", "sex stolar, engångsjobb", "vet inte än"):
        assert main(["match", "--text", "stolar i ek", "--volume", volume]) == 0
    assert "could not read 'vet inte än'; ranked without it" in capsys.readouterr().out


def test_match_json_tells_fits_weaker_candidates_and_beyond_radius_apart(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    args = ["match", "--text", "bronsgjutning av en skulptur", "--location", "Göteborg"]
    assert main([*args, "--radius", "100", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["none_fits"] is True
    assert all(m["fit"] is False and m["tier"] == "maybe" for m in document["makers"])
    (foundry,) = [m for m in document["beyond_radius"] if m["name"] == "Formsand Gjuteri"]
    assert foundry["fit"] is True and foundry["distance_km"] > 100
    assert foundry["town"] == "Tidaholm" and foundry["website"].startswith("https://")
    assert "brons" in {w for c in foundry["reasons"]["capabilities"] for w in c["maker_words"]}
    assert main([*args, "--radius", "100"]) == 0
    out = capsys.readouterr().out
    assert "Nobody listed shows evidence of doing this" in out
    assert "Beyond the radius" in out and "Formsand Gjuteri" in out


def test_match_skene_is_skene_not_skee(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Skene (Marks kommun) is a place as written: never read as Skee, 170 km away.
    capsys.readouterr()
    code = main(["match", "--text", "vävda plädar", "--location", "Skene", "--json"])
    assert code == 0
    place = json.loads(capsys.readouterr().out)["request"]["place"]
    assert (place["name"], place["municipality"], place["corrected"]) == ("Skene", "Mark", False)


@pytest.mark.parametrize(
    ("location", "municipality"),
    [("Hisingen", "Göteborg"), ("Jkpg", "Jönköping"), ("Sthlm", "Stockholm")],
)
def test_match_districts_and_abbreviations(
    demo_db: Path, capsys: pytest.CaptureFixture[str], location: str, municipality: str
) -> None:
    capsys.readouterr()
    assert main(["match", "--text", "ek", "--location", location, "--json"]) == 0
    place = json.loads(capsys.readouterr().out)["request"]["place"]
    assert place["municipality"] == municipality and not place["corrected"]
