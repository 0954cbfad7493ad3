"""Guarded transitions: the happy path, the shortlist rules, and every out-of-order step."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import Session, func, select

from contest.core.errors import InvalidInput, InvalidState, PermissionDenied
from contest.core.models import AuditEvent, Contest, ContestPhase, Role, ShortlistItem, User
from contest.core.timeutil import as_utc, utcnow
from contest.judging import lifecycle, results
from contest.judging.queries import shortlist_items
from contest.runtime import Runtime
from tests.factories import add_entry, add_votes, awards, create_contest, create_user

Step = Callable[[Session, User, int, int], Any]
STEPS: dict[str, Step] = {
    "close_voting": lambda s, a, c, e: lifecycle.close_voting(s, actor=a, contest_id=c, reason="x"),
    "build_shortlist": lambda s, a, c, e: lifecycle.build_shortlist(s, actor=a, contest_id=c),
    "add_to_shortlist": lambda s, a, c, e: lifecycle.add_to_shortlist(
        s, actor=a, contest_id=c, entry_id=e, reason="x"
    ),
    "remove_from_shortlist": lambda s, a, c, e: lifecycle.remove_from_shortlist(
        s, actor=a, contest_id=c, entry_id=e, reason="x"
    ),
    "lock_shortlist": lambda s, a, c, e: lifecycle.lock_shortlist(s, actor=a, contest_id=c),
    "open_judging": lambda s, a, c, e: lifecycle.open_judging(s, actor=a, contest_id=c),
    "close_judging": lambda s, a, c, e: lifecycle.close_judging(s, actor=a, contest_id=c),
    "finalise": lambda s, a, c, e: results.finalise(s, actor=a, contest_id=c, reason="x"),
}
# The phases each step may start from.
ALLOWED = {
    "close_voting": {ContestPhase.OPEN},
    "build_shortlist": {ContestPhase.VOTING_CLOSED},
    "add_to_shortlist": {ContestPhase.SHORTLISTED},
    "remove_from_shortlist": {ContestPhase.SHORTLISTED},
    "lock_shortlist": {ContestPhase.SHORTLISTED},
    "open_judging": {ContestPhase.SHORTLIST_LOCKED},
    "close_judging": {ContestPhase.JUDGING},
    "finalise": {ContestPhase.JUDGING_CLOSED, ContestPhase.FINALISED},
}
EXPECTED_KEY = {  # (step, phase) → what the admin is told; earlier phases say what comes first
    ContestPhase.OPEN: "error.lifecycle.first.close_voting",
    ContestPhase.VOTING_CLOSED: "error.lifecycle.first.build_shortlist",
    ContestPhase.SHORTLISTED: "error.lifecycle.first.lock_shortlist",
    ContestPhase.SHORTLIST_LOCKED: "error.lifecycle.first.open_judging",
    ContestPhase.JUDGING: "error.lifecycle.first.close_judging",
}
ORDER = list(ContestPhase)


def _setup(runtime: Runtime, phase: ContestPhase, **fields: Any) -> tuple[User, Contest, int]:
    with runtime.session() as session:
        contest = create_contest(session, phase=phase.value, **fields)
        admin = create_user(session, role=Role.ADMIN)
        entry = add_entry(session, contest=contest, author=create_user(session), number=1)
        session.add(
            ShortlistItem(contest_id=contest.id or 0, entry_id=entry.id or 0, source="vote")
        )
    return admin, contest, entry.id or 0


def _out_of_order() -> list[tuple[str, ContestPhase]]:
    return [(s, p) for s in STEPS for p in ContestPhase if p not in ALLOWED[s]]


@pytest.mark.parametrize(("step", "phase"), _out_of_order())
def test_every_out_of_order_step_is_refused(
    runtime: Runtime, step: str, phase: ContestPhase
) -> None:
    admin, contest, entry_id = _setup(runtime, phase)
    with runtime.session() as session:
        audits_before = session.exec(select(func.count()).select_from(AuditEvent)).one()
        items_before = session.exec(select(func.count()).select_from(ShortlistItem)).one()
    with runtime.session() as session, pytest.raises(InvalidState) as raised:
        STEPS[step](session, admin, contest.id or 0, entry_id)
    earliest = min(ORDER.index(p) for p in ALLOWED[step])
    if ORDER.index(phase) < earliest:
        assert raised.value.key == EXPECTED_KEY[phase]
    else:
        assert raised.value.key == f"error.lifecycle.past.{phase.value}"
    with runtime.session() as session:
        assert session.get(Contest, contest.id).phase == phase.value  # type: ignore[union-attr]
        assert session.exec(select(func.count()).select_from(AuditEvent)).one() == audits_before
        assert session.exec(select(func.count()).select_from(ShortlistItem)).one() == items_before


def test_shortlist_includes_ties_at_the_cut(runtime: Runtime) -> None:
    with runtime.session() as session:
        contest = create_contest(
            session,
            phase=ContestPhase.VOTING_CLOSED.value,
            shortlist_size=2,
            award_tiers=awards(1, 1),
        )
        admin = create_user(session, role=Role.ADMIN)
        author = create_user(session)
        entries = [
            add_entry(session, contest=contest, author=author, number=n) for n in range(1, 6)
        ]
        for entry, votes in zip(entries, (5, 4, 4, 1, 0), strict=True):
            add_votes(session, contest, entry, votes)
        entries[4].status = "withdrawn"  # not active: never shortlisted
        session.add(entries[4])
    with runtime.session() as session:
        chosen = lifecycle.build_shortlist(session, actor=admin, contest_id=contest.id or 0)
    # N = 2 with votes 5, 4, 4, 1: the cut is at 4 votes and both 4s are in → 3 entries.
    assert chosen == [entries[0].id, entries[1].id, entries[2].id]
    with runtime.session() as session:
        rows = shortlist_items(session, contest.id or 0)
        assert {r.source for r in rows} == {"vote"}
        assert session.get(Contest, contest.id).phase == "shortlisted"  # type: ignore[union-attr]


def test_manual_shortlist_changes_need_a_reason_and_are_audited(runtime: Runtime) -> None:
    admin, contest, entry_id = _setup(runtime, ContestPhase.SHORTLISTED)
    with runtime.session() as session:
        extra = add_entry(session, contest=contest, author=create_user(session), number=2)
    cid = contest.id or 0
    with runtime.session() as session, pytest.raises(InvalidInput) as raised:
        lifecycle.add_to_shortlist(
            session, actor=admin, contest_id=cid, entry_id=extra.id or 0, reason=""
        )
    assert raised.value.key == "error.reason_required"
    with runtime.session() as session:
        lifecycle.add_to_shortlist(
            session, actor=admin, contest_id=cid, entry_id=extra.id or 0, reason="심사위원 추천"
        )
    with runtime.session() as session, pytest.raises(InvalidInput):
        lifecycle.add_to_shortlist(
            session, actor=admin, contest_id=cid, entry_id=extra.id or 0, reason="again"
        )
    with runtime.session() as session:
        lifecycle.remove_from_shortlist(
            session, actor=admin, contest_id=cid, entry_id=entry_id, reason="중복 의심"
        )
    with runtime.session() as session:
        rows = shortlist_items(session, cid)
        assert [(r.entry_id, r.source, r.reason) for r in rows] == [
            (extra.id, "manual", "심사위원 추천")
        ]
        events = session.exec(select(AuditEvent).order_by(AuditEvent.id)).all()
        assert [(e.action, e.reason) for e in events] == [
            ("shortlist.add", "심사위원 추천"),
            ("shortlist.remove", "중복 의심"),
        ]


def test_close_voting_early_needs_a_reason_and_cuts_the_window(runtime: Runtime) -> None:
    admin, contest, _ = _setup(runtime, ContestPhase.OPEN)
    with runtime.session() as session, pytest.raises(InvalidInput) as raised:
        lifecycle.close_voting(session, actor=admin, contest_id=contest.id or 0)
    assert raised.value.key == "error.lifecycle.early_close_reason"
    now = utcnow()
    with runtime.session() as session:
        lifecycle.close_voting(
            session, actor=admin, contest_id=contest.id or 0, reason="일정 변경", now=now
        )
    with runtime.session() as session:
        closed = session.get(Contest, contest.id)
        assert closed is not None and closed.phase == "voting_closed"
        assert as_utc(closed.voting_closes_at) < now
        event = session.exec(select(AuditEvent)).one()
        assert (event.action, event.reason, event.details["early"]) == (
            "lifecycle.close_voting",
            "일정 변경",
            True,
        )


def test_close_voting_after_the_window_needs_no_reason(runtime: Runtime) -> None:
    past = utcnow() - timedelta(days=2)
    admin, contest, _ = _setup(
        runtime,
        ContestPhase.OPEN,
        voting_opens_at=past - timedelta(days=3),
        voting_closes_at=past,
        submission_opens_at=past - timedelta(days=3),
        submission_closes_at=past,
    )
    with runtime.session() as session:
        lifecycle.close_voting(session, actor=admin, contest_id=contest.id or 0)
    with runtime.session() as session:
        closed = session.get(Contest, contest.id)
        assert closed is not None and closed.phase == "voting_closed"
        assert as_utc(closed.voting_closes_at) == past  # not cut: the window had ended
        assert session.exec(select(AuditEvent)).one().details == {
            "from": "open",
            "to": "voting_closed",
        }


def test_lock_refuses_an_empty_shortlist(runtime: Runtime) -> None:
    with runtime.session() as session:
        contest = create_contest(session, phase=ContestPhase.SHORTLISTED.value)
        admin = create_user(session, role=Role.ADMIN)
    with runtime.session() as session, pytest.raises(InvalidState) as raised:
        lifecycle.lock_shortlist(session, actor=admin, contest_id=contest.id or 0)
    assert raised.value.key == "error.lifecycle.shortlist_empty"


@pytest.mark.parametrize("step", list(STEPS))
def test_only_admins_may_run_lifecycle_steps(runtime: Runtime, step: str) -> None:
    phase = min(ALLOWED[step], key=ORDER.index)
    _admin, contest, entry_id = _setup(runtime, phase)
    with runtime.session() as session:
        judge = create_user(session, role=Role.JUDGE)
        staff = create_user(session)
    for actor in (staff, judge, None):
        with runtime.session() as session, pytest.raises(PermissionDenied):
            STEPS[step](session, actor, contest.id or 0, entry_id)  # type: ignore[arg-type]
    with runtime.session() as session:
        assert session.get(Contest, contest.id).phase == phase.value  # type: ignore[union-attr]
