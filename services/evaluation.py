"""Ranking quality on labelled request sets, the way a coordinator would judge it.

The sets are kept apart: the *tuning* sets the engine may be tuned against (the engine
writer's own ``matching/data/eval/``, the independent development set ``eval/dev/`` and the
first held-out set ``eval/heldout/``, spent once it had been evaluated twice), and the
*held-out* set (``matching/data/eval/heldout2/``), written by someone who never read
``matching/``, frozen, and never used to tune. Each set is a fictional catalogue
(``catalogue.csv``, imported through the same reader and validation as
``spok-bot makers import``) and requests (``requests.json``), each with:

- ``id``, ``category`` (free text, e.g. "homonym", "none-fits", "beyond-radius"), ``text``,
  ``volume``, ``location``, ``radius_km`` (``null``: all of Sweden), ``note``;
- ``relevant``: maker id → grade (3 ideal, 2 good, 1 partial); unlabelled makers are 0;
- ``none_fits``: true when no listed maker within reach can do it;
- ``beyond_radius``: maker ids outside the radius that a coordinator would name anyway.

Every request is ranked with a limit of :data:`CUTOFF`. What is *shown* is the fits first,
then the weaker candidates ("maybe"), in the engine's order; the beyond-radius suggestions
are separate. The metrics:

``nDCG@5``
    Normalised discounted cumulative gain of the first five makers shown (fits, then weaker
    candidates), with gain ``2^grade - 1`` and discount ``log2(rank + 1)``; averaged over the
    requests that have at least one relevant maker (the others are scored by honest-none).
``precision@5``
    Of all makers *presented as fits* among the first five, over all requests together, the
    share labelled relevant (grade ≥ 1). ``precision@5 (all shown)`` counts the weaker
    candidates too, for comparison.
``fit recall``
    Of the ideal makers (grade 3, at most five per request), the share presented as fits:
    moving everything to "maybe" would keep precision high and show up here.
``honest-none``
    Of the requests labelled ``none_fits``, the share where no maker is presented as a fit.
``beyond-radius surfaced``
    Of the requests with a non-empty ``beyond_radius`` list, the share where at least one of
    those makers is named as a beyond-radius suggestion.
``rows lost at import``
    Catalogue rows the importer's validation rejects, of all rows.

The baseline is what a simple search box does: keep the makers whose text contains any of the
request's words, ranked by how many words they contain, then by distance; its nDCG@5 is
computed on the same requests.
"""

from __future__ import annotations

import json
import math
import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
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
TUNING_DIR = EVAL_DIR
# Sets the engine may be tuned against, by name: the engine writer's own set, an independent
# development set, and the first held-out set, spent once it had been evaluated twice.
TUNING_SETS: tuple[tuple[str, Path], ...] = (
    ("tuning", TUNING_DIR),
    ("tuning-dev", EVAL_DIR / "dev"),
    ("tuning-heldout1", EVAL_DIR / "heldout"),
)
# The fresh held-out set: frozen, written without reading ``matching/``, never used to tune.
HELD_OUT_DIR = EVAL_DIR / "heldout2"
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
    none_fits: bool = False
    beyond_radius: tuple[str, ...] = ()
    category: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class LoadedCatalogue:
    makers: tuple[MakerProfile, ...]
    rows: int
    lost: tuple[int, ...] = ()  # line numbers of the rows the importer rejects


