"""Voting rules hold on the server: window, budget, one vote per poster, not one's own."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import col, func, select

from contest.core.errors import (
    BudgetExhausted,
    InvalidInput,
    InvalidState,
    NotFound,
    PermissionDenied,
    WindowClosed,
)
from contest.core.models import (
    AuditEvent,
    Contest,
    Entry,
    EntryStatus,
    User,
    Vote,
    VoteEvent,
)
from contest.runtime import Runtime
from contest.voting.queries import vote_counts
from contest.voting.report import integrity_report, votes_in_force
from contest.voting.votes import cast_vote, my_votes, retract_vote, tallies, void_vote, vote_state
from tests.factories import add_entry, contest_with_entries, create_contest, create_user

SEOUL = ZoneInfo("Asia/Seoul")


def count(runtime: Runtime, model: type, **where: Any) -> int:
    with runtime.session() as session:
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return session.exec(query).one()


def test_cast_and_retract_update_state_and_log(any_runtime: Runtime) -> None:
    c = contest_with_entries(any_runtime)
    with any_runtime.session() as session:
        state = cast_vote(session, actor=c["voter"], entry_id=c["ids"][0])
    assert (state.budget, state.used, state.left) == (3, 1, 2)
    assert state.voted_entry_ids == {c["ids"][0]}
    with any_runtime.session() as session:
        state = retract_vote(session, actor=c["voter"], entry_id=c["ids"][0])
    assert (state.used, state.left, state.voted_entry_ids) == (0, 3, frozenset())
    with any_runtime.session() as session:
        kinds = session.exec(select(VoteEvent.kind).order_by(col(VoteEvent.id))).all()
    assert kinds == ["cast", "retract"]
    assert count(any_runtime, Vote) == 0


def test_duplicate_vote_is_a_clear_error(any_runtime: Runtime) -> None:
    c = contest_with_entries(any_runtime)
    with any_runtime.session() as session:
        cast_vote(session, actor=c["voter"], entry_id=c["ids"][1])
    with pytest.raises(InvalidState) as err, any_runtime.session() as session:
        cast_vote(session, actor=c["voter"], entry_id=c["ids"][1])
    assert err.value.key == "error.vote.already_voted"
    assert count(any_runtime, Vote) == 1
    assert count(any_runtime, VoteEvent, kind="cast") == 1


def test_budget_is_enforced(any_runtime: Runtime) -> None:
    c = contest_with_entries(any_runtime)
    for entry_id in c["ids"][:3]:
        with any_runtime.session() as session:
            state = cast_vote(session, actor=c["voter"], entry_id=entry_id)
    assert state.left == 0
    with pytest.raises(BudgetExhausted), any_runtime.session() as session:
        cast_vote(session, actor=c["voter"], entry_id=c["ids"][3])
    with any_runtime.session() as session:
        retract_vote(session, actor=c["voter"], entry_id=c["ids"][0])
        state = cast_vote(session, actor=c["voter"], entry_id=c["ids"][3])
    assert state.voted_entry_ids == {c["ids"][1], c["ids"][2], c["ids"][3]}


def test_cannot_vote_for_own_entry(any_runtime: Runtime) -> None:
    c = contest_with_entries(any_runtime)
    with pytest.raises(PermissionDenied) as err, any_runtime.session() as session:
        cast_vote(session, actor=c["author"], entry_id=c["ids"][0])
    assert err.value.key == "error.vote.own_entry"


@pytest.mark.parametrize("status", ["withdrawn", "hidden", "disqualified"])
def test_only_active_entries(any_runtime: Runtime, status: str) -> None:
    c = contest_with_entries(any_runtime)
    with any_runtime.session() as session:
        entry = session.get(Entry, c["ids"][0])
        assert entry is not None
        entry.status = status
        session.add(entry)
    with pytest.raises(NotFound) as err, any_runtime.session() as session:
        cast_vote(session, actor=c["voter"], entry_id=c["ids"][0])
    assert err.value.key == "error.vote.entry_unavailable"


def test_not_current_contest_refused(any_runtime: Runtime) -> None:
    c = contest_with_entries(any_runtime)
    with any_runtime.session() as session:
        create_contest(session, current=False)
        contest = session.get(Contest, c["contest"].id)
        assert contest is not None
        contest.is_current = False
        session.add(contest)
    with pytest.raises(NotFound), any_runtime.session() as session:
        cast_vote(session, actor=c["voter"], entry_id=c["ids"][0])


def test_window_is_enforced_for_cast_and_retract(any_runtime: Runtime) -> None:
    c = contest_with_entries(any_runtime)
    closes = c["contest"].voting_closes_at
    late = closes + timedelta(seconds=1)
    with any_runtime.session() as session:
        cast_vote(session, actor=c["voter"], entry_id=c["ids"][0])
    with pytest.raises(WindowClosed) as err, any_runtime.session() as session:
        cast_vote(session, actor=c["voter"], entry_id=c["ids"][1], now=late)
    assert err.value.key == "error.voting_closed"
    with pytest.raises(WindowClosed) as err, any_runtime.session() as session:
        retract_vote(
            session, actor=c["voter"], entry_id=c["ids"][0], now=closes + timedelta(seconds=1)
        )
    assert err.value.key == "error.vote.retract_closed"  # "투표가 마감되어 취소할 수 없습니다."
    with any_runtime.session() as session:  # the last second is still inside
        cast_vote(session, actor=c["voter"], entry_id=c["ids"][1], now=closes)
    assert count(any_runtime, Vote) == 2


def test_inactive_or_anonymous_voter_refused(any_runtime: Runtime) -> None:
    c = contest_with_entries(any_runtime)
    with pytest.raises(PermissionDenied), any_runtime.session() as session:
        cast_vote(session, actor=None, entry_id=c["ids"][0])
    with any_runtime.session() as session:  # deactivated since the page loaded the user
        voter = session.get(User, c["voter"].id)
        assert voter is not None
        voter.is_active = False
        session.add(voter)
    with pytest.raises(PermissionDenied), any_runtime.session() as session:
        cast_vote(session, actor=c["voter"], entry_id=c["ids"][0])


def test_retract_without_vote(any_runtime: Runtime) -> None:
    c = contest_with_entries(any_runtime)
    with pytest.raises(InvalidState) as err, any_runtime.session() as session:
        retract_vote(session, actor=c["voter"], entry_id=c["ids"][0])
    assert err.value.key == "error.vote.not_voted"


def test_withdrawn_entry_keeps_vote_until_taken_back(any_runtime: Runtime) -> None:
    c = contest_with_entries(any_runtime)
    with any_runtime.session() as session:
        cast_vote(session, actor=c["voter"], entry_id=c["ids"][0])
        entry = session.get(Entry, c["ids"][0])
        assert entry is not None
        entry.status = EntryStatus.WITHDRAWN.value
        session.add(entry)
    with any_runtime.session() as session:
        mine = my_votes(session, actor=c["voter"], contest_id=c["contest"].id)
        assert [(v.entry_id, v.active) for v in mine] == [(c["ids"][0], False)]
        assert vote_counts(session, contest_id=c["contest"].id) == {}
        state = retract_vote(session, actor=c["voter"], entry_id=c["ids"][0])
    assert state.left == 3


def test_tallies_hidden_from_staff_until_close(runtime: Runtime) -> None:
    c = contest_with_entries(runtime)
    contest_id = c["contest"].id
    with runtime.session() as session:
        cast_vote(session, actor=c["voter"], entry_id=c["ids"][2])
    with pytest.raises(PermissionDenied) as err, runtime.session() as session:
        tallies(session, actor=c["voter"], contest_id=contest_id)
    assert err.value.key == "error.vote.tallies_hidden"
    with runtime.session() as session:
        live = tallies(session, actor=c["admin"], contest_id=contest_id)
        after = c["contest"].voting_closes_at + timedelta(seconds=1)
        public = tallies(session, actor=c["voter"], contest_id=contest_id, now=after)
        before_open = c["contest"].voting_opens_at - timedelta(seconds=1)
        with pytest.raises(PermissionDenied):
            tallies(session, actor=c["voter"], contest_id=contest_id, now=before_open)
    assert live == public
    assert (live[0].entry_id, live[0].votes) == (c["ids"][2], 1)
    assert sorted(t.votes for t in live) == [0, 0, 0, 0, 1]
    assert live[0].department == "도시계획과"


def test_vote_counts_and_state(runtime: Runtime) -> None:
    c = contest_with_entries(runtime)
    with runtime.session() as session:
        other = create_user(session)
    for voter in (c["voter"], other):
        with runtime.session() as session:
            cast_vote(session, actor=voter, entry_id=c["ids"][0])
    with runtime.session() as session:
        cast_vote(session, actor=other, entry_id=c["ids"][1])
        assert vote_counts(session, contest_id=c["contest"].id) == {c["ids"][0]: 2, c["ids"][1]: 1}
        state = vote_state(session, actor=other, contest_id=c["contest"].id)
    assert (state.used, state.left) == (2, 1)


def test_void_vote_needs_admin_and_reason_and_is_audited(runtime: Runtime) -> None:
    c = contest_with_entries(runtime)
    with runtime.session() as session:
        cast_vote(session, actor=c["voter"], entry_id=c["ids"][0])
        vote_id = session.exec(select(Vote.id)).one()
    with pytest.raises(PermissionDenied), runtime.session() as session:
        void_vote(session, actor=c["voter"], vote_id=vote_id, reason="x")
    with pytest.raises(InvalidInput), runtime.session() as session:
        void_vote(session, actor=c["admin"], vote_id=vote_id, reason="  ")
    with runtime.session() as session:
        void_vote(
            session,
            actor=c["admin"],
            voter_id=c["voter"].id,
            entry_id=c["ids"][0],
            reason="대리 투표 확인",
        )
    assert count(runtime, Vote) == 0
    with runtime.session() as session:
        event = session.exec(select(VoteEvent).where(VoteEvent.kind == "void")).one()
        audit_row = session.exec(select(AuditEvent).where(AuditEvent.action == "vote.void")).one()
    assert (event.actor_id, event.reason) == (c["admin"].id, "대리 투표 확인")
    assert audit_row.reason == "대리 투표 확인"
    assert audit_row.details == {"voter_id": c["voter"].id, "entry_id": c["ids"][0]}


def test_integrity_report_finds_fast_voters_blocks_and_hours(runtime: Runtime) -> None:
    c = contest_with_entries(runtime, entries=6, votes_per_voter=3)
    opens = c["contest"].voting_opens_at
    with runtime.session() as session:
        same_dept = [create_user(session, department="도시계획과") for _ in range(2)]
        slow = create_user(session, department="문화예술과")
        contest = session.get(Contest, c["contest"].id)
        assert contest is not None
        other_author = create_user(session, department="교통정책과")
        for _ in range(4):  # so that 도시계획과 holds 6 of 10 posters
            add_entry(session, contest=contest, author=other_author)
    # The author's department votes for its own posters, two voters each within 3 seconds.
    for voter in same_dept:
        for k, entry_id in enumerate(c["ids"][:3]):
            with runtime.session() as session:
                at = opens + timedelta(hours=2, seconds=k)
                cast_vote(session, actor=voter, entry_id=entry_id, now=at)
    for k, entry_id in enumerate(c["ids"][:3]):  # an hour apart: not fast
        with runtime.session() as session:
            cast_vote(session, actor=slow, entry_id=entry_id, now=opens + timedelta(hours=k))
    with pytest.raises(PermissionDenied), runtime.session() as session:
        integrity_report(session, actor=c["voter"], contest_id=c["contest"].id)
    with runtime.session() as session:
        report = integrity_report(session, actor=c["admin"], contest_id=c["contest"].id)
    assert {v.voter_id for v in report.fast_voters} == {u.id for u in same_dept}
    assert all(v.seconds == 2.0 and v.casts == 3 for v in report.fast_voters)
    blocks = report.departments.set_index("department")
    assert bool(blocks.loc["도시계획과", "flagged"])
    assert blocks.loc["도시계획과", "votes"] == 6
    assert (blocks.loc["도시계획과", "own_share"], blocks.loc["도시계획과", "entry_share"]) == (
        1.0,
        0.6,
    )
    assert not bool(blocks.loc["문화예술과", "flagged"])
    assert report.per_hour["cast"].sum() == 9
    # Hours are shown in the contest's time zone.
    first_hour = report.per_hour["hour"].iloc[0]
    assert (first_hour.hour, str(first_hour.tzinfo)) == (opens.astimezone(SEOUL).hour, "Asia/Seoul")


def test_integrity_report_on_no_votes(runtime: Runtime) -> None:
    c = contest_with_entries(runtime)
    with runtime.session() as session:
        report = integrity_report(session, actor=c["admin"], contest_id=c["contest"].id)
    assert report.fast_voters == [] and report.departments.empty
    assert list(report.per_hour.columns) == ["hour", "cast", "retract", "void"]


def test_votes_in_force_lists_what_an_admin_may_void(runtime: Runtime) -> None:
    c = contest_with_entries(runtime)
    with runtime.session() as session:
        cast_vote(session, actor=c["voter"], entry_id=c["ids"][1])
        rows = votes_in_force(session, actor=c["admin"], contest_id=c["contest"].id)
        with pytest.raises(PermissionDenied):
            votes_in_force(session, actor=c["voter"], contest_id=c["contest"].id)
    assert [(r.voter_id, r.entry_id, r.number) for r in rows] == [(c["voter"].id, c["ids"][1], 2)]
    assert c["voter"].employee_no in rows[0].voter
