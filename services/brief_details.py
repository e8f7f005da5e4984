"""A brief's deadline and budget in words, the same for the designer, makers and the hub.

The dialogue's summary, the maker's brief and the coordinators' notices all say "senast
31 mars 2027 (”till mars”)" and "10 000–20 000 kr" the same way; the texts are in
``services/data/briefs.{sv,en}.toml``. What the stored values mean is documented on
:class:`storage.models.MatchRequest`.
"""

from __future__ import annotations

from datetime import date

from services.messages import Html, Texts, load_catalogue

__all__ = ["BriefTexts", "budget_phrase", "deadline_phrase", "sek"]


class BriefTexts(Texts):
    CATALOGUE = "briefs"


def catalogue(language: str) -> dict[str, str]:
    return load_catalogue(BriefTexts.CATALOGUE, language)


def sek(amount: int) -> str:
    """Kronor grouped by thousands with a no-break space, as Swedes write them.

    >>> sek(1500000) == "1\\u00a0500\\u00a0000"
    True
    """
    return f"{amount:,}".replace(",", "\u00a0")


def date_words(language: str, when: date) -> Html:
    t = BriefTexts(language)
    return t("date", day=when.day, month=t(f"month.{when.month}"), year=when.year)


def deadline_phrase(language: str, deadline: date, words: str | None, *, asked_on: date) -> Html:
    """The deadline as everyone reads it: "senast 31 mars 2027 (”till mars”)", the date and
    the designer's words; "snarast" alone for a deadline on or before the day it was asked
    (storage.models.MatchRequest: that is how "asap" is stored; the words say no more)."""
    t = BriefTexts(language)
    if deadline <= asked_on:
        return t("deadline.asap")
    shown = t("deadline.by", date=date_words(language, deadline))
    if words:
        shown = t("deadline.with_words", deadline=shown, words=words)
    return shown


def budget_phrase(language: str, low: int | None, high: int | None) -> Html | None:
    """The budget as everyone reads it: "10 000–20 000 kr", "högst 50 000 kr", "minst 5 000
    kr", "cirka 5 000 kr"; ``None`` when neither bound is given."""
    t = BriefTexts(language)
    if low is not None and high is not None:
        if low == high:
            return t("budget.about", sum=sek(low))
        return t("budget.range", low=sek(low), high=sek(high))
    if high is not None:
        return t("budget.at_most", sum=sek(high))
    if low is not None:
        return t("budget.at_least", sum=sek(low))
    return None
