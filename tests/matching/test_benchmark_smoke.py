"""The benchmark runs at a small size (a smoke test; timings are the command's business)."""

from matching.benchmark import NaiveBaseline, bench_size, synthetic_catalogue, synthetic_queries
from matching.index import MakerIndex


def test_bench_runs_and_sees_the_update() -> None:
    result = bench_size(300, engine_queries=5, baseline_queries=2)
    assert result.makers == 300 and result.update_visible
    assert result.engine_median_ms > 0 and result.baseline_median_ms > 0


def test_synthetic_catalogue_is_reproducible_and_baseline_agrees_on_availability() -> None:
    assert synthetic_catalogue(50) == synthetic_catalogue(50)
    makers = synthetic_catalogue(200)
    index, baseline = MakerIndex.build(makers), NaiveBaseline(makers)
    available = {m.id for m in makers if m.is_available(synthetic_queries(1)[0].today)}  # type: ignore[arg-type]
    for query in synthetic_queries(5):
        assert set(baseline.search(query)) <= available
        assert {m.maker_id for m in index.search(query).matches} <= available
