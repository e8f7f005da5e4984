"""Column arithmetic: vectorised top-k with ties by id, volume fit, distances."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from matching.models import VolumeStage
from matching.places import haversine_km
from matching.rows import unit_vector
from matching.scoring import distances, top, volume_fit


@given(
    st.lists(st.sampled_from([0.1, 0.5, 0.5, 0.9]), min_size=0, max_size=60),
    st.integers(0, 20),
    st.randoms(use_true_random=False),
)
def test_top_equals_a_full_sort_by_score_then_id(
    scores: list[float], limit: int, rng: object
) -> None:
    n = len(scores)
    total = np.array(scores, dtype=np.float32)
    id_rank = np.arange(n)
    rng.shuffle(id_rank)  # type: ignore[attr-defined]
    rows = np.flatnonzero(np.ones(n, dtype=bool))
    expected = sorted(range(n), key=lambda r: (-total[r], id_rank[r]))[:limit]
    assert list(top(rows, total, id_rank, limit)) == expected


def test_volume_fit_table() -> None:
    # Bits: 1 prototype, 2 pilot, 4 production; 0 = the maker has not said.
    bits = np.array([0, 1, 2, 4, 3, 5, 6, 7], dtype=np.uint8)
    assert volume_fit(bits, VolumeStage.PILOT).tolist() == [
        0.6000000238418579, 0.4000000059604645, 1.0, 0.4000000059604645, 1.0,
        0.4000000059604645, 1.0, 1.0,
    ]  # fmt: skip
    assert volume_fit(bits, VolumeStage.PRODUCTION)[1] == 0.0  # one-offs only: no fit
    assert volume_fit(bits, VolumeStage.PROTOTYPE)[3] == 0.0  # production only
    assert volume_fit(bits, None).tolist() == [1.0] * 8


def test_distances_agree_with_haversine() -> None:
    places = [(57.7072, 11.9668), (55.605, 13.0038), (67.855, 20.225), (58.2284, 13.9548)]
    xyz = np.array([unit_vector(lat, lon) for lat, lon in places])
    found = distances(xyz, np.asarray(unit_vector(*places[0])))
    for (lat, lon), km in zip(places, found, strict=True):
        assert abs(km - haversine_km(*places[0], lat, lon)) < 0.01
