"""``spok-bot makers import|export`` through the real command line (``bot.cli.main``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from tests.services.test_catalogue_import import BAD_ROWS, EXPECTED_PROBLEMS
from tests.services.test_catalogue_support import ROWS, catalogue_file


@pytest.fixture
def cli_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, database_url: str) -> str:
    """Settings from the environment only (no developer ``.env``), on the test database."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("DATABASE_URL", database_url)
    return database_url


def _write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_import_reports_counts_and_reimport_changes_nothing(
    cli_database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, "katalog.csv", catalogue_file(ROWS, "semicolon-bom"))

    assert main(["makers", "import", path]) == 0
    assert "3 rows — 3 created, 0 updated, 0 unchanged, 0 rejected" in capsys.readouterr().out

    assert main(["makers", "import", path, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["counts"] == {
        "rows": 3,
        "created": 0,
        "updated": 0,
        "unchanged": 3,
        "rejected": 0,
        "notes": 0,
        "renamed": 0,
    }
    assert report["makers"][0] == {
        "line": 2,
        "id": "vg-001",
        "id_generated": False,
        "name": "Ekdahls Snickeri AB",
        "outcome": "unchanged",
        "changed": [],
        "notes": [],
    }


def test_bad_rows_exit_3_with_line_and_column(
    cli_database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, "katalog.xlsx", catalogue_file(BAD_ROWS, "xlsx"))

    assert main(["makers", "import", path]) == 3
    out = capsys.readouterr().out
    assert "11 rows — 7 created, 0 updated, 0 unchanged, 4 rejected, 5 notes" in out
    for line, column, _ in EXPECTED_PROBLEMS:
        assert f"  line {line}, {column}: " in out

    assert main(["makers", "import", path, "--json"]) == 3
    report = json.loads(capsys.readouterr().out)
    assert report["counts"]["unchanged"] == 7
    assert [(r["line"], r["problems"][0]["column"]) for r in report["rejected"]] == [
        (line, column) for line, column, _ in EXPECTED_PROBLEMS
    ]


def test_a_dry_run_writes_nothing(
    cli_database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, "katalog.csv", catalogue_file(ROWS, "comma"))

    assert main(["makers", "import", "--dry-run", path]) == 0
    assert "3 created" in capsys.readouterr().out
    assert main(["makers", "export", str(tmp_path / "out.csv")]) == 0
    assert "Exported 0 makers" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("saknas.csv", None, "file not found"),
        ("skrap.csv", bytes(range(256)) * 4, "save it as .xlsx or .csv"),
        ("katalog.numbers", b"PK\x03\x04 numbers", "Numbers files cannot be read"),
        ("fel.csv", b"id;telefon\n1;031-390 06 56\n", "no header row with at least the name"),
        ("tom.csv", b"", "the file is empty"),
        ("tom.xlsx", b"PK\x03\x04", "the spreadsheet cannot be read"),
    ],
)
def test_unusable_files_exit_2_with_one_line(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    data: bytes | None,
    reason: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'spok.db'}")
    path = str(tmp_path / name) if data is None else _write(tmp_path, name, data)

    assert main(["makers", "import", path]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    [line] = captured.err.splitlines()
    assert line.startswith("spok-bot makers import: error: ") and reason in line
    assert not (tmp_path / "spok.db").exists()  # the database is not even opened

    assert main(["makers", "import", "--json", path]) == 2
    assert reason in json.loads(capsys.readouterr().out)["error"]["reason"]


def test_export_writes_a_file_that_imports_unchanged(
    cli_database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["makers", "import", _write(tmp_path, "in.csv", catalogue_file(ROWS, "cp1252"))]) == 0
    )
    for name, language in (("ut.csv", []), ("out.xlsx", ["--language", "en"])):
        assert main(["makers", "export", str(tmp_path / name), *language]) == 0
        assert f"Exported 3 makers to {tmp_path / name}" in capsys.readouterr().out

        assert main(["makers", "import", "--json", str(tmp_path / name)]) == 0
        assert json.loads(capsys.readouterr().out)["counts"]["unchanged"] == 3
    swedish = (tmp_path / "ut.csv").read_text(encoding="utf-8-sig")
    assert swedish.startswith("id;namn;kommun;material;tekniker;volymer;beskrivning;")
    assert ";prototyp, småserie;" in swedish and swedish.rstrip().endswith(";listad")
    assert ";pausad" in swedish


def test_export_to_an_unknown_extension_exits_2(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'spok.db'}")

    assert main(["makers", "export", str(tmp_path / "katalog.ods")]) == 2
    assert ".csv or .xlsx" in capsys.readouterr().err


def test_an_unusable_database_exits_1_with_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", "mysql://user:secret@localhost/spok")
    path = _write(tmp_path, "katalog.csv", catalogue_file(ROWS, "comma"))

    assert main(["makers", "import", path]) == 1
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("spok-bot makers import: error: cannot open the database")
    assert "secret" not in line
