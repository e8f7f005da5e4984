"""Re-rank the capability ranking's candidates by how likely each maker is to say yes.

A layer on top of :class:`matching.index.MakerIndex`'s answer, never inside it: fits stay fits
and weaker candidates stay weaker candidates, whatever their P(yes) (a "kanske" maker is never
promoted above a maker whose own listing shows the work). Within each tier the makers are
ordered by ``capability score × weight`` (:class:`~services.reciprocal.model.Reciprocity`), so
an equally able maker likely to answer yes comes first and one unlikely to (far below its
minimum order, fully booked a week ago) goes down. Makers whose week's briefs reached their cap
are left out, so nobody is sent more than the cap. With no history and no listed terms every
weight is the same and the order is exactly the capability ranking's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from matching.ranking import Match, MatchResult
from services.reciprocal.explain import Sign, signs
from services.reciprocal.history import MarketSignals
from services.reciprocal.model import (
    DEFAULT_RECIPROCAL_WEIGHTS,
    BriefTerms,
    MakerTerms,
    ReciprocalWeights,
    Reciprocity,
    reciprocity,
)

# How many candidates beyond what is shown the re-ranking looks at.
POOL_EXTRA = 20


@dataclass(frozen=True, slots=True)
class Reranked:
    result: MatchResult
    reciprocity: Mapping[str, Reciprocity]  # by maker id, for every maker in ``result``
    at_cap: tuple[str, ...]  # makers left out: their week's briefs reached the cap
    signs: Mapping[str, tuple[Sign, ...]]  # what each shown maker's card says about it


def rerank(
    result: MatchResult,
    *,
    terms: Callable[[str], MakerTerms],
    signals: MarketSignals,
    brief: BriefTerms,
    limit: int,
    max_maybes: int,
    weights: ReciprocalWeights = DEFAULT_RECIPROCAL_WEIGHTS,
) -> Reranked:
    """``result`` (ranked with a larger pool than ``limit``) re-ordered within its tiers and cut
    to ``limit`` fits and weaker candidates as the capability ranking cuts them."""
    found: dict[str, Reciprocity] = {}

    def of(match: Match) -> Reciprocity:
        known = found.get(match.maker_id)
        if known is None:
            known = reciprocity(
                terms(match.maker_id),
                signals.history(match.maker_id),
                brief,
                now=signals.now,
                prior=signals.prior,
                weights=weights,
            )
            found[match.maker_id] = known
        return known

    capped: list[str] = []

    def order(matches: tuple[Match, ...]) -> list[Match]:
        kept = []
        for match in matches:
            if of(match).at_cap:
                capped.append(match.maker_id)
            else:
                kept.append(match)
        # sorted() is stable: equal products keep the capability ranking's order.
        return sorted(kept, key=lambda m: -(m.score * of(m).weight ** weights.order_power))

    fits = order(result.fits)[:limit]
    maybes = order(result.maybes)[: max(0, min(max_maybes, limit - len(fits)))]
    beyond = tuple(m for m in result.beyond_radius if not of(m).at_cap)
    capped_fits = sum(1 for m in result.fits if of(m).at_cap)
    capped_maybes = sum(1 for m in result.maybes if of(m).at_cap)
    shown = (*fits, *maybes, *beyond)
    return Reranked(
        replace(
            result,
            matches=(*fits, *maybes),
            beyond_radius=beyond,
            candidates=max(0, result.candidates - capped_fits),
            maybe_candidates=max(0, result.maybe_candidates - capped_maybes),
        ),
        {m.maker_id: found[m.maker_id] for m in shown},
        tuple(dict.fromkeys(capped)),
        {
            m.maker_id: tuple(
                signs(terms(m.maker_id), signals.history(m.maker_id), brief, found[m.maker_id])
            )
            for m in shown
        },
    )
