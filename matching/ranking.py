"""What a ranking is asked and what it answers: queries, scores and their explanations."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from matching.interpret import Interpretation
from matching.models import VolumeStage


@dataclass(frozen=True, slots=True)
class Weights:
    """How the parts of a score add up, and where evidence makes a fit.

    The score parts are each in 0..1 and their weights sum to 1. *Evidence* is how much of
    what was asked the maker's own words show (each asked material or process in 0..1,
    processes weighing ``process_weight``); *support* adds the weaker signs (the material
    family, a neighbouring material, a process credited through its material).
    """

    relevance: float = 0.70  # material and process fit, plus the maker's own words
    volume: float = 0.12
    proximity: float = 0.12
    freshness: float = 0.06
    # Within relevance: taxonomy fit versus matching the maker's own words.
    capability_share: float = 0.8
    # A process the maker does not name, but whose material it works in, counts this much.
    material_only_credit: float = 0.35
    # Asked for a specific material (bronze): the maker names only its family ("metall").
    generic_credit: float = 0.5
    # Asked for a specific material: the maker names other members of the family only.
    family_credit: float = 0.5
    # A neighbouring material or trade (composite for plastic, a saddler for tanning) counts
    # this much, as a weaker sign.
    neighbour_credit: float = 0.4
    process_weight: float = 1.5
    # A fit needs this much evidence, and some sign for everything asked.
    fit_evidence: float = 0.65
    # Without any taxonomy concept asked: the share of the request's words the maker writes.
    fit_words: float = 0.5
    # Below this relevance a maker is not a match at all.
    min_relevance: float = 0.25
    # Without a radius, proximity halves at this distance ("nearer still ranks higher").
    proximity_half_km: float = 100.0
    # Weaker candidates shown after the fits, at most this many.
    max_maybes: int = 3
    # A maker outside the radius is suggested when its strength beats the best fit inside
    # by this much, and it is no farther than the radius times ``beyond_factor`` plus
    # ``beyond_extra_km``; at most ``beyond_limit`` of them.
    beyond_margin: float = 0.05
    beyond_factor: float = 2.0
    beyond_extra_km: float = 100.0
    beyond_limit: int = 2


DEFAULT_WEIGHTS = Weights()


@dataclass(frozen=True, slots=True)
class MatchQuery:
    """A designer's request as the ranking sees it."""

    text: str
    volume: VolumeStage | None = None
    quantity: int | None = None
    lat: float | None = None
    lon: float | None = None
    radius_km: float | None = None  # None: anywhere in Sweden
    county_code: str | None = None  # only makers in this county (län), e.g. "14"
    limit: int = 10
    today: date | None = None  # injectable for tests; default: the local date

    @property
    def has_location(self) -> bool:
        return self.lat is not None and self.lon is not None


class VolumeFit(StrEnum):
    MATCH = "match"  # the maker does this stage
    NEAR = "near"  # the maker does the neighbouring stage
    MISMATCH = "mismatch"
    UNKNOWN = "unknown"  # the maker has not said which stages it takes
    NOT_ASKED = "not_asked"  # the request named no stage


@dataclass(frozen=True, slots=True)
class CapabilityReason:
    """A concept the request asked for and the maker offers."""

    code: str
    kind: str  # "material" | "process"
    label_sv: str
    label_en: str
    request_words: tuple[str, ...]
    maker_words: tuple[str, ...]  # the maker's words that show it (empty: via the material)
    via_material: str | None = None  # the process is credited through this material only
    strength: float = 1.0
    # How the maker's listing shows it: "direct" (its words name it), "generic" (asked for a
    # specific material, it names the family), "family" (other materials of the family),
    # "neighbour" (a neighbouring material or trade) or "via_material".
    evidence: str = "direct"
    snippet: str = ""  # the maker's own words around it, as written
    source: str = ""  # where: "materials", "processes", "description", "name" or "equipment"

    @property
    def direct(self) -> bool:
        return self.evidence == "direct"


@dataclass(frozen=True, slots=True)
class WordReason:
    """A word of the request found in the maker's own text."""

    request_word: str
    maker_word: str


@dataclass(frozen=True, slots=True)
class Explanation:
    capabilities: tuple[CapabilityReason, ...]
    words: tuple[WordReason, ...]
    distance_km: float | None
    within_radius: bool | None
    volume_fit: VolumeFit
    maker_volumes: tuple[VolumeStage, ...]
    last_confirmed: date | None
    evidence: float = 0.0  # the share of what was asked that the maker's own words show
    summary: str = ""  # one line of what the maker does, from its description
    town: str = ""
    website: str = ""


@dataclass(frozen=True, slots=True)
class Scores:
    total: float
    relevance: float
    capability: float
    words: float
    volume: float
    proximity: float
    freshness: float
    evidence: float = 0.0


class Tier(StrEnum):
    """How a maker is presented: a fit has evidence from its own listing for what was asked;
    a weaker candidate rests on a material family, a neighbouring process, distance or volume."""

    FIT = "fit"
    MAYBE = "maybe"


@dataclass(frozen=True, slots=True)
class Match:
    maker_id: str
    name: str
    score: float
    scores: Scores
    explanation: Explanation
    tier: Tier = Tier.FIT

    @property
    def fit(self) -> bool:
        return self.tier is Tier.FIT


@dataclass(frozen=True, slots=True)
class MatchResult:
    query: MatchQuery
    interpretation: Interpretation
    matches: tuple[Match, ...]  # fits first, then weaker candidates
    candidates: int = 0  # makers that fitted at all, before the limit
    considered: int = 0  # available makers looked at
    notes: tuple[str, ...] = field(default=())
    # Makers with strong evidence outside the radius (or county), when the fits inside are
    # weaker: named as suggestions with their distance, never mixed into ``matches``.
    beyond_radius: tuple[Match, ...] = ()
    maybe_candidates: int = 0  # weaker candidates within reach, before the limit

    @property
    def fits(self) -> tuple[Match, ...]:
        return tuple(m for m in self.matches if m.fit)

    @property
    def maybes(self) -> tuple[Match, ...]:
        return tuple(m for m in self.matches if not m.fit)

    @property
    def none_fits(self) -> bool:
        """No maker within reach has evidence for what was asked."""
        return not any(m.fit for m in self.matches)
