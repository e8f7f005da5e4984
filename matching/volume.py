"""Volume stages as designers and coordinators word them, with an optional quantity.

"unikat", "enstyck", "prototyp" → one-off/prototype; "småserie", "pilotserie", "small batch" →
pilot/small series; "löpande", "serieproduktion", "ongoing production" → ongoing production.
A quantity such as "200 st" or "50 pcs" is read too, and implies a stage when none is named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from matching.models import VolumeStage
from matching.text import fold, split_list

# Folded wordings, longest first where one contains another.
STAGE_WORDS: dict[VolumeStage, tuple[str, ...]] = {
    VolumeStage.PROTOTYPE: (
        "prototyp",
        "prototyper",
        "prototype",
        "prototypes",
        "prototyping",
        "unikat",
        "unika",
        "enstyck",
        "enstycks",
        "enstycksobjekt",
        "one off",
        "oneoff",
        "one of a kind",
        "single",
        "a single",
        "sample",
        "prov",
        "provexemplar",
        "modell",
        "mockup",
        "mock up",
        "engangs",
        "engangsjobb",
        "engangsuppdrag",
        "engangsbestallning",
        "one time",
        "one time job",
        "one off job",
        "specialbestallning",
        "bespoke",
        "enstaka",
        "enstaka exemplar",
        "bara en",
        "bara ett",
        "bara ett exemplar",
        "en enda",
        "ett enda",
        "just one",
        "only one",
        "one piece",
    ),
    VolumeStage.PILOT: (
        "smaserie",
        "smaserier",
        "sma serier",
        "liten serie",
        "kort serie",
        "pilotserie",
        "pilotserier",
        "pilot",
        "nollserie",
        "small batch",
        "small batches",
        "small series",
        "short run",
        "limited run",
        "limited edition",
        "batch",
        "serie",
        "pilot series",
        "forsta serie",
        "forsta serien",
        "first batch",
        "first run",
    ),
    VolumeStage.PRODUCTION: (
        "lopande",
        "lopande produktion",
        "lopande tillverkning",
        "serieproduktion",
        "serietillverkning",
        "volymproduktion",
        "storskalig",
        "produktion",
        "ongoing",
        "ongoing production",
        "production",
        "mass production",
        "series production",
        "volume production",
        "large series",
        "stora serier",
        "storre serier",
        "industriell",
        "stora volymer",
        "stor volym",
        "large volume",
        "large volumes",
        "high volume",
        "high volumes",
    ),
}

_LOOKUP: dict[str, VolumeStage] = {
    word: stage for stage, wordings in STAGE_WORDS.items() for word in wordings
}
_CHOICES = tuple(_LOOKUP)

# Quantity thresholds used when only a number is given.
PROTOTYPE_MAX_QUANTITY = 5
PILOT_MAX_QUANTITY = 500


@dataclass(frozen=True, slots=True)
class VolumeReading:
    stage: VolumeStage | None
    quantity: int | None
    words: tuple[str, ...] = ()  # the words that named the stage


def stage_for_quantity(quantity: int) -> VolumeStage:
    if quantity <= PROTOTYPE_MAX_QUANTITY:
        return VolumeStage.PROTOTYPE
    if quantity <= PILOT_MAX_QUANTITY:
        return VolumeStage.PILOT
    return VolumeStage.PRODUCTION


def _stage_of_phrase(folded: str) -> tuple[VolumeStage | None, str]:
    if not folded:
        return None, ""
    if folded in _LOOKUP:
        return _LOOKUP[folded], folded
    # Longest wording contained in the phrase ("en liten småserie på 50").
    for word in sorted(_CHOICES, key=len, reverse=True):
        if re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", folded):
            return _LOOKUP[word], word
    # Tolerate typos on the whole phrase or on single longer words ("smaserei", "protoyp").
    candidates = [folded, *(w for w in folded.split() if len(w) >= 6)]
    for candidate in candidates:
        found = process.extractOne(candidate, _CHOICES, scorer=fuzz.ratio, score_cutoff=84)
        if found is not None:
            return _LOOKUP[found[0]], candidate
    return None, ""


# "300 st om året": a recurring quantity means ongoing production.
_RECURRING = re.compile(
    r"\b(per|om|i|varje|a|an|each|every)\s+(ar|aret|manad|manaden|vecka|year|month|week)\b"
    r"|\b(arligen|manadsvis|yearly|annually|monthly|weekly)\b"
)


def parse_quantity(text: str, *, unit_required: bool = False) -> int | None:
    """A quantity written as "200 st", "1 000 pcs", "ett par hundra" or, as a whole answer,
    just "12".

    In free text (``unit_required``) a number counts only when it is counted (a unit, a
    product noun after it, "ca" before it; see :mod:`matching.quantity`), so "180 cm", "2025"
    and phone numbers are not quantities.

    >>> parse_quantity("ca 1 000 st per år")
    1000
    >>> parse_quantity("ett ekbord, 180 cm långt", unit_required=True) is None
    True
    >>> parse_quantity("prototyp") is None
    True
    """
    # Imported here: the product nouns it needs live in matching.vocabulary, which reads the
    # stage words from this module.
    from matching.quantity import find_quantity

    return find_quantity(text, counted=unit_required)


def parse_volume(text: str | None, *, free_text: bool = False) -> VolumeReading:
    """Read a designer's volume wording, or (``free_text``) the volume inside a description.

    >>> parse_volume("småserie, ca 200 st")
    VolumeReading(stage=<VolumeStage.PILOT: 'pilot'>, quantity=200, words=('smaserie',))
    >>> parse_volume("300 pcs").stage
    <VolumeStage.PILOT: 'pilot'>
    >>> parse_volume("300 st om året").stage
    <VolumeStage.PRODUCTION: 'production'>
    >>> parse_volume("ekbord 180 cm", free_text=True) == VolumeReading(None, None)
    True
    """
    if not text or not text.strip():
        return VolumeReading(None, None)
    folded = fold(text)
    stage, word = _stage_of_phrase(folded)
    quantity = parse_quantity(text, unit_required=free_text)
    recurring = _RECURRING.search(folded)
    if stage is None and recurring is not None:
        stage, word = VolumeStage.PRODUCTION, recurring.group(0)
    if stage is None and quantity is not None:
        stage = stage_for_quantity(quantity)
    return VolumeReading(stage, quantity, (word,) if word else ())


def parse_volume_list(cell: str | None) -> tuple[frozenset[VolumeStage], list[str]]:
    """Read a catalogue cell such as "prototyp, småserie"; returns the stages and unknown items.

    >>> stages, unknown = parse_volume_list("Prototyp, small batch, sometimes")
    >>> sorted(stage.value for stage in stages), unknown
    (['pilot', 'prototype'], ['sometimes'])
    """
    stages: set[VolumeStage] = set()
    unknown: list[str] = []
    for item in split_list(cell or ""):
        stage, _ = _stage_of_phrase(fold(item))
        if stage is None:
            unknown.append(item)
        else:
            stages.add(stage)
    return frozenset(stages), unknown
