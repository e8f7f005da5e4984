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
    args = ["bench", "bot", "--designers", "2", "--throughput-designers", "2"]
    code = main([*args, "--think-ms", "0", "--databases", "sqlite", "--json"])
    assert code == 0
    payload = json.loads(capsys.readouterr().out)
    [result] = payload["results"]
    assert result["database"] == "sqlite"
    # Every step of the journey in both languages, each answered and counted.
    for language in ("sv", "en"):
        steps = result["steps"][language]
        assert len(steps) == 19 and steps[0]["move"] == "/start"
        assert all(step["messages"] >= 1 and step["statements"] >= 1 for step in steps)
        assert all(step["transactions"] >= 1 for step in steps)
        assert sum(step["ordinary"] for step in steps) == 16
        # Each update was stored, then handled in a transaction of its own.
        assert all({"receive", "handle"} <= set(step["by_phase"]) for step in steps)
        assert all(step["by_phase"]["handle"][1] == 1 for step in steps)
    assert result["ordinary_statements"] >= 1 and result["ordinary_transactions"] >= 1
    assert result["throughput_updates"] == 38
    assert result["updates_per_second"] > 0 and result["baseline_updates_per_second"] > 0
    [latency] = result["latencies"]
    assert latency["designers"] == 2 and latency["updates"] == 38
    assert latency["p95_ms"] >= latency["median_ms"] > 0
    assert set(payload["results"][0]["targets"]) == {"statements", "transactions", "p95_ms"}


def test_bench_bot_prints_a_line_per_measurement(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    args = ["bench", "bot", "--designers", "1", "--throughput-designers", "1", "--think-ms", "0"]
    assert main([*args, "--databases", "sqlite", "--profile"]) == 0
    out = capsys.readouterr().out
    assert "sqlite: per ordinary dialogue update" in out
    assert "inbox polls/s" in out
    assert "updates/s in this process (0 deliveries refused and delivered again, " in out
    assert "0 journeys broken off" in out
    assert "sqlite: 1 designer(s), think 0 ms | 19 updates" in out
    assert "time by package during the throughput walk" in out


def test_unreachable_postgres_is_skipped_with_a_reason(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    unreachable = "postgresql+asyncpg://postgres@127.0.0.1:1/none"
    args = ["bench", "bot", "--designers", "1", "--databases", "postgresql"]
    assert main([*args, "--postgres-url", unreachable]) == 0
    assert "postgresql skipped: not reachable at" in capsys.readouterr().out
