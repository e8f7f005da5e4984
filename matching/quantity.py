"""How many: a quantity written in digits or words, the way people write it in a request.

"200 st", "1 000 pcs", "5,000 clips", "ett par hundra", "ett dussin", "sex stolar", "ett
20-tal", "around two hundred beanies", "ca 100". In a description a number counts only when
it is counted: with a unit ("st", "pcs"), before a product noun ("sex stolar", "300 stoneware
mugs") or after an approximation ("ca 100"), and never before a measure ("180 cm", "500 m",
"20 kg"), so sizes, years and phone numbers are not quantities.
"""

from __future__ import annotations

import re

from matching.text import words
from matching.vocabulary import NOUN_TAILS, PRODUCT_TRANSLATIONS, product_families

_ONES = {
    "tva": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "atta": 8, "nio": 9, "tio": 10,
    "elva": 11, "tolv": 12, "femton": 15, "tjugo": 20, "trettio": 30, "fyrtio": 40,
    "femtio": 50, "sextio": 60, "sjuttio": 70, "attio": 80, "nittio": 90,
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "dussin": 12, "dozen": 12, "par": 2, "couple": 2, "nagra": 3, "few": 3, "several": 3,
}  # fmt: skip
_SCALES = {"hundra": 100, "hundred": 100, "tusen": 1000, "thousand": 1000}
_ROUGH = {"hundratals": 200, "hundreds": 200, "tusentals": 2000, "thousands": 2000}
_COUNT_UNITS = frozenset(
    "st stycken styck stck ex exemplar pcs pc pieces piece units unit items copies x "
    "set satser plagg par pairs prototyp prototyper prototype prototypes prover samples".split()
)
_MEASURES = frozenset(
    "cm mm m meter metre meters metres lopmeter kvm m2 kg g gram liter l dl km mil kr sek "
    "procent percent ar aret dagar dag veckor vecka manader manad timmar tim h min minuter "
    "ton inch tum years year days weeks months hours sidor sid page pages".split()
)
_APPROXIMATELY = frozenset(
    "ca cirka circa ungefar omkring runt kring typ minst about around approx approximately "
    "some roughly".split()
)
_FILLERS = frozenset("ett en a an of st".split())


# Counted words that are no thing made: "2 färger" is two colours, not two pieces.
_NOT_COUNTED = frozenset("farg farger fargen colour colours color colors gang ganger times".split())


def _is_product(word: str) -> bool:
    return word in NOUN_TAILS or word in PRODUCT_TRANSLATIONS or bool(product_families(word))


def _is_counted_thing(word: str) -> bool:
    """A word a number can count: a product noun, or any other noun-like word that is no
    measure ("5000 formsprutade knappar", "200 kuvert", "30 turned knobs")."""
    return _is_product(word) or (
        len(word) >= 3
        and word.isalpha()
        and word not in _MEASURES
        and word not in _NOT_COUNTED
        and word not in _FILLERS
        and word not in _APPROXIMATELY
    )


def _number_at(tokens: list[str], i: int) -> tuple[int, int] | None:
    """The number starting at ``tokens[i]`` and how many tokens it takes, if any."""
    token = tokens[i]
    if token.isdigit():
        value, end = int(token), i + 1
        # "1 000", "5,000": groups of three digits after one of up to three.
        while len(token) <= 3 and end < len(tokens) and len(tokens[end]) == 3:
            if not tokens[end].isdigit():
                break
            value, token, end = value * 1000 + int(tokens[end]), tokens[end], end + 1
        if end < len(tokens) and tokens[end] == "tal":  # "ett 20-tal"
            end += 1
        return value, end - i
    if token in _ROUGH:
        return _ROUGH[token], 1
    for scale_word, scale in _SCALES.items():  # "tvahundra", "femhundra", "hundra"
        if token.endswith(scale_word):
            head = token[: -len(scale_word)]
            if not head:
                return scale, 1
            if head in _ONES:
                return _ONES[head] * scale, 1
    if token in _ONES:
        value, end = _ONES[token], i + 1
        if end < len(tokens) and tokens[end] == "of":  # "a couple of hundred"
            end += 1
        if end < len(tokens) and tokens[end] in _SCALES:
            return value * _SCALES[tokens[end]], end + 1 - i
        if token in ("par", "couple", "nagra", "few", "several"):
            return None  # "ett par" alone is a pair of something, "några" just some
        return value, 1
    return None


