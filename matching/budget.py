"""What a designer means to spend: a budget phrase read into a range of whole kronor.

"10-20 tkr", "max 50 000 kr", "ca 5000", "mellan 5 och 8 tusen", "upp till 1,5 mkr",
"under 20k", "at least 3000 SEK", "around 10 000". A lower bound, an upper bound or both:

* a range ("10-20 tkr", "mellan 10 och 20 000", "5 000–8 000 kr") is both; a unit written
  once, after the second figure, counts for both ("10-20 tkr" is 10,000–20,000), and so do
  thousands written once ("10–20 000 kr");
* "max", "högst", "upp till", "under", "up to", "at most", "below" give the upper bound;
* "minst", "från", "över", "at least", "from", "over" the lower bound;
* a single figure, bare or with "ca", "cirka", "runt", "ungefär", "about", "around", "~",
  is both bounds (an estimate: the designer's words are kept beside it).

Units: "kr", "kronor", "sek", ":-" are kronor; "tkr", "tusen", "k" thousands; "mkr",
"miljon(er)", "milj" millions. Figures over 100 million kronor or below 1 are no budget.
Pure: no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from matching.text import fold

__all__ = ["BudgetReading", "parse_budget"]

MAX_SEK = 100_000_000


@dataclass(frozen=True, slots=True)
class BudgetReading:
    min_sek: int | None
    max_sek: int | None
    words: str  # as written


_UNIT = {
    "kr": 1, "kronor": 1, "krona": 1, "sek": 1, ":-": 1, "sek.": 1,
    "tkr": 1_000, "tusen": 1_000, "k": 1_000, "ksek": 1_000, "thousand": 1_000,
    "mkr": 1_000_000, "miljon": 1_000_000, "miljoner": 1_000_000, "milj": 1_000_000,
    "msek": 1_000_000, "million": 1_000_000, "m": 1_000_000,
}  # fmt: skip
_UNITS = "|".join(sorted((re.escape(u) for u in _UNIT), key=len, reverse=True))
# A figure: "50 000", "50.000", "1,5", "20000"; thousands grouped by a space or a dot.
_FIGURE = r"\d{1,3}(?:[ .]\d{3})+(?:,\d+)?|\d+(?:[,.]\d+)?"
_AMOUNT = rf"({_FIGURE})\s*({_UNITS})?(?![\w])"
_RANGE = re.compile(
    rf"(?:mellan|between|fran|from)?\s*{_AMOUNT}\s*(?:-|till|to|och|and)\s*{_AMOUNT}"
)
_AT_MOST = r"max(?:imalt|imum)?|hogst|upp till|under|up to|at most|below|less than"
_AT_LEAST = r"minst|fran|over|at least|from|above|more than|min(?:imum)?"
_ABOUT = (
    r"ca|cirka|runt|ungefar|omkring|kring|about|around|approx(?:imately)?|roughly|~|"
    r"budget(?: pa| of)?"
)
_MAX = re.compile(rf"\b(?:{_AT_MOST})\s*:?\s*{_AMOUNT}")
_MIN = re.compile(rf"\b(?:{_AT_LEAST})\s*:?\s*{_AMOUNT}")
_ONE = re.compile(rf"^(?:{_ABOUT})?\s*:?\s*{_AMOUNT}$")


def _number(figure: str) -> float:
    if re.fullmatch(r"\d{1,3}(?:[ .]\d{3})+(?:,\d+)?", figure):
        figure = figure.replace(" ", "").replace(".", "")
    return float(figure.replace(",", "."))


def _sek(figure: str, unit: str | None, default_unit: str | None = None) -> int | None:
    value = _number(figure) * _UNIT.get(unit or default_unit or "kr", 1)
    if not 1 <= value <= MAX_SEK:
        return None
    return round(value)


def _normal(text: str) -> str:
    """Folded, but keeping what figures and ranges are written with."""
    text = text.replace("–", "-").replace("—", "-").replace("\u00a0", " ").replace("\u202f", " ")
    text = re.sub(r"(?<=\d):-", " kr", text)
    pieces = []
    for piece in text.split():
        if re.fullmatch(r"[\d.,-]+", piece.strip("~")):
            pieces.append(piece)
        else:
            pieces.append(fold(piece.replace("-", " - ")) if "-" in piece else fold(piece))
    joined = " ".join(p for p in pieces if p)
    joined = re.sub(r"(\d)\s*-\s*(\d)", r"\1-\2", joined)
    return re.sub(r"(\d)(?=[a-z])", r"\1 ", joined)


def parse_budget(text: str) -> BudgetReading | None:
    """A budget answer, or ``None`` if it names no sum we can read.

    >>> parse_budget("10-20 tkr")
    BudgetReading(min_sek=10000, max_sek=20000, words='10-20 tkr')
    >>> parse_budget("max 50 000 kr")
    BudgetReading(min_sek=None, max_sek=50000, words='max 50 000 kr')
    >>> parse_budget("ca 5000")
    BudgetReading(min_sek=5000, max_sek=5000, words='ca 5000')
    >>> parse_budget("vet inte") is None
    True
    """
    words = " ".join(text.split())
    normal = _normal(words)
    if not normal:
        return None
    if match := _RANGE.search(normal):
        low_figure, low_unit, high_figure, high_unit = match.groups()
        low = _sek(low_figure, low_unit, high_unit)
        high = _sek(high_figure, high_unit, low_unit)
        if low is None or high is None:
            return None
        if low_unit is None and low < 1000 and low * 1000 <= high:
            low *= 1000  # "10–20 000 kr": the thousands written once
        low, high = min(low, high), max(low, high)
        return BudgetReading(low, high, words)
    if match := _MAX.search(normal):
        high = _sek(*match.groups())
        return BudgetReading(None, high, words) if high is not None else None
    if match := _MIN.search(normal):
        low = _sek(*match.groups())
        return BudgetReading(low, None, words) if low is not None else None
    if match := _ONE.search(normal):
        value = _sek(*match.groups())
        return BudgetReading(value, value, words) if value is not None else None
    return None
