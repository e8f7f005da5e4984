"""The catalogue's columns, their Swedish aliases, statuses and spreadsheet cell escaping."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from rapidfuzz import fuzz, process

from matching.models import MakerStatus, VolumeStage
from matching.text import fold
from services.catalogue.messages import catalogue

# Typos in headers and status cells ("Materal", "pausd") are read as the word they miss, when
# the word is long enough for a spelling guess to be safe and no other word comes as close.
TYPO_CUTOFF = 85
_T = TypeVar("_T")
MIN_TYPO_LENGTH = 5


class Column(StrEnum):
    """Catalogue columns in export order; the values are the header names an export writes."""

    ID = "id"
    NAME = "name"
    MUNICIPALITY = "municipality"
    MATERIALS = "materials"
    PROCESSES = "processes"
    VOLUMES = "volumes"
    DESCRIPTION = "description"
    CONTACT_NAME = "contact_name"
    EMAIL = "email"
    PHONE = "phone"
    WEBSITE = "website"
    STATUS = "status"
    # The fuller listing: optional, after the columns every catalogue has.
    MIN_ORDER = "min_order"
    LEAD_TIME = "lead_time"
    OFFERS = "offers"
    WORKS_WITH = "works_with"
    EQUIPMENT = "equipment"
    PORTFOLIO = "portfolio"


COLUMNS: tuple[Column, ...] = tuple(Column)
REQUIRED_COLUMNS: tuple[Column, ...] = (Column.NAME, Column.MUNICIPALITY)

# Header spellings coordinators use, compared after `header_key` (folded, spaces removed), so
# "E-post", "e post" and "EPOST" are one key and "Ort/Kommun" reads as "ortkommun".
_ALIASES: dict[Column, tuple[str, ...]] = {
    Column.ID: ("id", "nr", "nummer", "externt id", "external id", "maker id"),
    Column.NAME: ("name", "namn", "företag", "företagsnamn", "company", "company name"),
    Column.MUNICIPALITY: (
        "municipality",
        "kommun",
        "ort",
        "plats",
        "ort/kommun",
        "kommun/ort",
        "place",
        "location",
    ),
    Column.MATERIALS: ("materials", "material", "materialer"),
    Column.PROCESSES: (
        "processes",
        "process",
        "processer",
        "tekniker",
        "teknik",
        "tillverkningsmetoder",
        "tillverkningsmetod",
        "metoder",
    ),
    Column.VOLUMES: ("volumes", "volume", "volymer", "volym"),
    Column.DESCRIPTION: ("description", "beskrivning"),
    Column.CONTACT_NAME: ("contact_name", "contact", "kontaktperson", "kontakt"),
    Column.EMAIL: ("email", "e-mail", "e-post", "epost", "mejl", "mail"),
    Column.PHONE: ("phone", "telephone", "telefon", "tel", "telefonnummer", "mobil"),
    Column.WEBSITE: ("website", "web", "url", "webbplats", "hemsida", "webb", "webbsida"),
    Column.STATUS: ("status",),
    Column.MIN_ORDER: (
        "min_order",
        "minsta order",
        "min order",
        "minimum order",
        "minimiorder",
        "moq",
        "minsta antal",
        "minsta serie",
        "minimum quantity",
    ),
    Column.LEAD_TIME: (
        "lead_time",
        "lead time",
        "ledtid",
        "ledtider",
        "leveranstid",
        "leveranstider",
        "delivery time",
    ),
    Column.OFFERS: ("offers", "offer", "erbjuder", "erbjudande", "vi erbjuder", "we offer"),
    Column.WORKS_WITH: (
        "works_with",
        "works with",
        "jobbar med",
        "kunder",
        "kundgrupper",
        "tar uppdrag från",
        "clients",
        "customers",
    ),
    Column.EQUIPMENT: (
        "equipment",
        "machines",
        "machinery",
        "maskiner",
        "utrustning",
        "maskinpark",
        "maskiner och utrustning",
        "maskiner/utrustning",
    ),
    Column.PORTFOLIO: (
        "portfolio",
        "portfölj",
        "portfolio url",
        "portfolio link",
        "portfoliolänk",
        "tidigare arbeten",
    ),
}


def header_key(text: str) -> str:
    """The comparison key of a header cell: folded, with the spaces removed.

    >>> header_key(" Ort/Kommun "), header_key("E-post"), header_key("Företagsnamn")
    ('ortkommun', 'epost', 'foretagsnamn')
    """
    return fold(text).replace(" ", "")


_HEADER_LOOKUP: dict[str, Column] = {
    header_key(alias): column for column, aliases in _ALIASES.items() for alias in aliases
}


@dataclass(frozen=True, slots=True)
class HeaderMap:
    """Which cell index holds which column, and the header cells nobody recognised."""

    positions: dict[Column, int]
    ignored: tuple[str, ...]

    @property
    def has_required(self) -> bool:
        return all(column in self.positions for column in REQUIRED_COLUMNS)


def map_header(cells: Sequence[str]) -> HeaderMap:
    """Match a header row; the first cell naming a column wins, later repeats are ignored.

    >>> header = map_header(["Namn", "Ort", "E-post", "Materal", "Anteckningar"])
    >>> [column.value for column in header.positions], header.ignored
    (['name', 'municipality', 'email', 'materials'], ('Anteckningar',))
    """
    positions: dict[Column, int] = {}
    ignored: list[str] = []
    for index, cell in enumerate(cells):
        text = cell.strip()
        column = _typo_tolerant(header_key(text), _HEADER_LOOKUP)
        if column is not None and column not in positions:
            positions[column] = index
        elif text:
            ignored.append(text)
    return HeaderMap(positions=positions, ignored=tuple(ignored))


_STATUS_WORDS: dict[str, MakerStatus] = {
    **dict.fromkeys(("listed", "listad", "listat", "aktiv", "active"), MakerStatus.LISTED),
    **dict.fromkeys(("paused", "pausad", "pausat", "paus", "vilande"), MakerStatus.PAUSED),
    **dict.fromkeys(
        ("unlisted", "avlistad", "avlistat", "ej listad", "inte listad", "inaktiv", "inactive"),
        MakerStatus.UNLISTED,
    ),
}


def parse_status(text: str) -> MakerStatus | None:
    """Read a status cell in English or Swedish; ``None`` when the wording is unknown.

    >>> parse_status("Pausad"), parse_status("ej listad"), parse_status("maybe")
    (<MakerStatus.PAUSED: 'paused'>, <MakerStatus.UNLISTED: 'unlisted'>, None)
    >>> parse_status("pausd"), parse_status("avlistd")
    (<MakerStatus.PAUSED: 'paused'>, <MakerStatus.UNLISTED: 'unlisted'>)
    """
    return _typo_tolerant(fold(text), _STATUS_WORDS)


def _typo_tolerant(key: str, lookup: dict[str, _T]) -> _T | None:
    """``lookup[key]``, else the value of the one clearly closest key (typos)."""
    if key in lookup:
        return lookup[key]
    if len(key) < MIN_TYPO_LENGTH:
        return None
    found = process.extract(key, list(lookup), scorer=fuzz.ratio, limit=2)
    if not found or found[0][1] < TYPO_CUTOFF:
        return None
    best = lookup[found[0][0]]
    if len(found) > 1 and found[1][1] >= TYPO_CUTOFF and lookup[found[1][0]] != best:
        return None  # as close to two different meanings: no guess
    return best


def header_name(column: Column, language: str) -> str:
    """The header an export in ``language`` writes for ``column`` (an import alias)."""
    return catalogue(language)[f"column.{column.value}"]


def status_word(status: str, language: str) -> str:
    """A listing's status as an export in ``language`` writes it ("pausad")."""
    return catalogue(language).get(f"export.status.{status}", status)


