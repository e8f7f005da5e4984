"""``spok-bot bench followups`` runs end to end at a tiny size (a smoke test: no timing
asserted, only that every phase ran and every check-in arrived exactly once)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import URL

from bot.cli import main

ROWS = 300


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    code = main(["bench", "followups", "--rows", str(ROWS), "--limited-seconds", "1", *args])
    assert code == 0
    payload: dict[str, Any] = json.loads(capsys.readouterr().out)
    return payload


def assert_complete(result: dict[str, Any], database: str) -> None:
    assert result["database"] == database
    assert result["rows"] == ROWS
    assert result["fake_api"] == "process"
    assert result["claimed"] == ROWS  # by the one-row baseline and the batches together
    assert result["oversized_batches"] == 0
    assert 0 < result["single_rows"] <= ROWS // 10
    assert result["limited_sent"] + result["delivered"] == ROWS
    assert result["distinct_follow_ups"] == ROWS
    assert result["duplicates"] == 0
    assert result["follow_ups_sent"] == ROWS
    assert result["limited_max_to_one_chat_per_second"] in (0, 1)  # spread: chats differ
    for key in ("claim_rows_per_s", "select_rows_per_s", "delivery_per_s", "limited_per_s"):
        assert result[key] > 0, key
    assert {"claim_target_met", "within_limits", "claim_median_batch_ms"} <= result.keys()


def test_bench_followups_smoke_on_sqlite(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    payload = run_json(capsys, "--database", "sqlite", "--batch-size", "100", "--json")
    assert payload["skipped"] == []
    [result] = payload["results"]
    assert_complete(result, "sqlite")
    assert result["batch_size"] == 100


@pytest.mark.postgres
def test_bench_followups_smoke_on_postgres(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    postgres_server: URL,
) -> None:
    monkeypatch.chdir(tmp_path)
    server = postgres_server.render_as_string(hide_password=False)
    payload = run_json(
        capsys, "--database", "postgresql", "--postgres-url", server, "--json", "--clustered"
    )
    [result] = payload["results"]
    assert_complete(result, "postgresql")
    assert result["clustered"] is True


def test_bench_followups_prints_one_block_per_database(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    unreachable = "postgresql+asyncpg://postgres@127.0.0.1:1/none"
    small = ["--rows", "40", "--limited-seconds", "0.5", "--fake-api", "thread"]
    code = main(["bench", "followups", *small, "--database", "both", "--postgres-url", unreachable])
    assert code == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("sqlite: 40 due check-ins")
    assert "fake Bot API in its own thread" in lines[0]
    assert lines[1].startswith("  claim (dispatch_due, 500 a transaction): ")
    assert lines[2].startswith("  baselines: read-only SELECT")
    assert lines[3].startswith("  delivery, limiting on (")
    assert lines[4].startswith("  delivery, limiting off: ")
    assert "each exactly once; 40 follow-ups 'sent'" in lines[4]
    assert lines[5].startswith("postgresql skipped: not reachable at")
    assert len(lines) == 6


def test_bench_followups_refuses_nonsense(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["bench", "followups", "--rows", "0"]) != 0
    assert "--rows" in capsys.readouterr().err
