"""Ranking quality on the labelled evaluation set: nDCG@5, against a keyword-filter baseline.

The set lives in ``matching/data/eval/``: a fictional catalogue (read through the same
reader and validation as ``spok-bot makers import``) and requests written the way designers
write, each with graded relevance labels (3 ideal, 2 good, 1 partial). The baseline is what a
simple search box does: keep the makers whose text contains any of the request's words,
ranked by how many words they contain, then by distance.
"""

from __future__ import annotations

import json
import math
import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from matching.models import MakerProfile
from matching.places import Place, haversine_km
from matching.text import words
from matching.vocabulary import STOP_WORDS
from services.catalogue.importer import maker_in_from_entry
from services.catalogue.reader import read_catalogue_file
from services.catalogue.validation import RowValidator
from services.matchmaking import DesignerRequest, Matchmaker
from storage.models import Maker

EVAL_DIR = Path(__file__).resolve().parent.parent / "matching" / "data" / "eval"
CUTOFF = 5
# Labels and availability are judged as of this day, so the score never drifts with the clock.
EVALUATION_DAY = date(2026, 6, 1)


@dataclass(frozen=True, slots=True)
class LabelledRequest:
    id: str
    text: str
    volume: str | None
    location: str | None
    radius_km: float | None
    relevant: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class RequestScore:
    id: str
    text: str
    engine: float
    baseline: float
    engine_top: tuple[str, ...]
    baseline_top: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EvaluationReport:
    makers: int
    requests: tuple[RequestScore, ...]

    @property
    def engine_ndcg(self) -> float:
        return statistics.fmean(r.engine for r in self.requests)

    @property
    def baseline_ndcg(self) -> float:
        return statistics.fmean(r.baseline for r in self.requests)


def ndcg_at(ranked: Sequence[str], relevant: Mapping[str, int], k: int = CUTOFF) -> float:
    """Normalised discounted cumulative gain of ``ranked`` against graded labels.

    >>> ndcg_at(["a", "b"], {"a": 3, "b": 1})
    1.0
    >>> round(ndcg_at(["b", "a"], {"a": 3, "b": 1}), 3)
    0.681
    """
    gains = [relevant.get(maker_id, 0) for maker_id in ranked[:k]]
    ideal = sorted(relevant.values(), reverse=True)[:k]
    idcg = _dcg(ideal)
    return _dcg(gains) / idcg if idcg else 1.0


def _dcg(gains: Sequence[int]) -> float:
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains))


def load_requests(path: Path = EVAL_DIR / "requests.json") -> list[LabelledRequest]:
    raw: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return [
        LabelledRequest(
            id=item["id"],
            text=item["text"],
            volume=item.get("volume"),
            location=item.get("location"),
            radius_km=item.get("radius_km"),
            relevant={k: int(v) for k, v in item["relevant"].items()},
        )
        for item in raw
    ]


def load_catalogue(path: Path = EVAL_DIR / "catalogue.csv") -> list[MakerProfile]:
    """The evaluation catalogue through the importer's own reading and validation."""
    accepted, rejected = RowValidator.default().validate_table(read_catalogue_file(path))
    if rejected:
        lines = ", ".join(str(r.line) for r in rejected)
        raise ValueError(f"the evaluation catalogue has rejected rows (lines {lines})")
    return [
        Maker.model_validate(maker_in_from_entry(entry).model_dump()).to_profile()
        for entry in accepted
    ]


class KeywordBaseline:
    """A search box: makers containing any request word, most words first, then nearest."""

    def __init__(self, makers: Sequence[MakerProfile]) -> None:
        self._makers = [
            (m, " ".join(words(" ".join((m.name, *m.materials, *m.processes, m.description)))))
            for m in makers
        ]

    def rank(self, request: LabelledRequest, place: Place | None, limit: int) -> list[str]:
        keywords = {w for w in words(request.text) if len(w) >= 3 and w not in STOP_WORDS}
        scored = []
        for maker, text in self._makers:
            if not maker.is_available(EVALUATION_DAY):
                continue
            hits = sum(1 for w in keywords if w in text)
            if not hits:
                continue
            km = haversine_km(place.lat, place.lon, maker.lat, maker.lon) if place else 0.0
            if place and request.radius_km is not None and km > request.radius_km:
                continue
            scored.append((-hits, km, maker.id))
        return [maker_id for _, _, maker_id in sorted(scored)[:limit]]


def evaluate(
    *,
    makers: Sequence[MakerProfile] | None = None,
    requests: Sequence[LabelledRequest] | None = None,
    progress: Callable[[RequestScore], None] | None = None,
) -> EvaluationReport:
    makers = load_catalogue() if makers is None else makers
    requests = load_requests() if requests is None else requests
    matchmaker = Matchmaker.from_profiles(makers)
    baseline = KeywordBaseline(makers)
    scores = []
    for request in requests:
        designer = DesignerRequest(
            text=request.text,
            volume=request.volume,
            location=request.location,
            radius_km=request.radius_km,
            limit=CUTOFF,
        )
        ranked = matchmaker.rank(designer, today=EVALUATION_DAY)
        engine_top = tuple(m.maker_id for m in ranked.matches)
        baseline_top = tuple(baseline.rank(request, ranked.place, CUTOFF))
        score = RequestScore(
            id=request.id,
            text=request.text,
            engine=ndcg_at(engine_top, request.relevant),
            baseline=ndcg_at(baseline_top, request.relevant),
            engine_top=engine_top,
            baseline_top=baseline_top,
        )
        scores.append(score)
        if progress:
            progress(score)
    return EvaluationReport(makers=len(makers), requests=tuple(scores))
