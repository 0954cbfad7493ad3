"""Results the organisers can defend: the aggregation, and hashed snapshots that freeze it.

Method ``weighted-rubric/z-blend`` version 1, for each shortlisted active entry:

1. Judge score: the weighted rubric mean Σ weight·score / Σ weight (on the rubric scale).
   Conflicted judges and missing scores are simply absent, never zero.
2. ``raw_mean``: the mean of its judge scores.
3. ``normalised``: each judge's scores are turned into z-scores over the entries that judge
   scored, z = (x − mean_j) / std_j with the population std (z = 0 when std_j is 0, e.g. a
   judge who scored one entry); the entry's mean z is mapped back onto the rubric scale as
   μ + σ·z̄, where μ and σ are the population mean and std of all judge scores of the contest.
   (This can fall slightly outside the scale; it is not clipped.)
4. ``vote_scaled``: the colleague votes min-max scaled over the shortlist onto the rubric
   scale [low, high], where low/high are the weighted means of the criteria's min/max;
   when every shortlisted entry has the same count, all get the midpoint.
5. ``final`` = jury_weight·normalised + (1 − jury_weight)·vote_scaled; an entry no judge
   scored has no final score and is not ranked.
6. Rank: competition ranking on final rounded to 4 decimals (1, 2, 2, 4).
7. Awards: the tiers, in order, fill award places 1..n (e.g. 최우수 1, 우수 2 → places 1, 2,
   3). An entry of rank r gets the tier of place r, so a tie straddling a tier boundary gives
   every tied entry the higher tier; the places the tie occupies are used up (the next entry
   ranks after them), so only a tie on the very last place adds awards.
Entries judged by fewer than judge_quorum judges are marked ``below_quorum``.
"""

from __future__ import annotations

import hashlib
import json
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlmodel import Session, col, select

from contest.contests.queries import get_contest, late_changes
from contest.core import audit
from contest.core.authz import require_admin
from contest.core.errors import InvalidState, NotFound
from contest.core.models import (
    Contest,
    Entry,
    JudgeScore,
    ResultSnapshot,
    User,
)
from contest.core.timeutil import utcnow
from contest.judging.lifecycle import mark_finalised
from contest.judging.queries import shortlisted_ids
from contest.voting.queries import vote_counts

METHOD = {"name": "weighted-rubric/z-blend", "version": 1}
RANK_DECIMALS = 4


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


def scale(rubric: Sequence[dict[str, Any]]) -> tuple[float, float]:
    total = sum(float(c["weight"]) for c in rubric)
    low = sum(float(c["weight"]) * float(c["min"]) for c in rubric) / total
    high = sum(float(c["weight"]) * float(c["max"]) for c in rubric) / total
    return low, high


def weighted(rubric: Sequence[dict[str, Any]], scores: dict[str, Any]) -> float:
    missing = [c for c in rubric if c["key"] not in scores]
    if missing:  # a criterion added after scores were saved (settings now freeze the rubric)
        raise InvalidState("error.results.missing_criterion", criterion=missing[0]["label"])
    total = sum(float(c["weight"]) for c in rubric)
    return sum(float(c["weight"]) * float(scores[c["key"]]) for c in rubric) / total


def _zscores(by_pair: dict[tuple[int, int], float]) -> dict[tuple[int, int], float]:
    judges = {j for j, _e in by_pair}
    z: dict[tuple[int, int], float] = {}
    for judge in judges:
        mine = {pair: x for pair, x in by_pair.items() if pair[0] == judge}
        mean, std = statistics.fmean(mine.values()), statistics.pstdev(mine.values())
        z.update({pair: (x - mean) / std if std > 0 else 0.0 for pair, x in mine.items()})
    return z


def award_places(tiers: Sequence[dict[str, Any]]) -> list[str]:
    return [str(t["name"]) for t in tiers for _ in range(int(t["count"]))]


