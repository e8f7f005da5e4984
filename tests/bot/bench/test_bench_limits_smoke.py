"""``spok-bot bench limits`` runs end to end at a tiny size (a smoke test: no timing asserted,
only that every case ran, delivered, and kept to Telegram's limits where they were on)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import URL

from bot.cli import main

MESSAGES = 60


@pytest.mark.postgres
def test_bench_limits_smoke(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    postgres_server: URL,
) -> None:
    monkeypatch.chdir(tmp_path)
    server = postgres_server.render_as_string(hide_password=False)
    arguments = ["--messages", str(MESSAGES), "--limited-seconds", "1", "--postgres-url", server]
    assert main(["bench", "limits", *arguments, "--json"]) == 0
    results: list[dict[str, Any]] = json.loads(capsys.readouterr().out)
    cases = [(r["case"], r["processes"]) for r in results]
    assert cases == [
        ("off", 1),
        ("off", 2),
        ("shared-unbound", 1),
        ("shared-unbound", 2),
        ("shared", 1),
        ("shared", 2),
        ("memory", 1),
    ]
    for result in results:
        assert result["messages"] > 0 and result["per_s"] > 0
        if result["case"] in ("off", "shared-unbound"):
            assert result["messages"] == MESSAGES  # every one
        if result["case"] in ("shared", "memory"):
            assert result["busiest_second"] <= 30
        if result["case"].startswith("shared"):
            assert result["limiter_statements_per_send"] > 0
            assert result["grant_median_ms"] is not None
        else:
            assert result["limiter_statements_per_send"] == 0


def test_bench_limits_refuses_nonsense(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["bench", "limits", "--messages", "0"]) != 0
    assert "--messages" in capsys.readouterr().err
