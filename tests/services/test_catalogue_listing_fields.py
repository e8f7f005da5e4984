"""The fuller listing's columns: Swedish and English headers, notes for what cannot be read, and
an export that the import reads back to exactly the same values."""

from __future__ import annotations

import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from matching.models import CLIENT_ORDER, OFFER_ORDER
from services.catalogue.columns import Column, map_header
from services.catalogue.exporter import EXPORT_FORMATS, export_catalogue
from services.catalogue.importer import import_catalogue
from services.catalogue.listing_fields import (
    client_words,
    lead_time_words,
    min_order_words,
    offer_words,
    parse_clients,
    parse_lead_time_days,
    parse_min_order,
    parse_offers,
)
from services.catalogue.reader import CatalogueFormat, read_catalogue_bytes
from services.catalogue.validation import RowValidator
from storage.models import Maker
from storage.repositories.makers import CATALOGUE_FIELDS, list_makers
from tests.services.test_catalogue_support import fake_validator

NEW_FIELDS = (
    "min_order",
    "lead_time_days",
    "offers",
    "works_with",
    "equipment",
    "portfolio_url",
)


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("2 veckor", 14),
        ("10 dagar", 10),
        ("1 mån", 30),
        ("2 månader", 60),
        ("ca 3 veckor", 21),
        ("2–3 v", 21),  # the upper end: what the maker can promise
        ("1,5 veckor", 11),
        ("6 weeks", 42),
        ("1 month", 30),
        ("14", 14),  # a bare number is days
    ],
)
def test_lead_times_are_read_in_days(text: str, days: int) -> None:
    assert parse_lead_time_days(text) == days


@pytest.mark.parametrize("text", ["snabbt", "4 år", "", "0 dagar"])
def test_an_unreadable_lead_time_is_none(text: str) -> None:
    assert parse_lead_time_days(text) is None


@pytest.mark.parametrize(
    ("text", "pieces"),
    [("50", 50), ("50 st", 50), ("från 50 st", 50), ("MOQ 1 000 pcs", 1000), ("ingen", 1)],
)
def test_minimum_orders_are_read_in_pieces(text: str, pieces: int) -> None:
    assert parse_min_order(text) == pieces


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_exports_words_read_back_to_the_same_values(language: str) -> None:
    for days in (1, 7, 10, 14, 30, 45, 60, 90):
        assert parse_lead_time_days(lead_time_words(days, language)) == days
    assert parse_min_order(min_order_words(250, language)) == 250
    every_offer = [offer.value for offer in OFFER_ORDER]
    every_client = [client.value for client in CLIENT_ORDER]
    assert parse_offers(", ".join(offer_words(every_offer, language))) == (every_offer, [])
    assert parse_clients(", ".join(client_words(every_client, language))) == (every_client, [])


def test_swedish_and_english_headers_name_the_new_columns() -> None:
    swedish = map_header(
        ["Namn", "Ort", "MOQ", "Leveranstid", "Erbjuder", "Jobbar med", "Maskiner", "Portfölj"]
    )
    english = map_header(
        ["name", "place", "minimum order", "lead time", "offers", "works with", "equipment"]
    )
    other_spellings = map_header(["Minsta order", "Ledtid", "Utrustning", "Kunder", "Hemsida"])
    new = [
        Column.MIN_ORDER,
        Column.LEAD_TIME,
        Column.OFFERS,
        Column.WORKS_WITH,
        Column.EQUIPMENT,
    ]
    assert list(swedish.positions)[2:] == [*new, Column.PORTFOLIO]
    assert list(english.positions)[2:] == new
    assert list(other_spellings.positions) == [
        Column.MIN_ORDER,
        Column.LEAD_TIME,
        Column.EQUIPMENT,
        Column.WORKS_WITH,
        Column.WEBSITE,  # "hemsida" stays the website
    ]
    assert swedish.ignored == english.ignored == other_spellings.ignored == ()


async def test_the_new_columns_are_imported(session: AsyncSession) -> None:
    data = (
        "namn;kommun;minsta order;ledtid;erbjuder;jobbar med;maskiner;portfolio\n"
        "Plåt & Form AB;Göteborg;från 50 st;ca 3 veckor;Komponenter, ytbehandling;"
        "studenter, företag;kantpress 100 t, fiberlaser;plat.example.se/jobb\n"
    ).encode()
    report = await import_catalogue(
        read_catalogue_bytes(data), session=session, source="t", validator=fake_validator()
    )

    assert report.all_accepted and report.counts()["notes"] == 0, report.to_text()
    (maker,) = await list_makers(session=session)
    assert maker.min_order == 50
    assert maker.lead_time_days == 21
    assert maker.offers == ["parts", "surface_treatment"]
    assert maker.works_with == ["students", "companies"]
    assert maker.equipment == "kantpress 100 t, fiberlaser"
    assert maker.portfolio_url == "https://plat.example.se/jobb"


