"""``spok-bot bench matching``: the index against a naive per-maker loop, in the same run.

For each catalogue size a synthetic, fictional catalogue is generated (reproducibly, from a
seed) with makers spread over the real municipalities. The same requests are ranked by
:class:`~matching.index.MakerIndex` and by a naive baseline: a Python loop that calls
rapidfuzz on every maker's text and computes the distance per maker, as one would write it
without an index. Reported per size: median and p95 latency per request for both, their
ratio, index build time, the time for one maker's change to reach the index, and the
process's peak RSS. The same requests are also timed without a location: then proximity is
the same for everyone and thousands of makers tie, which the index breaks by catalogue id
without a Python sort; that median should be no slower than the located one.
"""

from __future__ import annotations

import gc
import heapq
import random
import resource
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date, timedelta

from rapidfuzz import fuzz

from matching.index import MakerIndex
from matching.models import MakerProfile, MakerStatus, VolumeStage
from matching.places import haversine_km, load_places
from matching.ranking import MatchQuery
from matching.taxonomy import MATERIALS, PROCESSES, Concept
from matching.text import fold
from matching.vocabulary import NOUN_TAILS

TODAY = date(2026, 6, 1)

REQUESTS: tuple[tuple[str, VolumeStage | None, float | None], ...] = (
    ("Jag behöver ett ekbord i massivt trä, 12 st", VolumeStage.PILOT, 100),
    ("laserskurna plåtdetaljer i rostfritt stål", VolumeStage.PRODUCTION, None),
    ("stickade mössor i ull, småserie", VolumeStage.PILOT, 200),
    ("glasblåsta vaser", VolumeStage.PROTOTYPE, None),
    ("someone who can weld a steel frame for a prototype", VolumeStage.PROTOTYPE, 50),
    ("keramk muggar, drejade och glaserade", None, 150),
    ("stoppad stol med ekram", VolumeStage.PROTOTYPE, None),
    ("screen printed tote bags in organic cotton", VolumeStage.PILOT, None),
    ("betonggjutning av bänkar till en park", VolumeStage.PILOT, 100),
    ("3D-utskrift av prototyp i plast", VolumeStage.PROTOTYPE, 25),
    ("lampskärmar i mässing och linne", None, None),
    ("handvävda mattor i ull till en butik", VolumeStage.PILOT, 300),
    ("CNC milling aluminium housings, ongoing production", VolumeStage.PRODUCTION, None),
    ("risograftryck av affischer", VolumeStage.PILOT, 50),
    ("läderväskor sydda för hand", VolumeStage.PROTOTYPE, None),
    ("pulverlackerade stålhyllor", VolumeStage.PRODUCTION, 100),
)

_FILLER = (
    "kvalitet hållbart lokalt familjeföretag sedan 1987 verkstad erfarenhet hantverk kunder "
    "flexibla snabba leveranser design arkitekter inredning offentlig miljö butiker restauranger "
    "workshop quality sustainable family business experienced flexible custom bespoke"
).split()


@dataclass(frozen=True, slots=True)
class SizeResult:
    makers: int
    build_s: float
    engine_median_ms: float
    engine_p95_ms: float
    unlocated_median_ms: float  # the same requests without a location: many tied scores
    unlocated_p95_ms: float
    baseline_median_ms: float
    baseline_p95_ms: float
    speedup_median: float
    update_median_ms: float
    update_visible: bool
    peak_rss_mb: float
    engine_queries: int
    baseline_queries: int


def synthetic_catalogue(size: int, *, seed: int = 42) -> list[MakerProfile]:
    """A reproducible fictional catalogue with the taxonomy's words and real places."""
    rng = random.Random(seed)
    municipalities = load_places().municipalities()
    processes_by_material: dict[str, list[Concept]] = {}
    for concept in PROCESSES:
        for material in concept.materials:
            processes_by_material.setdefault(material, []).append(concept)
    nouns = sorted(NOUN_TAILS)
    makers: list[MakerProfile] = []
    for i in range(size):
        chosen = rng.sample(MATERIALS[:-1], k=rng.choice((1, 1, 2, 3)))
        processes: list[Concept] = []
        for chosen_material in chosen:
            options = processes_by_material.get(chosen_material.code, [])
            processes += rng.sample(options, k=min(len(options), rng.choice((0, 1, 2))))
        place = rng.choice(municipalities)
        stages = frozenset(s for s in VolumeStage if rng.random() < 0.5)
        roll = rng.random()
        status = (
            MakerStatus.LISTED
            if roll < 0.9
            else MakerStatus.PAUSED
            if roll < 0.95
            else MakerStatus.UNLISTED
        )
        paused_until = TODAY + timedelta(days=rng.randint(-60, 60)) if status == "paused" else None
        description = " ".join(
            [rng.choice(c.terms) for c in processes[:2]]
            + rng.sample(nouns, k=3)
            + rng.sample(_FILLER, k=4)
            + [f"specialitet{rng.randint(0, 4999)}"]
        )
        makers.append(
            MakerProfile(
                id=f"syn-{i:06d}",
                name=f"Verkstad {i}",
                lat=place.lat + rng.uniform(-0.1, 0.1),
                lon=place.lon + rng.uniform(-0.1, 0.1),
                municipality_code=place.code,
                materials=tuple(rng.choice(m.terms) for m in chosen),
                processes=tuple(rng.choice(p.terms) for p in processes),
                volumes=stages,
                description=description,
                status=status,
                paused_until=paused_until,
                last_confirmed=TODAY - timedelta(days=rng.randint(0, 1200)),
            )
        )
    return makers