@dataclass(frozen=True, slots=True)
class RequestScore:
    id: str
    text: str
    category: str
    engine: float | None  # nDCG@5; None when the request has no relevant maker
    baseline: float | None
    shown: tuple[str, ...]  # fits first, then weaker candidates
    fits: tuple[str, ...]
    beyond_radius: tuple[str, ...]
    baseline_top: tuple[str, ...]
    relevant_fits: int  # fits labelled relevant
    ideal_found: int  # ideal makers presented as fits
    ideal: int  # ideal makers (at most CUTOFF)
    none_fits: bool
    honest_none: bool | None  # None unless the request is labelled none_fits
    beyond_surfaced: bool | None  # None unless the request has a beyond_radius label
    relevant_shown: int = 0
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class EvaluationReport:
    name: str
    makers: int
    rows: int
    rows_lost: int
    requests: tuple[RequestScore, ...]
    categories: Mapping[str, float] = field(default_factory=dict)

    def _mean(self, values: Sequence[float | None]) -> float:
        present = [v for v in values if v is not None]
        return statistics.fmean(present) if present else math.nan

    @property
    def engine_ndcg(self) -> float:
        return self._mean([r.engine for r in self.requests])

    @property
    def baseline_ndcg(self) -> float:
        return self._mean([r.baseline for r in self.requests])

    @property
    def precision(self) -> float:
        fits = sum(len(r.fits) for r in self.requests)
        return sum(r.relevant_fits for r in self.requests) / fits if fits else math.nan

    @property
    def precision_all_shown(self) -> float:
        shown = sum(len(r.shown) for r in self.requests)
        return sum(r.relevant_shown for r in self.requests) / shown if shown else math.nan

    @property
    def fit_recall(self) -> float:
        ideal = sum(r.ideal for r in self.requests)
        return sum(r.ideal_found for r in self.requests) / ideal if ideal else math.nan

    @property
    def honest_none(self) -> float:
        flags = [r.honest_none for r in self.requests if r.honest_none is not None]
        return self._mean([float(flag) for flag in flags])

    @property
    def none_requests(self) -> int:
        return sum(1 for r in self.requests if r.honest_none is not None)

    @property
    def beyond_surfaced(self) -> float:
        return self._mean(
            [float(r.beyond_surfaced) for r in self.requests if r.beyond_surfaced is not None]
        )

    @property
    def beyond_requests(self) -> int:
        return sum(1 for r in self.requests if r.beyond_surfaced is not None)

    def summary(self) -> dict[str, Any]:
        return {
            "set": self.name,
            "makers": self.makers,
            "requests": len(self.requests),
            "ndcg_at_5": _round(self.engine_ndcg),
            "keyword_baseline_ndcg_at_5": _round(self.baseline_ndcg),
            "precision_at_5": _round(self.precision),
            "precision_at_5_all_shown": _round(self.precision_all_shown),
            "fit_recall": _round(self.fit_recall),
            "honest_none": _round(self.honest_none),
            "none_fits_requests": self.none_requests,
            "beyond_radius_surfaced": _round(self.beyond_surfaced),
            "beyond_radius_requests": self.beyond_requests,
            "catalogue_rows": self.rows,
            "catalogue_rows_lost": self.rows_lost,
            "ndcg_by_category": {k: _round(v) for k, v in sorted(self.categories.items())},
        }


def _round(value: float) -> float | None:
    return None if math.isnan(value) else round(value, 3)


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


def load_requests(path: Path = TUNING_DIR / "requests.json") -> list[LabelledRequest]:
    raw: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return [
        LabelledRequest(
            id=str(item["id"]),
            text=item["text"],
            volume=item.get("volume"),
            location=item.get("location"),
            radius_km=item.get("radius_km"),
            relevant={str(k): int(v) for k, v in (item.get("relevant") or {}).items()},
            none_fits=bool(item.get("none_fits", False)),
            beyond_radius=tuple(str(m) for m in item.get("beyond_radius") or ()),
            category=str(item.get("category") or ""),
            note=str(item.get("note") or ""),
        )
        for item in raw
    ]


def load_catalogue(path: Path = TUNING_DIR / "catalogue.csv") -> LoadedCatalogue:
    """A set's catalogue through the importer's own reading and validation.

    Rows the validation rejects are left out and counted: that is what an import loses.
    """
    table = read_catalogue_file(path)
    accepted, rejected = RowValidator.default().validate_table(table)
    makers = tuple(
        Maker.model_validate(maker_in_from_entry(entry).model_dump()).to_profile()
        for entry in accepted
    )
    return LoadedCatalogue(makers, len(table.rows), tuple(r.line for r in rejected))


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


