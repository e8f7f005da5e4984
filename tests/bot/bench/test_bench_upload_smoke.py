"""``spok-bot bench upload`` runs end to end on small files (a smoke test: no timing asserted)."""

from __future__ import annotations

import pytest

from bot.bench import upload as upload_bench
from bot.bench.upload_files import large_xlsx, rows_csv, zip_bomb_xlsx
from bot.cli import main
from services.catalogue.limits import ReadLimits
from services.catalogue.worker import WorkerKind

SMALL = (
    upload_bench.BenchFile("CSV over the row limit", "k.csv", lambda: rows_csv(25_000)),
    upload_bench.BenchFile("zip bomb", "k.xlsx", lambda: zip_bomb_xlsx(64 << 20)),
    upload_bench.BenchFile(
        "small XLSX", "k.xlsx", lambda: large_xlsx(ReadLimits(rows=200, cells=4_000))
    ),
)


async def test_bench_upload_smoke() -> None:
    results = await upload_bench.bench_upload(
        "sqlite",
        postgres_url="",
        kinds=[WorkerKind.PROCESS],
        designers=2,
        think_ms=0,
        idle_s=0.5,
        repeats=1,
        min_updates=1,
        apply=True,
        bench_files=SMALL,
    )

    phases = {result.phase: result for result in results}
    assert list(phases) == ["idle", *(f.label for f in SMALL), upload_bench.APPLY]
    assert "20 000" in phases["CSV over the row limit"].answer  # refused with its limit
    assert "50 MB" in phases["zip bomb"].answer
    assert "197 rows – 197 new" in phases["small XLSX"].answer
    assert "197 new" in phases[upload_bench.APPLY].answer
    assert all(r.failed == 0 for r in results)
    # Each upload is repeated until designers ran during it; Apply of 197 rows may be over
    # before any designer's update arrives, so it is not held to that.
    parsed = [r for r in results if r.phase != upload_bench.APPLY]
    assert all(r.updates >= 1 and r.p95_ms >= r.median_ms > 0 for r in parsed)


def test_bench_upload_refuses_an_unknown_worker_kind(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "upload", "--workers", "fork"]) == 2
    assert "--workers takes inline, thread and/or process" in capsys.readouterr().err
