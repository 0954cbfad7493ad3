"""Who may judge: an author in the shortlist is not made a judge of it, and the contest's rule
for judges and admins who enter (allowed / recuse / forbidden) holds in the judge's queue, when
a score is saved, in the panel's candidates, for appointments and role changes, and at submit.
Through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlmodel import select

from contest.contests.rules import entry_limit
from contest.core.errors import ContestError, InvalidInput, PermissionDenied
from contest.core.i18n import error_message
from contest.core.models import (
    AuditEvent,
    Contest,
    ContestPhase,
    Entry,
    OfficialsEntering,
    Role,
    User,
)
from contest.entries.views import submit_view
from contest.judging import lifecycle, panel, scoring
from contest.judging.entrants import change_role
from contest.reports import audit_log
from contest.reports.views import lifecycle_view
from contest.runtime import Runtime
from tests.factories import add_entry, add_votes, awards, create_contest, create_user, submit

FLAT = {"creativity": 7, "policy": 7, "design": 7, "ai_use": 7}


@dataclass
class Field:
    """Phase shortlisted, shortlist of three by votes: 1번 by the only judge (4 votes), 2번 and
    3번 by a rival (4 and 2 votes); 4번 by a staff member is off it (0 votes); 5번 by the admin
    is off it too (0 votes)."""

    contest: Contest
    admin: User
    judge: User
    rival: User
    colleague: User
    entrant: User
    entries: list[Entry]

    @property
    def cid(self) -> int:
        return self.contest.id or 0


def field(runtime: Runtime, rule: OfficialsEntering) -> Field:
    with runtime.session() as session:
        contest = create_contest(
            session,
            phase=ContestPhase.VOTING_CLOSED.value,
            shortlist_size=3,
            award_tiers=awards(1, 2),
            officials_entering=rule.value,
        )
        admin = create_user(session, role=Role.ADMIN, name="관리자", department="총무과")
        judge = create_user(session, role=Role.JUDGE, name="심사위원", department="감사관")
        rival = create_user(session, name="경쟁자", department="도시계획과")
        colleague = create_user(session, name="동료", department="문화예술과")
        entrant = create_user(session, name="출품자", department="교통정책과")
        authors = (judge, rival, rival, entrant, admin)
        entries = [
            add_entry(session, contest=contest, author=a, number=n + 1)
            for n, a in enumerate(authors)
        ]
        for entry, count in zip(entries, (4, 4, 2, 0, 0), strict=True):
            add_votes(session, contest, entry, count)
    with runtime.session() as session:
        lifecycle.build_shortlist(session, actor=admin, contest_id=contest.id or 0)
    return Field(contest, admin, judge, rival, colleague, entrant, entries)


def candidates(runtime: Runtime, f: Field, number: int) -> dict[str, bool]:
    """Whom of the named people the picker offers for poster ``number`` (name: has entered);
    the voters are staff too, and offered."""
    with runtime.session() as session:
        check = panel.panel_check(session, actor=f.admin, contest_id=f.cid)
    [poster] = [p for p in check.unjudgeable if p.number == number]
    named = {f.rival.name, f.colleague.name, f.entrant.name}
    return {p.name: p.entered for p in poster.candidates if p.name in named}


def appoint(runtime: Runtime, f: Field, user: User, number: int, reason: str = "") -> User:
    with runtime.session() as session:
        return panel.appoint_judge(
            session,
            actor=f.admin,
            contest_id=f.cid,
            entry_id=f.entries[number - 1].id or 0,
            user_id=user.id or 0,
            reason=reason,
        )


def test_an_author_in_the_shortlist_is_not_offered_nor_made_a_judge(any_runtime: Runtime) -> None:
    """The issue's case: the picker offered the author of the poster tied for first."""
    f = field(any_runtime, OfficialsEntering.ALLOWED)
    offered = candidates(any_runtime, f, 1)
    assert "경쟁자" not in offered
    assert offered["동료"] is False and offered["출품자"] is True  # off the shortlist: allowed
    with pytest.raises(InvalidInput) as caught:
        appoint(any_runtime, f, f.rival, 1)
    assert caught.value.key == "error.entrants.shortlisted"
    assert error_message(caught.value, "ko") == (
        "경쟁자 님은 본선에 오른 출품작(2, 3번)이 있어 심사위원으로 지정할 수 없습니다."
    )
    with any_runtime.session() as session:
        assert session.get_one(User, f.rival.id).role == Role.STAFF.value
        with pytest.raises(InvalidInput):  # nor by the users page
            change_role(session, actor=f.admin, user_id=f.rival.id or 0, role=Role.JUDGE)
    assert appoint(any_runtime, f, f.colleague, 1).role == Role.JUDGE.value


def test_allowed_a_judge_who_entered_scores_every_poster_but_their_own(runtime: Runtime) -> None:
    f = field(runtime, OfficialsEntering.ALLOWED)
    for step in (lifecycle.lock_shortlist, lifecycle.open_judging):
        with runtime.session() as session:
            step(session, actor=f.admin, contest_id=f.cid)
    with runtime.session() as session:
        queue = scoring.judge_queue(session, actor=f.judge, contest_id=f.cid)
    assert [item.number for item in queue] == [2, 3]