def score_request(
    request: LabelledRequest, matchmaker: Matchmaker, baseline: KeywordBaseline
) -> RequestScore:
    designer = DesignerRequest(
        text=request.text,
        volume=request.volume,
        location=request.location,
        radius_km=request.radius_km,
        limit=CUTOFF,
    )
    ranked = matchmaker.rank(designer, today=EVALUATION_DAY)
    result = ranked.result
    shown = tuple(m.maker_id for m in result.matches[:CUTOFF])
    fits = tuple(m.maker_id for m in result.matches[:CUTOFF] if m.fit)
    beyond = tuple(m.maker_id for m in result.beyond_radius)
    baseline_top = tuple(baseline.rank(request, ranked.place, CUTOFF))
    relevant = {k: v for k, v in request.relevant.items() if v > 0}
    ideal = sorted((k for k, v in relevant.items() if v == 3))[:CUTOFF]
    return RequestScore(
        id=request.id,
        text=request.text,
        category=request.category,
        engine=ndcg_at(shown, relevant) if relevant else None,
        baseline=ndcg_at(baseline_top, relevant) if relevant else None,
        shown=shown,
        fits=fits,
        beyond_radius=beyond,
        baseline_top=baseline_top,
        relevant_fits=sum(1 for m in fits if m in relevant),
        relevant_shown=sum(1 for m in shown if m in relevant),
        ideal_found=sum(1 for m in ideal if m in fits),
        ideal=len(ideal),
        none_fits=not fits,
        honest_none=(not fits) if request.none_fits else None,
        beyond_surfaced=(
            any(m in beyond for m in request.beyond_radius) if request.beyond_radius else None
        ),
        notes=ranked.notes,
    )


def evaluate(
    *,
    name: str = "tuning",
    directory: Path = TUNING_DIR,
    catalogue: LoadedCatalogue | None = None,
    requests: Sequence[LabelledRequest] | None = None,
    progress: Callable[[RequestScore], None] | None = None,
    reciprocal: bool = True,
) -> EvaluationReport:
    """Rank every request of a set and score it (see the module docstring for the metrics);
    ``reciprocal``: with the reciprocal re-ranking (nobody has answered anything: only the
    listings' terms count), as the bot ranks, or the capability ranking alone."""
    if catalogue is None:
        catalogue = load_catalogue(directory / "catalogue.csv")
    requests = load_requests(directory / "requests.json") if requests is None else requests
    matchmaker = Matchmaker.from_profiles(catalogue.makers, reciprocal=reciprocal)
    baseline = KeywordBaseline(catalogue.makers)
    scores = []
    for request in requests:
        score = score_request(request, matchmaker, baseline)
        scores.append(score)
        if progress:
            progress(score)
    by_category: dict[str, list[float]] = {}
    for score in scores:
        if score.engine is not None:
            by_category.setdefault(score.category or "-", []).append(score.engine)
    return EvaluationReport(
        name=name,
        makers=len(catalogue.makers),
        rows=catalogue.rows,
        rows_lost=len(catalogue.lost),
        requests=tuple(scores),
        categories={k: statistics.fmean(v) for k, v in by_category.items()},
    )


def _present(directory: Path) -> bool:
    return (directory / "requests.json").exists() and (directory / "catalogue.csv").exists()


def available_sets() -> list[tuple[str, Path]]:
    """The tuning sets that are there, then the held-out set once it exists."""
    sets = [(name, path) for name, path in TUNING_SETS if _present(path)]
    if _present(HELD_OUT_DIR):
        sets.append(("held-out", HELD_OUT_DIR))
    return sets
