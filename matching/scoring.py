"""Column arithmetic over the index: evidence, support, volume fit, freshness, distance.

For each group the request asks (a material or process, with its alternatives), every maker
gets two numbers in 0..1:

- *direct*: the maker's own words name it. For a specific material ("brons") that is the
  same specific material, or (at ``generic_credit``) only the family named generically
  ("metall"); for a process, the process itself.
- *weak*: a weaker sign. Other members of the family ("stål" for "brons", at
  ``family_credit``), a neighbouring material or process ("komposit" for "plast",
  "blästring" for "anodisering", ``neighbour_credit``), or a process credited through the
  material it works on (``material_only_credit``).

*Evidence* is the weighted mean of the direct numbers (processes weigh ``process_weight``),
*support* that of the better of direct and weak. A maker is a *fit* with enough evidence and
some sign for every group; a weaker candidate with support alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from matching.concept import Concept, ConceptKind
from matching.interpret import HitGroup, Interpretation
from matching.models import VolumeStage, neighbouring_stages
from matching.places import EARTH_RADIUS_KM
from matching.ranking import Weights

STAGE_BIT = {VolumeStage.PROTOTYPE: 1, VolumeStage.PILOT: 2, VolumeStage.PRODUCTION: 4}


@dataclass(frozen=True, slots=True)
class Capability:
    evidence: np.ndarray  # float32, n
    support: np.ndarray  # float32, n
    covered: np.ndarray  # bool, n: some sign for every group
    groups: tuple[tuple[np.ndarray, np.ndarray], ...] = ()  # (direct, weak) per group


@dataclass(frozen=True, slots=True)
class Matrices:
    """The index's per-maker arrays, as the scorer reads them (views, first n rows)."""

    direct: np.ndarray  # n × concepts: the maker's own words (and implied materials)
    variants: np.ndarray  # n × variants: specific materials named
    generic: np.ndarray  # n × concepts (material columns used): family named generically


class Scorer:
    def __init__(
        self,
        concepts: Mapping[str, Concept],
        columns: Mapping[str, int],
        variant_columns: Mapping[str, int],
        weights: Weights,
    ) -> None:
        self._concepts = concepts
        self._col = self.columns = columns
        self._var = variant_columns
        self.weights = weights

    def group_scores(self, m: Matrices, group: HitGroup, n: int) -> tuple[np.ndarray, np.ndarray]:
        """(direct, weak) for one asked group: the best alternative of each."""
        w = self.weights
        direct = np.zeros(n, dtype=np.float32)
        weak = np.zeros(n, dtype=np.float32)
        for hit in group.hits:
            concept = self._concepts[hit.code]
            column = m.direct[:n, self._col[hit.code]]
            confidence = np.float32(hit.confidence)
            if concept.kind is ConceptKind.PROCESS:
                np.maximum(direct, column * confidence, out=direct)
                for material in concept.materials:
                    via = m.direct[:n, self._col[material]]
                    np.maximum(
                        weak, via * np.float32(w.material_only_credit * hit.confidence), out=weak
                    )
                for neighbour in concept.neighbours:
                    near = m.direct[:n, self._col[neighbour]]
                    np.maximum(
                        weak, near * np.float32(w.neighbour_credit * hit.confidence), out=weak
                    )
                continue
            variants = [self._var[v] for v in hit.variants if v in self._var]
            if variants:
                specific = m.variants[:n, variants].max(axis=1).astype(np.float32)
                generic = m.generic[:n, self._col[hit.code]].astype(np.float32)
                np.maximum(
                    direct,
                    np.maximum(specific, generic * w.generic_credit) * confidence,
                    out=direct,
                )
                np.maximum(weak, column * np.float32(w.family_credit * hit.confidence), out=weak)
            else:
                np.maximum(direct, column * confidence, out=direct)
            for neighbour in concept.neighbours:
                near = m.direct[:n, self._col[neighbour]]
                np.maximum(weak, near * np.float32(w.neighbour_credit * hit.confidence), out=weak)
        return direct, weak

    def capability(self, m: Matrices, interpretation: Interpretation, n: int) -> Capability:
        total = np.zeros(n, dtype=np.float32)
        supported = np.zeros(n, dtype=np.float32)
        covered = np.ones(n, dtype=bool)
        weight_sum = 0.0
        per_group = []
        for group in interpretation.groups:
            weight = self.group_weight(group)
            direct, weak = self.group_scores(m, group, n)
            per_group.append((direct, weak))
            best = np.maximum(direct, weak)
            total += np.float32(weight) * direct
            supported += np.float32(weight) * best
            covered &= best > 0
            weight_sum += weight
        if weight_sum:
            total /= np.float32(weight_sum)
            supported /= np.float32(weight_sum)
        else:
            covered[:] = False
        return Capability(total, supported, covered, tuple(per_group))

    def group_weight(self, group: HitGroup) -> float:
        return self.weights.process_weight if group.kind is ConceptKind.PROCESS else 1.0


