"""How likely a maker is to say yes to a brief: a pure, explainable model.

The capability ranking (``matching/``) says who *can* make it; this says who is likely to
*want to, now*. ``P(yes)`` is a base rate times one factor per reason, each in ``(0, 1]``:

* **base**: how often the maker answers at all, times how often an answer is *Interested*
  when no term below explains a no ("other" declines count; "fully booked", "not our kind",
  "volume" are the factors' business). Each is the maker's own share shrunk towards the hub's
  (:class:`HubRates`, ``prior_strength`` pseudo-briefs of it): a maker nobody has asked yet
  gets the hub's rates, so new listings are not buried below makers with a history;
* **quantity**: below the maker's minimum order the factor falls with the shortfall
  (``(quantity / min_order) ** shortfall_power``); at or above it, 1. A maker that has not
  stated one but lists its volume stages, not the brief's: ``stage_mismatch``. A "volume does
  not fit" decline teaches a minimum too: a brief of no more pieces than the declined one gets
  ``volume_drop`` (fading with ``kind_half_life``);
* **deadline**: the days left against the maker's usual lead time, the same way;
* **client**: a maker that says whom it works with (students, sole traders, companies, the
  public sector) and does not name the designer's kind: ``client_mismatch``; an unknown kind
  or a maker that has not said: 1 (neutral);
* **load**: briefs received in the last 7 days against the maker's weekly cap (default 3,
  coordinators may set it): ``1 - load_weight * week / cap``, times ``1 - taken_drop`` for each
  job it said yes to in the last four weeks (less room in its calendar); at the cap the maker
  is not briefed again that week (``at_cap``, ``P(yes) = 0``);
* **booked**: a recent "fully booked" decline lowers it, decaying with ``booked_half_life``
  days: ``1 - booked_drop * 0.5 ** (days / half_life)``;
* **kind of work**: each "not our kind of work" decline lowers it for requests of similar
  materials and processes (Jaccard overlap of the taxonomy codes), decaying slowly:
  ``exp(-kind_strength * Σ overlap * 0.5 ** (days / kind_half_life))``.

The ordering weight (:attr:`Reciprocity.weight`) is ``P(yes)`` times a mild **speed** factor
(a maker who answers within two days ranks a little above one who takes a week), so designers
hear sooner. Every factor is monotonic in its input; the tests hold it to that.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from matching.models import ClientKind, MakerProfile, VolumeStage

DEFAULT_WEEKLY_CAP = 3
WEEK_DAYS = 7


class DeclineKind(StrEnum):
    """The decline reasons the history learns from (``services.introductions.DeclineReason``)."""

    FULLY_BOOKED = "fully_booked"
    NOT_OUR_KIND = "not_our_kind"
    VOLUME = "volume"


@dataclass(frozen=True, slots=True)
class MakerTerms:
    """What a listing says about the jobs it takes (``None``/empty: not said)."""

    min_order: int | None = None
    lead_time_days: int | None = None
    works_with: frozenset[ClientKind] = frozenset()
    stages: frozenset[VolumeStage] = frozenset()  # the volume stages it lists

    @classmethod
    def of(cls, maker: MakerProfile) -> MakerTerms:
        return cls(maker.min_order, maker.lead_time_days, maker.works_with, maker.volumes)


@dataclass(frozen=True, slots=True)
class BriefTerms:
    """What the brief says that a maker weighs besides the work itself."""

    quantity: int | None = None
    stage: VolumeStage | None = None
    days_left: int | None = None  # days from now to the deadline (None: no deadline)
    client: ClientKind | None = None  # None: unknown
    concepts: frozenset[str] = frozenset()  # taxonomy codes of the materials and processes


@dataclass(frozen=True, slots=True)
class Decline:
    """A decline the model remembers: when, why, and what the request was about."""

    at: datetime
    kind: DeclineKind
    concepts: frozenset[str] = frozenset()
    quantity: int | None = None  # the declined request's pieces


@dataclass(frozen=True, slots=True)
class HubRates:
    """The hub's shares every maker's own is shrunk towards (newcomers start here)."""

    answer: float = 0.7  # briefs answered at all
    yes: float = 0.5  # answers that were Interested, explained declines aside

    @property
    def base(self) -> float:
        return self.answer * self.yes


@dataclass(frozen=True, slots=True)
class MakerHistory:
    """One maker's answers so far (:func:`services.reciprocal.history.histories`)."""

    decided: int = 0  # briefs answered, or that timed out unanswered
    answered: int = 0  # interested or declined
    interested: int = 0
    explained: int = 0  # declines a factor accounts for (a DeclineKind reason)
    median_answer_hours: float | None = None
    this_week: int = 0  # briefs received in the last 7 days
    jobs_taken: int = 0  # briefs it answered Interested in the last 28 days (TAKEN_DAYS)
    cap: int = DEFAULT_WEEKLY_CAP
    declines: tuple[Decline, ...] = ()  # the ones it learns from (DeclineKind), oldest first


@dataclass(frozen=True, slots=True)
class ReciprocalWeights:
    prior_strength: float = 4.0  # pseudo-briefs of the hub's rate in each maker's base rate
    shortfall_power: float = 1.5
    floor: float = 0.05  # no factor of a listed term goes below this
    stage_mismatch: float = 0.5
    volume_drop: float = 0.2
    client_mismatch: float = 0.3
    load_weight: float = 0.5
    taken_drop: float = 0.3  # each job taken in the last 28 days leaves this much less room
    booked_drop: float = 0.8
    booked_half_life: float = 10.0  # days
    kind_strength: float = 1.5
    kind_half_life: float = 90.0  # days
    fast_hours: float = 48.0  # answers within this: full speed factor
    slow_hours: float = 168.0  # answers after this: ``slow_factor``
    slow_factor: float = 0.8
    # Within a tier makers are ordered by capability score × weight ** order_power.
    order_power: float = 1.0


