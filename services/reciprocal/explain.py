"""A maker's likely answer in words, for the card: "svarar oftast inom två dagar", "tar serier
från 50 st – du frågar om 20", "fullbokad just nu", "har många förfrågningar denna vecka".

Only what helps a designer choose is said: a term the brief is short of (the listing's own
line states the terms themselves), what the maker's answers show once there are a few, a
recent "fully booked". The words live in the dialogue's
catalogues under ``reciprocal.*`` (:func:`render`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from services.messages import Html
from services.reciprocal.model import BriefTerms, MakerHistory, MakerTerms, Reciprocity

# What the answers must show before they are put in words.
MIN_ANSWERS_FOR_SPEED = 2
MIN_DECIDED_FOR_RATE = 4
RARE_ANSWER_RATE = 0.5
# A factor below this is worth telling.
TELL_BELOW = 0.5
# Numbers up to this are written as words ("två dagar").
WORDED_NUMBERS = 12


@dataclass(frozen=True, slots=True)
class Sign:
    """One line on the card: a message key and its values."""

    key: str
    values: dict[str, object] = field(default_factory=dict)


def signs(
    terms: MakerTerms, history: MakerHistory, brief: BriefTerms, found: Reciprocity
) -> list[Sign]:
    """What to say about a maker's likely answer, most telling first."""
    out: list[Sign] = []
    if found.booked < TELL_BELOW:
        out.append(Sign("reciprocal.booked"))
    if history.this_week > 0 and history.this_week >= history.cap - 1:
        out.append(Sign("reciprocal.busy"))
    if found.kind < TELL_BELOW:
        out.append(Sign("reciprocal.declined_similar"))
    # The listing's own line on the card states the minimum order, lead time and clients;
    # these say when the brief falls short of them.
    if (
        terms.min_order is not None
        and brief.quantity is not None
        and brief.quantity < terms.min_order
    ):
        values: dict[str, object] = {"min": terms.min_order, "quantity": brief.quantity}
        out.append(Sign("reciprocal.min_order_short", values))
    if (
        terms.lead_time_days is not None
        and brief.days_left is not None
        and brief.days_left < terms.lead_time_days
    ):
        out.append(Sign("reciprocal.lead_time_short", {"days": terms.lead_time_days}))
    if found.client < 1 and brief.client is not None:
        out.append(Sign("reciprocal.not_your_kind", {"kind": brief.client.value}))
    if history.decided >= MIN_DECIDED_FOR_RATE and (
        history.answered / history.decided < RARE_ANSWER_RATE
    ):
        counts: dict[str, object] = {"answered": history.answered, "decided": history.decided}
        out.append(Sign("reciprocal.rarely_answers", counts))
    elif history.answered >= MIN_ANSWERS_FOR_SPEED and history.median_answer_hours is not None:
        days = max(1, math.ceil(history.median_answer_hours / 24))
        out.append(Sign("reciprocal.answers_within", {"days": days}))
    return out


def render(t: Callable[..., Html], sign: Sign) -> Html:
    """``sign`` in the catalogue's words; day counts and the kind of client in words too."""
    values = dict(sign.values)
    if "days" in values:
        values["days"] = duration(t, int(str(values["days"])))
    if "kind" in values:
        values["kind"] = t(f"listing.client.{values['kind']}")
    return t(sign.key, **values)


def duration(t: Callable[..., Html], days: int) -> str:
    """ "två dagar", "tre veckor": whole weeks from two weeks on, numbers up to 12 as words."""
    if days >= 14 and days % 7 == 0:
        count, unit = days // 7, "week"
    else:
        count, unit = days, "day"
    number = str(t(f"number.{count}")) if count <= WORDED_NUMBERS else str(count)
    return str(t(f"reciprocal.{unit}" if count == 1 else f"reciprocal.{unit}s", n=number))
