"""Play a fictional hub (:mod:`.market`) for N weeks with today's ranking and the reciprocal one.

Both runs rank with the real :class:`services.matchmaking.Matchmaker` over the same generated
catalogue (one index, shared), one with ``reciprocal=False`` and one with it on, fed the
answers so far through the same :func:`services.reciprocal.history.market_signals` the bot
feeds from its database. The world (makers, their hidden behaviour, every brief) is the same
for both; only which makers the designers are shown differs.

A day of the simulation, in order: the makers' answers that are due; briefs unanswered for 7
days marked unanswered (the bot's reminder and deadline, simplified); a designer whose round of
introductions all ended without a yes asks the next fits once; the day's new briefs are
ranked and their introductions sent. Sixteen days with no new briefs follow the last, so every
brief is answered or times out.

A maker that reads a brief answers it, at its own delay, by its hidden state *then*: not our
kind of work (a kind it dislikes) → "not our kind"; below its true minimum order →
"volume"; a deadline leaving less than its lead time, or a kind of client it does not take →
"other"; busy, or its capacity of jobs in the last four weeks taken → "fully booked"; else a yes
with its enthusiasm, otherwise "other". The draws for a (maker, brief) pair come from a
generator seeded by the pair, the same in both runs.

The figures (:class:`ArmFigures`): share of briefs answered Interested, introductions made
(yes answers) per request, median days from a request to its first yes, unanswered briefs,
briefs per maker (most to one maker over the run, Gini over every listed maker, and the most
to one maker in any 7 days: the cap), and unmet requests (no fit, or no yes from anyone asked).
"""

from __future__ import annotations

import random
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from matching.index import MakerIndex
from matching.places import Places, load_places
from services.matchmaking import DesignerRequest, Matchmaker, RequestError
from services.reciprocal.history import BriefRecord, market_signals
from services.reciprocal.market import SimBrief, SimMaker, World, build_world
from services.reciprocal.model import DEFAULT_WEEKLY_CAP, WEEK_DAYS

START = datetime(2026, 1, 5, tzinfo=UTC)  # a Monday
UNANSWERED_AFTER_DAYS = 7
DRAIN_DAYS = 16  # a last brief's second round ends within two weeks and a day
RANK_LIMIT = 5  # the first page of results
CAPACITY_DAYS = 28  # a maker's capacity is new jobs in any four weeks


@dataclass(slots=True)
class _Intro:
    maker: str
    brief: int
    sent: float
    concepts: frozenset[str]
    answer_at: float | None  # when the maker will answer (None: never)
    status: str = "brief_sent"
    reason: str | None = None
    answered: float | None = None


@dataclass(frozen=True, slots=True)
class ArmFigures:
    requests: int
    briefs: int
    interested: int
    share_interested: float
    introductions_per_request: float
    median_days_to_first_yes: float | None
    unanswered: int
    max_briefs_per_maker: int
    gini_briefs: float
    max_briefs_in_7_days: int
    unmet: int
    no_fit: int
    declines: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class MarketReport:
    weeks: int
    seed: int
    makers: int
    designers: int
    cap: int
    today: ArmFigures
    reciprocal: ArmFigures
    # Today's ranking's fits re-ordered by what no ranking can see: each maker's hidden
    # terms, dislikes, responsiveness and enthusiasm for the brief (not its load): how far
    # ordering alone could go in this world.
    hidden: ArmFigures | None = None

    @property
    def share_ratio(self) -> float:
        return _ratio(self.reciprocal.share_interested, self.today.share_interested)

    @property
    def introductions_ratio(self) -> float:
        return _ratio(
            self.reciprocal.introductions_per_request, self.today.introductions_per_request
        )


def _ratio(a: float, b: float) -> float:
    return a / b if b else float("inf")


def simulate(
    *,
    weeks: int,
    seed: int,
    makers: int = 48,
    designers: int = 50,
    cap: int = DEFAULT_WEEKLY_CAP,
    places: Places | None = None,
    hidden: bool = False,
) -> MarketReport:
    """Build the world for ``seed`` and run it with both rankings (``hidden``: and with the
    ordering that knows the makers' hidden traits, :attr:`MarketReport.hidden`)."""
    places = places or load_places()
    world = build_world(places, weeks=weeks, seed=seed, makers=makers, designers=designers)
    index = MakerIndex.build(m.profile for m in world.makers)
    return MarketReport(
        weeks,
        seed,
        makers,
        designers,
        cap,
        _Run(world, Matchmaker(index, places, reciprocal=False), cap).play(),
        _Run(world, Matchmaker(index, places, reciprocal=True), cap).play(),
        _Run(world, Matchmaker(index, places, reciprocal=False), cap, hidden=True).play()
        if hidden
        else None,
    )