DEFAULT_RECIPROCAL_WEIGHTS = ReciprocalWeights()


@dataclass(frozen=True, slots=True)
class Reciprocity:
    """One maker's likely answer to one brief, with its parts (each a factor in ``(0, 1]``)."""

    p_yes: float
    weight: float  # what the re-ranking multiplies the capability score by
    base: float
    quantity: float = 1.0
    deadline: float = 1.0
    client: float = 1.0
    load: float = 1.0
    booked: float = 1.0
    kind: float = 1.0
    speed: float = 1.0
    at_cap: bool = False
    cold_start: bool = False  # no answer to learn from yet: the hub's rate stands in
    factors: dict[str, float] = field(default_factory=dict)


def shrunk_rate(successes: int, trials: int, prior: float, strength: float) -> float:
    """``successes / trials`` pulled towards ``prior`` by ``strength`` pseudo-trials.

    >>> shrunk_rate(0, 0, 0.4, 4.0)
    0.4
    >>> round(shrunk_rate(8, 8, 0.5, 4.0), 3)
    0.833
    """
    return (successes + strength * prior) / (trials + strength)


def shortfall(have: float | None, need: float | None, *, power: float, floor: float) -> float:
    """1 when ``have`` reaches ``need`` (or either is unknown), less the shorter it falls.

    >>> shortfall(50, 50, power=1.5, floor=0.05), shortfall(None, 50, power=1.5, floor=0.05)
    (1.0, 1.0)
    >>> round(shortfall(25, 50, power=1.5, floor=0.05), 3)
    0.354
    """
    if have is None or need is None or need <= 0 or have >= need:
        return 1.0
    return max(floor, (max(have, 0.0) / need) ** power)


def _decay(days: float, half_life: float) -> float:
    return 0.5 ** (max(days, 0.0) / half_life)


def overlap(a: Collection[str], b: Collection[str]) -> float:
    """Jaccard overlap of two sets of taxonomy codes (0 when either is empty).

    >>> overlap({"metal", "process.welding"}, {"metal"})
    0.5
    """
    left, right = set(a), set(b)
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)


def reciprocity(
    terms: MakerTerms,
    history: MakerHistory,
    brief: BriefTerms,
    *,
    now: datetime,
    prior: HubRates,
    weights: ReciprocalWeights = DEFAULT_RECIPROCAL_WEIGHTS,
) -> Reciprocity:
    """P(yes | maker, brief) and the ordering weight, with every factor (see the module)."""
    w = weights
    base = shrunk_rate(
        history.answered, history.decided, prior.answer, w.prior_strength
    ) * shrunk_rate(
        history.interested,
        max(0, history.answered - history.explained),
        prior.yes,
        w.prior_strength,
    )
    quantity = shortfall(brief.quantity, terms.min_order, power=w.shortfall_power, floor=w.floor)
    if (
        terms.min_order is None
        and brief.stage is not None
        and terms.stages
        and brief.stage not in terms.stages
    ):
        quantity = w.stage_mismatch
    deadline = shortfall(
        brief.days_left, terms.lead_time_days, power=w.shortfall_power, floor=w.floor
    )
    client = 1.0
    if brief.client is not None and terms.works_with and brief.client not in terms.works_with:
        client = w.client_mismatch
    cap = max(history.cap, 0)
    at_cap = history.this_week >= cap
    load = max(0.0, 1.0 - w.load_weight * min(history.this_week, cap) / cap) if cap else 0.0
    load *= (1.0 - w.taken_drop) ** history.jobs_taken
    booked = 1.0
    kind_sum = 0.0
    for decline in history.declines:
        days = (now - decline.at).total_seconds() / 86400
        if decline.kind is DeclineKind.FULLY_BOOKED:
            booked = min(booked, 1.0 - w.booked_drop * _decay(days, w.booked_half_life))
        elif decline.kind is DeclineKind.VOLUME:
            if (
                brief.quantity is not None
                and decline.quantity is not None
                and brief.quantity <= decline.quantity
            ):
                drop = 1.0 - (1.0 - w.volume_drop) * _decay(days, w.kind_half_life)
                quantity = min(quantity, drop)
        else:
            kind_sum += overlap(brief.concepts, decline.concepts) * _decay(days, w.kind_half_life)
    kind = math.exp(-w.kind_strength * kind_sum)
    speed = 1.0
    hours = history.median_answer_hours
    if hours is not None and hours > w.fast_hours:
        share = min(1.0, (hours - w.fast_hours) / (w.slow_hours - w.fast_hours))
        speed = 1.0 - (1.0 - w.slow_factor) * share
    factors = {
        "quantity": quantity,
        "deadline": deadline,
        "client": client,
        "load": load,
        "booked": booked,
        "kind": kind,
    }
    p_yes = 0.0 if at_cap else base * math.prod(factors.values())
    return Reciprocity(
        p_yes=p_yes,
        weight=p_yes * speed,
        base=base,
        quantity=quantity,
        deadline=deadline,
        client=client,
        load=load,
        booked=booked,
        kind=kind,
        speed=speed,
        at_cap=at_cap,
        cold_start=history.decided == 0,
        factors=factors,
    )
