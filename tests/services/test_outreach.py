"""The outreach log's forgiving syntax, its search, and its export rows."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from services.catalogue.exporter import table_bytes
from services.catalogue.outreach import (
    OutreachDraft,
    OutreachSyntaxError,
    export_rows,
    list_outreach,
    log_outreach,
    parse_outcome,
    parse_outreach,
)
from services.catalogue.reader import CatalogueFormat
from storage.models import OutreachOutcome
from tests.fakes.roles import seeded_hubs

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("words", "outcome"),
    [
        ("Inte intresserad", OutreachOutcome.NOT_INTERESTED),
        ("not interested", OutreachOutcome.NOT_INTERESTED),
        ("nej", OutreachOutcome.NOT_INTERESTED),
        ("kanske senare", OutreachOutcome.MAYBE_LATER),
        ("Maybe later", OutreachOutcome.MAYBE_LATER),
        ("listad", OutreachOutcome.LISTED),
        ("LISTED", OutreachOutcome.LISTED),
        ("väntar", OutreachOutcome.PENDING),
        ("maybe_later", OutreachOutcome.MAYBE_LATER),
    ],
)
def test_outcomes_are_read_in_swedish_and_english(words: str, outcome: OutreachOutcome) -> None:
    assert parse_outcome(words) is outcome


def test_only_the_company_is_needed_and_fields_are_positional() -> None:
    assert parse_outreach(" Glasbruket  AB ") == OutreachDraft("Glasbruket AB")
    assert parse_outreach("Glasbruket AB; Kosta; glas; nej; ring i mars; 2026-11-20") == (
        OutreachDraft(
            "Glasbruket AB",
            "Kosta",
            "glas",
            OutreachOutcome.NOT_INTERESTED,
            "ring i mars",
            date(2026, 11, 20),
        )
    )
    draft = parse_outreach("Ab; ; ; ; a note; with; semicolons")
    assert (draft.place, draft.note, draft.contacted_on) == ("", "a note; with; semicolons", None)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("; Borås", "no_company"),
        ("AB; Borås; ek; jättebra", "outcome"),
        ("AB;;;;;2026-13-45", "date"),
    ],
)
def test_what_cannot_be_read_says_why(text: str, code: str) -> None:
    with pytest.raises(OutreachSyntaxError) as caught:
        parse_outreach(text)
    assert caught.value.code == code


async def test_one_entry_per_company_and_hub_search_tolerates_typos(session: AsyncSession) -> None:
    hubs = await seeded_hubs(session)
    vg, skane = hubs["vastra-gotaland"].id, hubs["skane"].id
    assert vg is not None and skane is not None
    first, created = await log_outreach(
        session=session,
        hub_id=vg,
        draft=parse_outreach("Glasbruket AB; Borås; glas; kanske senare"),
        created_by=2,
        now=NOW,
    )
    again, created_again = await log_outreach(
        session=session,
        hub_id=vg,
        draft=parse_outreach("GLASBRUKET AB;;;listad;avtal klart"),
        created_by=2,
        now=NOW,
    )
    await log_outreach(
        session=session, hub_id=skane, draft=parse_outreach("Glasbruket AB"), created_by=6, now=NOW
    )
    await session.commit()
    assert (created, created_again, first.id) == (True, False, again.id)
    assert (again.outcome, again.place_name, again.municipality_code) == ("listed", "Borås", "1490")
    found = await list_outreach(session=session, hub_ids=[vg], query="glasbruk")
    assert [(e.company, e.hub_id) for e in found] == [("Glasbruket AB", vg)]
    assert await list_outreach(session=session, hub_ids=[vg], query="snickeri") == []
    assert len(await list_outreach(session=session, hub_ids=None)) == 2


def test_exported_rows_never_run_as_formulas() -> None:
    from storage.models import OutreachEntry

    entry = OutreachEntry(
        hub_id=1, company='=HYPERLINK("x")', contacted_on=date(2026, 11, 2), note="+46 70"
    )
    rows = export_rows([entry], {1: "SPOK Västra Götaland"})
    content = table_bytes(rows, CatalogueFormat.CSV, title="Kontaktade").decode("utf-8-sig")
    header, row = csv.reader(io.StringIO(content), delimiter=";")
    assert header == ["company", "place", "material", "contacted_on", "outcome", "note", "hub"]
    assert row == [
        '\'=HYPERLINK("x")',
        "",
        "",
        "2026-11-02",
        "pending",
        "'+46 70",
        "SPOK Västra Götaland",
    ]
