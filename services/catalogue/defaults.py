"""The real place index and the matching core's word knowledge, adapted to the validator's
small interfaces."""

from __future__ import annotations

from services.catalogue.validation import (
    PlaceLookup,
    PlaceResolver,
    ResolvedPlace,
    WordCheck,
    WordVerdict,
)

MIN_SUGGESTED_LENGTH = 4  # "PA", "PE": too short for a spelling guess to mean anything
LONG_WORD = 9  # from this length two slips (OSA distance) still make a typo, below it one


def default_place_resolver() -> PlaceResolver:
    """Resolve with ``matching.places``; a place is accepted only when it resolves uniquely."""
    from matching.places import Place, ResolutionStatus, load_places

    places = load_places()

    def unique_spelling(place: Place) -> str:
        # The resolver reads "Viken, Höganäs" as the locality Viken in Höganäs municipality,
        # and "Habo, Jönköpings län" as the municipality Habo (not Håbo).
        if place.kind == "municipality":
            return f"{place.name}, {place.municipality.county.name}"
        return f"{place.name}, {place.municipality.name}"

    def resolve(text: str) -> PlaceLookup:
        resolution = places.resolve(text)
        place = resolution.place
        if resolution.status is ResolutionStatus.FOUND and place is not None:
            if resolution.corrected:
                # A catalogue is kept by hand: a typo-tolerant guess ("Skene" → Skee, 100 km
                # away) must be confirmed by the coordinator, not stored silently.
                labels = tuple(candidate.label for candidate in resolution.candidates)
                return PlaceLookup(None, labels, example=place.name, corrected=True)
            return PlaceLookup(ResolvedPlace(place.municipality.code, place.lat, place.lon))
        if resolution.status is ResolutionStatus.AMBIGUOUS and resolution.candidates:
            candidates = resolution.candidates
            labels = tuple(candidate.label for candidate in candidates)
            return PlaceLookup(None, labels, example=unique_spelling(candidates[0]))
        county = resolution.county.name if resolution.county is not None else ""
        return PlaceLookup(None, county=county)

    return resolve


def default_word_check() -> WordCheck:
    """Whether a materials or processes item maps onto the taxonomy, through the matching
    core's interpretation, and if not the closest taxonomy word.

    The one place the catalogue asks the matching core about words: when the core offers its
    own "is this catalogue word known, and what is closest" function, call it here instead.

    An item is known when the interpreter maps it without guessing at spelling (exact, stem
    or compound: "ekbord", "plåtdetaljer"); a typo ("svetsnig") is known to the core's
    fuzzy reading but is reported, with what it most likely means, so the coordinator can
    correct the sheet: it is kept as written either way.
    """
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    from matching.interpret import default_interpreter
    from matching.taxonomy import concepts
    from matching.text import fold

    interpreter = default_interpreter()
    spelled: dict[str, str] = {}  # folded term → as the taxonomy writes it
    for concept in concepts():
        for term in (concept.sv.lower(), concept.en.lower(), *concept.terms):
            spelled.setdefault(fold(term), term)
    choices = tuple(spelled)

    def check(item: str) -> WordVerdict:
        exact = interpreter.interpret(item, fuzzy=False)
        if exact.materials or exact.processes:
            return WordVerdict(known=True)
        folded = fold(item)
        if len(folded) < MIN_SUGGESTED_LENGTH:
            return WordVerdict(known=False)
        # A typo is a slip or two (a letter missing, added, changed, or two swapped: "jeresy"),
        # not a different word that shares most letters ("pressning", "kantpressning").
        slips = 2 if len(folded) >= LONG_WORD else 1
        found = process.extractOne(folded, choices, scorer=OSA.distance, score_cutoff=slips)
        return WordVerdict(known=False, suggestion=spelled[found[0]] if found else "")

    return check
