"""The maker rows behind the index: one row of numpy arrays per maker, written in place.

Each maker is one row: what its own words show (each material and process, the specific
materials it names, the families it names generically), a unit vector of its location, its
volume stages as bits, listing status and freshness; beside them, where in its listing each
thing is written (the evidence a card quotes), found once when the row is written. Building
many rows at once fills the matrices in one vectorised pass; a changed maker is written into
its row in place (:meth:`MakerRows.upsert`). Querying is :class:`matching.index.MakerIndex`.
"""

from __future__ import annotations

import gc
import math
import re
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from typing import TypeVar

import numpy as np

from matching.evidence import EvidenceStore
from matching.interpret import Interpreter, default_interpreter
from matching.listing import ListingReader, ListingReading
from matching.models import MakerProfile, MakerStatus
from matching.own_words import OwnWords
from matching.quantity import stated_range
from matching.ranking import DEFAULT_WEIGHTS, Weights
from matching.scoring import STAGE_BIT, Matrices, Scorer, freshness
from matching.taxonomy import ConceptKind, concepts, variants

_STATUS_CODE = {MakerStatus.LISTED: 0, MakerStatus.PAUSED: 1, MakerStatus.UNLISTED: 2}
_REMOVED = 3
LISTED_WORDS_WEIGHT = 1.0  # words in the maker's materials/processes columns
DESCRIPTION_WEIGHT = 0.8  # words in the free description, the name or the equipment
IMPLIED_MATERIAL_WEIGHT = 0.9  # a single-material process implies its material

Rows = TypeVar("Rows", bound="MakerRows")


def unit_vector(lat: float, lon: float) -> tuple[float, float, float]:
    phi, lam = math.radians(lat), math.radians(lon)
    return (math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi))


def _ordinal(day: date | None) -> int:
    return day.toordinal() if day else 0


# A cheap look first: a stated range needs one of these words, or "10–50".
_DASHED = re.compile(r"\d\s*[–—-]\s*\d")
_RANGE_WORDS = (
    "från", "fran", "from", "minst", "minim", "minsta", "min ", "max", "högst", "hogst",
    "upp till", "up to", "till",
)  # fmt: skip


@lru_cache(maxsize=50_000)
def quantity_range(description: str) -> tuple[int, int]:
    """The quantities a description says the maker takes, 0 where it says nothing."""
    lowered = description.lower()
    if not any(word in lowered for word in _RANGE_WORDS) and not _DASHED.search(description):
        return 0, 0
    low, high = stated_range(description)
    return low or 0, high or 0


def county_number(municipality_code: str) -> int:
    """The county (län) number: the first two digits of the municipality code; 0 unknown."""
    prefix = municipality_code[:2]
    return int(prefix) if prefix.isdigit() else 0


class MakerRows:
    """Maker rows, written in place. Not thread-safe for writes; reads between writes are fine."""

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
        self._version = 0  # counts changes, for what is cached between searches
        self._fresh: tuple[tuple[int, int, int], np.ndarray] | None = None
        self._allocate(max(capacity, 16))

    # -- building ---------------------------------------------------------------------------

    @classmethod
    def build(
        cls: type[Rows],
        makers: Iterable[MakerProfile],
        *,
        interpreter: Interpreter | None = None,
        weights: Weights = DEFAULT_WEIGHTS,
    ) -> Rows:
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
        cls: type[Rows],
        unique: list[MakerProfile],
        *,
        interpreter: Interpreter | None,
        weights: Weights,
    ) -> Rows:
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
        index._county[:count] = [county_number(m.municipality_code) for m in unique]
        ranges = [quantity_range(m.description) for m in unique]
        index._quantity_min[:count] = [low for low, _ in ranges]
        index._quantity_max[:count] = [high for _, high in ranges]
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
        # The smallest and largest quantity the maker's text says it takes (0: not said).
        self._quantity_min = grow(keep("_quantity_min"), (capacity,), np.float32)
        self._quantity_max = grow(keep("_quantity_max"), (capacity,), np.float32)
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
        self._version += 1
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
        self._version += 1
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
        self._xyz[row] = unit_vector(maker.lat, maker.lon)
        self._status[row] = _STATUS_CODE[maker.status]
        self._paused_until[row] = _ordinal(maker.paused_until)
        self._volumes[row] = sum(STAGE_BIT[v] for v in maker.volumes)
        self._confirmed[row] = _ordinal(maker.last_confirmed)
        self._penalty[row] = min(max(maker.freshness_penalty, 0.0), 1.0)
        self._county[row] = county_number(maker.municipality_code)
        self._quantity_min[row], self._quantity_max[row] = quantity_range(maker.description)

    def _read(self, maker: MakerProfile) -> ListingReading:
        return self._reader.read(
            (*maker.materials, *maker.processes),
            # The equipment text comes last, so the other texts keep their numbers.
            (maker.description, maker.name, maker.equipment),
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

    def _freshness(self, n: int, today: date) -> np.ndarray:
        """Freshness by last confirmation and unanswered checks; kept until a row changes."""
        key = (n, today.toordinal(), self._version)
        if self._fresh is None or self._fresh[0] != key:
            fresh = freshness(self._confirmed[:n], self._penalty[:n], today.toordinal())
            self._fresh = (key, fresh)
        return self._fresh[1]

    def _available(self, n: int, today: date) -> np.ndarray:
        status = self._status[:n]
        paused = self._paused_until[:n]
        return (status == 0) | ((status == 1) & (paused > 0) & (paused < today.toordinal()))

    def _profile(self, row: int) -> MakerProfile:
        maker = self._profiles[row]
        if maker is None:
            raise LookupError(f"row {row} holds no maker")
        return maker
