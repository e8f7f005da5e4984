"""Read and write the fuller listing's cells: minimum order, lead time, offers, clients.

The same readers serve the catalogue import (a cell) and a maker's /profile edit (a chat
message), so a value reads the same wherever it is typed. Each reader returns ``None`` for a
value it cannot read (the caller notes it and leaves the field out), and the writers give the
words an export puts in a cell, which these readers read back to the same value.

>>> [parse_lead_time_days(text) for text in ("2 veckor", "10 dagar", "1 mån")]
[14, 10, 30]
>>> parse_min_order("från 50 st"), parse_min_order("1 000"), parse_min_order("many")
(50, 1000, None)
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from matching.models import CLIENT_ORDER, OFFER_ORDER, ClientKind, Offer
from matching.text import fold, split_list
from services.catalogue.messages import catalogue

__all__ = [
    "client_words",
    "lead_time_words",
    "min_order_words",
    "offer_words",
    "parse_clients",
    "parse_lead_time_days",
    "parse_min_order",
    "parse_offers",
]

DAYS_PER_WEEK = 7
DAYS_PER_MONTH = 30
MAX_LEAD_TIME_DAYS = 3 * 365  # beyond that it is no lead time but a typo
MAX_MIN_ORDER = 10_000_000

# Unit words after a number, folded; the value is days per unit.
_UNITS: dict[str, int] = {
    **dict.fromkeys(("d", "dag", "dagar", "dgr", "day", "days", "arbetsdagar"), 1),
    **dict.fromkeys(("v", "vecka", "veckor", "veckan", "w", "wk", "wks", "week", "weeks"), 7),
    **dict.fromkeys(
        ("man", "manad", "manader", "mon", "month", "months", "mo", "mnd"), DAYS_PER_MONTH
    ),
}
# "2 veckor", "2-3 veckor" (the upper end: what the maker can promise), "ca 1,5 mån".
_LEAD_TIME = re.compile(
    r"(?:\D*?)(\d+(?:[.,]\d+)?)(?:\s*(?:-|–|till|to)\s*(\d+(?:[.,]\d+)?))?\s*([^\W\d_]*)"
)
_NUMBER = re.compile(r"\d[\d\s]*")

_OFFER_WORDS: dict[str, Offer] = {
    **dict.fromkeys(
        ("products", "product", "produkter", "produkt", "fardiga produkter", "egna produkter"),
        Offer.PRODUCTS,
    ),
    **dict.fromkeys(
        (
            "parts",
            "part",
            "components",
            "komponenter",
            "komponent",
            "detaljer",
            "delar",
            "legotillverkning",
        ),
        Offer.PARTS,
    ),
    **dict.fromkeys(
        ("materials", "material", "ramaterial", "ravaror", "halvfabrikat"), Offer.MATERIALS
    ),
    **dict.fromkeys(
        (
            "surface_treatment",
            "surface treatment",
            "surface finishing",
            "finishing",
            "ytbehandling",
            "ytbehandlingar",
            "lackering",
        ),
        Offer.SURFACE_TREATMENT,
    ),
    **dict.fromkeys(
        ("tools", "tool", "tooling", "verktyg", "formar", "fixturer", "verktygstillverkning"),
        Offer.TOOLS,
    ),
    **dict.fromkeys(
        ("craft", "crafts", "handcraft", "hantverk", "slojd", "konsthantverk"), Offer.CRAFT
    ),
}
_CLIENT_WORDS: dict[str, ClientKind] = {
    **dict.fromkeys(
        ("students", "student", "studenter", "elever", "skolor", "studentprojekt"),
        ClientKind.STUDENTS,
    ),
    **dict.fromkeys(
        (
            "sole_traders",
            "sole traders",
            "sole trader",
            "freelancers",
            "enskild firma",
            "enskilda firmor",
            "enskilda naringsidkare",
            "egenforetagare",
            "privatpersoner",
            "privat",
        ),
        ClientKind.SOLE_TRADERS,
    ),
    **dict.fromkeys(
        ("companies", "company", "businesses", "foretag", "bolag", "industri", "smaforetag"),
        ClientKind.COMPANIES,
    ),
    **dict.fromkeys(
        (
            "public_sector",
            "public sector",
            "offentlig sektor",
            "offentliga",
            "kommuner",
            "regioner",
            "myndigheter",
        ),
        ClientKind.PUBLIC_SECTOR,
    ),
}
_EVERYONE = frozenset({"alla", "all", "everyone", "alla kunder", "anyone"})


def parse_lead_time_days(text: str) -> int | None:
    """A usual lead time in days: "2 veckor" → 14, "10 dagar" → 10, "1 mån" → 30, "2-3 v" → 21
    (the upper end), "ca 1,5 veckor" → 11. A bare number is days. ``None`` when unreadable.

    >>> [parse_lead_time_days(text) for text in ("ca 3 veckor", "2–3 v", "5", "1,5 veckor")]
    [21, 21, 5, 11]
    >>> parse_lead_time_days("snabbt") is None, parse_lead_time_days("4 år") is None
    (True, True)
    """
    folded = fold(text.replace(",", "."))
    # fold() turns "1.5" into "1 5": read the decimal from the unfolded text's digits instead.
    value = " ".join(text.strip().lower().replace(",", ".").split())
    match = _LEAD_TIME.match(value)
    if match is None or not folded:
        return None
    low, high, unit = match.group(1), match.group(2), fold(match.group(3))
    if value[match.end() :].strip(" .") and not unit:
        return None
    per_unit = _UNITS.get(unit) if unit else 1
    if per_unit is None:
        return None
    amount = float(high or low)
    days = math.ceil(amount * per_unit)  # 1,5 weeks: the 11th day, not the 10th
    return days if 0 < days <= MAX_LEAD_TIME_DAYS else None


def parse_min_order(text: str) -> int | None:
    """The smallest order in pieces: "50", "50 st", "från 50 st", "MOQ 1 000 pcs" → 1000.
    "ingen" (no minimum) is 1. ``None`` when there is no number.

    >>> parse_min_order("ingen"), parse_min_order("50 pcs"), parse_min_order("")
    (1, 50, None)
    """
    folded = fold(text)
    if folded in ("ingen", "inget", "none", "no", "nej", "ingen minsta order", "no minimum"):
        return 1
    match = _NUMBER.search(text)
    if match is None:
        return None
    number = int(re.sub(r"\s", "", match.group()))
    return number if 0 < number <= MAX_MIN_ORDER else None


def parse_offers(text: str) -> tuple[list[str], list[str]]:
    """The :class:`Offer` values a cell names (in their fixed order) and the items it could not
    read, as written.

    >>> parse_offers("Komponenter, ytbehandling och hantverk")
    (['parts', 'surface_treatment', 'craft'], [])
    >>> parse_offers("produkter; rådgivning")
    (['products'], ['rådgivning'])
    """
    return _parse_set(text, _OFFER_WORDS, OFFER_ORDER)


def parse_clients(text: str) -> tuple[list[str], list[str]]:
    """The :class:`ClientKind` values a cell names ("alla" is all of them) and the items it
    could not read, as written.

    >>> parse_clients("studenter, enskild firma")
    (['students', 'sole_traders'], [])
    >>> parse_clients("Alla")[0]
    ['students', 'sole_traders', 'companies', 'public_sector']
    """
    if fold(text) in _EVERYONE:
        return [kind.value for kind in CLIENT_ORDER], []
    return _parse_set(text, _CLIENT_WORDS, CLIENT_ORDER)


def _parse_set(
    text: str, words: dict[str, Offer] | dict[str, ClientKind], order: Iterable[Offer | ClientKind]
) -> tuple[list[str], list[str]]:
    found: set[str] = set()
    unknown: list[str] = []
    for item in split_list(text):
        key = fold(item).replace("_", " ")
        member = words.get(key) or words.get(key.replace(" ", "_"))
        if member is None:
            unknown.append(item)
        else:
            found.add(member.value)
    return [member.value for member in order if member.value in found], unknown


# --- what an export writes (and a card or /profile shows) ------------------------------------


def lead_time_words(days: int | None, language: str) -> str:
    """The lead time in whole months, weeks or days, words the reader reads back exactly.

    >>> lead_time_words(14, "sv"), lead_time_words(30, "en"), lead_time_words(10, "sv")
    ('2 veckor', '1 month', '10 dagar')
    """
    if days is None:
        return ""
    words = catalogue(language)
    if days % DAYS_PER_MONTH == 0:
        count, unit = days // DAYS_PER_MONTH, "month"
    elif days % DAYS_PER_WEEK == 0:
        count, unit = days // DAYS_PER_WEEK, "week"
    else:
        count, unit = days, "day"
    form = "one" if count == 1 else "other"
    return words[f"export.lead_time.{unit}.{form}"].format(count=count)


def min_order_words(pieces: int | None, language: str) -> str:
    """The minimum order as an export writes it ("" when not stated).

    >>> min_order_words(50, "sv"), min_order_words(None, "en")
    ('50 st', '')
    """
    if pieces is None:
        return ""
    return catalogue(language)["export.min_order"].format(count=pieces)


def offer_words(values: Iterable[str], language: str) -> list[str]:
    """What a maker offers, in ``language``'s words.

    >>> offer_words(["parts", "craft"], "sv")
    ['komponenter', 'hantverk']
    """
    words = catalogue(language)
    return [words[f"export.offer.{v}"] for v in values if f"export.offer.{v}" in words]


def client_words(values: Iterable[str], language: str) -> list[str]:
    """Whom a maker works with, in ``language``'s words.

    >>> client_words(["students", "public_sector"], "en")
    ['students', 'public sector']
    """
    words = catalogue(language)
    return [words[f"export.client.{v}"] for v in values if f"export.client.{v}" in words]
