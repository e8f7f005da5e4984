"""Import a catalogue in two steps: ``plan_import`` (validate and compare, no writes) and
``apply_import`` (write the plan in one transaction).

The Telegram upload shows the plan and applies it after the coordinator confirms; the CLI does
both in one go (or only the first with ``--dry-run``). Nothing from a rejected row is written
and a rejected row never stops the valid ones. A row without an id that looks like a listed
maker renamed updates that maker, or is held back when it is not clear which maker it is
(:mod:`services.catalogue.renames`).

A column the file does not have leaves that field of existing makers alone (a sheet without a
"website" column does not erase websites); an empty cell in a column it has clears the field.
An empty status cell keeps an existing maker's status (a maker may have paused themselves in
the bot) and lists a new one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from pydantic import ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from matching.models import MakerStatus
from services.catalogue.columns import EXPORT_LANGUAGES, Column, stage_words
from services.catalogue.reader import CatalogueTable
from services.catalogue.renames import SameMaker, Unclear, match_renames
from services.catalogue.report import ImportReport, Outcome, RowResult
from services.catalogue.validation import (
    CatalogueEntry,
    Note,
    Problem,
    RejectedRow,
    RowValidator,
)
from storage.models import Maker, MakerCreate
from storage.repositories.makers import (
    UpsertOutcome,
    compare_makers,
    list_makers,
    write_makers,
)

_FIELDS: tuple[str, ...] = tuple(MakerCreate.model_fields)
_FIELD_COLUMNS: dict[str, Column] = {
    "external_id": Column.ID,
    "place_name": Column.MUNICIPALITY,
    "municipality_code": Column.MUNICIPALITY,
    "lat": Column.MUNICIPALITY,
    "lon": Column.MUNICIPALITY,
    **{column.value: column for column in Column},
    "lead_time_days": Column.LEAD_TIME,
    "portfolio_url": Column.PORTFOLIO,
}
_OUTCOMES = {
    UpsertOutcome.CREATED: Outcome.CREATED,
    UpsertOutcome.UPDATED: Outcome.UPDATED,
    UpsertOutcome.UNCHANGED: Outcome.UNCHANGED,
}


# Who may import a row: ``None`` if the row is within the importer's reach, else the problem
# that rejects it (the chat upload limits a coordinator to their own hubs' makers).
RowScope = Callable[[MakerCreate, Maker | None], Problem | None]


@dataclass(frozen=True, slots=True)
class PlannedMaker:
    result: RowResult
    maker_in: MakerCreate


@dataclass(frozen=True, slots=True)
class ImportPlan:
    report: ImportReport  # a dry-run report: what applying the plan would do
    makers: tuple[PlannedMaker, ...]


async def plan_import(
    table: CatalogueTable,
    *,
    session: AsyncSession,
    source: str,
    validator: RowValidator | None = None,
    scope: RowScope | None = None,
) -> ImportPlan:
    """Validate every row and compare the valid ones with the database, writing nothing.

    ``scope`` rejects the valid rows the importer may not write (another hub's makers); the
    command line imports everything."""
    existing = await list_makers(session=session)
    return plan_rows(table, existing=existing, source=source, validator=validator, scope=scope)


def plan_rows(
    table: CatalogueTable,
    *,
    existing: Iterable[Maker],
    source: str,
    validator: RowValidator | None = None,
    scope: RowScope | None = None,
) -> ImportPlan:
    """:func:`plan_import` on the catalogue as ``existing`` holds it: no database, no event
    loop, only CPU, so the chat upload runs it in a worker (see services.catalogue.upload)."""
    validator = validator or RowValidator.default()
    entries, rejected = validator.validate_table(table)
    listed = {maker.external_id: maker for maker in existing}
    renames = match_renames(entries, listed)
    planned: list[PlannedMaker] = []
    for found in entries:
        entry = _as_renamed(found, renames.get(found.line))
        if entry is None:
            rejected.append(_possible_rename(found, renames[found.line]))
            continue
        current = listed.get(entry.external_id)
        try:
            item = _plan_row(entry, current)
        except ValidationError as error:  # a rule the validator missed: still only this row
            rejected.append(_rejected_by_model(entry, error))
            continue
        problem = scope(item.maker_in, current) if scope is not None else None
        if problem is not None:
            rejected.append(
                RejectedRow(entry.line, entry.external_id, item.maker_in.name, (problem,))
            )
        else:
            planned.append(item)
    rejected.sort(key=lambda row: row.line)
    report = ImportReport(
        source=source,
        format=table.format,
        dry_run=True,
        rows=tuple(item.result for item in planned),
        rejected=tuple(rejected),
        ignored_columns=table.ignored_headers,
    )
    return ImportPlan(report=report, makers=tuple(planned))


async def apply_import(plan: ImportPlan, *, session: AsyncSession) -> ImportReport:
    """Upsert the planned makers and commit; outcomes are the database's, not the plan's.

    If the database changed since planning (a maker paused themselves meanwhile), the planned
    values still win for the columns the file has; re-plan first when that matters.
    """
    makers_in = [item.maker_in for item in plan.makers]
    writes = await compare_makers(session=session, makers_in=makers_in)
    await write_makers(session=session, writes=writes)
    await session.commit()
    return applied_report(plan.report, writes.outcomes)


def applied_report(planned: ImportReport, outcomes: Sequence[UpsertOutcome]) -> ImportReport:
    """A dry run's report as applying it came out (``outcomes`` in the order of its rows)."""
    results = []
    for row, upserted in zip(planned.rows, outcomes, strict=True):
        outcome = _OUTCOMES[upserted]
        changed = row.changed if outcome is Outcome.UPDATED else ()
        results.append(replace(row, outcome=outcome, changed=changed))
    return replace(planned, dry_run=False, rows=tuple(results))


async def import_catalogue(
    table: CatalogueTable,
    *,
    session: AsyncSession,
    source: str,
    dry_run: bool = False,
    validator: RowValidator | None = None,
) -> ImportReport:
    """Plan, and unless ``dry_run`` apply, in one call (the CLI's and the demo seed's path)."""
    plan = await plan_import(table, session=session, source=source, validator=validator)
    if dry_run:
        return plan.report
    return await apply_import(plan, session=session)


def _as_renamed(entry: CatalogueEntry, match: SameMaker | Unclear | None) -> CatalogueEntry | None:
    """The row as the listed maker it is (a rename keeps the maker's id, with a note), itself,
    or ``None`` when it may be one of several (see :mod:`services.catalogue.renames`)."""
    if match is None:
        return entry
    if isinstance(match, Unclear):
        return None
    maker = match.maker
    notes = entry.notes
    if match.renamed:
        params = {"old_name": maker.name, "id": maker.external_id}
        notes = (Note(Column.NAME, "renamed", str(entry.values["name"]), params), *notes)
    return replace(entry, external_id=maker.external_id, id_generated=False, notes=notes)


def _possible_rename(entry: CatalogueEntry, match: SameMaker | Unclear) -> RejectedRow:
    assert isinstance(match, Unclear)
    name = str(entry.values["name"])
    candidates = "; ".join(f"{maker.name} ({maker.external_id})" for maker in match.makers)
    problem = Problem(Column.NAME, "possible_rename", name, {"candidates": candidates})
    return RejectedRow(entry.line, "", name, (problem,))


def maker_in_from_entry(entry: CatalogueEntry, existing: Maker | None = None) -> MakerCreate:
    """The listing a valid row describes, on top of ``existing`` (columns the file lacks and an
    empty status keep the stored values; a new maker is listed)."""
    values: dict[str, Any] = {
        name: value
        for name, value in entry.values.items()
        if not (name == "status" and value is None)
    }
    if existing is None:
        merged: dict[str, Any] = {"status": MakerStatus.LISTED.value, **values}
    else:
        merged = {name: getattr(existing, name) for name in _FIELDS} | values
        if not existing.volume_words and merged.get("volume_words") in _stage_wordings(existing):
            # The export's own words for a listing imported before its words were kept:
            # not the coordinator's, so a round trip changes nothing.
            merged["volume_words"] = []
    merged["external_id"] = entry.external_id
    return MakerCreate.model_validate(merged)


def _stage_wordings(maker: Maker) -> list[list[str]]:
    return [stage_words(maker.volumes, language) for language in EXPORT_LANGUAGES]


def _plan_row(entry: CatalogueEntry, existing: Maker | None) -> PlannedMaker:
    maker_in = maker_in_from_entry(entry, existing)
    changed: tuple[str, ...] = ()
    if existing is None:
        outcome = Outcome.CREATED
    else:
        changed = _changed_fields(existing, maker_in)
        outcome = Outcome.UPDATED if changed else Outcome.UNCHANGED
    result = RowResult(
        line=entry.line,
        external_id=entry.external_id,
        id_generated=entry.id_generated,
        name=maker_in.name,
        outcome=outcome,
        changed=changed,
        notes=entry.notes,
    )
    return PlannedMaker(result=result, maker_in=maker_in)


def _changed_fields(existing: Maker, maker_in: MakerCreate) -> tuple[str, ...]:
    return tuple(name for name in _FIELDS if getattr(existing, name) != getattr(maker_in, name))


def _rejected_by_model(entry: CatalogueEntry, error: ValidationError) -> RejectedRow:
    first = error.errors()[0]
    field_name = str(first["loc"][0]) if first["loc"] else ""
    value = str(first.get("input", ""))[:100]
    problem = Problem(
        _FIELD_COLUMNS.get(field_name, Column.ID),
        "invalid_value",
        value,
        {"detail": first["msg"]},
    )
    name = str(entry.values.get("name", ""))
    return RejectedRow(entry.line, entry.external_id, name, (problem,))
