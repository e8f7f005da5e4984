"""The P(yes) model: each factor moves the right way, newcomers are not buried, the cap holds,
and what a decline taught fades."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from matching.models import ClientKind, VolumeStage
from services.reciprocal.history import BriefRecord, histories, hub_prior, market_signals
from services.reciprocal.model import (
    BriefTerms,
    Decline,
    DeclineKind,
    HubRates,
    MakerHistory,
    MakerTerms,
    reciprocity,
)

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
PRIOR = HubRates(answer=0.8, yes=0.5)
BASE = PRIOR.base
NO_TERMS, NO_HISTORY, NO_BRIEF = MakerTerms(), MakerHistory(), BriefTerms()


def p(
    terms: MakerTerms = NO_TERMS,
    history: MakerHistory = NO_HISTORY,
    brief: BriefTerms = NO_BRIEF,
) -> float:
    return reciprocity(terms, history, brief, now=NOW, prior=PRIOR).p_yes


def strictly_rising(values: list[float]) -> bool:
    return all(a < b for a, b in itertools.pairwise(values))


def test_more_pieces_never_lower_the_chance_below_a_minimum_order() -> None:
    terms = MakerTerms(min_order=50)
    values = [p(terms, brief=BriefTerms(quantity=q)) for q in (1, 10, 25, 49, 50)]
    assert strictly_rising(values)
    assert p(terms, brief=BriefTerms(quantity=500)) == values[-1]


def test_more_days_before_the_deadline_never_lower_the_chance() -> None:
    terms = MakerTerms(lead_time_days=28)
    values = [p(terms, brief=BriefTerms(days_left=d)) for d in (0, 7, 14, 27, 28)]
    assert values[0] < values[1] and strictly_rising(values[1:])
    assert p(terms, brief=BriefTerms(days_left=90)) == values[-1]


def test_a_client_the_maker_does_not_name_lowers_it_and_an_unknown_one_is_neutral() -> None:
    terms = MakerTerms(works_with=frozenset({ClientKind.COMPANIES}))
    company = p(terms, brief=BriefTerms(client=ClientKind.COMPANIES))
    student = p(terms, brief=BriefTerms(client=ClientKind.STUDENTS))
    unknown = p(terms, brief=BriefTerms(client=None))
    unsaid = p(MakerTerms(), brief=BriefTerms(client=ClientKind.STUDENTS))
    assert student < company == unknown == unsaid


def test_each_brief_this_week_lowers_it_and_at_the_cap_it_is_zero() -> None:
    values = [p(history=MakerHistory(this_week=n, cap=3)) for n in range(4)]
    assert values[0] > values[1] > values[2] > 0 == values[3]
    result = reciprocity(
        MakerTerms(), MakerHistory(this_week=5, cap=5), BriefTerms(), now=NOW, prior=PRIOR
    )
    assert result.at_cap and result.p_yes == 0 and result.weight == 0


def test_a_higher_share_of_yes_raises_it() -> None:
    values = [p(history=MakerHistory(decided=10, answered=10, interested=k)) for k in range(11)]
    assert strictly_rising(values)


def test_answering_more_often_raises_it() -> None:
    values = [p(history=MakerHistory(decided=10, answered=a, interested=0)) for a in range(11)]
    assert strictly_rising(values)


def test_a_decline_a_factor_explains_does_not_count_against_the_yes_rate() -> None:
    plain = p(history=MakerHistory(decided=4, answered=4, interested=2))
    explained = p(history=MakerHistory(decided=4, answered=4, interested=2, explained=2))
    assert explained > plain


def test_without_a_stated_minimum_a_stage_the_maker_does_not_list_lowers_it() -> None:
    pilot_only = MakerTerms(stages=frozenset({VolumeStage.PILOT}))
    asked = BriefTerms(quantity=2, stage=VolumeStage.PROTOTYPE)
    assert p(pilot_only, brief=asked) < p(MakerTerms(), brief=asked)
    assert p(pilot_only, brief=BriefTerms(stage=VolumeStage.PILOT)) == pytest.approx(BASE)
    stated = MakerTerms(min_order=1, stages=pilot_only.stages)
    assert p(stated, brief=asked) == pytest.approx(BASE)  # the stated minimum wins


def test_a_volume_decline_teaches_a_minimum_for_as_few_pieces_or_fewer() -> None:
    decline = Decline(NOW - timedelta(days=3), DeclineKind.VOLUME, quantity=20)
    history = MakerHistory(declines=(decline,))
    assert p(history=history, brief=BriefTerms(quantity=10)) < BASE
    assert p(history=history, brief=BriefTerms(quantity=20)) < BASE
    assert p(history=history, brief=BriefTerms(quantity=21)) == pytest.approx(BASE)


def test_each_job_taken_in_the_last_four_weeks_leaves_less_room() -> None:
    values = [p(history=MakerHistory(jobs_taken=n)) for n in range(4)]
    assert values == sorted(values, reverse=True) and len(set(values)) == 4


def test_a_newcomer_starts_at_the_hubs_rate_not_at_the_bottom() -> None:
    newcomer = p(history=MakerHistory())
    assert newcomer == pytest.approx(BASE)
    proven_no = p(history=MakerHistory(decided=8, answered=8, interested=1))
    proven_yes = p(history=MakerHistory(decided=8, answered=8, interested=7))
    assert proven_no < newcomer < proven_yes
    # One unlucky answer does not sink a maker below one that never answers.
    one_no = p(history=MakerHistory(decided=1, answered=1, interested=0))
    silent = p(history=MakerHistory(decided=6, answered=0, interested=0))
    assert silent < one_no


def test_fully_booked_lowers_it_for_a_while_and_fades() -> None:
    def booked(days: float) -> float:
        decline = Decline(NOW - timedelta(days=days), DeclineKind.FULLY_BOOKED)
        return p(history=MakerHistory(declines=(decline,)))

    values = [booked(d) for d in (0, 3, 10, 30, 90)]
    assert strictly_rising(values)
    assert values[0] < 0.3 * BASE
    assert values[-1] == pytest.approx(BASE, abs=0.01)


def test_not_our_kind_of_work_lowers_it_for_similar_requests_only() -> None:
    decline = Decline(
        NOW - timedelta(days=5), DeclineKind.NOT_OUR_KIND, frozenset({"metal", "p.casting"})
    )
    history = MakerHistory(declines=(decline,))
    same = p(history=history, brief=BriefTerms(concepts=frozenset({"metal", "p.casting"})))
    near = p(history=history, brief=BriefTerms(concepts=frozenset({"metal", "p.welding"})))
    other = p(history=history, brief=BriefTerms(concepts=frozenset({"wood"})))
    assert same < near < other == pytest.approx(BASE)
    twice = MakerHistory(declines=(decline, decline))
    assert p(history=twice, brief=BriefTerms(concepts=frozenset({"metal", "p.casting"}))) < same
    old = Decline(NOW - timedelta(days=365), DeclineKind.NOT_OUR_KIND, decline.concepts)
    faded = p(history=MakerHistory(declines=(old,)), brief=BriefTerms(concepts=decline.concepts))
    assert same < faded < BASE


def test_a_quick_answerer_is_ordered_before_a_slow_one_at_the_same_chance() -> None:
    def weight(hours: float | None) -> float:
        history = MakerHistory(decided=4, answered=4, interested=2, median_answer_hours=hours)
        return reciprocity(MakerTerms(), history, BriefTerms(), now=NOW, prior=PRIOR).weight

    assert weight(24) == weight(None) > weight(96) > weight(200) == weight(400)


def record(maker: str, days_ago: float, status: str, **kw: object) -> BriefRecord:
    sent = NOW - timedelta(days=days_ago)
    answered = sent + timedelta(hours=30) if status in ("interested", "declined") else None
    return BriefRecord(maker, sent, status, answered_at=answered, **kw)  # type: ignore[arg-type]


def test_histories_count_the_week_the_answers_and_the_declines_that_teach() -> None:
    records = [
        record("a", 20, "interested"),
        record("a", 10, "declined", decline_reason="fully_booked"),
        record("a", 6, "interested"),
        record("a", 5, "unanswered"),
        record("a", 2, "brief_sent"),
        record("a", 1, "requested"),
        record("b", 3, "declined", decline_reason="other"),
        record("c", -1, "interested"),  # after now: not seen
    ]
    found = histories(records, now=NOW, caps={"a": 2, "d": 5})
    a = found["a"]
    counts = (a.decided, a.answered, a.interested, a.explained, a.this_week, a.jobs_taken)
    assert counts == (4, 3, 2, 1, 4, 2) and a.cap == 2
    assert a.median_answer_hours == pytest.approx(30)
    assert [d.kind for d in a.declines] == [DeclineKind.FULLY_BOOKED]
    assert found["b"].declines == () and found["b"].cap == 3
    assert "c" not in found and found["d"] == MakerHistory(cap=5)
    rates = hub_prior(found)
    assert 0 < rates.answer < 1 and 0 < rates.yes < 1


def test_market_signals_give_unknown_makers_the_default_cap() -> None:
    signals = market_signals([record("a", 1, "brief_sent")], now=NOW, default_cap=4)
    assert signals.history("new") == MakerHistory(cap=4)
    assert signals.history("a").this_week == 1
