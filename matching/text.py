"""Text normalisation shared by the taxonomy matcher and the place resolver.

Everything that is compared is *folded* first: case-folded, diacritics removed (å→a, ä→a, ö→o,
é→e, ø→o, æ→ae), punctuation turned into spaces. Designers type on phones and foreign
keyboards, so "Goteborg", "GÖTEBORG" and "göteborg" must be the same key.
"""

from __future__ import annotations

import re
import unicodedata

_SPECIAL = str.maketrans({"ø": "o", "æ": "ae", "ß": "ss", "đ": "d", "ł": "l", "þ": "th"})
_NON_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Case-fold, strip diacritics and collapse everything that is not a letter or digit.

    >>> fold("  Rostfritt STÅL, ekbord!  ")
    'rostfritt stal ekbord'
    >>> fold("Malmö-Köpenhamn")
    'malmo kopenhamn'
    """
    lowered = text.casefold().translate(_SPECIAL)
    decomposed = unicodedata.normalize("NFKD", lowered)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", stripped).strip()


def words(text: str) -> list[str]:
    """Folded words of ``text`` in order.

    >>> words("Laserskurna plåtdetaljer (200 st)")
    ['laserskurna', 'platdetaljer', '200', 'st']
    """
    folded = fold(text)
    return folded.split() if folded else []


_LIST_SPLIT = re.compile(r"[,;/\n]+|\s+(?:och|and|&|samt|eller|or)\s+")


def split_list(text: str) -> list[str]:
    """Split a spreadsheet cell such as "ek, björk och furu" into its items (original spelling).

    >>> split_list("ek, björk och furu; CNC-fräsning")
    ['ek', 'björk', 'furu', 'CNC-fräsning']
    """
    return [item.strip() for item in _LIST_SPLIT.split(text or "") if item and item.strip()]
