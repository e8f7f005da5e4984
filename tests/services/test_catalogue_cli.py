"""``spok-bot makers import|export`` through the real command line (``bot.cli.main``), also
with a catalogue as coordinators write it (tests/services/data/coordinator_catalogue.csv:
Swedish headers, no ids, leather by name, plastics by code, recycled materials, typos)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from bot.cli import main
from matching.index import MakerIndex
from matching.ranking import MatchQuery
from storage.engine import create_engine, session_factory
from storage.models import Maker
from storage.repositories.makers import list_makers
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
    assert ";prototyp, småserie;" in swedish and swedish.rstrip().endswith(";listad;;;;;;")
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


# -- a catalogue as coordinators write it -----------------------------------------------------

DATA = Path(__file__).parent / "data"
SHEET = DATA / "coordinator_catalogue.csv"
RENAMED = DATA / "coordinator_catalogue_renamed.csv"  # a month later, two makers renamed
SHEET_ROWS = 18


def _makers(database_url: str) -> dict[str, Maker]:
    async def read() -> list[Maker]:
        engine = create_engine(database_url)
        try:
            async with session_factory(engine)() as session:
                return await list_makers(session=session)
        finally:
            await engine.dispose()

    return {maker.name: maker for maker in asyncio.run(read())}


def _import(path: Path, capsys: pytest.CaptureFixture[str], *options: str) -> tuple[int, str]:
    status = main(["makers", "import", *options, str(path)])
    return status, capsys.readouterr().out


def test_unknown_words_and_typos_lose_no_row_and_stay_searchable(
    cli_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out = _import(SHEET, capsys, "--json")

    assert status == 0
    report = json.loads(out)
    assert report["counts"]["rows"] == report["counts"]["created"] == SHEET_ROWS
    assert report["rejected"] == []
    notes = {(n["value"], n["code"]): n for m in report["makers"] for n in m["notes"]}
    assert notes[("jeresy", "word_suggestion")]["params"] == {"suggestion": "jersey"}
    assert notes[("svetsnig", "word_suggestion")]["params"] == {"suggestion": "svetsning"}
    assert report["counts"]["notes"] == len(notes) > 0

    makers = _makers(cli_database)
    assert len(makers) == SHEET_ROWS
    assert makers["Sadelmakeri Lindqvist"].materials == ["kohud", "nubuck"]
    assert makers["Plastverket i Mölndal"].materials == ["PET", "PA", "ABS"]
    assert makers["Retur & Form"].materials == ["återvunnen PET", "returplast"]
    assert makers["Sömnadsateljén Ek"].materials == ["jeresy", "trikå", "merino"]
    assert makers["Sadelmakeri Lindqvist"].volume_words == ["unikat", "prototyp"]

    index = MakerIndex.build(maker.to_profile() for maker in makers.values())
    for request, maker in (
        ("väska i nubuck", "Sadelmakeri Lindqvist"),
        ("kohud", "Sadelmakeri Lindqvist"),
        ("detaljer i PA", "Plastverket i Mölndal"),
    ):
        found = [m.name for m in index.search(MatchQuery(text=request, limit=3)).matches]
        assert maker in found, (request, found)


def test_a_renamed_maker_without_an_id_is_reported_not_listed_twice(
    cli_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _import(SHEET, capsys)[0] == 0
    before = _makers(cli_database)

    status, out = _import(RENAMED, capsys)

    assert status == 0
    assert (
        f"{SHEET_ROWS} rows — 0 created, 2 updated, {SHEET_ROWS - 2} unchanged, 0 rejected" in out
    )
    assert 'line 8, name: "Trä och Trend AB" looks like a rename of "Trä & Trend"' in out
    assert 'line 13, name: "Lera Keramikstudio" looks like a rename of "Keramikstudion Lera"' in (
        out
    )
    after = _makers(cli_database)
    assert len(after) == SHEET_ROWS
    assert after["Lera Keramikstudio"].external_id == before["Keramikstudion Lera"].external_id


def test_only_rows_a_person_could_not_read_either_exit_3(
    cli_database: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert _import(SHEET, capsys)[0] == 0
    sheet = SHEET.read_text(encoding="utf-8-sig").splitlines()
    without_smedjan = [row for row in sheet if not row.startswith("Smedjan Öst;")]
    added = [
        "Utan Ort;;ek;;;;;;;;",  # no place: line 19
        ";Borås;ek;;;;;;;;",  # no name: line 20
        "Smedjan Väst;Alingsås;stål;;;;;;;;",  # "Smedjan Öst" renamed? not clearly: line 21
    ]
    path = tmp_path / "katalog.csv"
    path.write_text("\n".join([*without_smedjan, *added]) + "\n", encoding="utf-8-sig")

    status, out = _import(path, capsys, "--json")

    report = json.loads(out)
    assert status == 3
    assert [(r["line"], r["problems"][0]["code"]) for r in report["rejected"]] == [
        (19, "required"),
        (20, "required"),
        (21, "possible_rename"),
    ]
    assert "Smedjan Öst (smedjan-ost-1489)" in report["rejected"][2]["problems"][0]["reason"]
    assert report["counts"]["unchanged"] == SHEET_ROWS - 1 and report["counts"]["created"] == 0
