"""Aggregation with hand-computed expectations, award ties, quorum, snapshots and their hash."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from sqlmodel import select

from contest.contests.phases import results_published
from contest.contests.queries import get_contest
from contest.contests.settings import DEFAULT_AWARDS, DEFAULT_RUBRIC
from contest.contests.vote_points import scale
from contest.core.errors import InvalidInput, InvalidState, PermissionDenied
from contest.core.models import AuditEvent, JudgeScore, ResultSnapshot
from contest.judging import lifecycle, publication, results
from contest.judging import scoring as judging
from contest.judging.jury import weighted
from contest.judging.method import METHOD, Inputs, ResultRow, compute, explain
from contest.runtime import Runtime
from tests.factories import DATA, flat_scores, judging_contest

RUBRIC = [dict(c) for c in DEFAULT_RUBRIC]  # weights 30/30/20/20, each 1..10


def inputs(
    scores: list[tuple[int, int, int]],
    votes: dict[int, int],
    *,
    jury_weight: float = 0.8,
    quorum: int = 1,
    tiers: list[dict[str, Any]] | None = None,
    shared: bool = False,
) -> Inputs:
    return Inputs(
        rubric=RUBRIC,
        jury_weight=jury_weight,
        judge_quorum=quorum,
        award_tiers=tiers if tiers is not None else [dict(a) for a in DEFAULT_AWARDS],
        entries=[{"entry_id": e, "number": e, "title": f"E{e}"} for e in sorted(votes)],
        scores=[{"judge_id": j, "entry_id": e, "scores": flat_scores(x)} for j, e, x in scores],
        votes=[{"entry_id": e, "count": c} for e, c in votes.items()],
        shared_awards=shared,
    )


def by_entry(rows: list[ResultRow]) -> dict[int, ResultRow]:
    return {row.entry_id: row for row in rows}


def test_weighted_rubric_mean() -> None:
    # (30·10 + 30·5 + 20·8 + 20·2) / 100 = (300 + 150 + 160 + 40) / 100 = 6.5
    scores = {"creativity": 10, "policy": 5, "design": 8, "ai_use": 2}
    assert weighted(RUBRIC, scores) == pytest.approx(6.5)
    assert scale(RUBRIC) == (1.0, 10.0)


def test_zscores_undo_a_harsh_and_a_generous_judge() -> None:
    # Harsh judge 1 scores E1 = 2, E2 = 4; generous judge 2 scores E2 = 10, E3 = 8.
    # Raw means: E1 = 2, E2 = (4 + 10) / 2 = 7, E3 = 8 → E3 looks best only because the
    # generous judge alone saw it.
    # Judge 1: mean 3, population std 1 → z(E1) = −1, z(E2) = +1.
    # Judge 2: mean 9, population std 1 → z(E2) = +1, z(E3) = −1.
    # Mean z: E1 = −1, E2 = +1, E3 = −1.
    # All four scores 2, 4, 10, 8: μ = 6, σ = sqrt((16 + 4 + 16 + 4) / 4) = sqrt(10) ≈ 3.162278.
    # Normalised: E1 = E3 = 6 − 3.162278 = 2.837722, E2 = 6 + 3.162278 = 9.162278.
    # Votes E1 = 4, E2 = 2, E3 = 0; the most is 4 (above the floor of 3 at 80/20) → onto 1..10
    # in proportion: 1 + 9·4/4 = 10, 1 + 9·2/4 = 5.5, 1 + 0 = 1.
    # Final (0.8 jury): E1 = 0.8·2.837722 + 0.2·10 = 4.270178
    #                   E2 = 0.8·9.162278 + 0.2·5.5 = 8.429822
    #                   E3 = 0.8·2.837722 + 0.2·1 = 2.470178
    rows = compute(inputs([(1, 1, 2), (1, 2, 4), (2, 2, 10), (2, 3, 8)], {1: 4, 2: 2, 3: 0}))
    row = by_entry(rows)
    assert [row[e].raw_mean for e in (1, 2, 3)] == pytest.approx([2, 7, 8])
    root10 = math.sqrt(10)
    assert [row[e].normalised for e in (1, 2, 3)] == pytest.approx(
        [6 - root10, 6 + root10, 6 - root10], abs=1e-6
    )
    assert [row[e].vote_scaled for e in (1, 2, 3)] == pytest.approx([10, 5.5, 1])
    assert [row[e].final for e in (1, 2, 3)] == pytest.approx(
        [4.270178, 8.429822, 2.470178], abs=1e-6
    )
    assert [(r.entry_id, r.rank, r.award) for r in rows] == [
        (2, 1, "최우수"),
        (1, 2, "우수"),
        (3, 3, "우수"),
    ]


def test_a_single_judge_maps_back_onto_their_own_scores() -> None:
    # One judge: μ and σ are that judge's mean and std, so μ + σ·z = x exactly.
    # 3 votes each, the floor is 3 → both get the whole scale, 10.
    rows = by_entry(compute(inputs([(1, 1, 9), (1, 2, 6)], {1: 3, 2: 3})))
    assert (rows[1].normalised, rows[2].normalised) == pytest.approx((9, 6))
    assert rows[1].vote_scaled == rows[2].vote_scaled == 10
    # final = 0.8·9 + 0.2·10 = 9.2 and 0.8·6 + 0.2·10 = 6.8
    assert (rows[1].final, rows[2].final) == pytest.approx((9.2, 6.8))


def test_with_shared_awards_ties_share_a_rank_and_the_higher_tier() -> None:
    tiers = [{"name": "A", "count": 1}, {"name": "B", "count": 1}, {"name": "C", "count": 1}]
    # Jury only, one judge: final = the judge's score. 9, 9, 7, 5 → ranks 1, 1, 3, 4.
    # Places: 1 → A, 2 → B, 3 → C. Both 9s have rank 1 → A, A; the 7 has rank 3 → C (B is
    # used up by the tie); the 5 has rank 4 → no award. Equal jury scores and votes: the
    # tie-break order cannot separate the 9s, and the contest allows shared awards.
    rows = compute(
        inputs(
            [(1, 1, 9), (1, 2, 9), (1, 3, 7), (1, 4, 5)],
            {1: 0, 2: 0, 3: 0, 4: 0},
            jury_weight=1.0,
            tiers=tiers,
            shared=True,
        )
    )
    assert [(r.entry_id, r.rank, r.award, r.tie) for r in rows] == [
        (1, 1, "A", "shared"),
        (2, 1, "A", "shared"),
        (3, 3, "C", None),
        (4, 4, None, None),
    ]


def test_with_shared_awards_a_tie_on_the_last_boundary_awards_everyone_tied() -> None:
    tiers = [{"name": "A", "count": 1}, {"name": "B", "count": 1}]
    # 9, 8, 8, 8 → ranks 1, 2, 2, 2 (competition ranking 1, 2, 2, 2); place 2 is B, so all
    # three 8s get B: two awards more than the tiers list, as the office chose.
    rows = compute(
        inputs(
            [(1, 1, 9), (1, 2, 8), (1, 3, 8), (1, 4, 8)],
            {1: 0, 2: 0, 3: 0, 4: 0},
            jury_weight=1.0,
            tiers=tiers,
            shared=True,
        )
    )
    assert [(r.rank, r.award) for r in rows] == [(1, "A"), (2, "B"), (2, "B"), (2, "B")]


def test_missing_scores_are_absent_and_quorum_is_marked() -> None:
    # Quorum 2. E1: judges 1 and 2; E2: judge 1 only; E3: no judge (unranked, no final).
    # Judge 1 scores 8, 6 (mean 7, std 1 → z +1, −1); judge 2 scores only E1: std 0 → z = 0.
    # μ = (8 + 6 + 9) / 3 = 23/3, σ = sqrt(((1/3)² + (5/3)² + (4/3)²) / 3) = sqrt(42/27).
    # E1 mean z = (1 + 0) / 2 = 0.5 → 23/3 + 0.5·σ; E2 z = −1 → 23/3 − σ.
    # Raw: E1 = (8 + 9) / 2 = 8.5 (not (8 + 9 + 0) / 3), E2 = 6.
    rows = by_entry(
        compute(inputs([(1, 1, 8), (1, 2, 6), (2, 1, 9)], {1: 1, 2: 1, 3: 1}, quorum=2))
    )
    sigma = math.sqrt(42 / 27)
    assert (rows[1].raw_mean, rows[2].raw_mean, rows[3].raw_mean) == (8.5, 6.0, None)
    assert rows[1].normalised == pytest.approx(23 / 3 + 0.5 * sigma, abs=1e-6)
    assert rows[2].normalised == pytest.approx(23 / 3 - sigma, abs=1e-6)
    assert [rows[e].judges for e in (1, 2, 3)] == [2, 1, 0]
    assert [rows[e].below_quorum for e in (1, 2, 3)] == [False, True, True]
    assert (rows[3].final, rows[3].rank, rows[3].award) == (None, None, None)


def test_conflicted_judges_do_not_count(runtime: Runtime) -> None:
    s = judging_contest(runtime, votes=(2, 1), judges=2)
    e1, e2 = (e.id or 0 for e in s.entries)
    j1, j2 = s.judges
    with runtime.session() as session:
        judging.save_score(session, actor=j1, entry_id=e1, scores=flat_scores(9))
        judging.save_score(session, actor=j1, entry_id=e2, scores=flat_scores(7))
        judging.save_score(session, actor=j2, entry_id=e2, scores=flat_scores(3))
    with runtime.session() as session:
        judging.declare_conflict(session, actor=j2, entry_id=e1, reason="같은 팀")
    with runtime.session() as session:
        rows = by_entry(
            results.compute_results(session, actor=s.admin, contest_id=s.contest.id or 0)
        )
    # E1 is judged by judge 1 only (judge 2 stepped aside): raw 9; E2: (7 + 3) / 2 = 5.
    assert (rows[e1].judges, rows[e1].raw_mean) == (1, 9.0)
    assert (rows[e2].judges, rows[e2].raw_mean) == (2, 5.0)


def _finalised(runtime: Runtime) -> tuple[Any, ResultSnapshot]:
    s = judging_contest(runtime, votes=(3, 1), judges=1)
    with runtime.session() as session:
        for entry, x in zip(s.entries, (8, 5), strict=True):
            judging.save_score(
                session, actor=s.judges[0], entry_id=entry.id or 0, scores=flat_scores(x)
            )
    with runtime.session() as session:
        lifecycle.close_judging(session, actor=s.admin, contest_id=s.contest.id or 0)
    with runtime.session() as session:
        snapshot = results.finalise(session, actor=s.admin, contest_id=s.contest.id or 0)
    return s, snapshot


def test_finalised_snapshot_is_immutable_and_verifiable(runtime: Runtime) -> None:
    s, snapshot = _finalised(runtime)
    payload = snapshot.payload
    assert payload["method"] == METHOD == {"name": "weighted-rubric/z-blend", "version": 2}
    assert payload["inputs"]["jury_weight"] == 0.8 and payload["inputs"]["rubric"] == RUBRIC
    assert [v["count"] for v in payload["inputs"]["votes"]] == [3, 1]
    assert [(r["number"], r["rank"], r["award"]) for r in payload["table"]] == [
        (1, 1, "최우수"),
        (2, 2, "우수"),
    ]
    assert snapshot.content_hash == results.content_hash(payload)
    with runtime.session() as session:  # a score changes after finalising
        row = session.exec(select(JudgeScore).where(JudgeScore.entry_id == s.entries[1].id)).one()
        row.scores = flat_scores(10)
        session.add(row)
    with runtime.session() as session:
        stored = session.get(ResultSnapshot, snapshot.id)
        assert stored is not None
        assert stored.payload == payload and stored.content_hash == snapshot.content_hash
        assert results.verify_snapshot(session, actor=s.admin, snapshot_id=snapshot.id or 0)
        live = results.compute_results(session, actor=s.admin, contest_id=s.contest.id or 0)
        # the live table moved (E2 raw 5 → 10, now first); the snapshot did not
        assert [(r.number, r.raw_mean) for r in live] == [(2, 10.0), (1, 8.0)]
        assert [r["raw_mean"] for r in stored.payload["table"]] == [8.0, 5.0]


def test_a_tampered_snapshot_fails_verification(runtime: Runtime) -> None:
    s, snapshot = _finalised(runtime)
    with runtime.session() as session:
        stored = session.get(ResultSnapshot, snapshot.id)
        assert stored is not None
        stored.payload = {**stored.payload, "table": list(reversed(stored.payload["table"]))}
        session.add(stored)
    with runtime.session() as session:
        assert not results.verify_snapshot(session, actor=s.admin, snapshot_id=snapshot.id or 0)


def test_refinalising_needs_a_reason_and_keeps_the_old_snapshot(runtime: Runtime) -> None:
    s, first = _finalised(runtime)
    cid = s.contest.id or 0
    with runtime.session() as session, pytest.raises(InvalidInput):
        results.finalise(session, actor=s.admin, contest_id=cid)
    with runtime.session() as session:
        second = results.finalise(session, actor=s.admin, contest_id=cid, reason="점수 정정")
    with runtime.session() as session:
        snapshots = results.list_snapshots(session, actor=s.admin, contest_id=cid)
        assert [x.id for x in snapshots] == [second.id, first.id]
        assert second.payload["reason"] == "점수 정정"
        actions = session.exec(select(AuditEvent.action).where(AuditEvent.contest_id == cid)).all()
        assert actions.count("results.snapshot") == 2 and actions.count("lifecycle.finalise") == 2


def test_publication_is_a_separate_step_after_finalising(runtime: Runtime) -> None:
    s = judging_contest(runtime, votes=(1,), judges=1)
    cid = s.contest.id or 0
    with runtime.session() as session, pytest.raises(InvalidState):
        publication.published_board(session, actor=s.staff, contest_id=cid)
    s, snapshot = _finalised(runtime)
    cid = s.contest.id or 0
    with runtime.session() as session, pytest.raises(InvalidState):  # finalised is not public
        publication.published_board(session, actor=s.staff, contest_id=cid)
    with runtime.session() as session:
        preview = publication.publish_preview(session, actor=s.admin, contest_id=cid)
        with pytest.raises(PermissionDenied):
            publication.publish_preview(session, actor=s.staff, contest_id=cid)
    with runtime.session() as session, pytest.raises(PermissionDenied):
        publication.publish(session, actor=s.staff, contest_id=cid, snapshot_id=snapshot.id or 0)
    with runtime.session() as session:
        publication.publish(session, actor=s.admin, contest_id=cid, snapshot_id=snapshot.id or 0)
    with runtime.session() as session:
        board = publication.published_board(session, actor=s.staff, contest_id=cid)
        with pytest.raises(InvalidState):
            publication.publish(
                session, actor=s.admin, contest_id=cid, snapshot_id=snapshot.id or 0
            )
    assert board == preview.board  # the preview is exactly what everyone sees
    # Winners are announced by name and department (winners_named, on by default).
    credit = f"{s.staff.name} · {s.staff.department}"
    assert [(w.number, w.award, w.author, w.tied) for w in board.winners] == [
        (1, "최우수", credit, False),
        (2, "우수", credit, False),
    ]
    assert [(t.name, t.places, len(t.winners)) for t in board.tiers] == [
        ("최우수", 1, 1),
        ("우수", 2, 1),
        ("장려", 3, 0),
        ("입선", 4, 0),
    ]
    assert board.winners[0].thumb_key.startswith("thumbs/")
    with runtime.session() as session, pytest.raises(PermissionDenied):
        results.compute_results(session, actor=s.staff, contest_id=cid)
    with runtime.session() as session, pytest.raises(PermissionDenied):
        publication.published_board(session, actor=None, contest_id=cid)


def test_unpublishing_needs_a_reason_and_closes_the_winners_page(runtime: Runtime) -> None:
    s, snapshot = _finalised(runtime)
    cid = s.contest.id or 0
    with runtime.session() as session:
        publication.publish(session, actor=s.admin, contest_id=cid, snapshot_id=snapshot.id or 0)
    with runtime.session() as session, pytest.raises(InvalidState):  # published: take it back
        results.finalise(session, actor=s.admin, contest_id=cid, reason="정정")
    with runtime.session() as session, pytest.raises(InvalidInput):
        publication.unpublish(session, actor=s.admin, contest_id=cid, reason=" ")
    with runtime.session() as session:
        publication.unpublish(session, actor=s.admin, contest_id=cid, reason="재검토")
    with runtime.session() as session:
        assert not results_published(get_contest(session, cid))
        with pytest.raises(InvalidState):
            publication.published_board(session, actor=s.staff, contest_id=cid)
        with pytest.raises(InvalidState):
            publication.unpublish(session, actor=s.admin, contest_id=cid, reason="두 번")
        actions = session.exec(select(AuditEvent.action).where(AuditEvent.contest_id == cid)).all()
    assert actions.count("results.publish") == 1 and actions.count("results.unpublish") == 1


def test_a_preview_outdated_by_refinalising_is_not_published(runtime: Runtime) -> None:
    s, first = _finalised(runtime)
    cid = s.contest.id or 0
    with runtime.session() as session:
        second = results.finalise(session, actor=s.admin, contest_id=cid, reason="점수 정정")
    with runtime.session() as session, pytest.raises(InvalidState):
        publication.publish(session, actor=s.admin, contest_id=cid, snapshot_id=first.id or 0)
    with runtime.session() as session:
        publication.publish(session, actor=s.admin, contest_id=cid, snapshot_id=second.id or 0)
    with runtime.session() as session:
        assert get_contest(session, cid).published_snapshot_id == second.id


def test_shared_awards_on_the_winners_board_are_marked(runtime: Runtime) -> None:
    s = judging_contest(runtime, votes=(2, 2, 1), judges=1, shared_awards=True)
    cid = s.contest.id or 0
    with runtime.session() as session:
        for entry, x in zip(s.entries, (8, 8, 5), strict=True):
            judging.save_score(
                session, actor=s.judges[0], entry_id=entry.id or 0, scores=flat_scores(x)
            )
    with runtime.session() as session:
        lifecycle.close_judging(session, actor=s.admin, contest_id=cid)
    with runtime.session() as session:
        snapshot = results.finalise(session, actor=s.admin, contest_id=cid)
    with runtime.session() as session:
        publication.publish(session, actor=s.admin, contest_id=cid, snapshot_id=snapshot.id or 0)
    with runtime.session() as session:
        board = publication.published_board(session, actor=s.staff, contest_id=cid)
    # Two tied for first both get the top award and use up two places: the third is 우수.
    assert [(w.number, w.award, w.rank, w.tied) for w in board.winners] == [
        (1, "최우수", 1, True),
        (2, "최우수", 1, True),
        (3, "우수", 3, False),
    ]
    assert [len(t.winners) for t in board.tiers] == [2, 1, 0, 0]


def test_a_record_of_method_one_is_verified_with_method_one(runtime: Runtime) -> None:
    """tests/data/snapshot_v1.json was finalised by method 1 (votes min-max, shared ties):
    verifying it recomputes its table with method 1, not with the current method."""
    payload = json.loads((DATA / "snapshot_v1.json").read_text(encoding="utf-8"))
    assert payload["method"] == {"name": "weighted-rubric/z-blend", "version": 1}
    s = judging_contest(runtime, votes=(1,), judges=1)
    with runtime.session() as session:
        stored = ResultSnapshot(
            contest_id=s.contest.id or 0,
            content_hash=results.content_hash(payload),
            payload=payload,
        )
        session.add(stored)
    with runtime.session() as session:
        assert results.verify_snapshot(session, actor=s.admin, snapshot_id=stored.id or 0)
    # The same inputs under method 2 give another table (votes count less): the version matters.
    assert results.recompute(payload) == payload["table"]
    again = results.recompute({**payload, "method": METHOD})
    assert again is not None and again != payload["table"]
    explained = explain(payload["method"], payload["inputs"])
    # Method 1 stretched 0..7 votes over 1..10: one vote = 0.2·9/7 final points.
    assert (explained.version, explained.vote_worth) == (1, pytest.approx(0.2 * 9 / 7))