def _volume_table(stage: VolumeStage) -> np.ndarray:
    """Fit for each of the eight combinations of stage bits a maker can have."""
    near = sum(STAGE_BIT[s] for s in neighbouring_stages(stage))
    table = np.zeros(8, dtype=np.float32)
    for bits in range(8):
        if bits & STAGE_BIT[stage]:
            table[bits] = 1.0
        elif bits == 0:
            table[bits] = 0.6  # has not said
        elif bits & near:
            table[bits] = 0.4
    return table


_VOLUME_TABLES = {stage: _volume_table(stage) for stage in VolumeStage}


def volume_fit(bits: np.ndarray, stage: VolumeStage | None) -> np.ndarray:
    """1 the stage, 0.4 a neighbouring one, 0.6 unknown, 0 others only: one table lookup."""
    if stage is None:
        return np.ones(bits.shape[0], dtype=np.float32)
    return _VOLUME_TABLES[stage][bits & 7]


def freshness(confirmed: np.ndarray, penalty: np.ndarray, today_ordinal: int) -> np.ndarray:
    age_days = (today_ordinal - confirmed).astype(np.float32)
    fresh = np.clip(1.0 - np.maximum(age_days - 365.0, 0.0) / 1460.0, 0.5, 1.0)
    fresh = np.where(confirmed == 0, np.float32(0.8), fresh)
    return (fresh * (1.0 - 0.5 * penalty)).astype(np.float32)


def cosines(xyz: np.ndarray, target: np.ndarray) -> np.ndarray:
    """The cosine of each row's angle to ``target`` (unit vectors): larger is nearer.

    Comparing cosines answers "within the radius?" for every row without a trigonometric
    function; :func:`km` turns the few that are needed into distances.
    """
    return xyz[:, 0] * target[0] + xyz[:, 1] * target[1] + xyz[:, 2] * target[2]


def cosine_of(distance_km: float) -> float:
    return float(np.cos(min(distance_km / EARTH_RADIUS_KM, np.pi)))


def km(cosine: np.ndarray) -> np.ndarray:
    """Great-circle distance for angle cosines (the same as haversine)."""
    return EARTH_RADIUS_KM * np.arccos(np.clip(cosine, -1.0, 1.0))


def distances(xyz: np.ndarray, target: np.ndarray) -> np.ndarray:
    return km(cosines(xyz, target))


def top(rows: np.ndarray, total: np.ndarray, id_rank: np.ndarray, limit: int) -> np.ndarray:
    """The best ``limit`` of ``rows`` by score, ties broken by the makers' id order.

    Vectorised: a partition finds the cut-off score, the rows above it are sorted, and only
    the rows tied at the cut-off are ordered by id (a partition again, never a Python sort),
    so thousands of equal scores cost no more than a few.
    """
    if limit <= 0 or rows.size == 0:
        return rows[:0]
    scores = total[rows]
    if rows.size > limit:
        threshold = np.partition(scores, rows.size - limit)[rows.size - limit]
        above = rows[scores > threshold]
        tied = rows[scores == threshold]
        need = limit - above.size
        if tied.size > need:
            ranks = id_rank[tied]
            tied = tied[np.argpartition(ranks, need - 1)[:need]] if need > 0 else tied[:0]
        rows = np.concatenate((above, tied))
        scores = total[rows]
    order = np.lexsort((id_rank[rows], -scores))
    return rows[order]
