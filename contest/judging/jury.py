"""The jury side of a result: each judge's weighted rubric score, and the same scores corrected
for how harsh or generous each judge is (z-scores mapped back onto the contest's scale).

Shared by every version of the results method and by the exports (raw and corrected score of
each judge for each poster), so the numbers an office hands on are the ones that were ranked.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from contest.core.errors import InvalidState

Pair = tuple[int, int]  # (judge id, entry id)


def weighted(rubric: Sequence[dict[str, Any]], scores: dict[str, Any]) -> float:
    """One judge's score for one poster: Σ weight·score / Σ weight (on the rubric scale)."""
    missing = [c for c in rubric if c["key"] not in scores]
    if missing:  # a criterion added after scores were saved (settings now freeze the rubric)
        raise InvalidState("error.results.missing_criterion", criterion=missing[0]["label"])
    total = sum(float(c["weight"]) for c in rubric)
    return sum(float(c["weight"]) * float(scores[c["key"]]) for c in rubric) / total


def zscores(by_pair: dict[Pair, float]) -> dict[Pair, float]:
    """Each judge's scores as z = (x − mean_j) / std_j over the posters that judge scored
    (population std; z = 0 when std_j is 0, e.g. a judge who scored one poster)."""
    judges = {j for j, _e in by_pair}
    z: dict[Pair, float] = {}
    for judge in judges:
        mine = {pair: x for pair, x in by_pair.items() if pair[0] == judge}
        mean, std = statistics.fmean(mine.values()), statistics.pstdev(mine.values())
        z.update({pair: (x - mean) / std if std > 0 else 0.0 for pair, x in mine.items()})
    return z


@dataclass(frozen=True)
class Jury:
    """Every usable judge score of a shortlist, raw and corrected."""

    raw: dict[Pair, float]  # weighted rubric score per (judge, entry)
    z: dict[Pair, float]
    mu: float  # mean of all raw scores of the contest
    sigma: float  # their population std

    def of(self, entry_id: int) -> list[tuple[int, float]]:
        """(judge id, raw score) for one poster, by judge id."""
        return sorted((j, x) for (j, e), x in self.raw.items() if e == entry_id)

    def corrected(self, pair: Pair) -> float:
        """One judge's score for one poster after the correction: μ + σ·z."""
        return self.mu + self.sigma * self.z[pair]

    def normalised(self, entry_id: int) -> float | None:
        """The poster's jury score: μ + σ·(mean z of its judges); None when nobody scored it."""
        mine = [self.z[(j, entry_id)] for j, _x in self.of(entry_id)]
        return self.mu + self.sigma * statistics.fmean(mine) if mine else None


def jury(
    rubric: Sequence[dict[str, Any]], scores: Iterable[dict[str, Any]], entry_ids: set[int]
) -> Jury:
    """The jury table of ``scores`` ({judge_id, entry_id, scores}) for the posters in
    ``entry_ids``; scores of other posters are left out."""
    raw = {
        (s["judge_id"], s["entry_id"]): weighted(rubric, s["scores"])
        for s in scores
        if s["entry_id"] in entry_ids
    }
    return Jury(
        raw=raw,
        z=zscores(raw),
        mu=statistics.fmean(raw.values()) if raw else 0.0,
        sigma=statistics.pstdev(raw.values()) if raw else 0.0,
    )
