"""One whole contest, montage-style: submit, vote, moderate, close, shortlist, judge, finalise,
publish, export, re-finalise. Real uploads and votes through the services, one SQLite runtime."""

from __future__ import annotations

import io
from datetime import timedelta

import pandas as pd
import pytest
from sqlmodel import select

from contest.core.errors import InvalidState, PermissionDenied, WindowClosed
from contest.core.models import AuditEvent, ContestPhase, OfficialsEntering, Role
from contest.core.timeutil import utcnow
from contest.entries import moderation
from contest.judging import lifecycle, publication, results
from contest.judging import scoring as judging
from contest.reports import exports
from contest.runtime import Runtime
from contest.voting import votes as voting
from tests.factories import awards, create_contest, create_user, flat_scores, submit


def test_a_whole_contest(runtime: Runtime) -> None:
    # Setting up: an admin, two judges (one also an author), five staff authors/voters.
    with runtime.session() as session:
        contest = create_contest(
            session,
            shortlist_size=3,
            award_tiers=awards(1, 2),
            judge_quorum=2,
            votes_per_voter=5,
            officials_entering=OfficialsEntering.ALLOWED.value,  # judge 1 enters too
        )
        admin = create_user(session, role=Role.ADMIN)
        j1 = create_user(session, role=Role.JUDGE, department="감사관")
        j2 = create_user(session, role=Role.JUDGE, department="기획조정실")
        staff = [create_user(session, department=f"부서{i}") for i in range(5)]
    cid = contest.id or 0

    # Submissions: five posters, one by judge 1.
    authors = [staff[0], staff[1], staff[2], j1, staff[3]]
    entries = [
        submit(runtime, a, seed=100 + i, title=f"포스터{i}").entry for i, a in enumerate(authors)
    ]
    e = [x.id or 0 for x in entries]

    # Votes: E0 ×4, E1 ×3, E2 ×3, E3 ×2, E4 ×1 (nobody votes for their own poster).
    plan = {0: [1, 2, 3, 4], 1: [0, 2, 3, 4], 2: [0, 1, 3], 3: [0, 1], 4: [0]}
    for poster, voters in plan.items():
        for v in voters:
            with runtime.session() as session:
                voting.cast_vote(session, actor=staff[v], entry_id=e[poster])

    # Moderation: E4 is hidden, then restored with a reason.
    with runtime.session() as session:
        moderation.hide_entry(session, actor=admin, entry_id=e[4], reason="문구 확인 필요")
    with runtime.session() as session:
        moderation.restore_entry(session, actor=admin, entry_id=e[4], reason="확인 완료")

    # Judging cannot start before the shortlist; voting closes early with a reason.
    with runtime.session() as session, pytest.raises(InvalidState):
        lifecycle.open_judging(session, actor=admin, contest_id=cid)
    with runtime.session() as session:
        lifecycle.close_voting(session, actor=admin, contest_id=cid, reason="일정 단축")
    with runtime.session() as session, pytest.raises(WindowClosed):
        voting.cast_vote(
            session, actor=staff[4], entry_id=e[3], now=utcnow() + timedelta(seconds=2)
        )

    # Shortlist N=3: votes 4, 3, 3, 2, 1 → E0, E1, E2; the admin adds E3 with a reason.
    with runtime.session() as session:
        assert lifecycle.build_shortlist(session, actor=admin, contest_id=cid) == e[:3]
    with runtime.session() as session:
        lifecycle.add_to_shortlist(
            session, actor=admin, contest_id=cid, entry_id=e[3], reason="추천"
        )
    with runtime.session() as session:
        lifecycle.lock_shortlist(session, actor=admin, contest_id=cid)
    with runtime.session() as session:
        lifecycle.open_judging(session, actor=admin, contest_id=cid)

    # Judge 1 never sees their own E3; judge 2 declares a conflict on E2.
    with runtime.session() as session:
        q1 = judging.judge_queue(session, actor=j1, contest_id=cid)
    assert [i.entry_id for i in q1] == e[:3]
    with runtime.session() as session, pytest.raises(PermissionDenied):
        judging.save_score(session, actor=j1, entry_id=e[3], scores=flat_scores(10))
    with runtime.session() as session:
        judging.declare_conflict(session, actor=j2, entry_id=e[2], reason="같은 팀")
    for judge, marks in ((j1, {0: 8, 1: 6, 2: 7}), (j2, {0: 9, 1: 7, 3: 5})):
        for poster, x in marks.items():
            with runtime.session() as session:
                judging.save_score(session, actor=judge, entry_id=e[poster], scores=flat_scores(x))
    with runtime.session() as session:
        lifecycle.close_judging(session, actor=admin, contest_id=cid)
    with runtime.session() as session:
        snapshot = results.finalise(session, actor=admin, contest_id=cid)

    # The table: E0 leads on both jury and votes. E2 and E3 have one judge each (< quorum 2).
    table = {row["entry_id"]: row for row in snapshot.payload["table"]}
    assert table[e[0]]["rank"] == 1 and table[e[0]]["award"] == "최우수"
    assert [table[x]["below_quorum"] for x in e[:4]] == [False, False, True, True]
    assert table[e[2]]["judges"] == 1  # judge 2 stepped aside

    # Everyone sees the winners; exports match the snapshot.
    with runtime.session() as session:
        publication.publish(session, actor=admin, contest_id=cid, snapshot_id=snapshot.id or 0)
    with runtime.session() as session:
        winners = publication.published_board(session, actor=staff[4], contest_id=cid).winners
        tables = exports.export_tables(session, actor=admin, contest_id=cid, keys=True)
    assert winners[0].entry_id == e[0]
    back = pd.read_csv(io.BytesIO(exports.to_csv(tables["results"])), encoding="utf-8-sig")
    assert list(back["number"]) == [row["number"] for row in snapshot.payload["table"]]

    # Re-finalising (with a reason) writes a second snapshot and keeps the first.
    with runtime.session() as session:
        assert results.verify_snapshot(session, actor=admin, snapshot_id=snapshot.id or 0)
        publication.unpublish(session, actor=admin, contest_id=cid, reason="재확정 점검")
    with runtime.session() as session:
        second = results.finalise(session, actor=admin, contest_id=cid, reason="재확정 점검")
    with runtime.session() as session:
        assert len(results.list_snapshots(session, actor=admin, contest_id=cid)) == 2
        assert second.content_hash != snapshot.content_hash
        actions = set(session.exec(select(AuditEvent.action)).all())
    assert {
        "entry.hide",
        "entry.restore",
        "lifecycle.close_voting",
        "lifecycle.build_shortlist",
        "shortlist.add",
        "judging.conflict",
        "lifecycle.finalise",
        "results.snapshot",
    } <= actions
    with runtime.session() as session:
        assert session.get(type(contest), cid).phase == ContestPhase.FINALISED  # type: ignore[union-attr]