class _Run:
    def __init__(
        self, world: World, matchmaker: Matchmaker, cap: int, *, hidden: bool = False
    ) -> None:
        self.world = world
        self.hidden = hidden
        self.cap = cap
        self.matchmaker = matchmaker
        self.intros: list[_Intro] = []
        self.by_brief: dict[int, list[_Intro]] = {}
        self.rounds: dict[int, int] = {}
        self.no_fit: set[int] = set()
        self.yes_times: dict[str, list[float]] = {}
        self.received: dict[str, list[float]] = {}

    def play(self) -> ArmFigures:
        briefs = list(self.world.briefs)
        for day in range(self.world.days + DRAIN_DAYS):
            end = day + 1.0
            self._answers(until=day + 0.2)
            for brief in self.world.briefs:
                if self.rounds.get(brief.id) == 1 and self._all_ended(brief.id):
                    self._ask(brief, day + 0.25)
            while briefs and briefs[0].at < end:
                self._ask(briefs.pop(0), None)
            self._answers(until=end)
        return self._figures()

    # -- designers -------------------------------------------------------------------------

    def _ask(self, brief: SimBrief, at: float | None) -> None:
        when = brief.at if at is None else at
        round_number = self.rounds.get(brief.id, 0) + 1
        self.rounds[brief.id] = round_number
        asked = {i.maker for i in self.by_brief.get(brief.id, [])}
        now = START + timedelta(days=when)
        request = DesignerRequest(
            text=brief.text,
            place=brief.place,
            radius_km=brief.radius_km,
            county_code=brief.place.municipality.county.code if brief.radius_km is None else None,
            volume_stage=brief.stage,
            quantity=brief.quantity,
            deadline=(
                (START + timedelta(days=brief.at + brief.deadline_days)).date()
                if brief.deadline_days is not None
                else None
            ),
            client=brief.visible_client,
            limit=RANK_LIMIT + len(asked),
        )
        signals = (
            market_signals(self._records(when), now=now, default_cap=self.cap)
            if self.matchmaker.reciprocal
            else None
        )
        try:
            ranked = self.matchmaker.rank(request, today=now.date(), signals=signals)
        except RequestError:  # pragma: no cover - the generated briefs are all rankable
            return
        concepts = frozenset(hit.code for g in ranked.interpretation.groups for hit in g.hits)
        fits = [m.maker_id for m in ranked.result.fits if m.maker_id not in asked]
        if self.hidden:
            fits.sort(key=lambda m: -_hidden_chance(self.world.by_id[m], brief, when))
        if round_number == 1 and not fits:
            self.no_fit.add(brief.id)
        for maker_id in fits[: brief.picks]:
            self._send(self.world.by_id[maker_id], brief, when, concepts)

    def _all_ended(self, brief_id: int) -> bool:
        intros = self.by_brief.get(brief_id, [])
        return bool(intros) and all(i.status in ("declined", "unanswered") for i in intros)

    # -- makers ----------------------------------------------------------------------------

    def _send(self, maker: SimMaker, brief: SimBrief, at: float, concepts: frozenset[str]) -> None:
        rng = random.Random(f"{self.world.seed}:{maker.profile.id}:{brief.id}")
        received = self.received.setdefault(maker.profile.id, [])
        received.append(at)
        read = sum(1 for t in received if t > at - WEEK_DAYS) <= maker.attention
        answers = read and rng.random() < maker.responsiveness
        answer_at = at + max(0.05, rng.expovariate(1 / maker.delay)) if answers else None
        intro = _Intro(maker.profile.id, brief.id, at, concepts, answer_at)
        self.intros.append(intro)
        self.by_brief.setdefault(brief.id, []).append(intro)

    def _answers(self, *, until: float) -> None:
        due = [
            i for i in self.intros
            if i.status == "brief_sent" and i.answer_at is not None and i.answer_at < until
        ]  # fmt: skip
        for intro in sorted(due, key=lambda i: (i.answer_at, i.brief, i.maker)):
            assert intro.answer_at is not None
            if intro.answer_at - intro.sent >= UNANSWERED_AFTER_DAYS:
                continue
            self._decide(intro, intro.answer_at)
        for intro in self.intros:
            if intro.status == "brief_sent" and intro.sent + UNANSWERED_AFTER_DAYS < until:
                intro.status = "unanswered"

    def _decide(self, intro: _Intro, at: float) -> None:
        maker = self.world.by_id[intro.maker]
        brief = self.world.briefs[intro.brief]
        rng = random.Random(f"{self.world.seed}:{maker.profile.id}:{brief.id}:answer")
        yeses = self.yes_times.setdefault(maker.profile.id, [])
        left = None if brief.deadline_days is None else brief.deadline_days - (at - brief.at)
        if brief.kind in maker.dislikes:
            status, reason = "declined", "not_our_kind"
        elif brief.quantity < maker.min_order:
            status, reason = "declined", "volume"
        elif (left is not None and left < maker.lead_time) or brief.client not in maker.works_with:
            status, reason = "declined", "other"
        elif (
            int(at) in maker.busy_days
            or sum(1 for t in yeses if t > at - CAPACITY_DAYS) >= maker.capacity
        ):
            status, reason = "declined", "fully_booked"
        elif rng.random() < maker.enthusiasm:
            status, reason = "interested", None
            yeses.append(at)
        else:
            status, reason = "declined", "other"
        intro.status, intro.reason, intro.answered = status, reason, at

    def _records(self, now: float) -> list[BriefRecord]:
        """What the bot's database would hold at ``now``."""
        records = []
        for i in self.intros:
            answered = i.answered is not None and i.answered <= now
            if answered:
                status = i.status
            elif i.sent + UNANSWERED_AFTER_DAYS < now:
                status = "unanswered"
            else:
                status = "brief_sent"
            sent = START + timedelta(days=i.sent)
            records.append(
                BriefRecord(
                    maker_id=i.maker,
                    sent_at=sent,
                    status=status,
                    answered_at=START + timedelta(days=i.answered)
                    if answered and i.answered is not None
                    else None,
                    decline_reason=i.reason if answered else None,
                    concepts=i.concepts,
                    brief_sent_at=sent,
                    quantity=self.world.briefs[i.brief].quantity,
                )
            )
        return records

    # -- figures ---------------------------------------------------------------------------

    def _figures(self) -> ArmFigures:
        requests = len(self.world.briefs)
        interested = [i for i in self.intros if i.status == "interested"]
        first_yes = []
        unmet = 0
        for brief in self.world.briefs:
            yes = [i.answered for i in self.by_brief.get(brief.id, []) if i.status == "interested"]
            if yes:
                first_yes.append(min(t for t in yes if t is not None) - brief.at)
            else:
                unmet += 1
        per_maker = {m.profile.id: 0 for m in self.world.makers}
        for intro in self.intros:
            per_maker[intro.maker] += 1
        declines: dict[str, int] = {}
        for intro in self.intros:
            if intro.status == "declined" and intro.reason:
                declines[intro.reason] = declines.get(intro.reason, 0) + 1
        return ArmFigures(
            requests=requests,
            briefs=len(self.intros),
            interested=len(interested),
            share_interested=len(interested) / len(self.intros) if self.intros else 0.0,
            introductions_per_request=len(interested) / requests if requests else 0.0,
            median_days_to_first_yes=statistics.median(first_yes) if first_yes else None,
            unanswered=sum(1 for i in self.intros if i.status == "unanswered"),
            max_briefs_per_maker=max(per_maker.values(), default=0),
            gini_briefs=gini(list(per_maker.values())),
            max_briefs_in_7_days=max_in_window(self.received, WEEK_DAYS),
            unmet=unmet,
            no_fit=len(self.no_fit),
            declines=dict(sorted(declines.items())),
        )