def test_recusal_a_judge_in_the_shortlist_scores_none_of_it(any_runtime: Runtime) -> None:
    f = field(any_runtime, OfficialsEntering.RECUSE)
    with any_runtime.session() as session:
        check = panel.panel_check(session, actor=f.admin, contest_id=f.cid)
    barriers = {p.number: [b.barrier for b in p.blocked] for p in check.unjudgeable}
    assert barriers == {
        1: [scoring.Barrier.OWN],
        2: [scoring.Barrier.COMPETING],
        3: [scoring.Barrier.COMPETING],
    }
    assert candidates(any_runtime, f, 2) == {"동료": False, "출품자": True}
    for step in (lifecycle.lock_shortlist, lifecycle.open_judging):
        with any_runtime.session() as session:
            step(session, actor=f.admin, contest_id=f.cid)
    with any_runtime.session() as session:
        assert scoring.judge_queue(session, actor=f.judge, contest_id=f.cid) == []
    with any_runtime.session() as session, pytest.raises(PermissionDenied) as caught:
        scoring.save_score(session, actor=f.judge, entry_id=f.entries[1].id or 0, scores=FLAT)
    assert caught.value.key == "error.judging.competing"

    # An entrant off the shortlist may be appointed, with a recorded reason.
    with pytest.raises(InvalidInput) as needs:
        appoint(any_runtime, f, f.entrant, 2)
    assert needs.value.key == "error.entrants.reason_needed"
    appoint(
        any_runtime, f, f.entrant, 2, reason="심사위원이 부족해 출품자 중 본선 밖인 직원을 지정"
    )
    with any_runtime.session() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "user.set_role")).one()
        assert event.reason.startswith("심사위원이 부족해")
        assert event.details == {
            "from": "staff",
            "to": "judge",
            "entry_id": f.entries[1].id,
        }
        [line] = audit_log.lines(session, [event], "Asia/Seoul")
        queue = scoring.judge_queue(
            session, actor=session.get_one(User, f.entrant.id), contest_id=f.cid
        )
    said = audit_log.sentence(line, "ko")
    assert "역할을 바꿨습니다: 출품자 (교통정책과) (직원 → 심사위원)" in said
    assert "(심사할 출품작: 2번 ‘포스터 2’)" in said and "(사유: 심사위원이 부족해" in said
    assert [item.number for item in queue] == [1, 2, 3]


def test_forbidden_judges_and_admins_cannot_enter_nor_entrants_become_one(
    runtime: Runtime,
) -> None:
    with runtime.session() as session:
        contest = create_contest(session, officials_entering=OfficialsEntering.FORBIDDEN.value)
        admin = create_user(session, role=Role.ADMIN)
        judge = create_user(session, role=Role.JUDGE)
        author = create_user(session, name="작성자")
        bystander = create_user(session)
        assert entry_limit(contest, judge) == 0 and entry_limit(contest, author) == 3
    for official in (judge, admin):
        with pytest.raises(PermissionDenied) as caught:
            submit(runtime, official, seed=1)
        assert caught.value.key == "error.entry.officials_barred"
    with runtime.session() as session:
        assert submit_view(session, actor=judge).may_enter is False
    submit(runtime, author, seed=2)
    for role in (Role.JUDGE, Role.ADMIN):
        with runtime.session() as session, pytest.raises(InvalidInput) as refused:
            change_role(session, actor=admin, user_id=author.id or 0, role=role, reason="필요")
        assert refused.value.key == "error.entrants.forbidden"
    with runtime.session() as session:
        change_role(session, actor=admin, user_id=bystander.id or 0, role=Role.JUDGE)
        assert session.get_one(User, author.id).role == Role.STAFF.value


def test_a_role_change_to_the_same_role_records_nothing(runtime: Runtime) -> None:
    f = field(runtime, OfficialsEntering.RECUSE)
    with runtime.session() as session:
        change_role(session, actor=f.admin, user_id=f.judge.id or 0, role=Role.JUDGE)
        change_role(session, actor=f.admin, user_id=f.entrant.id or 0, role=Role.STAFF)
        assert not session.exec(
            select(AuditEvent).where(AuditEvent.action == "user.set_role")
        ).all()
    with runtime.session() as session, pytest.raises(ContestError) as caught:
        change_role(session, actor=f.admin, user_id=f.entrant.id or 0, role=Role.ADMIN)
    assert caught.value.key == "error.entrants.reason_needed"


def test_the_lifecycle_screen_lists_judges_and_admins_who_entered(any_runtime: Runtime) -> None:
    f = field(any_runtime, OfficialsEntering.RECUSE)
    with any_runtime.session() as session:
        view = lifecycle_view(session, actor=f.admin)
    listed = {(e.name, e.role, e.standing.entries, e.standing.shortlisted) for e in view.entrants}
    assert listed == {("심사위원", Role.JUDGE, (1,), (1,)), ("관리자", Role.ADMIN, (5,), ())}
    assert [e.role for e in view.entrants] == [Role.JUDGE, Role.ADMIN]  # judges first