async def test_unreadable_values_are_noted_and_left_out_not_rejected(
    session: AsyncSession,
) -> None:
    data = (
        "name;municipality;MOQ;lead time;offers;works with;portfolio\n"
        "Plåt & Form AB;Göteborg;många;snabbt;parts, rådgivning;companies, vänner;ek, björk\n"
    ).encode()
    report = await import_catalogue(
        read_catalogue_bytes(data), session=session, source="t", validator=fake_validator()
    )

    assert report.counts()["created"] == 1 and report.counts()["rejected"] == 0
    codes = [(note.column, note.code, note.value) for row in report.rows for note in row.notes]
    assert codes == [
        (Column.MIN_ORDER, "min_order_unknown", "många"),
        (Column.LEAD_TIME, "lead_time_unknown", "snabbt"),
        (Column.OFFERS, "offer_unknown", "rådgivning"),
        (Column.WORKS_WITH, "client_unknown", "vänner"),
        (Column.PORTFOLIO, "url_invalid", "ek, björk"),
    ]
    (maker,) = await list_makers(session=session)
    assert (maker.min_order, maker.lead_time_days, maker.portfolio_url) == (None, None, None)
    assert (maker.offers, maker.works_with) == (["parts"], ["companies"])


async def test_a_sheet_without_the_new_columns_keeps_them_and_the_photos(
    session: AsyncSession,
) -> None:
    validator = fake_validator()
    full = (
        "id;namn;kommun;minsta order;ledtid;erbjuder;jobbar med;maskiner;portfolio\n"
        "p-1;Plåt & Form AB;Göteborg;50;3 veckor;komponenter;företag;fiberlaser;plat.example.se\n"
    ).encode()
    await import_catalogue(
        read_catalogue_bytes(full), session=session, source="t", validator=validator
    )
    (maker,) = await list_makers(session=session)
    maker.photos = ["photo-a", "photo-b"]
    session.add(maker)
    await session.commit()

    short = "id;namn;kommun\np-1;Plåt & Form AB;Göteborg\n".encode()
    report = await import_catalogue(
        read_catalogue_bytes(short), session=session, source="t", validator=validator
    )

    assert report.counts()["unchanged"] == 1
    (maker,) = await list_makers(session=session)
    assert (maker.min_order, maker.lead_time_days, maker.equipment) == (50, 21, "fiberlaser")
    assert maker.photos == ["photo-a", "photo-b"]


def _snapshot(makers: list[Maker]) -> list[dict[str, object]]:
    return [{name: getattr(maker, name) for name in CATALOGUE_FIELDS} for maker in makers]


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("fmt", list(EXPORT_FORMATS))
async def test_export_and_import_round_trip_every_new_field(
    session: AsyncSession, fmt: CatalogueFormat, language: str
) -> None:
    validator: RowValidator = fake_validator()
    data = (
        "id;namn;kommun;minsta order;ledtid;erbjuder;jobbar med;maskiner;portfolio\n"
        "p-1;Plåt & Form AB;Göteborg;50 st;2–3 veckor;produkter, komponenter, material, "
        "ytbehandling, verktyg, hantverk;alla;=kantpress 100 t, -fiberlaser;plat.example.se\n"
        "p-2;Ullverket;Borås;1;45 dagar;hantverk;studenter, enskild firma;vävstol;\n"
        "p-3;Tomma Verkstaden;Malmö;;;;;;\n"
    ).encode()
    first = await import_catalogue(
        read_catalogue_bytes(data), session=session, source="t", validator=validator
    )
    assert first.all_accepted and first.counts()["notes"] == 0, first.to_text()
    before = _snapshot(await list_makers(session=session))
    by_id = {row["external_id"]: row for row in before}
    assert by_id["p-1"]["works_with"] == [kind.value for kind in CLIENT_ORDER]
    assert by_id["p-1"]["offers"] == [offer.value for offer in OFFER_ORDER]
    assert by_id["p-1"]["equipment"] == "=kantpress 100 t, -fiberlaser"
    assert all(by_id["p-3"][name] in (None, [], "") for name in NEW_FIELDS)

    exported, _ = await export_catalogue(session=session, fmt=fmt, language=language)
    table = read_catalogue_bytes(exported)
    again = await import_catalogue(table, session=session, source="export", validator=validator)

    assert table.ignored_headers == ()
    assert set(NEW_FIELDS) <= set(CATALOGUE_FIELDS)
    assert again.counts()["unchanged"] == 3 and again.counts()["notes"] == 0, again.to_text()
    assert _snapshot(await list_makers(session=session)) == before
