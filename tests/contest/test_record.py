"""Published means current. After finalising, a change to the result's inputs makes the record
outdated (the lifecycle offers finalising again, publishing refuses, the integrity check names
the change); while the results are published such a change is refused until the publication
is taken back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import Session, select

from contest.accounts.users import set_active
from contest.contests.manage import update_settings
from contest.core.errors import InvalidState
from contest.core.models import Contest, Entry, JudgeScore, ResultSnapshot, Vote
from contest.entries import moderation
from contest.judging import publication, results
from contest.judging.readiness import readiness
from contest.judging.record import check_record
from contest.judging.scoring import save_score
from contest.runtime import Runtime
from contest.voting.votes import void_vote
from tests.factories import JudgingContest, add_entry, flat_scores, judged

VOTES = (3, 2, 1)
SHEETS = (flat_scores(9), flat_scores(7), flat_scores(5))


def _finalised(runtime: Runtime) -> tuple[JudgingContest, ResultSnapshot]:
    s = judged(runtime, VOTES, SHEETS)
    with runtime.session() as session:
        snapshot = results.finalise(session, actor=s.admin, contest_id=s.contest.id or 0)
    return s, snapshot


def _a_vote(session: Session, entry_id: int) -> int:
    return session.exec(select(Vote.id).where(Vote.entry_id == entry_id)).first() or 0


def _changes(runtime: Runtime, s: JudgingContest) -> list[str]:
    with runtime.session() as session:
        ready = readiness(session, actor=s.admin, contest_id=s.contest.id or 0)
    return [change.text("ko") for change in ready.changes]


def test_a_change_after_finalising_outdates_the_record_and_names_it(any_runtime: Runtime) -> None:
    s, snapshot = _finalised(any_runtime)
    cid = s.contest.id or 0
    one, two, three = (e.id or 0 for e in s.entries)
    with any_runtime.session() as session:
        ready = readiness(session, actor=s.admin, contest_id=cid)
    assert (ready.changes, ready.steps) == ((), ("publish", "refinalise"))

    with any_runtime.session() as session:
        moderation.disqualify_entry(session, actor=s.admin, entry_id=three, reason="표절 확인")
    with any_runtime.session() as session:
        void_vote(session, actor=s.admin, vote_id=_a_vote(session, one), reason="중복 계정")
    with any_runtime.session() as session:  # a score corrected in the database by hand
        row = session.exec(select(JudgeScore).where(JudgeScore.entry_id == two)).one()
        row.scores = flat_scores(8)
        session.add(row)
    with any_runtime.session() as session:  # settings freeze at judging: changed by hand too
        contest = session.get(Contest, cid)
        assert contest is not None
        contest.jury_weight = 0.5
        session.add(contest)

    judge = s.judges[0].name
    expected = [
        "3번 ‘포스터 3’: 본선에서 빠졌습니다 (지금 상태: 실격)",
        "1번 ‘포스터 1’: 투표 3표 → 2표",
        f"2번 ‘포스터 2’: {judge} 심사위원의 점수 7.00 → 8.00",
        "심사위원 점수 비중 (나머지는 직원 투표): 80% → 50%",
    ]
    assert _changes(any_runtime, s) == expected
    with any_runtime.session() as session:
        ready = readiness(session, actor=s.admin, contest_id=cid)
        check = check_record(session, actor=s.admin, snapshot_id=snapshot.id or 0)
    assert ready.steps == ("refinalise",)  # publishing an outdated record is not offered
    assert check.sealed and [c.text("ko") for c in check.changes] == expected
    with any_runtime.session() as session, pytest.raises(InvalidState) as refused:
        publication.publish(session, actor=s.admin, contest_id=cid, snapshot_id=snapshot.id or 0)
    assert refused.value.key == "error.results.outdated"

    with any_runtime.session() as session:
        second = results.finalise(session, actor=s.admin, contest_id=cid, reason="실격 반영")
    assert _changes(any_runtime, s) == []
    with any_runtime.session() as session:
        publication.publish(session, actor=s.admin, contest_id=cid, snapshot_id=second.id or 0)
        board = publication.published_board(session, actor=s.staff, contest_id=cid)
    # at 50/50 (floor 10 votes): 1: 4.5 + 0.5·(1 + 9·2/10) = 5.9; 2: 4.0 + 0.5·2.8 = 5.4
    assert [(w.number, w.final) for w in board.winners] == [(1, 5.9), (2, 5.4)]


ATTEMPTS: dict[str, Callable[[Session, JudgingContest, int], Any]] = {
    "disqualify": lambda session, s, entry: moderation.disqualify_entry(
        session, actor=s.admin, entry_id=entry, reason="표절 확인"
    ),
    "hide": lambda session, s, entry: moderation.hide_entry(
        session, actor=s.admin, entry_id=entry, reason="문구 확인"
    ),
    "void": lambda session, s, entry: void_vote(
        session, actor=s.admin, vote_id=_a_vote(session, entry), reason="중복 계정"
    ),
}


@pytest.mark.parametrize("attempt", list(ATTEMPTS))
def test_a_published_result_refuses_changes_to_its_inputs(
    any_runtime: Runtime, attempt: str
) -> None:
    s, snapshot = _finalised(any_runtime)
    cid = s.contest.id or 0
    winner = s.entries[0].id or 0
    with any_runtime.session() as session:
        publication.publish(session, actor=s.admin, contest_id=cid, snapshot_id=snapshot.id or 0)
    with any_runtime.session() as session, pytest.raises(InvalidState) as refused:
        ATTEMPTS[attempt](session, s, winner)
    assert refused.value.key == "error.results.published_input"
    with any_runtime.session() as session:
        assert session.get(Entry, winner).status == "active"  # type: ignore[union-attr]
        assert len(session.exec(select(Vote).where(Vote.entry_id == winner)).all()) == 3
        assert check_record(session, actor=s.admin, snapshot_id=snapshot.id or 0).changes == ()

    # Taken back, the change goes through and the record is outdated until finalised again.
    with any_runtime.session() as session:
        publication.unpublish(session, actor=s.admin, contest_id=cid, reason="수상작 재검토")
    with any_runtime.session() as session:
        ATTEMPTS[attempt](session, s, winner)
    assert _changes(any_runtime, s) != []
    with any_runtime.session() as session:
        assert readiness(session, actor=s.admin, contest_id=cid).steps == ("refinalise",)


def test_a_published_result_refuses_its_settings_but_not_others(any_runtime: Runtime) -> None:
    s, snapshot = _finalised(any_runtime)
    cid = s.contest.id or 0
    with any_runtime.session() as session:
        publication.publish(session, actor=s.admin, contest_id=cid, snapshot_id=snapshot.id or 0)
        # a poster that never reached the shortlist is not part of the result
        outside = add_entry(session, contest=s.contest, author=s.staff).id or 0
    for change in ({"jury_weight": 0.5}, {"tie_break": "votes_jury"}, {"shared_awards": True}):
        with any_runtime.session() as session, pytest.raises(InvalidState) as refused:
            update_settings(session, actor=s.admin, contest_id=cid, changes=change)
        assert refused.value.key == "error.settings.frozen"  # frozen since judging opened
    with any_runtime.session() as session:
        saved = update_settings(
            session,
            actor=s.admin,
            contest_id=cid,
            changes={"name": "새 이름", "jury_weight": 0.8, "rubric": s.contest.rubric},
        )
        assert saved.contest.name == "새 이름"
    with any_runtime.session() as session:
        moderation.hide_entry(session, actor=s.admin, entry_id=outside, reason="부적절한 문구")
    assert _changes(any_runtime, s) == []


def test_what_is_not_an_input_leaves_the_record_current(any_runtime: Runtime) -> None:
    """Deactivating a judge or a voter changes no score or vote the result counts (their
    scores and votes stand), and scores cannot be saved once judging has closed."""
    s, _snapshot = _finalised(any_runtime)
    with any_runtime.session() as session:
        voter = session.exec(select(Vote.voter_id)).first() or 0
        set_active(session, actor=s.admin, user_id=s.judges[0].id or 0, active=False)
        set_active(session, actor=s.admin, user_id=voter, active=False, reason="퇴직")
    with any_runtime.session() as session, pytest.raises(InvalidState):
        save_score(session, actor=s.judges[0], entry_id=s.entries[0].id or 0, scores=SHEETS[2])
    assert _changes(any_runtime, s) == []


def test_the_integrity_check_names_a_change_made_outside_the_app(any_runtime: Runtime) -> None:
    s, snapshot = _finalised(any_runtime)
    cid = s.contest.id or 0
    with any_runtime.session() as session:
        publication.publish(session, actor=s.admin, contest_id=cid, snapshot_id=snapshot.id or 0)
    with any_runtime.session() as session:  # straight in the database, past every service
        entry = session.get(Entry, s.entries[0].id)
        assert entry is not None
        entry.status, entry.title = "disqualified", "바뀐 제목"
        session.add(entry)
    with any_runtime.session() as session:
        check = check_record(session, actor=s.admin, snapshot_id=snapshot.id or 0)
        ready = readiness(session, actor=s.admin, contest_id=cid)
    assert check.sealed
    assert [c.text("ko") for c in check.changes] == [
        "1번 ‘포스터 1’: 본선에서 빠졌습니다 (지금 상태: 실격)"
    ]
    assert ready.changes == check.changes and ready.steps == ("unpublish",)
