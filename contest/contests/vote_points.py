"""Colleague votes as points on the jury's scale: one bounded rule, so that the weights the
screens state ("심사 80% + 투표 20%") are the weights that hold.

A poster's vote score is proportional to its votes:

    vote score = low + (high − low) · votes / reference,   reference = max(top, floor)

where low and high are the rubric's scale (1 and 10 by default), top is the most votes any
shortlisted poster has, and floor is the fewest votes the reference may be:

    floor = ⌊(1 − w) · (high − low) / w⌋ + 1     for a jury weight w > 0   (3 at 80/20 on 1-10)
    floor = 1                                     for w = 0 (the vote alone decides)

So the most-voted poster gets the whole scale once it has at least ``floor`` votes, a poster
without votes gets ``low``, and every vote is worth the same: (high − low) / reference points of
vote score, (1 − w) · (high − low) / reference points of the final score.

The bound. One vote moves the final score by at most (1 − w)(high − low) / floor. With
r = (1 − w)(high − low) / w, floor = ⌊r⌋ + 1 > r, hence (1 − w)(high − low) / floor < w: one vote
is worth less in the final score than one point of jury score is (w · 1). So a poster that
leads by one jury point is never overtaken by a poster that has one vote more (nor k jury points
by k votes). At 80/20 on 1-10: r = 2.25, floor = 3, one vote is worth at most 0.2 · 9 / 3 = 0.6
final points, a jury point 0.8. The computation uses exact fractions, so no rounding can push a
weight onto the wrong side of the bound.

The earlier rule (method version 1: min-max over the shortlist) stretched the smallest vote gap
onto the whole scale: a 1-vote gap could be worth 1.8 final points at 80/20.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

PRECISION = 10**6  # weights and scales are read as fractions with this denominator at most


def scale(rubric: Sequence[dict[str, Any]]) -> tuple[float, float]:
    """The rubric's scale: the weighted means of the criteria's lowest and highest scores."""
    total = sum(float(c["weight"]) for c in rubric)
    low = sum(float(c["weight"]) * float(c["min"]) for c in rubric) / total
    high = sum(float(c["weight"]) * float(c["max"]) for c in rubric) / total
    return low, high


def _exact(value: float) -> Fraction:
    return Fraction(value).limit_denominator(PRECISION)


def vote_floor(jury_weight: float, rubric: Sequence[dict[str, Any]]) -> int:
    """The fewest votes the reference may be, so one vote is worth less than a jury point."""
    weight = _exact(jury_weight)
    if weight <= 0:
        return 1
    low, high = scale(rubric)
    return int((1 - weight) * (_exact(high) - _exact(low)) / weight) + 1


def vote_reference(top: int, jury_weight: float, rubric: Sequence[dict[str, Any]]) -> int:
    """The number of votes that earns the whole scale: the top count, at least the floor."""
    return max(top, vote_floor(jury_weight, rubric))


def vote_score(votes: int, reference: int, rubric: Sequence[dict[str, Any]]) -> float:
    """A poster's votes on the jury's scale (``votes`` never exceeds ``reference``)."""
    low, high = scale(rubric)
    return low + (high - low) * votes / reference


def vote_worth(jury_weight: float, rubric: Sequence[dict[str, Any]], top: int) -> float:
    """How many final points one vote is worth when the most-voted poster has ``top``."""
    low, high = scale(rubric)
    return (1 - jury_weight) * (high - low) / vote_reference(top, jury_weight, rubric)
