"""Budget phrases as designers write them (matching.budget)."""

from __future__ import annotations

import pytest

from matching.budget import parse_budget


@pytest.mark.parametrize(
    ("phrase", "low", "high"),
    [
        ("10-20 tkr", 10_000, 20_000),
        ("10–20 tkr", 10_000, 20_000),
        ("10–20 000 kr", 10_000, 20_000),  # the thousands written once
        ("5 000–8 000 kr", 5_000, 8_000),
        ("mellan 5 och 8 tusen", 5_000, 8_000),
        ("between 10k and 20k", 10_000, 20_000),
        ("20-10 tkr", 10_000, 20_000),  # either order
        ("max 50 000 kr", None, 50_000),
        ("högst 50.000:-", None, 50_000),
        ("upp till 1,5 mkr", None, 1_500_000),
        ("under 20k", None, 20_000),
        ("minst 5000", 5_000, None),
        ("at least 3000 SEK", 3_000, None),
        ("ca 5000", 5_000, 5_000),
        ("cirka 5 000 kr", 5_000, 5_000),
        ("around 10 000", 10_000, 10_000),
        ("~2000", 2_000, 2_000),
        ("5000", 5_000, 5_000),
        ("30tkr", 30_000, 30_000),
        ("1 miljon", 1_000_000, 1_000_000),
        ("budget 30 tkr", 30_000, 30_000),
    ],
)
def test_a_budget_phrase_is_a_range_of_kronor(
    phrase: str, low: int | None, high: int | None
) -> None:
    reading = parse_budget(phrase)
    assert reading is not None, phrase
    assert (reading.min_sek, reading.max_sek) == (low, high), phrase
    assert reading.words == phrase


@pytest.mark.parametrize("phrase", ["vet inte", "0", "200 st", "max 500 miljoner", "", "gratis"])
def test_no_budget_is_made_up(phrase: str) -> None:
    assert parse_budget(phrase) is None
