"""Scoring: rubric validation, blind queues, exclusions, conflicts, progress, authorization.

``judging_contest`` (tests/factories.py) writes rows directly (no image pipeline), so these tests
stay fast.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from sqlmodel import select

from contest.core.errors import InvalidInput, InvalidState, PermissionDenied
from contest.core.models import (
    AuditEvent,
    Contest,
    JudgeScore,
    ShortlistItem,
    User,
)
from contest.judging import lifecycle
from contest.judging import scoring as judging
from contest.runtime import Runtime
from tests.factories import add_entry, create_user, judging_contest

FULL = {"creativity": 8, "policy": 7, "design": 6, "ai_use": 9}


def test_judge_saves_and_updates_a_score(runtime: Runtime) -> None:
    s = judging_contest(runtime)
    judge, entry = s.judges[0], s.entries[0]
    with runtime.session() as session:
        judging.save_score(session, actor=judge, entry_id=entry.id or 0, scores=FULL)
    with runtime.session() as session:
        judging.save_score(
            session,
            actor=judge,
            entry_id=entry.id or 0,
            scores={**FULL, "design": 10},
            comment="좋음",
        )
    with runtime.session() as session:
        rows = session.exec(select(JudgeScore).where(JudgeScore.judge_id == judge.id)).all()
        assert len(rows) == 1  # upserted, not duplicated
        assert rows[0].scores["design"] == 10 and rows[0].comment == "좋음"
        progress = judging.judge_progress(session, actor=judge, contest_id=s.contest.id or 0)
        assert (progress.scored, progress.total) == (1, 4)
        queue = judging.judge_queue(session, actor=judge, contest_id=s.contest.id or 0)
        assert [item.scored for item in queue] == [True, False, False, False]
        assert queue[0].scores == {**FULL, "design": 10}
        actions = session.exec(select(AuditEvent.action)).all()
        assert actions.count("judging.score") == 2


@pytest.mark.parametrize(
    ("scores", "key"),
    [
        ({"creativity": 8, "policy": 7, "design": 6}, "error.judging.missing_score"),
        ({**FULL, "design": 11}, "error.judging.out_of_range"),
        ({**FULL, "design": 0}, "error.judging.out_of_range"),
        ({**FULL, "design": 6.5}, "error.judging.out_of_range"),
        ({**FULL, "extra": 3}, "error.judging.unknown_criterion"),
    ],
)
def test_scores_are_validated_against_the_rubric(
    runtime: Runtime, scores: dict[str, Any], key: str
) -> None:
    s = judging_contest(runtime)
    with runtime.session() as session, pytest.raises(InvalidInput) as raised:
        judging.save_score(session, actor=s.judges[0], entry_id=s.entries[0].id or 0, scores=scores)
    assert raised.value.key == key
    with runtime.session() as session:
        assert session.exec(select(JudgeScore)).all() == []


def test_queue_is_blind_and_skips_own_entries(runtime: Runtime) -> None:
    s = judging_contest(runtime)
    with runtime.session() as session:
        judge = session.get(User, s.judges[0].id)
        own = add_entry(session, contest=s.contest, author=judge, number=99)  # type: ignore[arg-type]
        session.add(
            ShortlistItem(contest_id=s.contest.id or 0, entry_id=own.id or 0, source="vote")
        )
    with runtime.session() as session:
        queue = judging.judge_queue(session, actor=s.judges[0], contest_id=s.contest.id or 0)
        assert own.id not in [item.entry_id for item in queue]
        fields = {f.name for f in dataclasses.fields(judging.JudgeItem)}
        assert not fields & {"author_id", "author", "department", "name"}
    with runtime.session() as session, pytest.raises(PermissionDenied) as raised:
        judging.save_score(session, actor=s.judges[0], entry_id=own.id or 0, scores=FULL)
    assert raised.value.key == "error.judging.own_entry"


def test_own_department_excluded_only_when_the_contest_says_so(runtime: Runtime) -> None:
    s = judging_contest(runtime)
    judge = s.judges[0]
    with runtime.session() as session:
        colleague = create_user(session, department=judge.department)
        entry = add_entry(session, contest=s.contest, author=colleague, number=50)
        session.add(
            ShortlistItem(contest_id=s.contest.id or 0, entry_id=entry.id or 0, source="vote")
        )
    with runtime.session() as session:
        judging.save_score(session, actor=judge, entry_id=entry.id or 0, scores=FULL)
        contest = session.get(Contest, s.contest.id)
        contest.judges_exclude_own_department = True  # type: ignore[union-attr]
        session.add(contest)
    with runtime.session() as session, pytest.raises(PermissionDenied) as raised:
        judging.save_score(session, actor=judge, entry_id=entry.id or 0, scores=FULL)
    assert raised.value.key == "error.judging.own_department"
    with runtime.session() as session:
        queue = judging.judge_queue(session, actor=judge, contest_id=s.contest.id or 0)
        assert entry.id not in [item.entry_id for item in queue]


def test_non_shortlisted_entry_cannot_be_scored(runtime: Runtime) -> None:
    s = judging_contest(runtime)
    with runtime.session() as session:
        outsider = add_entry(session, contest=s.contest, author=s.staff, number=77)
    with runtime.session() as session, pytest.raises(PermissionDenied) as raised:
        judging.save_score(session, actor=s.judges[0], entry_id=outsider.id or 0, scores=FULL)
    assert raised.value.key == "error.judging.not_shortlisted"


def test_staff_and_admin_cannot_use_judge_services(runtime: Runtime) -> None:
    s = judging_contest(runtime)
    for actor in (s.staff, s.admin, None):
        with runtime.session() as session, pytest.raises(PermissionDenied):
            judging.save_score(session, actor=actor, entry_id=s.entries[0].id or 0, scores=FULL)
        with runtime.session() as session, pytest.raises(PermissionDenied):
            judging.judge_queue(session, actor=actor, contest_id=s.contest.id or 0)
    for actor in (s.staff, s.judges[0]):
        with runtime.session() as session, pytest.raises(PermissionDenied):
            judging.judging_progress(session, actor=actor, contest_id=s.contest.id or 0)


def test_conflict_clears_scores_and_leaves_the_queue(runtime: Runtime) -> None:
    s = judging_contest(runtime)
    judge, entry = s.judges[0], s.entries[1]
    with runtime.session() as session:
        judging.save_score(session, actor=judge, entry_id=entry.id or 0, scores=FULL)
    with runtime.session() as session, pytest.raises(InvalidInput):
        judging.declare_conflict(session, actor=judge, entry_id=entry.id or 0, reason=" ")
    with runtime.session() as session:
        judging.declare_conflict(session, actor=judge, entry_id=entry.id or 0, reason="친척 작품")
    with runtime.session() as session:
        row = session.exec(select(JudgeScore).where(JudgeScore.entry_id == entry.id)).one()
        assert row.conflict and row.scores == {} and row.conflict_reason == "친척 작품"
        queue = judging.judge_queue(session, actor=judge, contest_id=s.contest.id or 0)
        assert entry.id not in [item.entry_id for item in queue]
        progress = judging.judging_progress(session, actor=s.admin, contest_id=s.contest.id or 0)
        mine = next(r for r in progress.judges if r.judge_id == judge.id)
        assert (mine.scored, mine.assigned, mine.conflicts) == (0, 3, 1)
        row_e = next(r for r in progress.entries if r.entry_id == entry.id)
        assert (row_e.scored, row_e.conflicts, row_e.eligible) == (0, 1, 2)
    with runtime.session() as session, pytest.raises(InvalidState) as raised:
        judging.save_score(session, actor=judge, entry_id=entry.id or 0, scores=FULL)
    assert raised.value.key == "error.judging.conflict_declared"


def test_progress_counts_quorum(runtime: Runtime) -> None:
    s = judging_contest(runtime, judge_quorum=2)
    for judge in s.judges:
        with runtime.session() as session:
            judging.save_score(session, actor=judge, entry_id=s.entries[0].id or 0, scores=FULL)
    with runtime.session() as session:
        judging.save_score(session, actor=s.judges[0], entry_id=s.entries[1].id or 0, scores=FULL)
    with runtime.session() as session:
        progress = judging.judging_progress(session, actor=s.admin, contest_id=s.contest.id or 0)
    assert [(r.scored, r.quorum_met) for r in progress.entries] == [
        (2, True),
        (1, False),
        (0, False),
        (0, False),
    ]
    assert [(r.scored, r.assigned) for r in progress.judges] == [(2, 4), (1, 4)]


def test_scoring_only_while_judging_is_open(runtime: Runtime) -> None:
    s = judging_contest(runtime)
    with runtime.session() as session:
        lifecycle.close_judging(session, actor=s.admin, contest_id=s.contest.id or 0)
    with runtime.session() as session, pytest.raises(InvalidState) as raised:
        judging.save_score(session, actor=s.judges[0], entry_id=s.entries[0].id or 0, scores=FULL)
    assert raised.value.key == "error.lifecycle.past.judging_closed"
    with runtime.session() as session:  # still readable after the close
        assert (
            len(judging.judge_queue(session, actor=s.judges[0], contest_id=s.contest.id or 0)) == 4
        )
