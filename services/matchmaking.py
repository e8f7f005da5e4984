"""Rank the catalogue's makers for a designer's request.

Turns what a designer typed (free text, a volume wording, a place name, a radius) into a
:class:`~matching.ranking.MatchQuery`, asks the in-memory index, and renders the result as
the JSON documented in the README. The index is loaded from the database once and kept
current with :meth:`Matchmaker.apply` when a listing changes.

With reciprocal ranking on (the default), the capability ranking's candidates are re-ordered
within their tiers by how likely each maker is to say yes (:mod:`services.reciprocal`): pass
the makers' answers so far as ``signals``; without them every maker is a newcomer and only the
listing's terms (minimum order, lead time, whom they work with) count.

What the description itself says is used: a quantity or volume stage ("ett par hundra",
"engångsjobb") when none is given apart, and a place ("nära Skövde") when no location is. A
volume phrase nobody can read never stops a ranking: it is left out and a note says so.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time
from enum import StrEnum
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from matching.details import place_in_text
from matching.index import MakerIndex
from matching.interpret import ConceptHit, HitGroup, Interpretation, default_interpreter
from matching.models import ClientKind, MakerProfile, VolumeStage
from matching.places import Place, Places, ResolutionStatus, load_places
from matching.ranking import CapabilityReason, Match, MatchQuery, MatchResult
from matching.taxonomy import concept_by_code
from matching.text import fold
from matching.volume import VolumeReading, parse_volume, stage_for_quantity
from services.reciprocal.explain import Sign
from services.reciprocal.history import MarketSignals
from services.reciprocal.model import (
    DEFAULT_WEEKLY_CAP,
    BriefTerms,
    HubRates,
    MakerTerms,
    Reciprocity,
)
from services.reciprocal.rerank import POOL_EXTRA, rerank
from storage.repositories.makers import list_makers

MAX_LIMIT = 100


class RequestProblem(StrEnum):
    PLACE_NOT_FOUND = "place_not_found"
    PLACE_AMBIGUOUS = "place_ambiguous"
    RADIUS_WITHOUT_PLACE = "radius_without_place"
    BAD_RADIUS = "bad_radius"
    BAD_LIMIT = "bad_limit"
    EMPTY_TEXT = "empty_text"


class RankNote(StrEnum):
    """Something the reader of a ranking should know about how it was made."""

    VOLUME_UNREADABLE = "volume_unreadable"  # the volume phrase was left out
    VOLUME_FROM_TEXT = "volume_from_text"  # stage or quantity read from the description
    PLACE_FROM_TEXT = "place_from_text"  # the place read from the description


class RequestError(ValueError):
    """The request cannot be ranked as given; ``candidates`` offers places to choose from."""

    def __init__(
        self, problem: RequestProblem, message: str, candidates: tuple[Place, ...] = ()
    ) -> None:
        super().__init__(message)
        self.problem = problem
        self.candidates = candidates


@dataclass(frozen=True, slots=True)
class DesignerRequest:
    """What a designer typed, before interpretation."""

    text: str
    volume: str | None = None
    location: str | None = None
    radius_km: float | None = None
    limit: int = 10
    place: Place | None = (
        None  # already resolved (e.g. chosen among candidates); wins over location
    )
    county_code: str | None = None  # only makers in this county (län), e.g. "14"
    # Chosen by buttons rather than typed: win over ``volume`` when set.
    volume_stage: VolumeStage | None = None
    quantity: int | None = None
    # The taxonomy codes the designer confirmed: the text's hits are kept only for these,
    # and codes the text did not show are added. None: the text's reading as it is.
    concepts: tuple[str, ...] | None = None
    # What a maker weighs besides the work (the reciprocal ranking): the last day it is
    # needed by, and what kind of client the designer is (None: unknown, neutral).
    deadline: date | None = None
    client: ClientKind | None = None


@dataclass(frozen=True, slots=True)
class RankedRequest:
    request: DesignerRequest
    volume: VolumeReading
    place: Place | None
    result: MatchResult
    place_corrected: bool = False  # the typed location was no place as written; this is a guess
    notes: tuple[RankNote, ...] = ()
    # With reciprocal ranking: each shown maker's likely answer, and the makers left out
    # because their week's briefs reached the cap.
    reciprocity: Mapping[str, Reciprocity] = field(default_factory=dict)
    at_cap: tuple[str, ...] = ()
    signs: Mapping[str, tuple[Sign, ...]] = field(default_factory=dict)  # words for the cards

    @property
    def none_fits(self) -> bool:
        return self.result.none_fits

    @property
    def interpretation(self) -> Interpretation:
        return self.result.interpretation

    @property
    def matches(self) -> tuple[Match, ...]:
        return self.result.matches


class Matchmaker:
    """The index over the catalogue plus the place resolver: one per process.

    ``reciprocal`` turns the reciprocal re-ranking on (the default) or off (today's capability
    ranking alone: ``RECIPROCAL_RANKING=false``, the evaluation's and the simulation's
    side-by-side runs); ``weekly_cap`` is the briefs a maker gets in any 7 days unless its hub
    set another (``WEEKLY_BRIEF_CAP``).
    """

    def __init__(
        self,
        index: MakerIndex,
        places: Places | None = None,
        *,
        reciprocal: bool = True,
        weekly_cap: int = DEFAULT_WEEKLY_CAP,
    ) -> None:
        self.index = index
        self.places = places or load_places()
        self.reciprocal = reciprocal
        self.weekly_cap = weekly_cap

    @classmethod
    def from_profiles(
        cls, makers: Iterable[MakerProfile], *, reciprocal: bool = True
    ) -> Matchmaker:
        return cls(MakerIndex.build(makers), reciprocal=reciprocal)

    @classmethod
    async def load(
        cls,
        *,
        session: AsyncSession,
        reciprocal: bool = True,
        weekly_cap: int = DEFAULT_WEEKLY_CAP,
    ) -> Matchmaker:
        """Index every maker in the database (paused and unlisted ones are kept but masked)."""
        makers = await list_makers(session=session)
        index = MakerIndex.build(maker.to_profile() for maker in makers)
        return cls(index, reciprocal=reciprocal, weekly_cap=weekly_cap)

    def apply(self, maker: MakerProfile) -> None:
        """A listing changed: update its row in place."""
        self.index.upsert(maker)

    def rank(
        self,
        request: DesignerRequest,
        *,
        today: date | None = None,
        signals: MarketSignals | None = None,
    ) -> RankedRequest:
        """Interpret and rank; raises :class:`RequestError` for input that needs correcting.

        ``signals``: the makers' answers so far, for the reciprocal ranking (ignored when it is
        off; ``None``: nobody has answered anything yet)."""
        if not request.text or not request.text.strip():
            raise RequestError(RequestProblem.EMPTY_TEXT, "describe what you want made")
        if not 1 <= request.limit <= MAX_LIMIT:
            raise RequestError(RequestProblem.BAD_LIMIT, f"limit must be 1–{MAX_LIMIT}")
        notes: list[RankNote] = []
        volume = self._volume(request, notes)
        place, corrected = (
            (request.place, False) if request.place else self._place(request.location)
        )
        if place is None and not (request.location and request.location.strip()):
            place = self._place_in_text(request.text)
            if place is not None:
                notes.append(RankNote.PLACE_FROM_TEXT)
        if request.radius_km is not None:
            if not (math.isfinite(request.radius_km) and request.radius_km > 0):
                raise RequestError(RequestProblem.BAD_RADIUS, "the radius must be above 0 km")
            if place is None:
                raise RequestError(
                    RequestProblem.RADIUS_WITHOUT_PLACE, "a radius needs a location to measure from"
                )
        query = MatchQuery(
            text=request.text,
            volume=volume.stage,
            quantity=volume.quantity,
            lat=place.lat if place else None,
            lon=place.lon if place else None,
            radius_km=request.radius_km,
            county_code=request.county_code,
            limit=min(MAX_LIMIT, request.limit + POOL_EXTRA) if self.reciprocal else request.limit,
            today=today,
        )
        interpretation = default_interpreter().interpret(request.text)
        if request.concepts is not None:
            interpretation = confirmed_interpretation(interpretation, request.concepts)
        if place is not None:
            # "vi sitter i Malmö" says where, not what: the place is no word to look for.
            interpretation = without_words(interpretation, fold(place.name).split())
        result = self.index.search(query, interpretation)
        if not self.reciprocal:
            return RankedRequest(
                request, volume, place, result, place_corrected=corrected, notes=tuple(notes)
            )
        day = today or date.today()
        if signals is None:
            noon = datetime.combine(day, time(12), tzinfo=UTC)
            signals = MarketSignals(noon, {}, HubRates(), self.weekly_cap)
        reranked = rerank(
            result,
            terms=self._terms,
            signals=signals,
            brief=BriefTerms(
                quantity=volume.quantity,
                stage=volume.stage,
                days_left=(request.deadline - day).days if request.deadline else None,
                client=request.client,
                concepts=frozenset(
                    hit.code for group in result.interpretation.groups for hit in group.hits
                ),
            ),
            limit=request.limit,
            max_maybes=self.index.weights.max_maybes,
        )
        return RankedRequest(
            request,
            volume,
            place,
            reranked.result,
            place_corrected=corrected,
            notes=tuple(notes),
            reciprocity=reranked.reciprocity,
            at_cap=reranked.at_cap,
            signs=reranked.signs,
        )

    def _terms(self, maker_id: str) -> MakerTerms:
        maker = self.index.get(maker_id)
        return MakerTerms.of(maker) if maker is not None else MakerTerms()

    def _volume(self, request: DesignerRequest, notes: list[RankNote]) -> VolumeReading:
        if request.volume_stage is not None or request.quantity is not None:
            stage = request.volume_stage
            if stage is None and request.quantity is not None:
                stage = stage_for_quantity(request.quantity)
            return VolumeReading(stage, request.quantity)
        if request.volume and request.volume.strip():
            reading = parse_volume(request.volume)
            if reading.stage is not None:
                if reading.quantity is None:
                    # "småserie" at the question, "ca 300 st" in the text: both are meant.
                    quantity = parse_volume(request.text, free_text=True).quantity
                    reading = replace(reading, quantity=quantity)
                return reading
            notes.append(RankNote.VOLUME_UNREADABLE)
        # Designers often put the volume in the text itself ("12 st", "en småserie").
        reading = parse_volume(request.text, free_text=True)
        if reading.stage is not None:
            notes.append(RankNote.VOLUME_FROM_TEXT)
        return reading

    def _place_in_text(self, text: str) -> Place | None:
        """A place the description names ("nära Skövde"); never one of its materials."""
        interpretation = default_interpreter().interpret(text)
        ignore = frozenset(fold(word) for group in interpretation.groups for word in group.words)
        return place_in_text(text, self.places, ignore=ignore)[0]

    def _place(self, location: str | None) -> tuple[Place | None, bool]:
        """The place, and whether it was read from a misspelling (worth a "did you mean")."""
        if location is None or not location.strip():
            return None, False
        resolution = self.places.resolve(location)
        if resolution.status is ResolutionStatus.FOUND:
            return resolution.place, resolution.corrected
        if resolution.status is ResolutionStatus.AMBIGUOUS:
            names = "; ".join(p.label for p in resolution.candidates)
            raise RequestError(
                RequestProblem.PLACE_AMBIGUOUS,
                f"{location!r} could be several places: {names}",
                resolution.candidates,
            )
        hint = ""
        if resolution.county is not None:
            hint = f" ({resolution.county.name} is a county: name a town or municipality in it)"
        raise RequestError(
            RequestProblem.PLACE_NOT_FOUND, f"no Swedish place called {location!r}{hint}"
        )


def confirmed_interpretation(
    interpretation: Interpretation, codes: Iterable[str]
) -> Interpretation:
    """``interpretation`` with only the confirmed concepts, plus those the designer added.

    A group keeps the hits whose code was confirmed and disappears when none was; a code the
    text did not show becomes a group of its own (the designer named it by button).
    """
    wanted = list(dict.fromkeys(codes))
    groups: list[HitGroup] = []
    seen: set[str] = set()
    for group in interpretation.groups:
        hits = tuple(hit for hit in group.hits if hit.code in wanted)
        if hits:
            groups.append(HitGroup(hits))
            seen.update(hit.code for hit in hits)
    known = concept_by_code()
    for code in wanted:
        if code not in seen and code in known:
            concept = known[code]
            groups.append(HitGroup((ConceptHit(code, concept.kind, 1.0, (concept.name("sv"),)),)))
    return replace(interpretation, groups=tuple(groups))


def without_words(interpretation: Interpretation, folded: Iterable[str]) -> Interpretation:
    """``interpretation`` without ``folded`` among its free and content words."""
    drop = set(folded)
    if drop.isdisjoint(interpretation.free_words) and drop.isdisjoint(interpretation.content_words):
        return interpretation
    return replace(
        interpretation,
        free_words=tuple(w for w in interpretation.free_words if w not in drop),
        content_words=tuple(w for w in interpretation.content_words if w not in drop),
        object_words=tuple(w for w in interpretation.object_words if w not in drop),
    )


_WORD = re.compile(r"\w+")


def other_words(interpretation: Interpretation) -> list[str]:
    """The request's words that named no material or process, as the designer typed them
    ("räcke", "kafé"), not as the index compares them ("racke", "kafe").

    >>> other_words(default_interpreter().interpret("Ett räcke till ett KAFÉ i ek"))
    ['räcke', 'KAFÉ']
    """
    typed: dict[str, str] = {}
    for word in _WORD.findall(interpretation.text):
        for token in fold(word).split():
            typed.setdefault(token, word)
    return list(dict.fromkeys(typed.get(word, word) for word in interpretation.free_words))


def place_json(place: Place) -> dict[str, Any]:
    return {
        "name": place.name,
        "kind": place.kind,
        "municipality": place.municipality.name,
        "municipality_code": place.municipality.code,
        "county": place.municipality.county.name,
        "lat": place.lat,
        "lon": place.lon,
    }


def ranked_json(ranked: RankedRequest) -> dict[str, Any]:
    """The ``spok-bot match --json`` document (shape documented in the README)."""
    interpretation = ranked.interpretation
    result = ranked.result
    return {
        "request": {
            "text": ranked.request.text,
            "materials": [_hit_json(h) for h in interpretation.materials],
            "processes": [_hit_json(h) for h in interpretation.processes],
            "other_words": other_words(interpretation),
            "volume": {
                "stage": ranked.volume.stage.value if ranked.volume.stage else None,
                "quantity": ranked.volume.quantity,
            },
            "place": (
                {
                    **place_json(ranked.place),
                    "corrected": ranked.place_corrected,
                    "from_text": RankNote.PLACE_FROM_TEXT in ranked.notes,
                }
                if ranked.place
                else None
            ),
            "radius_km": ranked.request.radius_km,
        },
        "none_fits": result.none_fits,
        "makers": [_match_json(m) for m in result.matches],
        "beyond_radius": [_match_json(m) for m in result.beyond_radius],
        "candidates": result.candidates,
        "weaker_candidates": result.maybe_candidates,
        "considered": result.considered,
        "notes": [note.value for note in ranked.notes],
    }


def _hit_json(hit: Any) -> dict[str, Any]:
    from matching.interpret import concept_label

    return {
        "code": hit.code,
        "label_sv": concept_label(hit.code, "sv"),
        "label_en": concept_label(hit.code, "en"),
        "confidence": hit.confidence,
        "words": list(hit.words),
        "specific": list(hit.variants),
    }


def _reason_json(c: CapabilityReason) -> dict[str, Any]:
    return {
        "code": c.code,
        "kind": c.kind,
        "label_sv": c.label_sv,
        "label_en": c.label_en,
        "request_words": list(c.request_words),
        "maker_words": list(c.maker_words),
        "evidence": c.evidence,
        "snippet": c.snippet,
        "source": c.source or None,
        "via_material": c.via_material,
        "strength": c.strength,
    }


def _match_json(match: Match) -> dict[str, Any]:
    explanation = match.explanation
    return {
        "id": match.maker_id,
        "name": match.name,
        "fit": match.fit,
        "tier": match.tier.value,
        "score": match.score,
        "evidence": match.scores.evidence,
        "town": explanation.town or None,
        "summary": explanation.summary or None,
        "website": explanation.website or None,
        "distance_km": explanation.distance_km,
        "volume_fit": explanation.volume_fit.value,
        "volumes": [v.value for v in explanation.maker_volumes],
        "reasons": {
            "capabilities": [_reason_json(c) for c in explanation.capabilities],
            "words": [
                {"request_word": w.request_word, "maker_word": w.maker_word}
                for w in explanation.words
            ],
        },
        "scores": {
            "relevance": match.scores.relevance,
            "capability": match.scores.capability,
            "words": match.scores.words,
            "volume": match.scores.volume,
            "proximity": match.scores.proximity,
            "freshness": match.scores.freshness,
        },
    }


VOLUME_NAMES = {
    VolumeStage.PROTOTYPE: "one-off/prototype",
    VolumeStage.PILOT: "pilot/small series",
    VolumeStage.PRODUCTION: "ongoing production",
}
