"""What a ranking is asked and what it answers: queries, scores and their explanations."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from matching.interpret import Interpretation
from matching.models import VolumeStage


@dataclass(frozen=True, slots=True)
class Weights:
    """How the parts of a score add up; each part is in 0..1 and the weights sum to 1."""

    relevance: float = 0.70  # material and process fit, plus the maker's own words
    volume: float = 0.12
    proximity: float = 0.12
    freshness: float = 0.06
    # Within relevance: taxonomy fit versus matching the maker's own words.
    capability_share: float = 0.8
    # A process the maker does not name, but whose material it works in, counts this much.
    material_only_credit: float = 0.35
    # Below this relevance a maker is not a match at all.
    min_relevance: float = 0.25
    # Without a radius, proximity halves at this distance ("nearer still ranks higher").
    proximity_half_km: float = 100.0


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


@dataclass(frozen=True, slots=True)
class Scores:
    total: float
    relevance: float
    capability: float
    words: float
    volume: float
    proximity: float
    freshness: float


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
