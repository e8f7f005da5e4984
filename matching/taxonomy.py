"""The bilingual materials-and-processes taxonomy.

Each concept has a stable code, a Swedish and an English name, and the words people actually
use for it: synonyms, everyday material names (ek, björk, furu → wood), plastics by their
codes, common inflections that a suffix stripper cannot reach ("skurna", "vävd") and English
terms. Words are written here as people write them; :mod:`matching.interpret` folds them
(å→a, ä→a, ö→o) when it loads.

The concepts live in :mod:`matching.materials` and :mod:`matching.processes`; their shape
(generic words, specific variants, product nouns) in :mod:`matching.concept`. A process lists
the materials it works on; a process with a single material implies that material when a
designer names only the process ("glasblåsning" → glass).
"""

from __future__ import annotations

from functools import cache

from matching.concept import Concept, ConceptKind, Variant
from matching.materials import MATERIALS
from matching.processes import PROCESSES

__all__ = [
    "MATERIALS",
    "PROCESSES",
    "VOLUME_LABELS",
    "Concept",
    "ConceptKind",
    "Variant",
    "concept_by_code",
    "concepts",
    "variants",
]

VOLUME_LABELS: dict[str, tuple[str, str]] = {
    "prototype": ("Unikat / prototyp", "One-off / prototype"),
    "pilot": ("Pilotserie / småserie", "Pilot / small series"),
    "production": ("Löpande produktion", "Ongoing production"),
}


@cache
def concepts() -> tuple[Concept, ...]:
    """All concepts, materials first; the order defines index columns and is stable."""
    return MATERIALS + PROCESSES


@cache
def concept_by_code() -> dict[str, Concept]:
    return {concept.code: concept for concept in concepts()}


@cache
def variants() -> tuple[Variant, ...]:
    """Every material variant, in a stable order (index columns)."""
    return tuple(variant for material in MATERIALS for variant in material.variants)
