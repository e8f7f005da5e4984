"""The round's pairing is the best there is: checked against trying every pairing on small
random rounds (seeded), and it never gives a maker more designers than its capacity."""

from __future__ import annotations

import itertools
import random

import pytest

from services.rounds.solver import best_pairing


def brute_force_best(scores: list[list[float | None]], capacities: list[int]) -> float:
    """The greatest total over every way of giving each designer a maker or nobody."""
    makers = len(capacities)
    best = 0.0
    for choice in itertools.product([None, *range(makers)], repeat=len(scores)):
        load = [0] * makers
        total = 0.0
        feasible = True
        for designer, maker in enumerate(choice):
            if maker is None:
                continue
            score = scores[designer][maker]
            load[maker] += 1
            if score is None or load[maker] > capacities[maker]:
                feasible = False
                break
            total += score
        if feasible:
            best = max(best, total)
    return best


def random_round(rng: random.Random) -> tuple[list[list[float | None]], list[int]]:
    designers, makers = rng.randint(1, 6), rng.randint(1, 4)
    capacities = [rng.randint(0, 3) for _ in range(makers)]
    scores: list[list[float | None]] = [
        [round(rng.uniform(0.05, 1.0), 3) if rng.random() < 0.6 else None for _ in range(makers)]
        for _ in range(designers)
    ]
    return scores, capacities


@pytest.mark.parametrize("seed", range(40))
def test_the_pairing_is_as_good_as_the_best_of_every_pairing(seed: int) -> None:
    scores, capacities = random_round(random.Random(seed))
    pairing = best_pairing(scores, capacities)
    assert pairing.total == pytest.approx(brute_force_best(scores, capacities), abs=1e-9)
    # The total is what the pairs add up to, and every pair is an eligible one.
    paired = [(d, m) for d, m in enumerate(pairing.makers) if m is not None]
    assert all(scores[d][m] is not None for d, m in paired)
    assert pairing.total == pytest.approx(sum(scores[d][m] or 0.0 for d, m in paired))


@pytest.mark.parametrize("seed", range(40))
def test_no_maker_gets_more_designers_than_its_capacity(seed: int) -> None:
    scores, capacities = random_round(random.Random(1000 + seed))
    load = best_pairing(scores, capacities).load(len(capacities))
    assert all(got <= capacity for got, capacity in zip(load, capacities, strict=True))


def test_a_designer_no_maker_fits_stays_unpaired() -> None:
    pairing = best_pairing([[0.5, None], [None, None], [None, 0.7]], [2, 1])
    assert pairing.makers == (0, None, 1)


def test_the_best_total_can_mean_a_designer_does_not_get_their_top_maker() -> None:
    # Greedy (best pair first) would give A the first maker (0.9) and leave B unpaired (0.9);
    # the optimum gives B the first maker and A the second (0.8 + 0.7 = 1.5).
    pairing = best_pairing([[0.9, 0.7], [0.8, None]], [1, 1])
    assert pairing.makers == (1, 0)
    assert pairing.total == pytest.approx(1.5)


def test_a_round_without_capacity_or_designers_pairs_nobody() -> None:
    assert best_pairing([[0.5]], [0]).makers == (None,)
    assert best_pairing([], [1, 2]).makers == ()
    with pytest.raises(ValueError):
        best_pairing([[0.5, 0.1]], [1])
    with pytest.raises(ValueError):
        best_pairing([[-0.5]], [1])
