"""The judging panel against the shortlist: which shortlisted posters no judge may score, and
the two ways to fix one before judging closes: appoint a judge who may score it, or (while the
shortlist is still open) put another poster in its place.

A judge may not score a poster when it is their own, when their own poster competes in the
shortlist and the contest recuses them, when it comes from their own department and the
contest excludes that, or when they declared a conflict (judging.scoring.judging_barrier); a
poster none of the active judges may score would end judging unscored. Who may be appointed
follows the contest's rule for judges who enter (judging/entrants.py).
"""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import dataclass

from sqlmodel import Session, col, select

from contest.accounts.users import set_role
from contest.contests.phases import require_phase
from contest.contests.queries import get_contest
from contest.core.authz import require_admin
from contest.core.db import begin_write
from contest.core.errors import InvalidInput, NotFound
from contest.core.i18n import phrase
from contest.core.models import Contest, ContestPhase, Entry, JudgeScore, Role, User
from contest.judging.entrants import (
    REASON_NEEDED,
    appointment_rule,
    check_appointment,
    entrant_ids,
)
from contest.judging.lifecycle import add_to_shortlist, remove_from_shortlist
from contest.judging.queries import active_entry_ids, competing_authors, shortlisted_ids
from contest.judging.scoring import Barrier, judging_barrier, may_judge
from contest.voting.queries import vote_counts

# Until judging closes a missing judge can still be found.
FIXABLE_PHASES = (ContestPhase.SHORTLISTED, ContestPhase.SHORTLIST_LOCKED, ContestPhase.JUDGING)


@dataclass(frozen=True)
class Person:
    user_id: int
    name: str
    department: str
    entered: bool = False  # has a poster in the contest: appointing them may need a reason


@dataclass(frozen=True)
class Blocked:
    """One judge who may not score the poster, and why."""

    judge: Person
    barrier: Barrier


@dataclass(frozen=True)
class Unjudgeable:
    """A shortlisted poster no active judge may score."""

    entry_id: int
    number: int
    title: str
    author: Person
    blocked: tuple[Blocked, ...]  # every active judge, with the reason (empty: no judges at all)
    candidates: tuple[Person, ...]  # active staff who could be appointed to score it


@dataclass(frozen=True)
class Substitute:
    """An active poster off the shortlist that some judge may score: a possible replacement."""

    entry_id: int
    number: int
    title: str
    votes: int


@dataclass(frozen=True)
class PanelCheck:
    judges: int  # active judges
    unjudgeable: tuple[Unjudgeable, ...]
    substitutes: tuple[Substitute, ...]  # most votes first


def _barrier(
    contest: Contest, judge: User, author: User, conflict: bool, competing: Set[int]
) -> Barrier | None:
    barrier = judging_barrier(contest, judge, author, competing=competing)
    return barrier or (Barrier.CONFLICT if conflict else None)


def _person(user: User, entered: Set[int] = frozenset()) -> Person:
    return Person(user.id or 0, user.name, user.department, user.id in entered)


def active_judges(session: Session) -> Sequence[User]:
    return session.exec(
        select(User)
        .where(User.role == Role.JUDGE.value, col(User.is_active))
        .order_by(col(User.name), col(User.id))
    ).all()


