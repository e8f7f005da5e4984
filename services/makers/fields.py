"""The listing fields a maker edits through /profile: how a typed value is read and how a
value is shown (to the maker, and to the coordinator who approves it, old → new).

Values are kept as the JSON a :class:`~storage.models.MakerListingChange` stores (ints, strings,
lists of enum values), exactly what the ``Maker`` attribute holds, so approving a change is
one assignment per field.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from matching.text import fold
from services.catalogue.listing_fields import (
    lead_time_words,
    parse_clients,
    parse_lead_time_days,
    parse_min_order,
    parse_offers,
)
from services.catalogue.validation import normalise_url
from services.makers.texts import ProfileTexts
from storage.models import Maker

__all__ = [
    "EDITABLE",
    "MAX_DESCRIPTION_CHARS",
    "MAX_EQUIPMENT_CHARS",
    "ListingField",
    "Reading",
    "current_value",
    "empty_value",
    "is_clearing",
    "read_value",
    "show_value",
]

MAX_DESCRIPTION_CHARS = 1000
MAX_EQUIPMENT_CHARS = 500
# Words that remove a value ("-" folds to ""); for a minimum order "ingen" means "no minimum".
_REMOVE_WORDS = frozenset({"", "ta bort", "radera", "remove", "delete"})
_NONE_WORDS = frozenset({"ingen", "inget", "inga", "none", "nothing"})


class ListingField(StrEnum):
    """An editable field; the value is what a button's data carries (short, stable)."""

    DESCRIPTION = "description"
    MIN_ORDER = "min_order"
    LEAD_TIME = "lead_time"
    OFFERS = "offers"
    WORKS_WITH = "works_with"
    EQUIPMENT = "equipment"
    PORTFOLIO = "portfolio"
    PHOTOS = "photos"

    @property
    def attribute(self) -> str:
        """The ``Maker`` attribute the field sets."""
        return _ATTRIBUTES.get(self, self.value)


_ATTRIBUTES = {
    ListingField.LEAD_TIME: "lead_time_days",
    ListingField.PORTFOLIO: "portfolio_url",
}
EDITABLE: tuple[ListingField, ...] = tuple(ListingField)
_EMPTY: dict[ListingField, object] = {
    ListingField.DESCRIPTION: "",
    ListingField.EQUIPMENT: "",
    ListingField.MIN_ORDER: None,
    ListingField.LEAD_TIME: None,
    ListingField.PORTFOLIO: None,
    ListingField.OFFERS: [],
    ListingField.WORKS_WITH: [],
    ListingField.PHOTOS: [],
}


@dataclass(frozen=True, slots=True)
class Reading:
    """A typed value read: ``value`` when it could be, else ``problem`` (a text key) and what
    could not be read (``detail``)."""

    value: object = None
    problem: str = ""
    detail: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


def current_value(maker: Maker, field: ListingField) -> object:
    value = getattr(maker, field.attribute)
    return list(value) if isinstance(value, list) else value


def empty_value(field: ListingField) -> object:
    value = _EMPTY[field]
    return list(value) if isinstance(value, list) else value


def is_clearing(text: str, field: ListingField | None = None) -> bool:
    """Whether ``text`` removes the value ("-", "ta bort"; "ingen" too, but not for a minimum
    order, where it means "no minimum")."""
    key = fold(text)
    return key in _REMOVE_WORDS or (field is not ListingField.MIN_ORDER and key in _NONE_WORDS)


def read_value(field: ListingField, text: str) -> Reading:
    """``text`` as the field's value; "-" or "ingen" clear it (a minimum order "ingen" is 1)."""
    text = text.strip()
    if is_clearing(text, field):
        return Reading(empty_value(field))
    if field is ListingField.MIN_ORDER:
        pieces = parse_min_order(text)
        return Reading(pieces) if pieces is not None else Reading(problem="edit.bad.min_order")
    if field is ListingField.LEAD_TIME:
        days = parse_lead_time_days(text)
        return Reading(days) if days is not None else Reading(problem="edit.bad.lead_time")
    if field in (ListingField.OFFERS, ListingField.WORKS_WITH):
        parse = parse_offers if field is ListingField.OFFERS else parse_clients
        values, unknown = parse(text)
        if unknown or not values:
            return Reading(problem=f"edit.bad.{field.value}", detail=", ".join(unknown) or text)
        return Reading(values)
    if field is ListingField.PORTFOLIO:
        url = normalise_url(text)
        return Reading(url) if url is not None else Reading(problem="edit.bad.portfolio")
    if field is ListingField.DESCRIPTION:
        return _bounded(text, MAX_DESCRIPTION_CHARS)
    if field is ListingField.EQUIPMENT:
        return _bounded(text, MAX_EQUIPMENT_CHARS)
    return Reading(problem="edit.use_photos")  # photos are sent, not typed


def _bounded(text: str, limit: int) -> Reading:
    if len(text) > limit:
        return Reading(problem="edit.too_long", detail=str(limit))
    return Reading(text)


def show_value(field: ListingField, value: object, language: str) -> str:
    """The value as a person reads it ("3 veckor", "komponenter, ytbehandling", "2 bilder");
    "–" when it is not stated. Plain text: the caller escapes it."""
    t = ProfileTexts(language)
    if value in (None, "", []):
        return t.plain("profile.none")
    if field is ListingField.MIN_ORDER:
        return t.plain("listing.pieces", count=value)
    if field is ListingField.LEAD_TIME and isinstance(value, int):
        return lead_time_words(value, language)
    if field is ListingField.OFFERS and isinstance(value, list):
        return ", ".join(t.plain(f"listing.offer.{item}") for item in value)
    if field is ListingField.WORKS_WITH and isinstance(value, list):
        return ", ".join(t.plain(f"listing.client.{item}") for item in value)
    if field is ListingField.PHOTOS and isinstance(value, list):
        return t.plain("listing.photos", count=len(value))
    return str(value)
