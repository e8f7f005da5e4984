"""``spok-bot bench bot`` runs end to end at a tiny size (a smoke test: no timing asserted)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main


def test_bench_bot_smoke(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code = main(
        ["bench", "bot", "--designers", "1,3", "--think-ms", "0", "--databases", "sqlite", "--json"]
    )
    assert code == 0
    payload = json.loads(capsys.readouterr().out)
    assert [r["designers"] for r in payload["results"]] == [1, 3]
    first = payload["results"][0]
    assert first["database"] == "sqlite"
    assert first["updates"] == 19  # the scripted journey (bot.bench.scripted)
    assert first["p95_ms"] >= first["median_ms"] > 0


def test_unreachable_postgres_is_skipped_with_a_reason(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    unreachable = "postgresql+asyncpg://postgres@127.0.0.1:1/none"
    args = ["bench", "bot", "--designers", "1", "--databases", "postgresql"]
    assert main([*args, "--postgres-url", unreachable]) == 0
    assert "postgresql skipped: not reachable at" in capsys.readouterr().out
