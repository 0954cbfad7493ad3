"""Method ``weighted-rubric/z-blend`` version 1, kept only so that a record finalised with it
can still be recomputed and verified (``results.verify_snapshot``). New records use version 2
(judging/method.py).

Version 1 differed in two places: the votes were min-max scaled over the shortlist onto the
rubric scale (a 1-vote gap could be worth the whole scale), and every tie on the final score
shared its rank and the higher award (a tie at the top doubled 최우수).
"""

from __future__ import annotations

import statistics
from typing import Any

from contest.contests.vote_points import scale
from contest.judging.jury import weighted, zscores
from contest.judging.ties import award_places

RANK_DECIMALS = 4


def compute_v1(inputs: dict[str, Any]) -> list[dict[str, Any]]:
    """The result table of version 1 from a record's stored inputs, as it was stored."""
    low, high = scale(inputs["rubric"])
    shortlisted = {e["entry_id"] for e in inputs["entries"]}
    by_pair = {
        (s["judge_id"], s["entry_id"]): weighted(inputs["rubric"], s["scores"])
        for s in inputs["scores"]
        if s["entry_id"] in shortlisted
    }
    z = zscores(by_pair)
    mu = statistics.fmean(by_pair.values()) if by_pair else 0.0
    sigma = statistics.pstdev(by_pair.values()) if by_pair else 0.0
    counts = {v["entry_id"]: v["count"] for v in inputs["votes"]}
    votes = {e: counts.get(e, 0) for e in shortlisted}
    vmin, vmax = min(votes.values(), default=0), max(votes.values(), default=0)
    w = inputs["jury_weight"]
    rows: list[dict[str, Any]] = []
    for entry in sorted(inputs["entries"], key=lambda e: e["number"]):
        eid = entry["entry_id"]
        mine = sorted((j, x) for (j, e), x in by_pair.items() if e == eid)
        n = len(mine)
        raw = statistics.fmean(x for _j, x in mine) if n else None
        norm = mu + sigma * statistics.fmean(z[(j, eid)] for j, _x in mine) if n else None
        v = votes[eid]
        v_scaled = (
            low + (v - vmin) / (vmax - vmin) * (high - low) if vmax > vmin else ((low + high) / 2)
        )
        final = w * norm + (1 - w) * v_scaled if norm is not None else None
        rows.append(
            {
                "entry_id": eid,
                "number": entry["number"],
                "title": entry["title"],
                "judges": n,
                "judge_scores": [[j, round(x, 6)] for j, x in mine],
                "raw_mean": _r(raw),
                "normalised": _r(norm),
                "votes": v,
                "vote_scaled": round(v_scaled, 6),
                "final": _r(final),
                "below_quorum": n < inputs["judge_quorum"],
            }
        )
    keys = {r["entry_id"]: round(r["final"], RANK_DECIMALS) for r in rows if r["final"] is not None}
    places = award_places(inputs["award_tiers"])
    for row in rows:
        key = keys.get(row["entry_id"])
        row["rank"] = None if key is None else 1 + sum(1 for k in keys.values() if k > key)
        rank = row["rank"]
        row["award"] = places[rank - 1] if rank is not None and rank <= len(places) else None
    rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["number"]))
    return rows


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 6)
