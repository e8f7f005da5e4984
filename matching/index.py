"""An in-memory, vectorised index of maker listings.

Each maker is one row of numpy arrays: a concept matrix (how strongly the maker shows each
material and process, from its listed words and its description), a unit vector of its
location, its volume stages as bits, listing status and freshness. A request is interpreted
once; scoring every maker is then a handful of column operations, so ranking 100,000 makers
takes milliseconds. Words of the request that the taxonomy does not know ("lampskärmar") are
looked up in an inverted index of the makers' own words.

A changed maker is written into its row in place (:meth:`MakerIndex.upsert`): nothing is
rebuilt per request.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Iterable
from datetime import date

import numpy as np

from matching.explain import explain
from matching.interpret import Interpretation, Interpreter, default_interpreter
from matching.models import MakerProfile, MakerStatus, VolumeStage, neighbouring_stages
from matching.own_words import OwnWords
from matching.places import EARTH_RADIUS_KM
from matching.ranking import (
    DEFAULT_WEIGHTS,
    Match,
    MatchQuery,
    MatchResult,
    Scores,
    Weights,
)
from matching.taxonomy import ConceptKind, concepts

_STATUS_CODE = {MakerStatus.LISTED: 0, MakerStatus.PAUSED: 1, MakerStatus.UNLISTED: 2}
_REMOVED = 3
_STAGE_BIT = {VolumeStage.PROTOTYPE: 1, VolumeStage.PILOT: 2, VolumeStage.PRODUCTION: 4}
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
        self.weights = weights
        taxonomy = concepts()
        self._codes = tuple(c.code for c in taxonomy)
        self._col = {code: j for j, code in enumerate(self._codes)}
        # Materials implied by single-material processes: material column → process columns.
        implied: dict[int, list[int]] = {}
        # Processes grouped by the materials they work on, for "via the material" credit.
        by_materials: dict[tuple[int, ...], list[int]] = {}
        for concept in taxonomy:
            if concept.kind is not ConceptKind.PROCESS:
                continue
            materials = tuple(self._col[m] for m in concept.materials)
            by_materials.setdefault(materials, []).append(self._col[concept.code])
            if len(materials) == 1:
                implied.setdefault(materials[0], []).append(self._col[concept.code])
        self._implied = [(m, np.array(p)) for m, p in sorted(implied.items())]
        self._by_materials = [
            (np.array(m), np.array(p)) for m, p in sorted(by_materials.items()) if m
        ]
        self._size = 0
        self._profiles: list[MakerProfile | None] = []
        self._row_of: dict[str, int] = {}
        self._free_rows: list[int] = []
        self._words = OwnWords()
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
        """Index many makers at once; the concept matrix is expanded in one vectorised pass."""
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
        raw = np.zeros((len(unique), len(index._codes)), dtype=np.float32)
        for row, maker in enumerate(unique):
            weights_, words = index._analyse_maker(maker)
            for column, weight in weights_.items():
                raw[row, column] = weight
            index._row_of[maker.id] = row
            index._profiles.append(maker)
            index._words.add(row, words)
        count = index._size = len(unique)
        index._concept[:count] = index._expand(raw)
        lat = np.radians(np.fromiter((m.lat for m in unique), np.float64, count))
        lon = np.radians(np.fromiter((m.lon for m in unique), np.float64, count))
        index._xyz[:count] = np.column_stack(
            (np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat))
        )
        index._status[:count] = [_STATUS_CODE[m.status] for m in unique]
        index._paused_until[:count] = [_ordinal(m.paused_until) for m in unique]
        index._volumes[:count] = [sum(_STAGE_BIT[v] for v in m.volumes) for m in unique]
        index._confirmed[:count] = [_ordinal(m.last_confirmed) for m in unique]
        index._penalty[:count] = [min(max(m.freshness_penalty, 0.0), 1.0) for m in unique]
        index._county[:count] = [_county(m.municipality_code) for m in unique]
        return index

    def _allocate(self, capacity: int) -> None:
        old = self._size
        columns = len(self._codes)

        def grow(array: np.ndarray | None, shape: tuple[int, ...], dtype: type) -> np.ndarray:
            fresh: np.ndarray = np.zeros(shape, dtype=dtype, order="F")
            if array is not None:
                fresh[:old] = array[:old]
            return fresh

        self._concept = grow(getattr(self, "_concept", None), (capacity, columns), np.float32)
        self._xyz = grow(getattr(self, "_xyz", None), (capacity, 3), np.float64)
        self._status = grow(getattr(self, "_status", None), (capacity,), np.int8)
        self._paused_until = grow(getattr(self, "_paused_until", None), (capacity,), np.int32)
        self._volumes = grow(getattr(self, "_volumes", None), (capacity,), np.uint8)
        self._confirmed = grow(getattr(self, "_confirmed", None), (capacity,), np.int32)
        self._penalty = grow(getattr(self, "_penalty", None), (capacity,), np.float32)
        self._county = grow(getattr(self, "_county", None), (capacity,), np.int16)
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
        else:
            self._drop_words(row)
        self._profiles[row] = maker
        weights, words = self._analyse_maker(maker)
        raw = np.zeros((1, len(self._codes)), dtype=np.float32)
        for column, weight in weights.items():
            raw[0, column] = weight
        self._concept[row] = self._expand(raw)[0]
        self._set_scalars(row, maker)
        self._words.add(row, words)

    def remove(self, maker_id: str) -> bool:
        row = self._row_of.pop(maker_id, None)
        if row is None:
            return False
        self._drop_words(row)
        self._profiles[row] = None
        self._status[row] = _REMOVED
        self._concept[row] = 0.0
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
        self._volumes[row] = sum(_STAGE_BIT[v] for v in maker.volumes)
        self._confirmed[row] = _ordinal(maker.last_confirmed)
        self._penalty[row] = min(max(maker.freshness_penalty, 0.0), 1.0)
        self._county[row] = _county(maker.municipality_code)

    def _analyse_maker(self, maker: MakerProfile) -> tuple[dict[int, float], set[str]]:
        """Concept column → how strongly the maker's own words show it; and those words."""
        found, words = self._interp.analyse_listing(
            (*maker.materials, *maker.processes),
            (maker.description, maker.name),
            listed_weight=LISTED_WORDS_WEIGHT,
            described_weight=DESCRIPTION_WEIGHT,
        )
        column = self._col
        return {column[code]: weight for code, weight in found.items()}, words

    def _expand(self, raw: np.ndarray) -> np.ndarray:
        """Add implied materials, and partial process credit through the materials offered."""
        for material, processes in self._implied:
            implied = IMPLIED_MATERIAL_WEIGHT * raw[:, processes].max(axis=1)
            raw[:, material] = np.maximum(raw[:, material], implied)
        expanded = raw.copy()
        credit = np.float32(self.weights.material_only_credit)
        for materials, processes in self._by_materials:
            via = credit * raw[:, materials].max(axis=1)
            expanded[:, processes] = np.maximum(raw[:, processes], via[:, None])
        return expanded

    def _drop_words(self, row: int) -> None:
        old = self._profiles[row]
        if old is not None:
            self._words.drop(row, self._analyse_maker(old)[1])

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

        capability = self._capability(n, interpretation)
        words, word_hits = self._words.scores(n, interpretation)
        if interpretation.groups:
            relevance = w.capability_share * capability + (1 - w.capability_share) * words
        else:
            relevance = words
        mask = available & (relevance >= w.min_relevance)
        if query.county_code is not None:
            mask &= self._county[:n] == _county(query.county_code)

        distance = proximity = None
        if query.has_location:
            assert query.lat is not None and query.lon is not None
            distance = self._distances(n, query.lat, query.lon)
            if query.radius_km is not None:
                mask &= distance <= query.radius_km
                proximity = np.clip(1.0 - distance / max(query.radius_km, 1e-9), 0.0, 1.0)
            else:
                proximity = 1.0 / (1.0 + distance / w.proximity_half_km)
        volume = self._volume_fit(n, query.volume)
        freshness = self._freshness(n, today)
        total = (
            w.relevance * relevance
            + w.volume * volume
            + w.proximity * (proximity if proximity is not None else 1.0)
            + w.freshness * freshness
        )
        rows = np.flatnonzero(mask)
        top = self._top(rows, total, query.limit)
        matches = []
        for row in top:
            maker = self._profiles[row]
            assert maker is not None
            scores = Scores(
                total=round(float(total[row]), 4),
                relevance=round(float(relevance[row]), 4),
                capability=round(float(capability[row]), 4),
                words=round(float(words[row]), 4),
                volume=round(float(volume[row]), 4),
                proximity=round(float(proximity[row]), 4) if proximity is not None else 1.0,
                freshness=round(float(freshness[row]), 4),
            )
            km = float(distance[row]) if distance is not None else None
            explanation = explain(
                maker=maker,
                interpretation=interpretation,
                interpreter=self._interp,
                concept_row=self._concept[row],
                columns=self._col,
                word_hits=[(q, m) for q, m, found in word_hits if found[row]],
                distance_km=km,
                radius_km=query.radius_km,
                volume=query.volume,
            )
            matches.append(Match(maker.id, maker.name, scores.total, scores, explanation))
        return MatchResult(query, interpretation, tuple(matches), len(rows), considered)

    def _profile(self, row: int) -> MakerProfile:
        maker = self._profiles[row]
        if maker is None:
            raise LookupError(f"row {row} holds no maker")
        return maker

    def _available(self, n: int, today: date) -> np.ndarray:
        status = self._status[:n]
        paused = self._paused_until[:n]
        return (status == 0) | ((status == 1) & (paused > 0) & (paused < today.toordinal()))

    def _capability(self, n: int, interpretation: Interpretation) -> np.ndarray:
        if not interpretation.groups:
            return np.zeros(n, dtype=np.float32)
        total = np.zeros(n, dtype=np.float32)
        for group in interpretation.groups:
            # A group is fitted by its best alternative, scaled by how sure the reading was.
            best = np.zeros(n, dtype=np.float32)
            for hit in group.hits:
                column = self._concept[:n, self._col[hit.code]]
                np.maximum(best, column * np.float32(hit.confidence), out=best)
            total += best
        weight_sum = len(interpretation.groups)
        return total / np.float32(weight_sum)

    def _distances(self, n: int, lat: float, lon: float) -> np.ndarray:
        # The chord between unit vectors gives the same great-circle distance as haversine.
        target = np.asarray(_unit_vector(lat, lon))
        chord = np.linalg.norm(self._xyz[:n] - target, axis=1)
        return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.clip(chord / 2.0, 0.0, 1.0))

    def _volume_fit(self, n: int, stage: VolumeStage | None) -> np.ndarray:
        if stage is None:
            return np.ones(n, dtype=np.float32)
        bits = self._volumes[:n]
        fit = np.zeros(n, dtype=np.float32)
        near = sum(_STAGE_BIT[s] for s in neighbouring_stages(stage))
        fit[(bits & near) > 0] = 0.4
        fit[bits == 0] = 0.6
        fit[(bits & _STAGE_BIT[stage]) > 0] = 1.0
        return fit

    def _freshness(self, n: int, today: date) -> np.ndarray:
        confirmed = self._confirmed[:n]
        age_days = (today.toordinal() - confirmed).astype(np.float32)
        fresh = np.clip(1.0 - np.maximum(age_days - 365.0, 0.0) / 1460.0, 0.5, 1.0)
        fresh = np.where(confirmed == 0, np.float32(0.8), fresh)
        return (fresh * (1.0 - 0.5 * self._penalty[:n])).astype(np.float32)

    def _top(self, rows: np.ndarray, total: np.ndarray, limit: int) -> list[int]:
        """The best ``limit`` rows by score, ties broken by maker id so order is stable."""
        if limit <= 0 or rows.size == 0:
            return []
        scores = total[rows]
        if rows.size > limit:
            threshold = np.partition(scores, rows.size - limit)[rows.size - limit]
            keep = scores >= threshold
            rows, scores = rows[keep], scores[keep]
        ids = [self._profile(int(r)).id for r in rows]
        order = sorted(range(len(rows)), key=lambda k: (-float(scores[k]), ids[k]))
        return [int(rows[k]) for k in order[:limit]]
