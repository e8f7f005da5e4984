"""Importing catalogues into a real database (SQLite and PostgreSQL), with the real place index
and interpreter."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from services.catalogue.importer import apply_import, import_catalogue, plan_import
from services.catalogue.reader import read_catalogue_bytes
from services.catalogue.report import ImportReport
from services.catalogue.validation import PlaceLookup, ResolvedPlace, RowValidator, WordVerdict
from storage.repositories.makers import CATALOGUE_FIELDS, list_makers
from tests.services.test_catalogue_support import FORMATS, HEADER, ROWS, catalogue_file


@pytest.fixture(scope="module")
def validator() -> RowValidator:
    return RowValidator.default()


async def _import(
    session: AsyncSession, data: bytes, validator: RowValidator, *, dry_run: bool = False
) -> ImportReport:
    table = read_catalogue_bytes(data)
    return await import_catalogue(
        table, session=session, source="test", dry_run=dry_run, validator=validator
    )


async def _snapshot(session: AsyncSession) -> list[dict[str, Any]]:
    makers = await list_makers(session=session)
    return [{name: getattr(maker, name) for name in CATALOGUE_FIELDS} for maker in makers]


def _counts(report: ImportReport) -> tuple[int, int, int, int]:
    counts = report.counts()
    return counts["created"], counts["updated"], counts["unchanged"], counts["rejected"]


async def test_every_format_imports_identical_makers(
    session: AsyncSession, validator: RowValidator
) -> None:
    first = await _import(session, catalogue_file(ROWS, FORMATS[0]), validator)
    assert _counts(first) == (3, 0, 0, 0)
    expected = await _snapshot(session)

    for fmt in FORMATS[1:]:
        report = await _import(session, catalogue_file(ROWS, fmt), validator)
        assert _counts(report) == (0, 0, 3, 0), fmt
        assert await _snapshot(session) == expected, fmt

    by_id = {maker["external_id"]: maker for maker in expected}
    assert by_id["vg-001"]["name"] == "Ekdahls Snickeri AB"
    assert by_id["vg-001"]["place_name"] == "Göteborg"
    assert by_id["vg-001"]["municipality_code"] == "1480"
    assert by_id["vg-001"]["contact_name"] == "Åsa Öberg"
    assert by_id["vg-001"]["website"] == "https://www.ekdahl.example.se"
    assert by_id["sk-002"]["status"] == "paused"
    assert by_id["sk-002"]["volumes"] == ["production"]
    assert by_id["vg-003"]["email"] is None


BAD_ROWS = [
    ["ok-1", "Glasbruket", "Kosta", "glas", "glasblåsning", "unikat", "", "", "", "", "", ""],
    ["bad-1", "", "Borås", "ull", "", "", "", "", "", "", "", ""],  # missing name
    ["bad-2", "Nowhere AB", "Atlantis", "ek", "", "", "", "", "", "", "", ""],
    ["bad-3", "Vikens Verkstad", "Viken", "ek", "", "", "", "", "", "", "", ""],
    ["odd-4", "Mystik AB", "Borås", "ek, unobtainium", "", "", "", "", "", "", "", ""],
    ["odd-5", "Mejl AB", "Borås", "ek", "", "", "", "", "mejl@", "", "", ""],
    ["odd-6", "Tel AB", "Borås", "ek", "", "", "", "", "", "12-34", "", ""],
    ["odd-7", "Webb AB", "Borås", "ek", "", "", "", "", "", "", "inte en adress", ""],
    ["odd-8", "Volym AB", "Borås", "ek", "", "prototyp, ibland", "", "", "", "", "", ""],
    ["ok-1", "Kopia AB", "Borås", "ek", "", "", "", "", "", "", "", ""],  # duplicate id
    ["ok-2", "Åkes Plåt", "Mölndal", "rostfritt stål", "laserskärning", "", "", "", "", "", "", ""],
]
# Rejected: rows a person could not read either (or an id used twice).
EXPECTED_PROBLEMS = [
    (3, "name", "required"),
    (4, "municipality", "place_not_found"),
    (5, "municipality", "place_ambiguous"),
    (11, "id", "duplicate_id"),
]
# Imported as written, with a note.
EXPECTED_NOTES = [
    (6, "materials", "word_unknown"),
    (7, "email", "email_invalid"),
    (8, "phone", "phone_invalid"),
    (9, "website", "url_invalid"),
    (10, "volumes", "volume_unknown"),
]


def _problems(report: ImportReport) -> list[tuple[int, str, str]]:
    return [
        (row.line, problem.column.value, problem.code)
        for row in report.rejected
        for problem in row.problems
    ]


async def test_bad_rows_are_reported_and_the_rest_imported(
    session: AsyncSession, validator: RowValidator
) -> None:
    data = catalogue_file(BAD_ROWS, "semicolon-bom")

    report = await _import(session, data, validator)

    assert _problems(report) == EXPECTED_PROBLEMS
    assert [(line, n.column.value, n.code) for line, n in report.notes] == EXPECTED_NOTES
    assert _counts(report) == (7, 0, 0, 4)
    assert report.counts()["notes"] == 5
    imported = [maker["external_id"] for maker in await _snapshot(session)]
    assert imported == ["odd-4", "odd-5", "odd-6", "odd-7", "odd-8", "ok-1", "ok-2"]
    ambiguous = report.to_json()["rejected"][2]["problems"][0]
    assert "Viken, Höganäs" in ambiguous["reason"]
    assert "line 11" not in ambiguous["reason"]
    assert report.to_json()["rejected"][-1]["problems"][0]["params"] == {"first_line": "2"}

    again = await _import(session, data, validator)
    assert _counts(again) == (0, 0, 7, 4)


async def test_a_dry_run_writes_nothing_and_applying_its_plan_does(
    session: AsyncSession, validator: RowValidator
) -> None:
    table = read_catalogue_bytes(catalogue_file(ROWS, "comma"))

    plan = await plan_import(table, session=session, source="t.csv", validator=validator)
    assert plan.report.dry_run and _counts(plan.report) == (3, 0, 0, 0)
    assert await _snapshot(session) == []

    applied = await apply_import(plan, session=session)
    assert not applied.dry_run and _counts(applied) == (3, 0, 0, 0)
    assert len(await _snapshot(session)) == 3


async def test_changed_cells_update_and_name_the_fields(
    session: AsyncSession, validator: RowValidator
) -> None:
    await _import(session, catalogue_file(ROWS, "comma"), validator)
    changed = [list(row) for row in ROWS]
    changed[0][8] = "ny@ekdahl.example.se"
    changed[2][2] = "Mölndal"

    report = await _import(session, catalogue_file(changed, "comma"), validator)

    assert _counts(report) == (0, 2, 1, 0)
    assert [row.changed for row in report.rows if row.changed] == [
        ("email",),
        ("place_name", "municipality_code", "lat", "lon"),
    ]


async def test_absent_columns_and_empty_status_keep_what_is_stored(
    session: AsyncSession, validator: RowValidator
) -> None:
    await _import(session, catalogue_file(ROWS, "comma"), validator)
    short = [[row[0], row[1], row[2], ""] for row in ROWS]  # id, name, place; status empty

    report = await _import(
        session, catalogue_file(short, "comma", ["id", "namn", "ort", "status"]), validator
    )

    assert _counts(report) == (0, 0, 3, 0)
    by_id = {maker["external_id"]: maker for maker in await _snapshot(session)}
    assert by_id["sk-002"]["status"] == "paused"
    assert by_id["vg-001"]["email"] == "asa@ekdahl.example.se"


async def test_rows_without_id_are_found_again_on_reimport(
    session: AsyncSession, validator: RowValidator
) -> None:
    no_ids = [["", *row[1:]] for row in ROWS]
    data = catalogue_file(no_ids, "xlsx", HEADER)

    first = await _import(session, data, validator)
    again = await _import(session, data, validator)

    assert [row.external_id for row in first.rows] == [
        "ekdahls-snickeri-ab-1480",
        "smedja-i-malmo-1280",
        "vaveriet-i-boras-1490",
    ]
    assert all(row.id_generated for row in first.rows)
    assert _counts(again) == (0, 0, 3, 0)


async def test_a_value_the_model_refuses_rejects_only_that_row(session: AsyncSession) -> None:
    def resolve(text: str) -> PlaceLookup:  # a resolver bug: a two-digit municipality code
        return PlaceLookup(ResolvedPlace("14" if text == "Borås" else "1480", 57.7, 12.0))

    validator = RowValidator(resolve_place=resolve, check_word=lambda _: WordVerdict(known=True))

    report = await _import(session, catalogue_file(ROWS, "comma"), validator)

    assert _problems(report) == [(4, "municipality", "invalid_value")]
    assert _counts(report) == (2, 0, 0, 1)
