"""The importer's place check against the real place data: exact or asked about, never guessed."""

from services.catalogue.defaults import default_place_resolver
from services.catalogue.reader import read_catalogue_bytes
from services.catalogue.validation import RowValidator


def test_exact_names_resolve() -> None:
    resolve = default_place_resolver()
    lookup = resolve("Göteborgs stad")
    assert lookup.place is not None and lookup.place.municipality_code == "1480"


def test_a_typo_guess_is_not_stored_but_asked_about() -> None:
    resolve = default_place_resolver()
    lookup = resolve("Skene")  # not in the data; the nearest spelling is Skee, 100 km away
    assert lookup.place is None and lookup.corrected
    assert lookup.example == "Skee"


def test_the_ambiguity_hint_is_a_spelling_that_resolves() -> None:
    resolve = default_place_resolver()
    lookup = resolve("Habo")
    assert lookup.place is None and lookup.example == "Habo, Jönköpings län"
    again = resolve(lookup.example)
    assert again.place is not None and again.place.municipality_code == "0643"


def test_a_row_with_a_guessed_place_is_rejected_with_the_suggestion() -> None:
    table = read_catalogue_bytes(
        "id,name,municipality,materials\n"
        "a,Skeneväveriet,Skene,ull\n"
        "b,Göteborgsväveriet,Göteborg,ull\n".encode()
    )
    accepted, rejected = RowValidator.default().validate_table(table)
    assert [entry.external_id for entry in accepted] == ["b"]
    (problem,) = rejected[0].problems
    assert problem.code == "place_corrected" and '"Skee"' in problem.reason
