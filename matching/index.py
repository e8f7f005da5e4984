"""An in-memory, vectorised index of maker listings: rank makers for a request.

The rows (:mod:`matching.rows`) hold what every maker's own words show; a request is
interpreted once, and scoring every maker is then a handful of column operations
(:mod:`matching.scoring`), so ranking 100,000 makers takes milliseconds. Words of the request
that the taxonomy does not know ("lampskärmar") are looked up in an inverted index of the
makers' own words.

The answer puts *fits* first (evidence from the maker's own listing for what was asked), then
at most a few weaker candidates, clearly marked; a maker with strong evidence just outside
the radius is named separately when the fits inside are weaker. Ties are broken by catalogue
id without a Python sort (:func:`matching.scoring.top`), and the evidence a card quotes was
found when the row was written, so a request reads no maker's text again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np

from matching.explain import explain, typed_words
from matching.interpret import Interpretation
from matching.own_words import WordHit
from matching.ranking import Match, MatchQuery, MatchResult, Scores, Tier
from matching.rows import MakerRows, county_number, unit_vector
from matching.scoring import Capability, cosine_of, cosines, km, top, volume_fit
from matching.taxonomy import ConceptKind
from matching.vocabulary import FAMILY_NAMES, PRODUCT_FAMILIES, product_families

__all__ = ["MakerIndex"]

# A quantity this many times beyond what a maker says it takes is outside its range
# ("upp till ca 100" takes 120, not 150).
QUANTITY_SLACK = 1.25


class MakerIndex(MakerRows):
    """Rank makers for requests. Not thread-safe for writes; reads between writes are fine."""

    def search(
        self, query: MatchQuery, interpretation: Interpretation | None = None
    ) -> MatchResult:
        """Rank the available makers for ``query``; deterministic for the same index state."""
        interpretation = interpretation or self._interp.interpret(query.text)
        n = self._size
        today = query.today or date.today()
        w = self.weights
        available = self._available(n, today)
        considered = int(available.sum())

        capability = self._scorer.capability(self._matrices(), interpretation, n)
        words, word_hits = self._words.scores(n, interpretation)
        if interpretation.groups:
            capable = (capability.evidence >= w.fit_evidence) & capability.covered
            strength = np.where(capable, capability.evidence, capability.support)
            relevance = w.capability_share * strength + (1 - w.capability_share) * words
            fit = capable & self._product_gate(n, interpretation)
        # What is to be made ("kuvert", "ekfat", "korsett"), when the request names it. Asked
        # for a process, the maker's word for the process is the evidence, and the makers
        # within reach that also name the thing come first: the others are weaker
        # candidates. Asked for a material only, the material says nothing of what a maker
        # makes: a fit also names the thing ("ekfat" at the cooper, not at every oak shop).
        asks_process = any(g.kind is ConceptKind.PROCESS for g in interpretation.groups)
        names_object = self._names_object(n, interpretation, word_hits)
        if not interpretation.groups:
            # Nothing the taxonomy knows ("lampskärmar", "emaljpins"): a fit names the thing
            # itself, not merely who it is for ("till en restaurang").
            fit = words >= w.fit_words
            things = [
                o for o in interpretation.object_words if o not in interpretation.purpose_words
            ]
            if things:
                fit &= self._names_any(n, things, word_hits)
            relevance = words
        # A maker that says it takes other volumes only (one-offs, for ongoing production)
        # is a weaker candidate at most, however well its listing shows the work.
        capable_fit = fit.copy()
        volume = volume_fit(self._volumes[:n], query.volume)
        if query.quantity:
            # A maker whose own text says it starts well above the quantity asked, or stops
            # well below it ("serier från 5 000 st" for 300), is a weaker candidate at most.
            outside = self._outside_quantity(n, query.quantity)
            volume = np.where(outside, np.minimum(volume, np.float32(0.4)), volume)
            fit &= ~outside
        fit &= volume > 0
        shown = available & (relevance >= w.min_relevance)
        if interpretation.groups:
            shown &= fit | (capability.support > 0)
        if query.county_code is not None:
            reach = self._county[:n] == county_number(query.county_code)
        else:
            reach = np.ones(n, dtype=bool)

        distance = proximity = None
        beyond_km = (query.radius_km or 0.0) * w.beyond_factor + w.beyond_extra_km
        if query.has_location:
            assert query.lat is not None and query.lon is not None
            cosine = cosines(self._xyz[:n], np.asarray(unit_vector(query.lat, query.lon)))
            # Distances only where they are used: the makers shown, inside the radius or
            # near enough outside it to be named.
            wanted = shown.copy()
            if query.radius_km is not None:
                reach &= cosine >= cosine_of(query.radius_km)
                wanted &= cosine >= cosine_of(max(query.radius_km, beyond_km))
            rows = np.flatnonzero(wanted)
            distance = np.full(n, np.inf)
            distance[rows] = km(cosine[rows])
            if query.radius_km is not None:
                proximity = np.clip(1.0 - distance / max(query.radius_km, 1e-9), 0.0, 1.0)
            else:
                proximity = 1.0 / (1.0 + distance / w.proximity_half_km)
        total = (
            w.relevance * relevance
            + w.volume * volume
            + w.proximity * (proximity if proximity is not None else 1.0)
            + w.freshness * self._freshness(n, today)
        ).astype(np.float32)
        if names_object is not None and (
            not asks_process or (capable_fit & names_object & available & reach).any()
        ):
            fit &= names_object
        ranks = self._ranks()
        fit_rows = np.flatnonzero(shown & reach & fit)
        maybe_rows = np.flatnonzero(shown & reach & ~fit)
        fits = top(fit_rows, total, ranks, query.limit)
        room = min(w.max_maybes, query.limit - fits.size)
        maybes = top(maybe_rows, total, ranks, room)

        scored = _Scored(
            query, interpretation, typed_words(interpretation.text), capability, words,
            word_hits, relevance, volume, proximity, distance, total,
        )  # fmt: skip

        def match(row: int, tier: Tier) -> Match:
            return self._match(row, tier, scored)

        beyond: list[Match] = []
        if distance is not None and (query.radius_km is not None or query.county_code):
            # Named when its strength (evidence, and the volume it takes) beats every fit
            # inside, and it is not too far: "the foundry 129 km away" for a 100 km search.
            strength = 0.85 * relevance + 0.15 * volume
            inside = strength[fit_rows].max() if fit_rows.size else 0.0
            outside = shown & fit & ~reach
            if fit_rows.size:
                # Fits inside: only a stronger one not too far outside is worth naming.
                outside &= (distance <= beyond_km) & (strength > inside + w.beyond_margin)
            # Nobody inside fits: the strongest fits outside are named however far they are
            # (the only cooper in the country), nearest first among equals; a distance is
            # computed only for the few named.
            rows = np.flatnonzero(outside)
            order = np.lexsort((-cosine[rows], -np.round(strength[rows], 3)))
            named = rows[order][: w.beyond_limit]
            distance[named] = km(cosine[named])
            beyond = [match(int(r), Tier.FIT) for r in named]
        return MatchResult(
            query,
            interpretation,
            tuple(
                [match(int(r), Tier.FIT) for r in fits]
                + [match(int(r), Tier.MAYBE) for r in maybes]
            ),
            int(fit_rows.size),
            considered,
            beyond_radius=tuple(beyond),
            maybe_candidates=int(maybe_rows.size),
        )

    def _match(self, row: int, tier: Tier, s: _Scored) -> Match:
        maker = self._profile(row)
        today = s.query.today or date.today()
        proximity = s.proximity
        scores = Scores(
            total=round(float(s.total[row]), 4),
            relevance=round(float(s.relevance[row]), 4),
            capability=round(float(s.capability.evidence[row]), 4),
            words=round(float(s.words[row]), 4),
            volume=round(float(s.volume[row]), 4),
            proximity=round(float(proximity[row]), 4) if proximity is not None else 1.0,
            freshness=round(float(self._freshness(self._size, today)[row]), 4),
            evidence=round(float(s.capability.evidence[row]), 4),
        )
        explanation = explain(
            maker=maker,
            interpretation=s.interpretation,
            scorer=self._scorer,
            matrices=self._matrices(),
            row=row,
            evidence=self._evidence.get(row),
            group_values=[(float(d[row]), float(k[row])) for d, k in s.capability.groups],
            word_hits=[(q, m) for q, m, found in s.word_hits if found[row]],
            asked=s.asked,
            distance_km=float(s.distance[row]) if s.distance is not None else None,
            radius_km=s.query.radius_km,
            volume=s.query.volume,
            evidence_score=float(s.capability.evidence[row]),
        )
        return Match(maker.id, maker.name, scores.total, scores, explanation, tier)

    def _outside_quantity(self, n: int, quantity: int) -> np.ndarray:
        slack = np.float32(QUANTITY_SLACK)
        low, high = self._quantity_min[:n], self._quantity_max[:n]
        asked = np.float32(quantity)
        return (low > asked * slack) | ((high > 0) & (high * slack < asked))

    @staticmethod
    def _names_any(n: int, wanted: list[str], word_hits: list[WordHit]) -> np.ndarray:
        found = np.zeros(n, dtype=bool)
        for word, _, rows in word_hits:
            if word in wanted:
                found |= rows
        return found

    def _names_object(
        self, n: int, interpretation: Interpretation, word_hits: list[WordHit]
    ) -> np.ndarray | None:
        """Which makers name what the request asks to have made, in their own words; None
        when the request names nothing beyond materials and processes."""
        objects = set(interpretation.object_words)
        if not objects:
            return None
        found = np.zeros(n, dtype=bool)
        for word, _, rows in word_hits:
            if word in objects:
                found |= rows
        # A maker that says it makes that kind of thing ("möbler" for "ekbord") names it too.
        kinds: set[str] = set()
        for word in objects:
            for family in product_families(word):
                kinds |= FAMILY_NAMES.get(family, frozenset())
        if kinds:
            found |= self._words.rows_with_any(n, sorted(kinds))
        return found

    def _product_gate(self, n: int, interpretation: Interpretation) -> np.ndarray | bool:
        """Asked for a product in a material only ("ett ekbord"), a fit also names that kind
        of product: a picture framer shows oak, not tables. A named process is enough on its
        own ("svetsade ramar"), so the gate is open then."""
        if any(group.kind is ConceptKind.PROCESS for group in interpretation.groups):
            return True
        families: set[str] = set()
        for word in interpretation.content_words:
            families |= product_families(word)
        if not families:
            return True
        wanted = set().union(*(PRODUCT_FAMILIES[family] for family in families))
        return self._words.rows_with_any(n, sorted(wanted))


@dataclass(frozen=True, slots=True)
class _Scored:
    """One request's scores over every row, for explaining the makers shown."""

    query: MatchQuery
    interpretation: Interpretation
    asked: Mapping[str, str]  # the request's words as typed, by folded word
    capability: Capability
    words: np.ndarray
    word_hits: list[tuple[str, str, np.ndarray]]
    relevance: np.ndarray
    volume: np.ndarray
    proximity: np.ndarray | None
    distance: np.ndarray | None
    total: np.ndarray
