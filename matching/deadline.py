"""When a designer needs the job done: a deadline phrase read into a date.

Designers write deadlines as they speak: "till mars", "inom 6 veckor", "före midsommar",
"15/3", "2027-03-15", "snarast", "by March", "within a month", "asap". :func:`parse_deadline`
reads a whole answer to "when do you need it?"; :func:`find_deadline` finds one inside a
description, where a date or month counts only after a word that makes it a deadline ("till",
"före", "senast", "by", "before" …), so "en lampa i mars-färg" or "2 st à 15/3 mm" is no
deadline.

Everything is resolved against ``today`` (the caller's clock), to the *last* day the designer
wants it by (storage.models.MatchRequest documents the meaning):

* a date is that day; a day and month without a year, or a month, already past this year
  mean next year's ("till mars" written in December is March next year);
* a month ("till mars", "i mars", "by March") is its last day; "före mars" / "before March"
  the last day of the month before; "början av mars" / "early March" the 10th, "mitten av
  mars" / "mid-March" the 15th;
* "inom 6 veckor", "om 2 månader", "within 10 days" count from today;
* a holiday ("till midsommar", "till jul") is its eve (midsommarafton, julafton,
  nyårsafton, påskafton); "före midsommar" the day before the eve;
* "vecka 12" / "week 12" is the Friday of that ISO week;
* "asap", "snarast", "så fort som möjligt" is today (``asap`` is set).

Pure: no clock, no I/O. ``today`` comes from the caller.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from matching.text import fold

__all__ = ["DeadlineReading", "find_deadline", "parse_deadline"]

MAX_DAYS_AHEAD = 3 * 366  # a deadline further away than three years is no deadline we read


@dataclass(frozen=True, slots=True)
class DeadlineReading:
    deadline: date
    words: str  # the phrase as the designer wrote it
    asap: bool = False


_MONTHS = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "feb": 2, "february": 2,
    "mars": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "maj": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "augusti": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
_NUMBER_WORDS = {
    "en": 1, "ett": 1, "a": 1, "an": 1, "one": 1,
    "tva": 2, "two": 2, "ett par": 2, "a couple of": 2, "couple of": 2,
    "tre": 3, "three": 3, "fyra": 4, "four": 4, "fem": 5, "five": 5, "sex": 6, "six": 6,
    "sju": 7, "seven": 7, "atta": 8, "eight": 8, "nio": 9, "nine": 9, "tio": 10, "ten": 10,
    "tolv": 12, "twelve": 12,
}  # fmt: skip
_UNITS = {
    "dag": 1, "dagar": 1, "day": 1, "days": 1,
    "vecka": 7, "veckor": 7, "v": 7, "week": 7, "weeks": 7,
    "manad": 30, "manader": 30, "month": 30, "months": 30,
}  # fmt: skip
_ASAP = re.compile(
    r"\b(?:asap|snarast(?: mojligt)?|sa snart som mojligt|sa fort som mojligt|omgaende|"
    r"as soon as possible|brattom|urgent(?:ly)?)\b"
)

_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_NUMBER = r"\d{1,3}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
_UNIT = "|".join(sorted(_UNITS, key=len, reverse=True))
# Words that make what follows a deadline inside a description.
_TRIGGER = (
    r"till|tills|fore|innan|senast|klart|klar|levererat|leverans|deadline|"
    r"by|before|until|due|ready"
)
_BEFORE = {"fore", "innan", "before"}
_PART = {
    "borjan av": 10, "i borjan av": 10, "beginning of": 10, "early": 10, "the beginning of": 10,
    "mitten av": 15, "i mitten av": 15, "mid": 15, "the middle of": 15, "middle of": 15,
    "slutet av": 0, "i slutet av": 0, "end of": 0, "the end of": 0, "late": 0,
}  # fmt: skip
_PARTS = "|".join(sorted((re.escape(p) for p in _PART), key=len, reverse=True))

_ISO = re.compile(r"\b(20\d\d)[-./](\d{1,2})[-./](\d{1,2})\b")
_SLASH = re.compile(r"\b(\d{1,2})/(\d{1,2})(?:/(\d{2}|20\d\d))?\b")
_DAY_MONTH = re.compile(
    rf"\b(?:den |the )?(\d{{1,2}})(?: ?(?:e|a|st|nd|rd|th))?(?: of)? ({_MONTH})\b(?: (20\d\d))?"
)
_MONTH_DAY = re.compile(rf"\b({_MONTH}) (\d{{1,2}})(?:st|nd|rd|th)?\b(?: (20\d\d))?")
_RELATIVE = re.compile(rf"\b(?:inom|within|in|om)(?: the next)? ({_NUMBER}) ({_UNIT})\b")
_RELATIVE_BARE = re.compile(rf"^(?:ca |about |around )?({_NUMBER}) ({_UNIT})$")
_RELATIVE_ONE = re.compile(
    r"\b(?:inom|within|in|om)(?: en| ett| a| one)? (vecka|week|manad|month)\b"
)
_NEXT = re.compile(r"\b(?:nasta|next) (vecka|week|manad|month)\b")
_WEEK = re.compile(r"\b(?:vecka|v|week|wk) ?(\d{1,2})\b(?: (20\d\d))?")
_MONTH_PHRASE = re.compile(
    rf"\b(?:({_TRIGGER}|i|in|under|during)(?: (?:den|the))? )?(?:({_PARTS})(?: of)? )?"
    rf"({_MONTH})\b(?: (20\d\d))?"
)
_HOLIDAY = re.compile(
    r"\b(?:(" + _TRIGGER + r"|i|at|for) )?"
    r"(midsommar(?:afton)?|midsummer(?: eve)?|jul(?:afton)?|christmas(?: eve)?|"
    r"nyar(?:safton)?|new year(?:s eve)?|pask(?:afton)?|easter)\b"
)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _next_occurrence(today: date, month: int, day: int | None) -> date | None:
    """This year's ``day`` of ``month`` (its last day if None), or next year's when past."""
    for year in (today.year, today.year + 1):
        when = _month_end(year, month) if day is None else _safe_date(year, month, day)
        if when is not None and when >= today:
            return when
    return None


def _easter(year: int) -> date:
    """Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _holiday_eve(name: str, year: int) -> date:
    if name.startswith(("midsommar", "midsummer")):
        june_19 = date(year, 6, 19)  # midsommarafton: the Friday between 19 and 25 June
        return june_19 + timedelta(days=(4 - june_19.weekday()) % 7)
    if name.startswith(("jul", "christmas")):
        return date(year, 12, 24)
    if name.startswith(("nyar", "new year")):
        return date(year, 12, 31)
    return _easter(year) - timedelta(days=1)  # påskafton


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBER_WORDS[word]


