"""An in-memory, vectorised index of maker listings.

Each maker is one row of numpy arrays: what its own words show (each material and process, the
specific materials it names, the families it names generically), a unit vector of its
location, its volume stages as bits, listing status and freshness; beside them, where in its
listing each thing is written (the evidence a card quotes), found once when the row is
written. A request is interpreted once; scoring every maker is then a handful of column
operations (:mod:`matching.scoring`), so ranking 100,000 makers takes milliseconds. Words of
the request that the taxonomy does not know ("lampskärmar") are looked up in an inverted index
of the makers' own words.

Fits (evidence from the maker's own listing for what was asked) come first, then at most a few
weaker candidates, clearly marked; a maker with strong evidence just outside the radius is
named separately when the fits inside are weaker. A changed maker is written into its row in
place (:meth:`MakerIndex.upsert`): nothing is rebuilt per request.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Iterable
from datetime import date

import numpy as np

from matching.evidence import EvidenceStore
from matching.explain import explain
from matching.interpret import Interpretation, Interpreter, default_interpreter
from matching.listing import ListingReader, ListingReading
from matching.models import MakerProfile, MakerStatus
from matching.own_words import OwnWords
from matching.ranking import (
    DEFAULT_WEIGHTS,
    Match,
    MatchQuery,
    MatchResult,
    Scores,
    Tier,
    Weights,
)
from matching.scoring import (
    STAGE_BIT,
    Matrices,
    Scorer,
    distances,
    freshness,
    top,
    volume_fit,
)
from matching.taxonomy import ConceptKind, concepts, variants
from matching.vocabulary import PRODUCT_FAMILIES, product_families

_STATUS_CODE = {MakerStatus.LISTED: 0, MakerStatus.PAUSED: 1, MakerStatus.UNLISTED: 2}
_REMOVED = 3
LISTED_WORDS_WEIGHT = 1.0  # words in the maker's materials/processes columns
DESCRIPTION_WEIGHT = 0.8  # words in the free description or the name
IMPLIED_MATERIAL_WEIGHT = 0.9  # a single-material process implies its material


def _unit_vector(lat: float, lon: float) -> tuple[float, float, float]:
    phi, lam = math.radians(lat), math.radians(lon)
    return (math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi))


def _ordinal(day: date | None) -> int:
    return day.toordinal() if day else 0


def _county(municipality_code: str) -> int:
    """The county (län) number: the first two digits of the municipality code; 0 unknown."""
    prefix = municipality_code[:2]
    return int(prefix) if prefix.isdigit() else 0


class MakerIndex:
    """Rank makers for requests. Not thread-safe for writes; reads between writes are fine."""

    def __init__(
        self,
        *,
        interpreter: Interpreter | None = None,
        weights: Weights = DEFAULT_WEIGHTS,
        capacity: int = 1024,
    ) -> None:
        self._interp = interpreter or default_interpreter()
        self._reader = ListingReader(self._interp)
        self.weights = weights
        taxonomy = concepts()
        self._concepts = {c.code: c for c in taxonomy}
        self._codes = tuple(c.code for c in taxonomy)
        self._col = {code: j for j, code in enumerate(self._codes)}
        self._variant_keys = tuple(v.key for v in variants())
        self._var = {key: j for j, key in enumerate(self._variant_keys)}
        self._scorer = Scorer(self._concepts, self._col, self._var, weights)
        # Materials implied by single-material processes: material column → process columns.
        implied: dict[int, list[int]] = {}
        for concept in taxonomy:
            if concept.kind is ConceptKind.PROCESS and len(concept.materials) == 1:
                implied.setdefault(self._col[concept.materials[0]], []).append(
                    self._col[concept.code]
                )
        self._implied = [(m, np.array(p)) for m, p in sorted(implied.items())]
        self._size = 0
        self._profiles: list[MakerProfile | None] = []
        self._row_of: dict[str, int] = {}
        self._free_rows: list[int] = []
        self._words = OwnWords()
        self._evidence = EvidenceStore((*self._codes, *self._variant_keys))
        self._id_rank: np.ndarray | None = None
        self._allocate(max(capacity, 16))

    # -- building ---------------------------------------------------------------------------

    @classmethod
    def build(
        cls,
        makers: Iterable[MakerProfile],
        *,
        interpreter: Interpreter | None = None,
        weights: Weights = DEFAULT_WEIGHTS,
    ) -> MakerIndex:
        """Index many makers at once; the matrices are filled in one vectorised pass."""
        unique = list({m.id: m for m in makers}.values())
        # Creating millions of small objects would trigger repeated garbage-collector passes
        # over everything built so far (about a fifth of the build time); collection resumes
        # as usual when the build is done.
        collecting = gc.isenabled()
        gc.disable()
        try:
            return cls._build(unique, interpreter=interpreter, weights=weights)
        finally:
            if collecting:
                gc.enable()

    @classmethod
    def _build(
        cls,
        unique: list[MakerProfile],
        *,
        interpreter: Interpreter | None,
        weights: Weights,
    ) -> MakerIndex:
        index = cls(interpreter=interpreter, weights=weights, capacity=max(len(unique), 16))
        count = index._size = len(unique)
        raw = np.zeros((count, len(index._codes)), dtype=np.float32)
        var_rows, var_cols, var_vals = [], [], []
        gen_rows, gen_cols, gen_vals = [], [], []
        for row, maker in enumerate(unique):
            reading = index._read(maker)
            col, var = index._col, index._var
            for code, weight in reading.weights.items():
                raw[row, col[code]] = weight
            for key, weight in reading.variants.items():
                var_rows.append(row)
                var_cols.append(var[key])
                var_vals.append(weight)
            for code, weight in reading.generic.items():
                gen_rows.append(row)
                gen_cols.append(col[code])
                gen_vals.append(weight)
            index._row_of[maker.id] = row
            index._profiles.append(maker)
            index._words.add(row, reading.words)
            index._evidence.append(row, reading.evidence)
        index._evidence.freeze()
        index._direct[:count] = index._implied_materials(raw)
        index._variants[var_rows, var_cols] = var_vals
        index._generic[gen_rows, gen_cols] = gen_vals
        lat = np.radians(np.fromiter((m.lat for m in unique), np.float64, count))
        lon = np.radians(np.fromiter((m.lon for m in unique), np.float64, count))
        index._xyz[:count] = np.column_stack(
            (np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat))
        )
        index._status[:count] = [_STATUS_CODE[m.status] for m in unique]
        index._paused_until[:count] = [_ordinal(m.paused_until) for m in unique]
        index._volumes[:count] = [sum(STAGE_BIT[v] for v in m.volumes) for m in unique]
        index._confirmed[:count] = [_ordinal(m.last_confirmed) for m in unique]
        index._penalty[:count] = [min(max(m.freshness_penalty, 0.0), 1.0) for m in unique]
        index._county[:count] = [_county(m.municipality_code) for m in unique]
        return index

    def _allocate(self, capacity: int) -> None:
        old = self._size

        def grow(array: np.ndarray | None, shape: tuple[int, ...], dtype: type) -> np.ndarray:
            fresh: np.ndarray = np.zeros(shape, dtype=dtype, order="F")
            if array is not None:
                fresh[:old] = array[:old]
            return fresh

        def keep(name: str) -> np.ndarray | None:
            array: np.ndarray | None = getattr(self, name, None)
            return array

        columns = len(self._codes)
        self._direct = grow(keep("_direct"), (capacity, columns), np.float32)
        self._variants = grow(keep("_variants"), (capacity, len(self._variant_keys)), np.float16)
        self._generic = grow(keep("_generic"), (capacity, columns), np.float16)
        self._xyz = grow(keep("_xyz"), (capacity, 3), np.float64)
        self._status = grow(keep("_status"), (capacity,), np.int8)
        self._paused_until = grow(keep("_paused_until"), (capacity,), np.int32)
        self._volumes = grow(keep("_volumes"), (capacity,), np.uint8)
        self._confirmed = grow(keep("_confirmed"), (capacity,), np.int32)
        self._penalty = grow(keep("_penalty"), (capacity,), np.float32)
        self._county = grow(keep("_county"), (capacity,), np.int16)
        self._capacity = capacity

    def __len__(self) -> int:
        return len(self._row_of)

    def available_count(self, today: date | None = None) -> int:
        """Makers a search can return today: listed, or paused until a date that has passed."""
        return int(self._available(self._size, today or date.today()).sum())

    def __contains__(self, maker_id: object) -> bool:
        return maker_id in self._row_of

    def get(self, maker_id: str) -> MakerProfile | None:
        row = self._row_of.get(maker_id)
        return None if row is None else self._profiles[row]

    def upsert(self, maker: MakerProfile) -> None:
        """Add a maker or replace its listing in place; the next search sees the change."""
        row = self._row_of.get(maker.id)
        if row is None:
            row = self._free_rows.pop() if self._free_rows else self._new_row()
            self._row_of[maker.id] = row
            self._id_rank = None  # a new id: the tie-break order is redone on next use
        else:
            self._drop_words(row)
        self._profiles[row] = maker
        reading = self._read(maker)
        raw = np.zeros((1, len(self._codes)), dtype=np.float32)
        for code, weight in reading.weights.items():
            raw[0, self._col[code]] = weight
        self._direct[row] = self._implied_materials(raw)[0]
        self._variants[row] = 0
        for key, weight in reading.variants.items():
            self._variants[row, self._var[key]] = weight
        self._generic[row] = 0
        for code, weight in reading.generic.items():
            self._generic[row, self._col[code]] = weight
        self._set_scalars(row, maker)
        self._words.add(row, reading.words)
        self._evidence.replace(row, reading.evidence)

    def remove(self, maker_id: str) -> bool:
        row = self._row_of.pop(maker_id, None)
        if row is None:
            return False
        self._drop_words(row)
        self._profiles[row] = None
        self._status[row] = _REMOVED
        self._direct[row] = 0.0
        self._variants[row] = 0
        self._generic[row] = 0
        self._evidence.replace(row, ())
        self._free_rows.append(row)
        return True

    def _new_row(self) -> int:
        if self._size == self._capacity:
            self._allocate(self._capacity * 2)
        self._profiles.append(None)
        self._size += 1
        return self._size - 1

    def _set_scalars(self, row: int, maker: MakerProfile) -> None:
        self._xyz[row] = _unit_vector(maker.lat, maker.lon)
        self._status[row] = _STATUS_CODE[maker.status]
        self._paused_until[row] = _ordinal(maker.paused_until)
        self._volumes[row] = sum(STAGE_BIT[v] for v in maker.volumes)
        self._confirmed[row] = _ordinal(maker.last_confirmed)
        self._penalty[row] = min(max(maker.freshness_penalty, 0.0), 1.0)
        self._county[row] = _county(maker.municipality_code)

    def _read(self, maker: MakerProfile) -> ListingReading:
        return self._reader.read(
            (*maker.materials, *maker.processes),
            (maker.description, maker.name),
            listed_weight=LISTED_WORDS_WEIGHT,
            described_weight=DESCRIPTION_WEIGHT,
        )

    def _implied_materials(self, raw: np.ndarray) -> np.ndarray:
        """Add the material a single-material process implies ("glasblåsning" → glass)."""
        for material, processes in self._implied:
            implied = IMPLIED_MATERIAL_WEIGHT * raw[:, processes].max(axis=1)
            raw[:, material] = np.maximum(raw[:, material], implied)
        return raw

    def _drop_words(self, row: int) -> None:
        old = self._profiles[row]
        if old is not None:
            self._words.drop(row, self._read(old).words)

    def _matrices(self) -> Matrices:
        return Matrices(self._direct, self._variants, self._generic)

    def _ranks(self) -> np.ndarray:
        """Each row's place in the order of maker ids (the tie-break), made when needed."""
        if self._id_rank is None or self._id_rank.shape[0] < self._size:
            ids = np.array([p.id if p is not None else "" for p in self._profiles], dtype=object)
            rank = np.empty(len(ids), dtype=np.int64)
            rank[np.argsort(ids, kind="stable")] = np.arange(len(ids))
            self._id_rank = rank
        return self._id_rank

    # -- querying ---------------------------------------------------------------------------

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
        else:
            fit = words >= w.fit_words
            strength = words
            relevance = words
        # A maker that says it takes other volumes only (one-offs, for ongoing production)
        # is a weaker candidate at most, however well its listing shows the work.
        volume = volume_fit(self._volumes[:n], query.volume)
        fit &= volume > 0
        shown = available & (relevance >= w.min_relevance)
        if interpretation.groups:
            shown &= fit | (capability.support > 0)
        if query.county_code is not None:
            reach = self._county[:n] == _county(query.county_code)
        else:
            reach = np.ones(n, dtype=bool)

        distance = proximity = None
        if query.has_location:
            assert query.lat is not None and query.lon is not None
            distance = distances(self._xyz[:n], np.asarray(_unit_vector(query.lat, query.lon)))
            if query.radius_km is not None:
                reach &= distance <= query.radius_km
                proximity = np.clip(1.0 - distance / max(query.radius_km, 1e-9), 0.0, 1.0)
            else:
                proximity = 1.0 / (1.0 + distance / w.proximity_half_km)
        fresh = freshness(self._confirmed[:n], self._penalty[:n], today.toordinal())
        total = (
            w.relevance * relevance
            + w.volume * volume
            + w.proximity * (proximity if proximity is not None else 1.0)
            + w.freshness * fresh
        ).astype(np.float32)
        ranks = self._ranks()
        fit_rows = np.flatnonzero(shown & reach & fit)
        maybe_rows = np.flatnonzero(shown & reach & ~fit)
        fits = top(fit_rows, total, ranks, query.limit)
        room = min(w.max_maybes, query.limit - fits.size)
        maybes = top(maybe_rows, total, ranks, room)
        arrays = _Arrays(total, relevance, capability.evidence, words, volume, proximity, fresh)
        context = _Context(interpretation, word_hits, distance, query)
        matches = [self._match(int(r), Tier.FIT, arrays, context) for r in fits]
        matches += [self._match(int(r), Tier.MAYBE, arrays, context) for r in maybes]
        beyond: list[Match] = []
        if distance is not None and (query.radius_km is not None or query.county_code):
            strength_all = w.capability_share * strength + (1 - w.capability_share) * words
            beyond_strength = 0.85 * strength_all + 0.15 * volume
            inside = beyond_strength[fit_rows].max() if fit_rows.size else 0.0
            limit_km = (query.radius_km or 0.0) * w.beyond_factor + w.beyond_extra_km
            outside = shown & fit & ~reach & (distance <= limit_km)
            outside &= beyond_strength > inside + w.beyond_margin
            rows = np.flatnonzero(outside)
            order = np.lexsort((distance[rows], -np.round(beyond_strength[rows], 3)))
            beyond = [
                self._match(int(r), Tier.FIT, arrays, context)
                for r in rows[order][: w.beyond_limit]
            ]
        return MatchResult(
            query,
            interpretation,
            tuple(matches),
            int(fit_rows.size),
            considered,
            beyond_radius=tuple(beyond),
            maybe_candidates=int(maybe_rows.size),
        )

    def _match(self, row: int, tier: Tier, a: _Arrays, c: _Context) -> Match:
        maker = self._profile(row)
        scores = Scores(
            total=round(float(a.total[row]), 4),
            relevance=round(float(a.relevance[row]), 4),
            capability=round(float(a.evidence[row]), 4),
            words=round(float(a.words[row]), 4),
            volume=round(float(a.volume[row]), 4),
            proximity=round(float(a.proximity[row]), 4) if a.proximity is not None else 1.0,
            freshness=round(float(a.freshness[row]), 4),
            evidence=round(float(a.evidence[row]), 4),
        )
        km = float(c.distance[row]) if c.distance is not None else None
        explanation = explain(
            maker=maker,
            interpretation=c.interpretation,
            scorer=self._scorer,
            matrices=self._matrices(),
            row=row,
            evidence=self._evidence.get(row),
            word_hits=[(q, m) for q, m, found in c.word_hits if found[row]],
            distance_km=km,
            radius_km=c.query.radius_km,
            volume=c.query.volume,
            evidence_score=float(a.evidence[row]),
        )
        return Match(maker.id, maker.name, scores.total, scores, explanation, tier)

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
        words = set().union(*(PRODUCT_FAMILIES[family] for family in families))
        return self._words.rows_with_any(n, sorted(words))

    def _profile(self, row: int) -> MakerProfile:
        maker = self._profiles[row]
        if maker is None:
            raise LookupError(f"row {row} holds no maker")
        return maker

    def _available(self, n: int, today: date) -> np.ndarray:
        status = self._status[:n]
        paused = self._paused_until[:n]
        return (status == 0) | ((status == 1) & (paused > 0) & (paused < today.toordinal()))


class _Arrays:
    __slots__ = ("evidence", "freshness", "proximity", "relevance", "total", "volume", "words")

    def __init__(
        self,
        total: np.ndarray,
        relevance: np.ndarray,
        evidence: np.ndarray,
        words: np.ndarray,
        volume: np.ndarray,
        proximity: np.ndarray | None,
        freshness: np.ndarray,
    ) -> None:
        self.total, self.relevance, self.evidence, self.words = total, relevance, evidence, words
        self.volume, self.proximity, self.freshness = volume, proximity, freshness


class _Context:
    __slots__ = ("distance", "interpretation", "query", "word_hits")

    def __init__(
        self,
        interpretation: Interpretation,
        word_hits: list[tuple[str, str, np.ndarray]],
        distance: np.ndarray | None,
        query: MatchQuery,
    ) -> None:
        self.interpretation, self.word_hits = interpretation, word_hits
        self.distance, self.query = distance, query
