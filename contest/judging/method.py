"""The results method, ``weighted-rubric/z-blend`` version 2: how a shortlist's judge scores and
colleague votes become final scores, ranks and awards. A record stores the method it was made
with; version 1 (judging/method_v1.py) is kept to verify older records.

For each shortlisted active poster:

1. Judge score: the weighted rubric mean Σ weight·score / Σ weight (on the rubric scale).
   Conflicted judges and missing scores are simply absent, never zero.
2. ``raw_mean``: the mean of its judge scores.
3. ``normalised`` (the jury score): each judge's scores become z-scores over the posters that
   judge scored, z = (x − mean_j) / std_j (population std; z = 0 when std_j is 0); the
   poster's mean z is mapped back onto the rubric scale as μ + σ·z̄, where μ and σ are the mean
   and population std of all judge scores of the contest (judging/jury.py). It can fall
   slightly outside the scale; it is not clipped.
4. ``vote_scaled`` (the vote score): low + (high − low) · votes / reference, reference = the
   most votes on the shortlist, at least the floor that keeps one vote worth less than one jury
   point (contests/vote_points.py, with the proof of the bound).
5. ``final`` = w · normalised + (1 − w) · vote_scaled, w the jury weight: the jury part and the
   vote part the results page shows. A poster no judge scored has no final score and no rank.
6. Ranks and awards by final score (to 4 decimals), ties decided by the contest's tie-break
   order, then the admin's recorded decision; shared awards only where the contest allows them
   (judging/ties.py).
Posters judged by fewer than judge_quorum judges are marked ``below_quorum``.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from contest.contests.vote_points import scale, vote_floor, vote_reference, vote_score
from contest.judging.jury import jury
from contest.judging.ties import RANK_DECIMALS, place

METHOD = {"name": "weighted-rubric/z-blend", "version": 2}


@dataclass(frozen=True)
class Inputs:
    """Everything the table is computed from; stored verbatim in a snapshot."""

    rubric: list[dict[str, Any]]
    jury_weight: float
    judge_quorum: int
    award_tiers: list[dict[str, Any]]
    entries: list[dict[str, Any]]  # {entry_id, number, title}
    scores: list[dict[str, Any]]  # {judge_id, entry_id, scores: {criterion: int}}
    votes: list[dict[str, int]]  # {entry_id, count}
    tie_break: list[str] = field(default_factory=lambda: ["jury", "votes"])
    shared_awards: bool = False
    decisions: list[dict[str, Any]] = field(default_factory=list)  # {order: [ids], reason}


@dataclass(frozen=True)
class ResultRow:
    entry_id: int
    number: int
    title: str
    judges: int
    judge_scores: list[list[float]]  # [judge_id, weighted score]
    raw_mean: float | None
    normalised: float | None
    votes: int
    vote_scaled: float
    final: float | None
    rank: int | None
    award: str | None
    below_quorum: bool
    tie: str | None  # how its place among equal final scores was settled (judging/ties.py)


def compute(inputs: Inputs) -> list[ResultRow]:
    """The result table, best first; unranked posters (no judge scores) last."""
    shortlisted = {e["entry_id"] for e in inputs.entries}
    table = jury(inputs.rubric, inputs.scores, shortlisted)
    counts = {v["entry_id"]: v["count"] for v in inputs.votes}
    votes = {e: counts.get(e, 0) for e in shortlisted}
    w = inputs.jury_weight
    reference = vote_reference(max(votes.values(), default=0), w, inputs.rubric)
    rows: list[dict[str, Any]] = []
    for entry in sorted(inputs.entries, key=lambda e: e["number"]):
        eid = entry["entry_id"]
        mine = table.of(eid)
        norm = table.normalised(eid)
        v_scaled = vote_score(votes[eid], reference, inputs.rubric)
        final = w * norm + (1 - w) * v_scaled if norm is not None else None
        rows.append(
            {
                "entry_id": eid,
                "number": entry["number"],
                "title": entry["title"],
                "judges": len(mine),
                "judge_scores": [[j, round(x, 6)] for j, x in mine],
                "raw_mean": _r(statistics.fmean(x for _j, x in mine) if mine else None),
                "normalised": _r(norm),
                "votes": votes[eid],
                "vote_scaled": round(v_scaled, 6),
                "final": _r(final),
                "below_quorum": len(mine) < inputs.judge_quorum,
            }
        )
    place(
        rows,
        order=inputs.tie_break,
        tiers=inputs.award_tiers,
        shared=inputs.shared_awards,
        decisions=inputs.decisions,
    )
    rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["number"]))
    return [ResultRow(**r) for r in rows]


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def parts(row: dict[str, Any], jury_weight: float) -> tuple[float | None, float]:
    """How a row's final score was made: (jury part, vote part), final = their sum."""
    jury_part = None if row["normalised"] is None else jury_weight * row["normalised"]
    return jury_part, (1 - jury_weight) * row["vote_scaled"]


