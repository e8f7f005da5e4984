"""What a request's description says besides materials and processes: how many and where.

"20 st pallar i ek, nära Skövde": the quantity (and from it the volume stage) and the place
are read from the text, so the designer is not asked again and the summary shows them to
confirm. A place counts only when it follows a word that introduces one ("nära", "i",
"utanför", "near", "in" …) and is a real place as written (no typo guesses: "i ek" is oak,
not a village called Ek; after "i" or "in" the name must be capitalised).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from matching.places import Place, Places, ResolutionStatus
from matching.text import fold
from matching.volume import VolumeReading, parse_volume

# Words introducing a place; those marked False need the name capitalised ("i Malmö").
_INTRODUCERS = {
    "nära": True,
    "nara": True,
    "i närheten av": True,
    "i narheten av": True,
    "runt": True,
    "kring": True,
    "omkring": True,
    "utanför": True,
    "utanfor": True,
    "near": True,
    "around": True,
    "outside": True,
    "close to": True,
    "i": False,
    "från": False,
    "fran": False,
    "in": False,
    "from": False,
    "på": False,  # "på Gotland", "på Södermalm"
    "pa": False,
    "on": False,
}
# "Jönköpingstrakten", "Göteborgsområdet": the place and the area around it.
_AREA = re.compile(r"s?(?:trakten|området|omradet|regionen|kusten)$", re.IGNORECASE)
_PLACE = re.compile(
    r"(?<!\w)("
    + "|".join(sorted((re.escape(k) for k in _INTRODUCERS), key=len, reverse=True))
    + r")\s+((?:[^\W\d_][\w-]*)(?:\s+[^\W\d_][\w-]*){0,2})",
    re.IGNORECASE,
)
MAX_PLACE_WORDS = 3


@dataclass(frozen=True, slots=True)
class RequestDetails:
    volume: VolumeReading  # stage and quantity, when the text names them
    place: Place | None
    place_words: str = ""  # the place as written


def place_in_text(
    text: str, places: Places, *, ignore: frozenset[str] = frozenset()
) -> tuple[Place | None, str]:
    """The first real place the text names after a word that introduces one.

    ``ignore`` holds folded words that are never places here (the request's materials).
    """
    for match in _PLACE.finditer(text or ""):
        introducer, following = match.group(1).casefold(), match.group(2).split()
        needs_capital = not _INTRODUCERS.get(introducer, True)
        if needs_capital and not following[0][:1].isupper():
            continue
        for size in range(min(MAX_PLACE_WORDS, len(following)), 0, -1):
            candidate = " ".join(following[:size]).strip("-")
            if size > 1 and not following[size - 1][:1].isupper():
                continue  # "Dals Långed", not "Skövde och"
            if fold(candidate) in ignore:
                continue
            resolution = places.resolve(candidate)
            if resolution.status is ResolutionStatus.FOUND and not resolution.corrected:
                return resolution.place, candidate
            area = _AREA.sub("", candidate) if size == 1 else ""
            if area and area != candidate and fold(area) not in ignore:
                resolution = places.resolve(area)
                if resolution.status is ResolutionStatus.FOUND and not resolution.corrected:
                    return resolution.place, candidate
    return None, ""


def read_details(
    text: str, places: Places, *, ignore: frozenset[str] = frozenset()
) -> RequestDetails:
    """Quantity, volume stage and place, as far as the description says them.

    >>> from matching.places import load_places
    >>> details = read_details("20 st pallar i ek, nära Skövde", load_places())
    >>> details.volume.quantity, details.volume.stage.value, details.place.name
    (20, 'pilot', 'Skövde')
    """
    place, words = place_in_text(text, places, ignore=ignore)
    return RequestDetails(parse_volume(text, free_text=True), place, words)
