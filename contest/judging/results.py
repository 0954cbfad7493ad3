"""Results the organisers can defend: the live table, and hashed snapshots that freeze it.

The calculation is judging/method.py (``weighted-rubric/z-blend``, the version stored in each
record); a record made with an earlier version is recomputed with that version when verified
(judging/method_v1.py). Finalising asks the admin to decide the ties that the contest's
tie-break order cannot (judging/ties.py), records the decision and its reason in the snapshot
and the audit log, and brings the certificate ledger in line (judging/ledger.py).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, replace
from typing import Any

from sqlmodel import Session, col, select

from contest.contests.queries import get_contest, late_changes
from contest.contests.rules import tie_break
from contest.core import audit
from contest.core.authz import require_admin
from contest.core.errors import InvalidInput, InvalidState, NotFound
from contest.core.i18n import phrase
from contest.core.models import (
    Contest,
    ContestPhase,
    Entry,
    JudgeScore,
    ResultSnapshot,
    User,
)
from contest.core.timeutil import utcnow
from contest.judging.ledger import issue_numbers
from contest.judging.lifecycle import finalisable, mark_finalised
from contest.judging.method import METHOD, Inputs, ResultRow, compute, ties
from contest.judging.method_v1 import compute_v1
from contest.judging.queries import shortlisted_ids
from contest.voting.queries import vote_counts

# Every method version a record may name, and how to recompute its table from its inputs.
METHODS: dict[int, Callable[[dict[str, Any]], list[dict[str, Any]]]] = {
    1: compute_v1,
    2: lambda inputs: [asdict(row) for row in compute(Inputs(**inputs))],
}


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
        tie_break=list(tie_break(contest)),
        shared_awards=bool(contest.shared_awards),
    )


def compute_results(session: Session, *, actor: User | None, contest_id: int) -> list[ResultRow]:
    """The live table for admins (before and after finalising)."""
    require_admin(actor)
    return compute(gather(session, get_contest(session, contest_id)))


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(payload: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(payload).encode("utf-8")).hexdigest()


def _decisions(
    rows: Sequence[ResultRow], orders: Sequence[Sequence[int]], reason: str
) -> list[dict[str, Any]]:
    """The admin's orders for the ties nothing else decides, checked: each names exactly one
    such group, every such group has one, and a reason is given."""
    groups = [group for tie in ties(rows) for group in tie.open]
    wanted = {frozenset(p.entry_id for p in group): group for group in groups}
    given = [[int(e) for e in order] for order in orders]
    if any(frozenset(o) not in wanted or len(set(o)) != len(o) for o in given):
        raise InvalidState("error.results.tie_changed")
    for ids, group in wanted.items():
        if ids not in {frozenset(o) for o in given}:
            raise InvalidInput(
                "error.results.tie_open",
                tier=group[0].award or "",
                posters=", ".join(str(p.number) for p in group),
            )
    if given and not reason.strip():
        raise InvalidInput("error.results.tie_reason")
    return [{"order": order, "reason": reason.strip()} for order in given]


def finalise(
    session: Session,
    *,
    actor: User | None,
    contest_id: int,
    reason: str = "",
    decisions: Sequence[Sequence[int]] = (),
    decision_reason: str = "",
) -> ResultSnapshot:
    """Freeze the results in a new snapshot; earlier snapshots are kept. ``decisions`` orders
    the tied posters that the tie-break order cannot separate (best first), for the reason
    ``decision_reason``; they are recorded in the snapshot's inputs and the audit log."""
    admin = require_admin(actor)
    contest = finalisable(session, contest_id=contest_id, reason=reason)
    undecided = gather(session, contest)
    chosen = _decisions(compute(undecided), decisions, decision_reason)
    mark_finalised(session, admin=admin, contest=contest, reason=reason)
    inputs = replace(undecided, decisions=chosen)
    table = compute(inputs)
    payload = {
        "method": METHOD,
        "contest": {"id": contest.id, "slug": contest.slug, "name": contest.name},
        "finalised_at": utcnow().isoformat(),
        "finalised_by": admin.id,
        "reason": reason.strip(),
        "late_changes": late_changes(session, contest_id),
        "inputs": asdict(inputs),
        "table": [asdict(row) for row in table],
    }
    snapshot = ResultSnapshot(
        contest_id=contest_id,
        created_by=admin.id,
        content_hash=content_hash(payload),
        payload=payload,
    )
    session.add(snapshot)
    session.flush()
    numbers = {row.entry_id: row for row in table}
    for decision in chosen:
        first = numbers[decision["order"][0]]
        audit.record(
            session,
            actor=admin,
            action="results.tie_decision",
            contest_id=contest_id,
            target_type="snapshot",
            target_id=snapshot.id,
            reason=decision["reason"],
            details={
                "award": first.award,
                "order": [numbers[e].number for e in decision["order"]],
            },
        )
    audit.record(
        session,
        actor=admin,
        action="results.snapshot",
        contest_id=contest_id,
        target_type="snapshot",
        target_id=snapshot.id,
        reason=reason.strip(),
        details={"content_hash": snapshot.content_hash, "method": METHOD["version"]},
    )
    issue_numbers(session, contest=contest, snapshot=snapshot, note=reason)
    return snapshot


def recompute(payload: dict[str, Any]) -> list[dict[str, Any]] | None:
    """A record's table recomputed from its inputs with the method it names (None: unknown)."""
    method = METHODS.get(int(payload.get("method", {}).get("version", 0)))
    return None if method is None else method(payload["inputs"])


def verify_snapshot(session: Session, *, actor: User | None, snapshot_id: int) -> bool:
    """True when the stored payload still has its hash and its table follows from its inputs
    by the method it was made with."""
    require_admin(actor)
    snapshot = session.get(ResultSnapshot, snapshot_id)
    if snapshot is None:
        raise NotFound(what=phrase("thing.snapshot"))
    payload = snapshot.payload
    if content_hash(payload) != snapshot.content_hash:
        return False
    table = recompute(payload)
    return table is not None and canonical(table) == canonical(payload["table"])


def shown_record(session: Session, contest: Contest) -> ResultSnapshot | None:
    """The record the organisers' tables, exports and certificates show: the published one,
    else the latest once finalised; None before finalising (they show the live table)."""
    if contest.published_snapshot_id is not None:
        return session.get(ResultSnapshot, contest.published_snapshot_id)
    if contest.phase != ContestPhase.FINALISED:
        return None
    return latest_snapshot(session, contest.id or 0)


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
