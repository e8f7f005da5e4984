"""``spok-bot report`` through the real command line, on the seeded autumn."""

from __future__ import annotations

import asyncio
import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.cli import main
from storage.engine import create_engine, session_factory
from storage.migrate import upgrade
from tests.fakes.insight import seed_autumn


async def _seed(url: str) -> None:
    await upgrade(url)
    engine = create_engine(url)
    try:
        async with session_factory(engine)() as session:
            await seed_autumn(session)
    finally:
        await engine.dispose()


@pytest.fixture
def seeded_cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, database_url: str) -> Path:
    """Settings from the environment only, on a test database holding the seeded autumn."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("HUBS_FILE", raising=False)
    asyncio.run(_seed(database_url))
    return tmp_path


def test_a_hubs_report_as_xlsx_and_csv(
    seeded_cli: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    arguments = ["report", "--hub", "vastra-gotaland", "--from", "2026-09-01", "--to", "2026-10-31"]
    assert main(arguments) == 0
    path = seeded_cli / "spok-report-vastra-gotaland-2026-09-01-2026-10-31.xlsx"
    assert capsys.readouterr().out == (
        f"wrote {path.name}: 2 months, 8 requests, 5 introductions made, 1 to production\n"
    )
    rows = list(load_workbook(path)["Per månad"].iter_rows(values_only=True))
    assert rows[1:] == [
        ("2026-09", 3, 0, 3, 3, 1, 1, 0, 1, 3, 100),
        ("2026-10", 5, 3, 5, 2, 2, 1, 1, 0, 4, 80),
        ("totalt", 8, 3, 8, 5, 3, 2, 1, 1, 7, 87.5),
    ]

    output = seeded_cli / "vg.csv"
    assert main([*arguments, "--output", str(output), "--language", "en"]) == 0
    table = list(csv.reader(io.StringIO(output.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert table[0][:3] == ["month", "requests", "unmet"]
    assert table[-1] == ["total", "8", "3", "8", "5", "3", "2", "1", "1", "7", "87.5"]


def test_all_hubs(seeded_cli: Path) -> None:
    output = seeded_cli / "alla.csv"
    assert main(["report", "--hub", "all", "--from", "2026-10-01", "--to", "2026-10-31",
                 "--format", "csv", "--output", str(output)]) == 0  # fmt: skip
    lines = output.read_text(encoding="utf-8-sig").splitlines()
    assert lines[1].startswith("2026-10;6;4;")  # Skåne's unmet request too


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--hub", "norrland"], "unknown hub 'norrland'; known hubs: blekinge, halland, skane"),
        (["--hub", "skane", "--from", "2026-11-01"], "--from 2026-11-01 is after --to 2026-10-31"),
        (["--hub", "skane", "--output", "r.pdf"], "use a .csv or .xlsx file name"),
        (["--hub", "skane", "--format", "csv", "--output", "r.xlsx"], "or a matching --format"),
    ],
)
def test_bad_arguments_exit_2_and_say_why(
    seeded_cli: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    arguments = ["report", "--from", "2026-10-01", "--to", "2026-10-31"]
    # argparse keeps the last --from, so a later one replaces the first
    assert main([*arguments, *extra]) == 2
    assert message in capsys.readouterr().err
    assert not list(seeded_cli.glob("spok-report-*"))


def test_a_bad_date_is_an_argparse_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["report", "--hub", "skane", "--from", "2026-02-30", "--to", "2026-03-01"])
    assert exit_info.value.code == 2
    assert "not a date (YYYY-MM-DD): '2026-02-30'" in capsys.readouterr().err
