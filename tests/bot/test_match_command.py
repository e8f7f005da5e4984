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


def test_match_bad_place_exits_2(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["match", "--text", "ek", "--location", "Qwxzzt"]) == 2
    assert "no Swedish place" in capsys.readouterr().err
    assert main(["match", "--text", "ek", "--location", "Habo"]) == 2
    assert "Håbo" in capsys.readouterr().err


def test_run_opens_the_terminal_search_on_a_fresh_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    answers = iter(["ekbord till ett kontor", "småserie", "Lerum", "3", "n"])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    assert main(["run"]) == 0
    out = capsys.readouterr().out
    assert "demo" in out  # the empty catalogue was seeded with the demo makers
    assert "1. " in out and "Trä" in out
    assert (tmp_path / "data" / "spok.db").exists()