def _plausible(when: date | None, today: date) -> date | None:
    if when is None or when < today or (when - today).days > MAX_DAYS_AHEAD:
        return None
    return when


def _read(folded: str, today: date, *, in_text: bool) -> date | None:
    """The deadline ``folded`` (a folded answer or description) names, if any."""
    trigger = rf"\b(?:{_TRIGGER})(?: (?:den|the|on))? "
    need = trigger if in_text else r""
    if match := re.search(need + _ISO.pattern, folded):
        year, month, day = (int(g) for g in match.groups()[-3:])
        return _plausible(_safe_date(year, month, day), today)
    if match := re.search(need + _SLASH.pattern, folded):
        day, month = int(match.group(1)), int(match.group(2))
        if month > 12 >= day:  # "3/15": written month first
            day, month = month, day
        if not 1 <= month <= 12:
            return None
        if match.group(3):
            year = int(match.group(3))
            return _plausible(_safe_date(year + 2000 if year < 100 else year, month, day), today)
        return _plausible(_next_occurrence(today, month, day), today)
    for pattern, day_group, month_group in ((_DAY_MONTH, 1, 2), (_MONTH_DAY, 2, 1)):
        if match := re.search(need + pattern.pattern, folded):
            day, month = int(match.group(day_group)), _MONTHS[match.group(month_group)]
            if match.group(3):
                return _plausible(_safe_date(int(match.group(3)), month, day), today)
            return _plausible(_next_occurrence(today, month, day), today)
    if match := _RELATIVE.search(folded) or (None if in_text else _RELATIVE_BARE.search(folded)):
        return _plausible(
            today + timedelta(days=_count(match.group(1)) * _UNITS[match.group(2)]), today
        )
    if match := _RELATIVE_ONE.search(folded):
        return _plausible(today + timedelta(days=_UNITS[match.group(1)]), today)
    if match := _NEXT.search(folded):
        if match.group(1) in ("vecka", "week"):
            monday = today + timedelta(days=7 - today.weekday())
            return monday + timedelta(days=4)
        month_after = _month_end(today.year, today.month) + timedelta(days=1)
        return _month_end(month_after.year, month_after.month)
    if match := re.search(need + _WEEK.pattern, folded):
        week = int(match.group(1))
        for year in (int(match.group(2)),) if match.group(2) else (today.year, today.year + 1):
            try:
                friday = date.fromisocalendar(year, week, 5)
            except ValueError:
                continue
            if friday >= today:
                return _plausible(friday, today)
        return None
    for match in _HOLIDAY.finditer(folded):
        word = match.group(1)
        if in_text and (word is None or word in ("i", "at", "for")):
            continue
        for year in (today.year, today.year + 1):
            eve = _holiday_eve(match.group(2), year)
            when = eve - timedelta(days=1) if word in _BEFORE else eve
            if when >= today:
                return when
    for match in _MONTH_PHRASE.finditer(folded):
        word, part, month_word, year_word = match.groups()
        if in_text and (word is None or word in ("i", "in", "under", "during")):
            continue
        month = _MONTHS[month_word]
        bare = word is None and part is None and match.group(0) != folded
        if bare and month_word in ("mar", "jun", "jul", "may"):
            continue  # "may" a verb, "mar" a word: a bare abbreviation among others says little
        on_day: int | None = None if part is None or _PART[part] == 0 else _PART[part]
        if word in _BEFORE:
            month, on_day = (month - 1) or 12, None
        if year_word:
            year = int(year_word) - (1 if word in _BEFORE and month == 12 else 0)
            by = _month_end(year, month) if on_day is None else _safe_date(year, month, on_day)
            return _plausible(by, today)
        return _plausible(_next_occurrence(today, month, on_day), today)
    return None


