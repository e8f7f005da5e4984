"""A maker renamed in a sheet without ids is found and reported, never listed twice (real
database, real places and words)."""

from __future__ import annotations

import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from services.catalogue.importer import import_catalogue
from services.catalogue.reader import read_catalogue_bytes
from services.catalogue.report import ImportReport
from services.catalogue.validation import RowValidator
from storage.repositories.makers import list_makers


@pytest.fixture(scope="module")
def validator() -> RowValidator:
    return RowValidator.default()


async def _import(
    session: AsyncSession, validator: RowValidator, *rows: str, dry_run: bool = False
) -> ImportReport:
    header = "id;namn;kommun;material" if rows[0].count(";") == 3 else "namn;kommun;material"
    text = "\r\n".join([header, *rows]) + "\r\n"
    table = read_catalogue_bytes(text.encode())
    return await import_catalogue(
        table, session=session, source="katalog.csv", dry_run=dry_run, validator=validator
    )


async def _names(session: AsyncSession) -> list[tuple[str, str]]:
    return [(m.external_id, m.name) for m in await list_makers(session=session)]


async def test_a_renamed_maker_is_updated_in_place_and_reported(
    session: AsyncSession, validator: RowValidator
) -> None:
    await _import(session, validator, "Snickeri Ekdahl AB;Göteborg;ek", "Glasbruket;Kosta;glas")

    plan = await _import(
        session, validator, "Glasbruket;Kosta;glas", "Ekdahls Snickeri AB;Göteborg;ek", dry_run=True
    )
    report = await _import(
        session, validator, "Glasbruket;Kosta;glas", "Ekdahls Snickeri AB;Göteborg;ek"
    )

    for result in (plan, report):
        counts = result.counts()
        assert (counts["created"], counts["updated"], counts["renamed"]) == (0, 1, 1)
        [(line, note)] = result.notes
        assert (line, note.code, note.params["old_name"]) == (3, "renamed", "Snickeri Ekdahl AB")
        assert 'looks like a rename of "Snickeri Ekdahl AB" (snickeri-ekdahl-ab-1480)' in (
            result.to_text()
        )
    names = await _names(session)
    assert len(names) == 2  # the same listing, renamed:
    assert ("snickeri-ekdahl-ab-1480", "Ekdahls Snickeri AB") in names
    again = await _import(
        session, validator, "Glasbruket;Kosta;glas", "Ekdahls Snickeri AB;Göteborg;ek"
    )
    assert again.counts()["unchanged"] == 2 and again.notes == []


async def test_a_row_that_may_be_a_rename_is_reported_and_not_created(
    session: AsyncSession, validator: RowValidator
) -> None:
    await _import(session, validator, "Ekdahls Smide;Göteborg;stål")
    before = await _names(session)

    report = await _import(session, validator, "Ekdahls Snickeri;Göteborg;ek")

    [row] = report.rejected
    [problem] = row.problems
    assert (row.line, problem.code) == (2, "possible_rename")
    assert problem.params["candidates"] == "Ekdahls Smide (ekdahls-smide-1480)"
    assert "line 2, name: " in report.to_text() and "an id of its own" in problem.reason
    assert await _names(session) == before


async def test_an_id_in_the_row_settles_it(session: AsyncSession, validator: RowValidator) -> None:
    await _import(session, validator, "Ekdahls Smide;Göteborg;stål")

    report = await _import(session, validator, "vg-9;Ekdahls Snickeri;Göteborg;ek")

    assert report.counts()["created"] == 1 and report.rejected == ()


async def test_two_listed_makers_alike_make_the_rename_unclear(
    session: AsyncSession, validator: RowValidator
) -> None:
    await _import(session, validator, "Ekdahls Snickeri;Borås;ek", "Ekdahl Snickeri HB;Borås;ek")

    report = await _import(session, validator, "Ekdahls Snickerier;Borås;ek")

    [row] = report.rejected
    assert row.problems[0].params["candidates"].count("(") == 2


async def test_a_sheet_without_ids_finds_makers_listed_with_ids_by_their_names(
    session: AsyncSession, validator: RowValidator
) -> None:
    await _import(session, validator, "vg-1;Ekdahls Snickeri AB;Göteborg;ek")

    report = await _import(session, validator, "Ekdahls Snickeri AB;Göteborg;ek, björk")

    assert report.counts()["updated"] == 1 and report.notes == []
    assert await _names(session) == [("vg-1", "Ekdahls Snickeri AB")]


async def test_a_maker_the_file_names_or_another_place_is_no_rename(
    session: AsyncSession, validator: RowValidator
) -> None:
    await _import(session, validator, "vg-1;Ekdahls Snickeri;Göteborg;ek")

    report = await _import(
        session,
        validator,
        "vg-1;Ekdahls Snickeri;Göteborg;ek",
        ";Ekdahls Snickerier;Göteborg;ek",  # like vg-1, but vg-1 is in the file
        ";Ekdahls Snickeri;Borås;ek",  # another place
    )

    assert report.counts()["created"] == 2 and report.rejected == ()
