"""A maker renamed in a sheet without ids: found, not listed twice.

A row without an id gets one made from its name and place, so a renamed maker ("Snickeri
Ekdahl AB" → "Ekdahls Snickeri AB") would arrive as a new listing beside the old one. Before
that happens, each such new row is compared with the listed makers of the same municipality
that no row of the file names (by id, or by the id its name and place make):

- the same name (folded, without company form): the same maker, whose id came from an
  earlier spelling or was given in an earlier sheet: the row updates it (a rename, reported,
  when the name as written differs: "Trä & Trend" → "Trä och Trend AB");
- one maker clearly like it (`STRONG`), no other maker even possibly like it, and no other
  row clearly like that maker: a rename; the row
  updates that maker in place (it keeps its id, its Telegram link, its history) and the report
  says "looks like a rename of …";
- anything less certain (`POSSIBLE`, or several makers, or several rows for one maker): the
  row is not imported, and the report names the makers it may be; an id in the row settles it.

Names are compared by :func:`rapidfuzz.fuzz.token_sort_ratio` after folding and dropping the
company form ("AB", "HB"), so word order and an added or lost genitive s barely count; a name
that only gained words ("… & Möbler") scores by :func:`rapidfuzz.fuzz.token_set_ratio`,
slightly discounted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from matching.text import fold
from services.catalogue.validation import CatalogueEntry
from storage.models import Maker

IDENTICAL = 100.0  # the same name, folded and without company form
STRONG = 90.0
POSSIBLE = 75.0
SUBSET_DISCOUNT = 0.9
_COMPANY_FORMS = frozenset(
    "ab hb kb ek for ef aktiebolag aktiebolaget handelsbolag kommanditbolag enskild firma "
    "i och the ltd".split()
)


@dataclass(frozen=True, slots=True)
class SameMaker:
    """The row is ``maker``: ``renamed`` when its name differs (a rename found)."""

    maker: Maker
    renamed: bool


@dataclass(frozen=True, slots=True)
class Unclear:
    """The row may be any of ``makers``; it is not imported."""

    makers: tuple[Maker, ...]


def name_key(name: str) -> str:
    """A name as compared: folded, without company forms.

    >>> name_key("Snickeri Ekdahl AB"), name_key("Väveriet i Borås HB")
    ('snickeri ekdahl', 'vaveriet boras')
    """
    return " ".join(word for word in fold(name).split() if word not in _COMPANY_FORMS)


def similarity(first: str, second: str) -> float:
    """How alike two names are, 0-100, as `name_key`s.

    >>> similarity("Snickeri Ekdahl AB", "Ekdahls Snickeri AB") >= STRONG
    True
    >>> similarity("Borås Smide", "Borås Snickeri") < POSSIBLE
    True
    """
    a, b = name_key(first), name_key(second)
    if not a or not b:
        return 0.0
    return max(fuzz.token_sort_ratio(a, b), SUBSET_DISCOUNT * fuzz.token_set_ratio(a, b))


def match_renames(
    entries: Sequence[CatalogueEntry], existing: Mapping[str, Maker]
) -> dict[int, SameMaker | Unclear]:
    """For each new row without an id (by line), the listed maker it is, or the makers it may
    be; rows not in the result are what they seem."""
    named = {entry.external_id for entry in entries if entry.external_id in existing}
    unnamed: dict[str, list[Maker]] = {}
    for maker in existing.values():
        if maker.external_id not in named:
            unnamed.setdefault(maker.municipality_code, []).append(maker)
    alike: dict[int, list[tuple[float, Maker]]] = {}
    names: dict[int, str] = {}
    for entry in entries:
        if not entry.id_generated or entry.external_id in existing:
            continue
        place = str(entry.values.get("municipality_code", ""))
        names[entry.line] = str(entry.values.get("name", ""))
        found = _alike(names[entry.line], unnamed.get(place, ()))
        if found:
            alike[entry.line] = found
    strong_rows: dict[str, int] = {}  # how many rows are clearly like each maker
    for found in alike.values():
        for score, maker in found:
            if score >= STRONG:
                strong_rows[maker.external_id] = strong_rows.get(maker.external_id, 0) + 1
    result: dict[int, SameMaker | Unclear] = {}
    for line, found in alike.items():
        score, maker = found[0]
        runner_up = found[1][0] if len(found) > 1 else 0.0
        alone = strong_rows.get(maker.external_id, 0) == 1
        if score >= IDENTICAL and runner_up < IDENTICAL and alone:
            result[line] = SameMaker(maker, renamed=maker.name != names[line])
        elif score >= STRONG and runner_up < POSSIBLE and alone:
            result[line] = SameMaker(maker, renamed=True)
        else:
            result[line] = Unclear(tuple(m for _, m in found))
    return result


def _alike(name: str, makers: Iterable[Maker]) -> list[tuple[float, Maker]]:
    """The makers at least `POSSIBLE`ly like ``name``, most alike first (an identical name
    scores 100, above any other)."""
    key = name_key(name)
    scored = []
    for maker in makers:
        alike = similarity(name, maker.name)
        score = IDENTICAL if name_key(maker.name) == key else min(alike, IDENTICAL - 0.1)
        if score >= POSSIBLE:
            scored.append((score, maker))
    return sorted(scored, key=lambda pair: (-pair[0], pair[1].external_id))