def find_quantity(text: str, *, counted: bool) -> int | None:
    """The first quantity in ``text``; with ``counted``, only a number that is counted.

    >>> find_quantity("Ett par hundra muggar till ett kafé", counted=True)
    200
    >>> find_quantity("sex stolar i ask, engångsjobb", counted=True)
    6
    >>> find_quantity("ekbord 180 cm, levereras 2026", counted=True) is None
    True
    >>> find_quantity("small batch ca 100", counted=True)
    100
    """
    tokens = words(text or "")
    for i in range(len(tokens)):
        found = _number_at(tokens, i)
        if found is None:
            continue
        value, length = found
        if value <= 0:
            continue
        if not counted:
            return value
        after = [t for t in tokens[i + length : i + length + 3] if t not in _FILLERS]
        unit = tokens[i + length] if i + length < len(tokens) else ""
        if unit in _COUNT_UNITS:
            return value
        if unit in _MEASURES:
            continue
        if any(_is_product(word) for word in after[:2]) or (
            value >= 2 and any(_is_counted_thing(word) for word in after[:3])
        ):
            return value
        if tokens[i + length - 1] == "tal" or (i > 0 and tokens[i - 1] in _APPROXIMATELY):
            return value  # "ett 20-tal", "ca 100"
    return None


_RANGE_DASH = re.compile(r"(?<=\d)\s*[–—-]\s*(?=\d)")
_FROM = frozenset("fran from minst minimum min minsta".split())
_UP_TO = frozenset("max maximalt maximum hogst".split())
_SKIP = frozenset(
    "ca cirka circa ungefar omkring runt kring about around approx approximately roughly ett "
    "en an a of order ordern korning korningen serie serier upplaga upplagor".split()
)


def stated_range(text: str) -> tuple[int | None, int | None]:
    """The smallest and largest quantity a maker's own text says it takes, when it says so.

    "serier från 500 st", "minsta order ca 50 st", "upp till ett 30-tal", "ca 10–50 par",
    "runs of up to about 50", "från 20 till ca 1000 ex". Sizes and weights are no quantity
    ("plåt upp till 15 mm", "från 10 kg råull").

    >>> stated_range("Småserier upp till ca 100 st åt restauranger.")
    (None, 100)
    >>> stated_range("Formsprutning i serier från 5 000 st. Plåt upp till 20 mm.")
    (5000, None)
    >>> stated_range("Små serier till butiker, ca 10–100 st")
    (10, 100)
    """
    tokens = words(_RANGE_DASH.sub(" till ", text or ""))
    low: int | None = None
    high: int | None = None

    def number_after(start: int) -> tuple[int, int] | None:
        i = start
        while i < len(tokens) and tokens[i] in _SKIP:
            i += 1
        if i >= len(tokens):
            return None
        found = _number_at(tokens, i)
        if found is None:
            return None
        value, length = found
        unit = tokens[i + length] if i + length < len(tokens) else ""
        if unit in _MEASURES or value <= 0:
            return None
        return value, i + length

    for i, token in enumerate(tokens):
        if token in _FROM or (token == "till" and i > 0 and tokens[i - 1] == "upp"):
            bound = "high" if token == "till" else "low"
        elif token in _UP_TO or (token == "to" and i > 0 and tokens[i - 1] == "up"):
            bound = "high"
        elif token.isdigit() and i + 1 < len(tokens) and tokens[i + 1] == "till":
            bound = "range"
        else:
            continue
        if bound == "range":
            first = _number_at(tokens, i)
            second = number_after(i + 2)
            if first is None or second is None or first[0] >= second[0]:
                continue
            if i > 0 and tokens[i - 1] in ("fran", "from", "mellan", "between"):
                pass
            low = first[0] if low is None else min(low, first[0])
            high = second[0] if high is None else max(high, second[0])
            continue
        found = number_after(i + 1)
        if found is None:
            continue
        value, end = found
        if bound == "low":
            if end < len(tokens) and tokens[end] == "till":
                continue  # "från 1 till 50": the range reads it
            low = value if low is None else min(low, value)
        else:
            high = value if high is None else max(high, value)
    return low, high
