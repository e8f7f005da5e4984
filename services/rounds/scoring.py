"""How likely a maker is to say yes to a brief, for the round's pairing.

:class:`ExpectedYes` is the one interface the pairing needs: given a brief and the round's
makers, a score (at least 0) for each maker that may be paired with it; a maker left out is no
eligible pair. Today's scorer, :class:`CapabilityExpectedYes`, is the capability ranking's
score (services.matchmaking.Matchmaker) for that maker and that request, and only makers whose
own listing shows evidence for the brief (the ranking's *fits*) are eligible.

``round_scorer_for`` in :mod:`services.runtime` is the hook: point it at a reciprocal
P(yes | maker, brief) scorer (services/reciprocal) and every round's pairing maximises that
instead, with no other change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Protocol

from matching.index import MakerIndex
from matching.models import MakerProfile, VolumeStage
from matching.places import Place
from services.matchmaking import MAX_LIMIT, DesignerRequest, Matchmaker, RequestError
from storage.models import MatchRequest

__all__ = ["CapabilityExpectedYes", "ExpectedYes", "designer_request_of"]


class ExpectedYes(Protocol):
    def __call__(
        self, brief: MatchRequest, makers: Sequence[MakerProfile], *, today: date
    ) -> Mapping[str, float]:
        """Expected yes (≥ 0) by maker catalogue id, for the eligible makers only."""
        ...


class CapabilityExpectedYes:
    """The capability ranking's score; eligible: the makers the ranking presents as fits."""

    def __init__(self, matchmaker: Matchmaker) -> None:
        self.matchmaker = matchmaker

    def __call__(
        self, brief: MatchRequest, makers: Sequence[MakerProfile], *, today: date
    ) -> Mapping[str, float]:
        makers = list({maker.id: maker for maker in makers}.values())[:MAX_LIMIT]
        if not makers:
            return {}
        # The round's makers only: every maker's score is its own row's (nothing in a score
        # depends on the other makers indexed), so a small index gives the same numbers as the
        # catalogue's and never cuts a round maker off at the ranking's limit.
        index = MakerIndex.build(makers, weights=self.matchmaker.index.weights)
        ranking = Matchmaker(index, self.matchmaker.places)
        request = designer_request_of(brief, self.matchmaker, limit=len(makers))
        if request is None:
            return {}
        try:
            ranked = ranking.rank(request, today=today)
        except RequestError:
            return {}
        return {match.maker_id: max(0.0, match.score) for match in ranked.result.fits}


def designer_request_of(
    brief: MatchRequest, matchmaker: Matchmaker, *, limit: int
) -> DesignerRequest | None:
    """The ranking's view of a saved request (its confirmed materials and processes, its
    place and reach); ``None`` for a request with no text (erased)."""
    if not brief.text.strip():
        return None
    place = None
    if brief.municipality_code and brief.lat is not None and brief.lon is not None:
        try:
            municipality = matchmaker.places.municipality(brief.municipality_code)
        except KeyError:
            municipality = None
        if municipality is not None:
            name = brief.place_name or municipality.name
            place = Place(name, "municipality", municipality, brief.lat, brief.lon, None)
    stage = VolumeStage(brief.volume_stage) if brief.volume_stage else None
    return DesignerRequest(
        text=brief.text,
        place=place,
        radius_km=brief.radius_km if place is not None else None,
        county_code=brief.county_code,
        volume_stage=stage,
        quantity=brief.quantity,
        concepts=tuple([*brief.materials, *brief.processes]) or None,
        limit=max(1, min(limit, MAX_LIMIT)),
    )