def _spaced(text: str) -> str:
    """Fold, keeping the characters dates are written with ("15/3", "2027-03-15")."""
    pieces = []
    for piece in text.replace("–", "-").replace(":e ", "e ").replace(":a ", "a ").split():
        bare = piece.strip(",;:!?()")
        pieces.append(bare.strip(".") if re.fullmatch(r"[\d/.-]+", bare) else fold(piece))
    return " ".join(p for p in pieces if p)


def parse_deadline(text: str, *, today: date) -> DeadlineReading | None:
    """A whole answer to "when do you need it?", or ``None`` if it names no date we can read.

    >>> today = date(2026, 12, 6)
    >>> parse_deadline("till mars", today=today).deadline
    datetime.date(2027, 3, 31)
    >>> parse_deadline("inom 6 veckor", today=today).deadline
    datetime.date(2027, 1, 17)
    >>> parse_deadline("15/3", today=today).deadline
    datetime.date(2027, 3, 15)
    >>> parse_deadline("snarast", today=today)
    DeadlineReading(deadline=datetime.date(2026, 12, 6), words='snarast', asap=True)
    >>> parse_deadline("någon gång", today=today) is None
    True
    """
    words = " ".join(text.split())
    folded = _spaced(words)
    if not folded:
        return None
    if _ASAP.search(folded):
        return DeadlineReading(today, words, asap=True)
    when = _read(folded, today, in_text=False)
    return DeadlineReading(when, words) if when is not None else None


_SENTENCE = re.compile(r"[^.!?\n]+")


def find_deadline(text: str, *, today: date) -> DeadlineReading | None:
    """The first deadline a description states, with the sentence part that says it.

    >>> today = date(2026, 12, 6)
    >>> find_deadline("20 st pallar i ek, klart till mars. Nära Skövde.", today=today)
    DeadlineReading(deadline=datetime.date(2027, 3, 31), words='klart till mars', asap=False)
    >>> find_deadline("En lampa i mars-gult, 15/3 mm plåt", today=today) is None
    True
    """
    for sentence in _SENTENCE.finditer(text):
        for clause in re.split(r"[,;:(]", sentence.group(0)):
            folded = _spaced(clause)
            if not folded:
                continue
            if _ASAP.search(folded):
                return DeadlineReading(today, _words(clause), asap=True)
            when = _read(folded, today, in_text=True)
            if when is not None:
                return DeadlineReading(when, _words(clause))
    return None


def _words(clause: str) -> str:
    """The clause as written, trimmed to its deadline part when short enough to show whole."""
    words = " ".join(clause.split())
    return words if len(words) <= 80 else words[:79].rstrip() + "…"
