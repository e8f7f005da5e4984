"""``spok-bot simulate market`` at a tiny size: its structure and the cap, not its ratios (the
ratios are the command's output; README's figures come from running it)."""

from __future__ import annotations

import json

import pytest

from bot.cli import main
from services.reciprocal.simulation import gini, max_in_window, simulate


def test_both_rankings_play_the_same_world_and_the_reciprocal_one_holds_the_cap() -> None:
    report = simulate(weeks=2, seed=7, makers=16, designers=12, cap=2)
    today, reciprocal = report.today, report.reciprocal
    assert today.requests == reciprocal.requests > 0  # the same briefs
    for arm in (today, reciprocal):
        assert arm.briefs >= arm.interested >= 0
        assert arm.introductions_per_request == pytest.approx(arm.interested / arm.requests)
        assert 0 <= arm.share_interested <= 1 and 0 <= arm.gini_briefs <= 1
        assert arm.unmet <= arm.requests and arm.unanswered <= arm.briefs
        assert arm.max_briefs_per_maker >= arm.max_briefs_in_7_days
    assert reciprocal.max_briefs_in_7_days <= 2


def test_the_same_seed_gives_the_same_figures() -> None:
    assert simulate(weeks=1, seed=3, makers=10, designers=8) == simulate(
        weeks=1, seed=3, makers=10, designers=8
    )


def test_gini_and_the_busiest_week() -> None:
    assert gini([2, 2, 2]) == 0 and gini([0, 0, 9]) == pytest.approx(2 / 3)
    assert max_in_window({"a": [0.0, 1.0, 6.9, 7.0, 13.5], "b": [3.0]}, 7) == 3


def test_the_command_prints_both_rankings_and_the_ratios(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["simulate", "market", "--weeks", "1", "--makers", "10", "--designers", "8"]
    assert main([*args, "--seed", "1,2"]) == 0
    out = capsys.readouterr().out
    assert out.count("Market simulation:") == 2
    assert "share of briefs answered Interested" in out and "ratio," in out
    assert main([*args, "--seed", "4", "--json"]) == 0
    (document,) = json.loads(capsys.readouterr().out)
    assert document["seed"] == 4 and document["reciprocal"]["max_briefs_in_7_days"] <= 3
    assert main([*args, "--seed", "x"]) == 2
