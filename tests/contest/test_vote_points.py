"""The vote conversion is bounded: one vote is worth less in the final score than one jury
point, at every jury weight and scale, so a 1-vote difference never outweighs a 1-point jury
lead. The case the issue reported, before (method 1) and after (method 2)."""

from __future__ import annotations

import itertools
import random
from dataclasses import asdict
from fractions import Fraction
from typing import Any

import pytest

from contest.contests.settings import DEFAULT_AWARDS, DEFAULT_RUBRIC
from contest.contests.vote_points import vote_floor, vote_reference, vote_score, vote_worth
from contest.judging.method import Inputs, ResultRow, compute
from contest.judging.method_v1 import compute_v1

RUBRIC = [dict(c) for c in DEFAULT_RUBRIC]  # weights 30/30/20/20, each 1..10
NINE = {"creativity": 9, "policy": 9, "design": 9, "ai_use": 9}  # weighted 9.0
# (30·8 + 30·8 + 20·7 + 20·7) / 100 = (240 + 240 + 140 + 140) / 100 = 7.6
SEVEN_SIX = {"creativity": 8, "policy": 8, "design": 7, "ai_use": 7}


def reported_case() -> Inputs:
    """One judge scored poster 1 at 9.0 and poster 2 at 7.6; poster 1 has 1 vote, 2 has 2."""
    return Inputs(
        rubric=RUBRIC,
        jury_weight=0.8,
        judge_quorum=1,
        award_tiers=[dict(a) for a in DEFAULT_AWARDS],
        entries=[{"entry_id": n, "number": n, "title": f"포스터 {n}"} for n in (1, 2)],
        scores=[
            {"judge_id": 1, "entry_id": 1, "scores": NINE},
            {"judge_id": 1, "entry_id": 2, "scores": SEVEN_SIX},
        ],
        votes=[{"entry_id": 1, "count": 1}, {"entry_id": 2, "count": 2}],
    )


def test_the_reported_case_before_and_after() -> None:
    # Method 1: votes min-max over the shortlist: 1 vote → 1, 2 votes → 10.
    #   poster 1: 0.8·9.0 + 0.2·1 = 7.4;  poster 2: 0.8·7.6 + 0.2·10 = 8.08 → poster 2 wins.
    before = compute_v1(asdict(reported_case()))
    assert [(r["number"], r["final"], r["rank"], r["award"]) for r in before] == [
        (2, 8.08, 1, "최우수"),
        (1, 7.4, 2, "우수"),
    ]
    # Method 2: the reference is max(2 votes, floor 3) = 3 → 1 vote = 1 + 9·1/3 = 4,
    # 2 votes = 1 + 9·2/3 = 7.  poster 1: 7.2 + 0.8 = 8.0;  poster 2: 6.08 + 1.4 = 7.48.
    after = compute(reported_case())
    assert [(r.number, r.vote_scaled, r.final, r.rank, r.award) for r in after] == [
        (1, 4.0, 8.0, 1, "최우수"),
        (2, 7.0, 7.48, 2, "우수"),
    ]


def test_the_floor_at_eighty_twenty_is_three_votes() -> None:
    # r = (1 − 0.8)·(10 − 1) / 0.8 = 2.25 → floor 3; one vote = 0.2·9/3 = 0.6 < 0.8.
    assert vote_floor(0.8, RUBRIC) == 3
    assert vote_worth(0.8, RUBRIC, top=0) == pytest.approx(0.6)
    assert vote_worth(0.8, RUBRIC, top=12) == pytest.approx(0.2 * 9 / 12)
    assert vote_reference(2, 0.8, RUBRIC) == 3 and vote_reference(12, 0.8, RUBRIC) == 12
    assert vote_score(0, 12, RUBRIC) == 1 and vote_score(12, 12, RUBRIC) == 10
    # Votes alone (w = 0): no bound is possible, the most-voted poster gets the whole scale.
    assert vote_floor(0.0, RUBRIC) == 1


def _rubric(low: int, high: int, weights: tuple[int, ...]) -> list[dict[str, Any]]:
    return [
        {"key": f"c{n}", "label": f"c{n}", "weight": w, "min": low, "max": high}
        for n, w in enumerate(weights)
    ]


SCALES = [(1, 10), (0, 100), (1, 5), (0, 10), (1, 7), (0, 1)]


@pytest.mark.parametrize(("low", "high"), SCALES)
def test_one_vote_is_worth_less_than_one_jury_point_at_every_weight(low: int, high: int) -> None:
    rubric = _rubric(low, high, (3, 3, 2, 2))
    span = Fraction(high - low)
    for twentieths in range(1, 21):
        w = Fraction(twentieths, 20)
        floor = vote_floor(float(w), rubric)
        # Exactly: (1 − w)·span / floor < w, and the floor is the smallest count that holds.
        assert (1 - w) * span / floor < w
        assert floor == 1 or (1 - w) * span / (floor - 1) >= w
        assert vote_worth(float(w), rubric, top=0) < float(w)


def _random_case(rng: random.Random, weight: float) -> Inputs:
    low, high = rng.choice(SCALES)
    rubric = _rubric(low, high, tuple(rng.randint(1, 5) for _ in range(rng.randint(1, 4))))
    posters = rng.randint(2, 10)
    most = rng.choice((1, 2, 3, 5, 40))
    judges = rng.randint(1, 3)
    return Inputs(
        rubric=rubric,
        jury_weight=weight,
        judge_quorum=1,
        award_tiers=[dict(a) for a in DEFAULT_AWARDS],
        entries=[{"entry_id": n, "number": n, "title": f"P{n}"} for n in range(1, posters + 1)],
        scores=[
            {
                "judge_id": j,
                "entry_id": n,
                "scores": {c["key"]: rng.randint(low, high) for c in rubric},
            }
            for j, n in itertools.product(range(1, judges + 1), range(1, posters + 1))
        ],
        votes=[{"entry_id": n, "count": rng.randint(0, most)} for n in range(1, posters + 1)],
    )


def _pairs(rows: list[ResultRow]) -> list[tuple[ResultRow, ResultRow]]:
    """(a, b): a leads b by at least one jury point, b has at most one vote more."""
    return [
        (a, b)
        for a, b in itertools.permutations(rows, 2)
        if a.normalised is not None
        and b.normalised is not None
        and a.normalised >= b.normalised + 1
        and b.votes - a.votes <= 1
    ]


@pytest.mark.parametrize("weight", [0.8, *(k / 20 for k in range(1, 21))])
def test_a_one_vote_gap_never_outweighs_a_one_point_jury_lead(weight: float) -> None:
    """Property over random shortlists (scales, rubrics, 1-3 judges, few or many votes)."""
    rng = random.Random(f"issue-19-{weight}")
    checked = 0
    for _ in range(60):
        case = _random_case(rng, weight)
        # The least a one-point lead keeps: one jury point minus the most one vote is worth.
        margin = weight - vote_worth(weight, case.rubric, top=0)
        for a, b in _pairs(compute(case)):
            assert a.final is not None and b.final is not None
            assert a.final - b.final >= margin - 1e-6 > 0, (a, b)
            assert a.rank is not None and b.rank is not None and a.rank < b.rank
            checked += 1
    assert checked > 100  # the property was tried on many pairs
