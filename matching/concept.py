"""The shape of a taxonomy concept: a material or a process, its names and its words.

A material has *generic* words ("metall", "plåt") and *variants*: the specific materials
people name ("brons", "mässing", "rostfritt"). A request for bronze is answered by a maker
whose own words say bronze (or, less surely, only "metall"); a maker that names steel alone
shows the same family but not what was asked, which makes it a weaker candidate at most.

Some words are *product nouns* that usually, not always, mean a concept: "kakel" is ceramic
tiles unless the text names glass, "mattor" are tufted unless they are woven. They are marked
with a leading ``~`` in the term lists and count only when the text names nothing else of
their kind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class ConceptKind(StrEnum):
    MATERIAL = "material"
    PROCESS = "process"


@dataclass(frozen=True, slots=True)
class Variant:
    """A specific material within a family, e.g. ``metal.bronze``."""

    key: str
    terms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Concept:
    code: str
    kind: ConceptKind
    sv: str
    en: str
    terms: tuple[str, ...]  # every word of the concept, product nouns included
    materials: tuple[str, ...] = ()  # for processes: the materials it works on
    variants: tuple[Variant, ...] = ()  # for materials: the specific materials
    products: frozenset[str] = field(default_factory=frozenset)  # product-noun terms
    # Materials (or processes) close enough to count as a weaker candidate ("composite" for
    # "plastic", "blästring" for "anodisering").
    neighbours: tuple[str, ...] = ()
    # The variant a maker means when it names only the family ("läder" is mostly cowhide).
    common: str = ""

    def name(self, language: str) -> str:
        return self.sv if language == "sv" else self.en


def _split(terms: str) -> tuple[str, ...]:
    return tuple(t.strip() for t in terms.split("|") if t.strip())


def _terms(text: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """Terms and the product nouns among them (written with a leading ``~``)."""
    terms, products = [], set()
    for term in _split(text):
        if term.startswith("~"):
            term = term[1:]
            products.add(term)
        terms.append(term)
    return tuple(terms), frozenset(products)


def material(
    code: str,
    sv: str,
    en: str,
    generic: str,
    variants: dict[str, str] | None = None,
    *,
    neighbours: str = "",
    common: str = "",
) -> Concept:
    """A material: its generic words and, per variant, the words for that specific material."""
    terms, products = _terms(generic)
    built = []
    for key, words in (variants or {}).items():
        variant_terms, variant_products = _terms(words)
        built.append(Variant(f"{code}.{key}", variant_terms))
        terms += variant_terms
        products |= variant_products
    return Concept(
        code,
        ConceptKind.MATERIAL,
        sv,
        en,
        tuple(dict.fromkeys(terms)),
        variants=tuple(built),
        products=products,
        neighbours=tuple(neighbours.split()),
        common=f"{code}.{common}" if common else "",
    )


def process(
    code: str, sv: str, en: str, materials: str, terms: str, *, neighbours: str = ""
) -> Concept:
    """A process: the materials it works on, its words, and the processes close enough to
    make a weaker candidate ("blästring" for "anodisering")."""
    words, products = _terms(terms)
    return Concept(
        code,
        ConceptKind.PROCESS,
        sv,
        en,
        words,
        tuple(materials.split()),
        products=products,
        neighbours=tuple(neighbours.split()),
    )