def compute(inputs: Inputs) -> list[ResultRow]:
    """The result table, best first; unranked entries (no judge scores) last."""
    low, high = scale(inputs.rubric)
    shortlisted = {e["entry_id"] for e in inputs.entries}
    by_pair = {
        (s["judge_id"], s["entry_id"]): weighted(inputs.rubric, s["scores"])
        for s in inputs.scores
        if s["entry_id"] in shortlisted
    }
    z = _zscores(by_pair)
    mu = statistics.fmean(by_pair.values()) if by_pair else 0.0
    sigma = statistics.pstdev(by_pair.values()) if by_pair else 0.0
    counts = {v["entry_id"]: v["count"] for v in inputs.votes}
    votes = {e: counts.get(e, 0) for e in shortlisted}
    vmin, vmax = min(votes.values(), default=0), max(votes.values(), default=0)
    w = inputs.jury_weight
    rows: list[dict[str, Any]] = []
    for entry in sorted(inputs.entries, key=lambda e: e["number"]):
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
                "below_quorum": n < inputs.judge_quorum,
            }
        )
    keys = {r["entry_id"]: round(r["final"], RANK_DECIMALS) for r in rows if r["final"] is not None}
    places = award_places(inputs.award_tiers)
    for row in rows:
        key = keys.get(row["entry_id"])
        row["rank"] = None if key is None else 1 + sum(1 for k in keys.values() if k > key)
        rank = row["rank"]
        row["award"] = places[rank - 1] if rank is not None and rank <= len(places) else None
    rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["number"]))
    return [ResultRow(**r) for r in rows]


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def gather(session: Session, contest: Contest) -> Inputs:
    """The current inputs: active shortlisted entries, their non-conflict scores and votes."""
    ids = shortlisted_ids(session, contest.id or 0)
    entries = session.exec(select(Entry).where(col(Entry.id).in_(ids))).all()
    scores = session.exec(
        select(JudgeScore).where(
            col(JudgeScore.entry_id).in_(ids), col(JudgeScore.conflict).is_(False)
        )
    ).all()
    counts = vote_counts(session, contest_id=contest.id or 0)
    return Inputs(
        rubric=[dict(c) for c in contest.rubric],
        jury_weight=float(contest.jury_weight),
        judge_quorum=int(contest.judge_quorum),
        award_tiers=[dict(t) for t in contest.award_tiers],
        entries=sorted(
            ({"entry_id": e.id, "number": e.number, "title": e.title} for e in entries),
            key=lambda e: e["number"],
        ),
        scores=sorted(
            (
                {"judge_id": s.judge_id, "entry_id": s.entry_id, "scores": dict(s.scores)}
                for s in scores
                if s.scores
            ),
            key=lambda s: (s["entry_id"], s["judge_id"]),
        ),
        votes=[{"entry_id": e, "count": counts.get(e, 0)} for e in sorted(ids)],
    )


def compute_results(session: Session, *, actor: User | None, contest_id: int) -> list[ResultRow]:
    """The live table for admins (before and after finalising)."""
    require_admin(actor)
    return compute(gather(session, get_contest(session, contest_id)))


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(payload: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(payload).encode("utf-8")).hexdigest()


def finalise(
    session: Session, *, actor: User | None, contest_id: int, reason: str = ""
) -> ResultSnapshot:
    """Freeze the results in a new snapshot; earlier snapshots are kept."""
    admin = require_admin(actor)
    contest = mark_finalised(session, admin=admin, contest_id=contest_id, reason=reason)
    inputs = gather(session, contest)
    payload = {
        "method": METHOD,
        "contest": {"id": contest.id, "slug": contest.slug, "name": contest.name},
        "finalised_at": utcnow().isoformat(),
        "finalised_by": admin.id,
        "reason": reason.strip(),
        "late_changes": late_changes(session, contest_id),
        "inputs": asdict(inputs),
        "table": [asdict(row) for row in compute(inputs)],
    }
    snapshot = ResultSnapshot(
        contest_id=contest_id,
        created_by=admin.id,
        content_hash=content_hash(payload),
        payload=payload,
    )
    session.add(snapshot)
    session.flush()
    audit.record(
        session,
        actor=admin,
        action="results.snapshot",
        contest_id=contest_id,
        target_type="snapshot",
        target_id=snapshot.id,
        reason=reason.strip(),
        details={"content_hash": snapshot.content_hash},
    )
    return snapshot


def verify_snapshot(session: Session, *, actor: User | None, snapshot_id: int) -> bool:
    """True when the stored payload still has its hash and its table follows from its inputs."""
    require_admin(actor)
    snapshot = session.get(ResultSnapshot, snapshot_id)
    if snapshot is None:
        raise NotFound(what=f"snapshot {snapshot_id}")
    payload = snapshot.payload
    if content_hash(payload) != snapshot.content_hash:
        return False
    table = [asdict(row) for row in compute(Inputs(**payload["inputs"]))]
    return canonical(table) == canonical(payload["table"])


def list_snapshots(
    session: Session, *, actor: User | None, contest_id: int
) -> Sequence[ResultSnapshot]:
    require_admin(actor)
    return session.exec(
        select(ResultSnapshot)
        .where(ResultSnapshot.contest_id == contest_id)
        .order_by(col(ResultSnapshot.id).desc())
    ).all()


def latest_snapshot(session: Session, contest_id: int) -> ResultSnapshot | None:
    return session.exec(
        select(ResultSnapshot)
        .where(ResultSnapshot.contest_id == contest_id)
        .order_by(col(ResultSnapshot.id).desc())
    ).first()