def panel_check(session: Session, *, actor: User | None, contest_id: int) -> PanelCheck:
    """Shortlisted posters no active judge may score, with who could fix each."""
    require_admin(actor)
    contest = get_contest(session, contest_id)
    judges = active_judges(session)
    listed = shortlisted_ids(session, contest_id)
    active = active_entry_ids(session, contest_id)
    rows = session.exec(
        select(Entry, User)
        .join(User, col(Entry.author_id) == col(User.id))
        .where(col(Entry.id).in_(active))
        .order_by(col(Entry.number))
    ).all()
    conflicts = {
        (s.judge_id, s.entry_id)
        for s in session.exec(
            select(JudgeScore).where(JudgeScore.contest_id == contest_id, col(JudgeScore.conflict))
        ).all()
    }

    competing = competing_authors(session, contest_id)

    def blocked(entry: Entry, author: User) -> list[Blocked]:
        found = []
        for judge in judges:
            conflict = (judge.id, entry.id) in conflicts
            barrier = _barrier(contest, judge, author, conflict, competing)
            if barrier is not None:
                found.append(Blocked(_person(judge), barrier))
        return found

    staff = session.exec(
        select(User)
        .where(User.role == Role.STAFF.value, col(User.is_active))
        .order_by(col(User.name), col(User.id))
    ).all()
    entered = entrant_ids(session, contest_id)
    unjudgeable = []
    for entry, author in rows:
        if entry.id not in listed:
            continue
        barriers = blocked(entry, author)
        if len(barriers) == len(judges):
            unjudgeable.append(
                Unjudgeable(
                    entry_id=entry.id or 0,
                    number=entry.number,
                    title=entry.title,
                    author=_person(author),
                    blocked=tuple(barriers),
                    candidates=tuple(
                        _person(user, entered)
                        for user in staff
                        if _appointable(contest, user, author, competing, entered)
                    ),
                )
            )
    votes = vote_counts(session, contest_id=contest_id)
    substitutes = [
        Substitute(entry.id or 0, entry.number, entry.title, votes.get(entry.id or 0, 0))
        for entry, author in rows
        if entry.id not in listed and len(blocked(entry, author)) < len(judges)
    ]
    substitutes.sort(key=lambda s: (-s.votes, s.number))
    return PanelCheck(len(judges), tuple(unjudgeable), tuple(substitutes))


def _appointable(
    contest: Contest, user: User, author: User, competing: Set[int], entered: Set[int]
) -> bool:
    """Whether ``user`` could be appointed to score a poster by ``author``: they may score it,
    and the contest's rule for entrants lets them be a judge (with a reason, if it asks one)."""
    if not may_judge(contest, user, author, competing=competing):
        return False
    rule = appointment_rule(
        contest, entered=user.id in entered, shortlisted=user.id in competing, role=Role.JUDGE
    )
    return rule in (None, REASON_NEEDED)


def appoint_judge(
    session: Session,
    *,
    actor: User | None,
    contest_id: int,
    entry_id: int,
    user_id: int,
    reason: str = "",
) -> User:
    """Make an active staff member a judge so that a poster nobody could score gets a judge;
    a member with posters of their own in the contest only as its rule for entrants allows."""
    require_admin(actor)
    begin_write(session)
    contest = get_contest(session, contest_id)
    require_phase(contest, *FIXABLE_PHASES)
    entry = session.get(Entry, entry_id)
    user = session.get(User, user_id)
    if entry is None or entry.contest_id != contest_id:
        raise NotFound(what=phrase("thing.entry"))
    if user is None or not user.is_active:
        raise NotFound(what=phrase("thing.user"))
    if user.role != Role.STAFF.value:
        raise InvalidInput("error.panel.not_staff", name=user.name)
    author = session.get(User, entry.author_id)
    competing = competing_authors(session, contest_id)
    if author is None or not may_judge(contest, user, author, competing=competing):
        raise InvalidInput("error.panel.may_not_judge", name=user.name, number=entry.number)
    check_appointment(session, contest, user, Role.JUDGE, reason)
    return set_role(
        session,
        actor=actor,
        user_id=user_id,
        role=Role.JUDGE,
        reason=reason,
        details={"entry_id": entry_id},
    )


def substitute_entry(
    session: Session,
    *,
    actor: User | None,
    contest_id: int,
    entry_id: int,
    replacement_id: int,
    reason: str,
) -> Entry:
    """Take a poster off the open shortlist and put another in its place, in one step."""
    remove_from_shortlist(
        session,
        actor=actor,
        contest_id=contest_id,
        entry_id=entry_id,
        reason=reason,
        replaced_by=replacement_id,
    )
    add_to_shortlist(
        session,
        actor=actor,
        contest_id=contest_id,
        entry_id=replacement_id,
        reason=reason,
        replaces=entry_id,
    )
    replacement = session.get(Entry, replacement_id)
    assert replacement is not None  # add_to_shortlist found it
    return replacement
