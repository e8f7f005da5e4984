"""The real place index and text interpreter, adapted to the validator's small interfaces."""

from __future__ import annotations

from services.catalogue.validation import (
    CapabilityCheck,
    PlaceLookup,
    PlaceResolver,
    ResolvedPlace,
)


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


def default_capability_check() -> CapabilityCheck:
    """A materials item is usable when the interpreter maps it to a material or a process."""
    from matching.interpret import default_interpreter

    interpreter = default_interpreter()

    def is_capability(item: str) -> bool:
        interpretation = interpreter.interpret(item)
        return bool(interpretation.materials or interpretation.processes)

    return is_capability
