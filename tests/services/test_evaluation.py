"""The evaluation set is usable, and ranking quality stays at the level the issue asks for."""

from pathlib import Path

import pytest

from services.evaluation import (
    EVALUATION_DAY,
    KeywordBaseline,
    LabelledRequest,
    evaluate,
    load_catalogue,
    load_requests,
    ndcg_at,
)


def test_ndcg() -> None:
    assert ndcg_at(["a", "b", "c"], {"a": 3, "b": 2}) == 1.0
    assert ndcg_at([], {"a": 1}) == 0.0
    assert ndcg_at(["x"], {}) == 1.0  # nothing to find, nothing missed
    assert 0 < ndcg_at(["b", "a"], {"a": 3, "b": 1}) < 1


def test_the_set_is_large_enough_and_consistent() -> None:
    makers = {m.id: m for m in load_catalogue()}
    requests = load_requests()
    assert len(requests) >= 40 and len(makers) >= 80
    for request in requests:
        for maker_id in request.relevant:
            assert makers[maker_id].is_available(EVALUATION_DAY), (request.id, maker_id)


def test_engine_reaches_the_target_and_beats_the_keyword_baseline() -> None:
    report = evaluate()
    assert report.engine_ndcg >= 0.85
    assert report.engine_ndcg >= report.baseline_ndcg + 0.15


def test_keyword_baseline_filters_on_words() -> None:
    makers = load_catalogue()
    request = LabelledRequest("t", "glasblåsning", None, None, None, {})
    found = KeywordBaseline(makers).rank(request, None, limit=5)
    by_id = {m.id: m for m in makers}
    assert found and all(
        "glasbl" in by_id[i].description.lower() + " ".join(by_id[i].processes).lower()
        for i in found
    )


def test_a_catalogue_with_rejected_rows_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name,municipality,materials\nx,Namn,Atlantisstad,ek\n", "utf-8")
    with pytest.raises(ValueError, match="rejected rows"):
        load_catalogue(bad)
