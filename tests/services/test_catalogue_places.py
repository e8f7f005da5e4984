"""The importer's place check against the real place data: exact or asked about, never guessed."""

from sqlmodel.ext.asyncio.session import AsyncSession

from matching.places import haversine_km
from services.catalogue.defaults import default_place_resolver
from services.catalogue.importer import import_catalogue
from services.catalogue.reader import read_catalogue_bytes
from services.catalogue.validation import RowValidator
from storage.repositories.makers import list_makers

SKENE = (57.487, 12.644)  # Skene in Marks kommun; Skee (Strömstad) is 170 km away


def test_exact_names_resolve() -> None:
    resolve = default_place_resolver()
    lookup = resolve("Göteborgs stad")
    assert lookup.place is not None and lookup.place.municipality_code == "1480"


def test_a_place_that_exists_is_taken_as_written() -> None:
    resolve = default_place_resolver()
    for text, code in [("Skene", "1463"), ("Hisingen", "1480"), ("Jkpg", "0680")]:
        lookup = resolve(text)
        assert lookup.place is not None and not lookup.corrected, text
        assert lookup.place.municipality_code == code, text
    skene = resolve("Skene").place
    assert skene is not None and haversine_km(skene.lat, skene.lon, *SKENE) < 2


def test_a_typo_guess_is_not_stored_but_asked_about() -> None:
    resolve = default_place_resolver()
    lookup = resolve("Göterborg")  # no place as written; the nearest spelling is Göteborg
    assert lookup.place is None and lookup.corrected
    assert lookup.example == "Göteborg"


def test_the_ambiguity_hint_is_a_spelling_that_resolves() -> None:
    resolve = default_place_resolver()
    lookup = resolve("Habo")
    assert lookup.place is None and lookup.example == "Habo, Jönköpings län"
    again = resolve(lookup.example)
    assert again.place is not None and again.place.municipality_code == "0643"


def test_a_row_with_a_guessed_place_is_rejected_with_the_suggestion() -> None:
    table = read_catalogue_bytes(
        "id,name,municipality,materials\n"
        "a,Göterborgsväveriet,Göterborg,ull\n"
        "b,Skeneväveriet,Skene,ull\n".encode()
    )
    accepted, rejected = RowValidator.default().validate_table(table)
    assert [entry.external_id for entry in accepted] == ["b"]
    (problem,) = rejected[0].problems
    assert problem.code == "place_corrected" and '"Göteborg"' in problem.reason


async def test_a_skene_row_is_stored_in_mark_with_skenes_coordinates(
    session: AsyncSession,
) -> None:
    table = read_catalogue_bytes(
        "id,name,municipality,materials\nmk-1,Skeneväveriet,Skene,ull\n".encode()
    )
    report = await import_catalogue(
        table, session=session, source="test", dry_run=False, validator=RowValidator.default()
    )
    assert report.counts()["created"] == 1 and report.counts()["rejected"] == 0
    (maker,) = await list_makers(session=session)
    assert (maker.place_name, maker.municipality_code) == ("Skene", "1463")
    assert maker.lat is not None and maker.lon is not None
    assert haversine_km(maker.lat, maker.lon, *SKENE) < 2