def synthetic_queries(count: int, *, seed: int = 7) -> list[MatchQuery]:
    rng = random.Random(seed)
    municipalities = load_places().municipalities()
    queries = []
    for i in range(count):
        text, volume, radius = REQUESTS[i % len(REQUESTS)]
        place = rng.choice(municipalities)
        queries.append(
            MatchQuery(text, volume, None, place.lat, place.lon, radius, limit=10, today=TODAY)
        )
    return queries


class NaiveBaseline:
    """What one writes without an index: score every maker in a Python loop with rapidfuzz."""

    def __init__(self, makers: Sequence[MakerProfile]) -> None:
        self._makers = [
            (
                m,
                fold(" ".join((m.name, *m.materials, *m.processes, m.description))),
            )
            for m in makers
        ]

    def search(self, query: MatchQuery) -> list[str]:
        text = fold(query.text)
        today = query.today or date.today()
        scored = []
        for maker, maker_text in self._makers:
            if not maker.is_available(today):
                continue
            relevance = fuzz.token_set_ratio(text, maker_text) / 100
            proximity = 1.0
            if query.lat is not None and query.lon is not None:
                km = haversine_km(query.lat, query.lon, maker.lat, maker.lon)
                if query.radius_km is not None and km > query.radius_km:
                    continue
                proximity = 1 / (1 + km / 100)
            fit = 1.0 if query.volume is None or query.volume in maker.volumes else 0.5
            scored.append((0.7 * relevance + 0.15 * proximity + 0.15 * fit, maker.id))
        return [maker_id for _, maker_id in heapq.nlargest(query.limit, scored)]


def _latencies_ms(
    run: Callable[[MatchQuery], object], queries: Sequence[MatchQuery]
) -> list[float]:
    times = []
    for query in queries:
        start = time.perf_counter()
        run(query)
        times.append((time.perf_counter() - start) * 1000)
    return times


def _p95(values: Sequence[float]) -> float:
    return (
        statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]
    )


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_size(
    size: int, *, engine_queries: int, baseline_queries: int, seed: int = 42
) -> SizeResult:
    makers = synthetic_catalogue(size, seed=seed)
    gc.collect()
    start = time.perf_counter()
    index = MakerIndex.build(makers)
    build_s = time.perf_counter() - start

    queries = synthetic_queries(max(engine_queries, baseline_queries))
    for query in queries[:3]:  # warm caches the way a running bot has them warm
        index.search(query)
    engine = _latencies_ms(index.search, queries[:engine_queries])
    unlocated_queries = [
        replace(q, lat=None, lon=None, radius_km=None) for q in queries[:engine_queries]
    ]
    unlocated = _latencies_ms(index.search, unlocated_queries)
    baseline_index = NaiveBaseline(makers)
    baseline = _latencies_ms(baseline_index.search, queries[:baseline_queries])

    # A change to one maker reaches the index in place, and the next search sees it.
    updates = []
    target = next(m for m in makers[size // 2 :] if m.status is MakerStatus.LISTED)
    for k in range(20):
        changed = replace(target, description=f"glasblåsning unikvas{k}")
        start = time.perf_counter()
        index.upsert(changed)
        updates.append((time.perf_counter() - start) * 1000)
    probe = MatchQuery("unikvas19", limit=5, today=TODAY)
    visible = [m.maker_id for m in index.search(probe).matches] == [target.id]
    return SizeResult(
        makers=size,
        build_s=round(build_s, 3),
        engine_median_ms=round(statistics.median(engine), 3),
        engine_p95_ms=round(_p95(engine), 3),
        unlocated_median_ms=round(statistics.median(unlocated), 3),
        unlocated_p95_ms=round(_p95(unlocated), 3),
        baseline_median_ms=round(statistics.median(baseline), 3),
        baseline_p95_ms=round(_p95(baseline), 3),
        speedup_median=round(statistics.median(baseline) / statistics.median(engine), 1),
        update_median_ms=round(statistics.median(updates), 3),
        update_visible=visible,
        peak_rss_mb=round(_peak_rss_mb(), 1),
        engine_queries=engine_queries,
        baseline_queries=baseline_queries,
    )


def run(
    sizes: Sequence[int], *, engine_queries: int = 200, baseline_queries: int = 20
) -> list[SizeResult]:
    return [
        bench_size(size, engine_queries=engine_queries, baseline_queries=baseline_queries)
        for size in sizes
    ]


def as_dict(result: SizeResult) -> dict[str, object]:
    return asdict(result)
