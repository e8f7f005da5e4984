"""Validate catalogue rows: every problem of a row is found and named with its column.

A row is *rejected* (nothing of it stored) only when a person could not read it either: no
name, no place, a place that is no Swedish place or could be several, or an id used twice.
Everything else is imported as written, with a *note*: a material or process word the
taxonomy does not know stays on the listing as the maker's own word (searchable like any
other), with a suggestion when it looks like a typo ("'jeresy' is not a word we know — did
you mean 'jersey'?"); an unreadable volume word is kept as written; an e-mail address or a
phone number of an odd shape is kept as typed (a person reads it); a web address that is no
web address is left out (it would be shown as a link); an unknown status keeps the listing's
status (a new maker is listed). The fuller listing's cells are read the same way: a minimum
order or lead time that is no number of pieces or days, and an offer or kind of client we do not
ask about, are left out with a note (:mod:`services.catalogue.listing_fields`).

The place resolver and the word check are injected (defaults: the real place index and the
matching core's interpretation, :mod:`services.catalogue.defaults`), so the rules can be
tested with small fakes.

Rows without an id get a deterministic one, ``<name-slug>-<municipality code>`` (for example
``snickeri-ekdahl-ab-1480``): re-importing the same sheet updates the same makers, and the export
writes the id back so the next round trip carries it explicitly.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from matching.models import VolumeStage
from matching.text import fold, split_list
from matching.volume import parse_volume_list
from services.catalogue import messages
from services.catalogue.columns import Column, parse_status
from services.catalogue.listing_fields import (
    parse_clients,
    parse_lead_time_days,
    parse_min_order,
    parse_offers,
)
from services.catalogue.reader import CatalogueTable, SourceRow

GENERATED_ID_MAX_SLUG = 48


@dataclass(frozen=True, slots=True)
class ResolvedPlace:
    municipality_code: str
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class PlaceLookup:
    """One resolution: ``place`` when unambiguous, else the candidates' labels (maybe none).

    ``example`` is how to write the first candidate so that it resolves uniquely ("Viken,
    Höganäs"); ``county`` names the county when the text named one instead of a place.
    """

    place: ResolvedPlace | None
    candidates: tuple[str, ...] = ()
    example: str = ""
    county: str = ""
    corrected: bool = False  # the text is no place as written; ``example`` is the likely one


PlaceResolver = Callable[[str], PlaceLookup]


@dataclass(frozen=True, slots=True)
class WordVerdict:
    """Whether a materials or processes item names something the taxonomy knows; if not, the
    closest word it does know ("" when nothing is close)."""

    known: bool
    suggestion: str = ""


WordCheck = Callable[[str], WordVerdict]


@dataclass(frozen=True, slots=True)
class Problem:
    column: Column
    code: str  # a key of the catalogue's ``row`` section
    value: str
    params: Mapping[str, str] = field(default_factory=dict)

    @property
    def reason(self) -> str:
        return messages.reason("row", self.code, {"value": self.value, **self.params})


@dataclass(frozen=True, slots=True)
class Note:
    """Something about a row that was imported anyway (``code`` keys the ``note`` section)."""

    column: Column
    code: str
    value: str
    params: Mapping[str, str] = field(default_factory=dict)

    @property
    def reason(self) -> str:
        return messages.reason("note", self.code, {"value": self.value, **self.params})


@dataclass(frozen=True, slots=True)
class RejectedRow:
    line: int
    external_id: str
    name: str
    problems: tuple[Problem, ...]


@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    """A valid row: ``values`` holds MakerCreate fields for the columns the file has."""

    line: int
    external_id: str
    id_generated: bool
    values: dict[str, object]
    notes: tuple[Note, ...] = ()


class RowValidator:
    def __init__(self, *, resolve_place: PlaceResolver, check_word: WordCheck) -> None:
        self._resolve_place = resolve_place
        self._check_word = check_word
        self._places: dict[str, PlaceLookup] = {}
        self._words: dict[str, WordVerdict] = {}

    @classmethod
    def default(cls) -> RowValidator:
        """Validate against the real place index and taxonomy (loaded here, once per call)."""
        from services.catalogue.defaults import default_place_resolver, default_word_check

        return cls(resolve_place=default_place_resolver(), check_word=default_word_check())

    def validate_table(
        self, table: CatalogueTable
    ) -> tuple[list[CatalogueEntry], list[RejectedRow]]:
        """Validate every row; an id seen before rejects the later row and names the first."""
        accepted: list[CatalogueEntry] = []
        rejected: list[RejectedRow] = []
        first_line: dict[str, int] = {}
        for row in table.rows:
            entry, problems = self.validate_row(row, table.columns)
            external_id = entry.external_id if entry else row.cells.get(Column.ID, "")
            if external_id in first_line:
                params = {"first_line": str(first_line[external_id])}
                problems.insert(0, Problem(Column.ID, "duplicate_id", external_id, params))
            elif external_id:
                first_line[external_id] = row.line
            if entry is not None and not problems:
                accepted.append(entry)
            else:
                name = row.cells.get(Column.NAME, "")
                rejected.append(RejectedRow(row.line, external_id, name, tuple(problems)))
        return accepted, rejected

    def validate_row(
        self, row: SourceRow, columns: Iterable[Column]
    ) -> tuple[CatalogueEntry | None, list[Problem]]:
        cells = row.cells
        problems: list[Problem] = []
        notes: list[Note] = []
        values: dict[str, object] = {}
        name = cells.get(Column.NAME, "")
        if not name:
            problems.append(Problem(Column.NAME, "required", "", {"column": "name"}))
        values["name"] = name
        place = self._place(cells.get(Column.MUNICIPALITY, ""), problems)
        if place is not None:
            values["place_name"] = cells[Column.MUNICIPALITY]
            values["municipality_code"] = place.municipality_code
            values["lat"], values["lon"] = place.lat, place.lon
        for column in columns:
            if column in _FIELD_READERS:
                field_name, read = _FIELD_READERS[column]
                values[field_name] = read(self, cells.get(column, ""), notes)
        if "volumes" in values:  # the words as written, which the export writes back
            values["volume_words"] = split_list(cells.get(Column.VOLUMES, ""))
        if problems or place is None:
            return None, problems
        external_id = cells.get(Column.ID, "")
        generated = not external_id
        if generated:
            external_id = generated_id(name, place.municipality_code)
        entry = CatalogueEntry(row.line, external_id, generated, values, tuple(notes))
        return entry, problems

    def _place(self, text: str, problems: list[Problem]) -> ResolvedPlace | None:
        if not text:
            problems.append(
                Problem(Column.MUNICIPALITY, "required", "", {"column": "municipality"})
            )
            return None
        # Keyed on the text as typed: typed diacritics tell Håbo from Habo.
        if text not in self._places:
            self._places[text] = self._resolve_place(text)
        lookup = self._places[text]
        if lookup.place is not None:
            return lookup.place
        if lookup.corrected:
            params = {"example": lookup.example, "candidates": "; ".join(lookup.candidates[:5])}
            problems.append(Problem(Column.MUNICIPALITY, "place_corrected", text, params))
        elif lookup.candidates:
            shown = lookup.candidates[:5]
            params = {"candidates": "; ".join(shown), "example": lookup.example or shown[0]}
            problems.append(Problem(Column.MUNICIPALITY, "place_ambiguous", text, params))
        elif lookup.county:
            params = {"county": lookup.county}
            problems.append(Problem(Column.MUNICIPALITY, "place_is_county", text, params))
        else:
            problems.append(Problem(Column.MUNICIPALITY, "place_not_found", text))
        return None

    def _materials(self, cell: str, notes: list[Note]) -> list[str]:
        return self._own_words(Column.MATERIALS, cell, notes)

    def _processes(self, cell: str, notes: list[Note]) -> list[str]:
        return self._own_words(Column.PROCESSES, cell, notes)

    def _own_words(self, column: Column, cell: str, notes: list[Note]) -> list[str]:
        """The items as written, each kept; a note for each the taxonomy does not know."""
        items = split_list(cell)
        for item in items:
            if item not in self._words:
                self._words[item] = self._check_word(item)
            verdict = self._words[item]
            if verdict.known:
                continue
            if verdict.suggestion and fold(verdict.suggestion) != fold(item):
                notes.append(
                    Note(column, "word_suggestion", item, {"suggestion": verdict.suggestion})
                )
            else:
                notes.append(Note(column, "word_unknown", item))
        return items

    def _volumes(self, cell: str, notes: list[Note]) -> list[str]:
        stages, unknown = parse_volume_list(cell)
        notes.extend(Note(Column.VOLUMES, "volume_unknown", item) for item in unknown)
        return [stage.value for stage in VolumeStage if stage in stages]

    def _text(self, cell: str, notes: list[Note]) -> str:
        return cell

    def _optional_text(self, cell: str, notes: list[Note]) -> str | None:
        return cell or None

    def _email(self, cell: str, notes: list[Note]) -> str | None:
        value = re.sub(r"^mailto:", "", cell, flags=re.IGNORECASE).strip()
        if value and not _EMAIL.fullmatch(value):
            notes.append(Note(Column.EMAIL, "email_invalid", cell))
        return value or None

    def _phone(self, cell: str, notes: list[Note]) -> str | None:
        value = " ".join(cell.split())
        if value and not all(is_phone_number(part) for part in re.split(r"\s*[,;]\s*", value)):
            notes.append(Note(Column.PHONE, "phone_invalid", cell))
        return value or None

    def _website(self, cell: str, notes: list[Note]) -> str | None:
        if not cell:
            return None
        url = normalise_url(cell)
        if url is None:
            notes.append(Note(Column.WEBSITE, "url_invalid", cell))
        return url

    def _status(self, cell: str, notes: list[Note]) -> str | None:
        """``None`` for an empty or unknown cell: an existing maker keeps its status, a new
        one is listed."""
        if not cell:
            return None
        status = parse_status(cell)
        if status is None:
            notes.append(Note(Column.STATUS, "status_unknown", cell))
            return None
        return status.value

    def _min_order(self, cell: str, notes: list[Note]) -> int | None:
        if not cell:
            return None
        pieces = parse_min_order(cell)
        if pieces is None:
            notes.append(Note(Column.MIN_ORDER, "min_order_unknown", cell))
        return pieces

    def _lead_time(self, cell: str, notes: list[Note]) -> int | None:
        if not cell:
            return None
        days = parse_lead_time_days(cell)
        if days is None:
            notes.append(Note(Column.LEAD_TIME, "lead_time_unknown", cell))
        return days

    def _offers(self, cell: str, notes: list[Note]) -> list[str]:
        offers, unknown = parse_offers(cell)
        notes.extend(Note(Column.OFFERS, "offer_unknown", item) for item in unknown)
        return offers

    def _clients(self, cell: str, notes: list[Note]) -> list[str]:
        clients, unknown = parse_clients(cell)
        notes.extend(Note(Column.WORKS_WITH, "client_unknown", item) for item in unknown)
        return clients

    def _portfolio(self, cell: str, notes: list[Note]) -> str | None:
        if not cell:
            return None
        url = normalise_url(cell)
        if url is None:
            notes.append(Note(Column.PORTFOLIO, "url_invalid", cell))
        return url


_Reader = Callable[[RowValidator, str, list[Note]], object]
_FIELD_READERS: dict[Column, tuple[str, _Reader]] = {
    Column.MATERIALS: ("materials", RowValidator._materials),
    Column.PROCESSES: ("processes", RowValidator._processes),
    Column.VOLUMES: ("volumes", RowValidator._volumes),
    Column.DESCRIPTION: ("description", RowValidator._text),
    Column.CONTACT_NAME: ("contact_name", RowValidator._optional_text),
    Column.EMAIL: ("email", RowValidator._email),
    Column.PHONE: ("phone", RowValidator._phone),
    Column.WEBSITE: ("website", RowValidator._website),
    Column.STATUS: ("status", RowValidator._status),
    Column.MIN_ORDER: ("min_order", RowValidator._min_order),
    Column.LEAD_TIME: ("lead_time_days", RowValidator._lead_time),
    Column.OFFERS: ("offers", RowValidator._offers),
    Column.WORKS_WITH: ("works_with", RowValidator._clients),
    Column.EQUIPMENT: ("equipment", RowValidator._text),
    Column.PORTFOLIO: ("portfolio_url", RowValidator._portfolio),
}

_EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_]{2,}")
_HOST = re.compile(r"(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_]{2,}")
_PHONE_SHAPE = re.compile(r"\+?[\d\s()./-]+")


def is_phone_number(text: str) -> bool:
    """A Swedish number with its area code, or an international one with a leading + / 00.

    >>> [is_phone_number(t) for t in ("031-123 45 67", "+46 70 174 06 05", "0701740605")]
    [True, True, True]
    >>> [is_phone_number(t) for t in ("123 45", "070-ABC", "+46 (0)70 174 06 05")]
    [False, False, True]
    """
    if not _PHONE_SHAPE.fullmatch(text):
        return False
    digits = re.sub(r"\D", "", text)
    if text.startswith("+") or digits.startswith("00"):
        digits = digits.removeprefix("00")
        if digits.startswith("46"):  # "+46 (0)70 …" keeps the trunk zero: drop it
            national = digits[2:].removeprefix("0")
            return 7 <= len(national) <= 9
        return 8 <= len(digits) <= 15
    return digits.startswith("0") and 7 <= len(digits) <= 10


def normalise_url(text: str) -> str | None:
    """A web address with a scheme (https:// added when missing), or ``None`` if it is not one.

    >>> normalise_url("www.Snickeri.se/om"), normalise_url("http://x.se")
    ('https://www.snickeri.se/om', 'http://x.se')
    >>> normalise_url("ek, björk") is None
    True
    """
    value = text.strip()
    if not value or any(ch.isspace() for ch in value):
        return None
    if not re.match(r"[a-z][a-z0-9+.-]*://", value, re.IGNORECASE):
        value = "https://" + value
    try:
        parts = urlsplit(value)
        host = parts.hostname or ""
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not _HOST.fullmatch(host):
        return None
    netloc = parts.netloc.rsplit("@", 1)[-1].lower()
    return urlunsplit((parts.scheme.lower(), netloc, parts.path, parts.query, parts.fragment))


def generated_id(name: str, municipality_code: str) -> str:
    """The id of a row that has none: the folded name as a slug plus the municipality code.

    >>> generated_id("Snickeri Ekdahl AB", "1480")
    'snickeri-ekdahl-ab-1480'
    """
    slug = fold(name).replace(" ", "-")[:GENERATED_ID_MAX_SLUG].strip("-")
    return f"{slug or 'maker'}-{municipality_code}"
