"""The round's pairing: designers to makers, maximising the total expected yeses, with each
maker taking at most its capacity.

It is an assignment problem. Each maker's column is repeated once per place it offers (its
capacity), and every designer gets a column of its own meaning "unpaired" at no score; then
:func:`scipy.optimize.linear_sum_assignment` finds the assignment of least cost (the negated
scores), which is the pairing of greatest total, exactly. A pair that is not eligible (the
maker's listing shows no evidence for the brief) costs more than any pairing could gain, so it
is never chosen while the "unpaired" column is free.

>>> pairing = best_pairing([[0.9, 0.5], [0.8, None], [None, 0.2]], [1, 1])
>>> pairing.makers, round(pairing.total, 2)
((1, 0, None), 1.3)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

__all__ = ["Pairing", "best_pairing"]

Scores = Sequence[Sequence[float | None]]


@dataclass(frozen=True, slots=True)
class Pairing:
    """``makers[i]`` is the maker (column) designer ``i`` is paired with, ``None`` unpaired."""

    makers: tuple[int | None, ...]
    total: float

    def load(self, maker_count: int) -> list[int]:
        """How many designers each maker got."""
        counts = [0] * maker_count
        for maker in self.makers:
            if maker is not None:
                counts[maker] += 1
        return counts


def best_pairing(scores: Scores, capacities: Sequence[int]) -> Pairing:
    """The pairing of designers (rows of ``scores``) with makers (columns) of greatest total
    score, each maker ``j`` taking at most ``capacities[j]`` designers; ``None`` marks a pair
    that may not be made. Scores are expected yeses, so at least 0."""
    designers, makers = len(scores), len(capacities)
    if any(len(row) != makers for row in scores):
        raise ValueError("every designer needs a score (or None) for every maker")
    if any(capacity < 0 for capacity in capacities):
        raise ValueError("a capacity cannot be negative")
    columns = [maker for maker in range(makers) for _ in range(min(capacities[maker], designers))]
    if designers == 0 or not columns:
        return Pairing((None,) * designers, 0.0)
    eligible = np.array(
        [[row[maker] is not None for maker in columns] for row in scores], dtype=bool
    )
    values = np.array(
        [[float(row[maker] or 0.0) for maker in columns] for row in scores], dtype=float
    )
    if (values < 0).any() or not np.isfinite(values).all():
        raise ValueError("scores must be finite and at least 0")
    # Forbidden pairs cost more than every score together: never worth taking.
    forbidden = float(values.sum()) + 1.0
    paired = np.where(eligible, -values, forbidden)
    unpaired = np.full((designers, designers), forbidden)
    np.fill_diagonal(unpaired, 0.0)
    rows, cols = linear_sum_assignment(np.hstack([paired, unpaired]))
    chosen: list[int | None] = [None] * designers
    total = 0.0
    for row, col in zip(rows, cols, strict=True):
        if col < len(columns) and eligible[row, col]:
            chosen[row] = columns[col]
            total += float(values[row, col])
    return Pairing(tuple(chosen), total)