@dataclass(frozen=True)
class TiedPoster:
    entry_id: int
    number: int
    title: str
    rank: int
    award: str | None
    tie: str


@dataclass(frozen=True)
class Tie:
    """Posters with the same final score where an award is at stake, in their settled order."""

    final: float
    posters: tuple[TiedPoster, ...]

    @property
    def tier(self) -> str | None:
        """The award at stake: the one of the best place the tie takes."""
        return self.posters[0].award

    @property
    def open(self) -> tuple[tuple[TiedPoster, ...], ...]:
        """The groups whose order nothing decided yet: the admin decides each when finalising."""
        undecided = [p for p in self.posters if p.tie == "open"]
        return tuple(tuple(g) for _r, g in groupby(undecided, key=lambda p: p.rank))


def ties(rows: Sequence[ResultRow]) -> tuple[Tie, ...]:
    """The ties on the final score in which at least one poster gets an award."""
    ranked = [row for row in rows if row.final is not None and row.rank is not None]
    found = []
    for final, group in groupby(ranked, key=lambda r: round(r.final or 0.0, RANK_DECIMALS)):
        members = list(group)
        if len(members) > 1 and any(row.award for row in members):
            found.append(
                Tie(
                    final,
                    tuple(
                        TiedPoster(r.entry_id, r.number, r.title, r.rank or 0, r.award, r.tie or "")
                        for r in members
                    ),
                )
            )
    return tuple(found)


@dataclass(frozen=True)
class Explanation:
    """How the final scores of one table were made, read from that table's own inputs."""

    version: int
    jury_weight: float
    low: float
    high: float
    top_votes: int  # the most votes on its shortlist
    least_votes: int  # the fewest (version 1 stretched the range between them)
    floor: int  # version 2: the fewest votes the reference may be
    reference: int  # version 2: the votes that earn the whole scale

    @property
    def jury_percent(self) -> int:
        return round(self.jury_weight * 100)

    @property
    def vote_worth(self) -> float:
        """Final points one vote is worth (version 1: for the smallest gap, at most)."""
        spread = self.reference if self.version >= 2 else self.top_votes - self.least_votes
        return (1 - self.jury_weight) * (self.high - self.low) / spread if spread > 0 else 0.0


def explain(method: dict[str, Any], inputs: dict[str, Any]) -> Explanation:
    """The explanation of a record (or of the live table) from its method and inputs."""
    shortlisted = {e["entry_id"] for e in inputs["entries"]}
    counts = [v["count"] for v in inputs["votes"] if v["entry_id"] in shortlisted]
    low, high = scale(inputs["rubric"])
    weight, top = float(inputs["jury_weight"]), max(counts, default=0)
    return Explanation(
        version=int(method["version"]),
        jury_weight=weight,
        low=low,
        high=high,
        top_votes=top,
        least_votes=min(counts, default=0),
        floor=vote_floor(weight, inputs["rubric"]),
        reference=vote_reference(top, weight, inputs["rubric"]),
    )