def _hidden_chance(maker: SimMaker, brief: SimBrief, now: float) -> float:
    """The maker's chance of a yes from its hidden static traits (not its load or busy
    spells, which change as the run goes)."""
    if brief.kind in maker.dislikes or brief.quantity < maker.min_order:
        return 0.0
    if brief.client not in maker.works_with:
        return 0.0
    if brief.deadline_days is not None and brief.deadline_days - (now - brief.at) < maker.lead_time:
        return 0.0
    return maker.responsiveness * maker.enthusiasm


def gini(values: Sequence[int]) -> float:
    """The Gini coefficient of ``values`` (0: everyone the same; near 1: one has all).

    >>> gini([1, 1, 1, 1]), gini([0, 0, 0, 4])
    (0.0, 0.75)
    """
    ordered = sorted(values)
    total = sum(ordered)
    n = len(ordered)
    if not n or not total:
        return 0.0
    weighted = sum((i + 1) * v for i, v in enumerate(ordered))
    return (2 * weighted) / (n * total) - (n + 1) / n


def max_in_window(times: dict[str, list[float]], days: float) -> int:
    """The most briefs one maker received within any ``days`` (a window ending at a brief)."""
    most = 0
    for received in times.values():
        ordered = sorted(received)
        start = 0
        for end, t in enumerate(ordered):
            while ordered[start] <= t - days:
                start += 1
            most = max(most, end - start + 1)
    return most