def stage_words(volumes: Sequence[str], language: str) -> list[str]:
    """Volume stages in an export's words, for a listing whose own words were never kept.

    >>> stage_words(["prototype", "pilot"], "sv")
    ['prototyp', 'småserie']
    """
    words = catalogue(language)
    return [words[f"export.volume.{v}"] for v in volumes if f"export.volume.{v}" in words]


EXPORT_LANGUAGES = ("sv", "en")
STAGES = tuple(stage.value for stage in VolumeStage)


# OWASP "CSV injection": a spreadsheet runs a cell starting with one of these as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_ESCAPE = "'"
# Apostrophes before a trigger: a value that already looks escaped is escaped once more, so
# that unescaping always gives back exactly the exported value.
_ESCAPED = re.compile(r"'*[=+\-@\t\r]")


def escape_cell(value: str) -> str:
    """Prefix a formula-looking cell with an apostrophe so spreadsheets show it as text.

    >>> escape_cell("+46 70 174 06 05"), escape_cell("Ek"), escape_cell("'=1")
    ("'+46 70 174 06 05", 'Ek', "''=1")
    """
    return _ESCAPE + value if _ESCAPED.match(value) else value


def unescape_cell(value: str) -> str:
    """Remove exactly the apostrophe `escape_cell` added, and nothing else.

    >>> unescape_cell("'=SUM(A1)"), unescape_cell("'tis the season"), unescape_cell("''=1")
    ('=SUM(A1)', "'tis the season", "'=1")
    """
    if value.startswith(_ESCAPE) and _ESCAPED.match(value, 1):
        return value[1:]
    return value
