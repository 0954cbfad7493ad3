"""The judging panel against the shortlist: which shortlisted posters no judge may score, and
the two ways to fix one before judging closes: appoint a judge who may score it, or (while the
shortlist is still open) put another poster in its place.

A judge may not score a poster when it is their own, when it comes from their own department
and the contest excludes that, or when they declared a conflict; a poster none of the active
judges may score would end judging unscored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlmodel import Session, col, select

from contest.accounts.users import set_role
from contest.contests.phases import require_phase
from contest.contests.queries import get_contest
from contest.core.authz import require_admin
from contest.core.db import begin_write
from contest.core.errors import InvalidInput, NotFound
from contest.core.models import Contest, ContestPhase, Entry, JudgeScore, Role, User
from contest.judging.lifecycle import add_to_shortlist, remove_from_shortlist
from contest.judging.queries import active_entry_ids, shortlisted_ids
from contest.judging.scoring import may_judge
from contest.voting.queries import vote_counts

# Until judging closes a missing judge can still be found.
FIXABLE_PHASES = (ContestPhase.SHORTLISTED, ContestPhase.SHORTLIST_LOCKED, ContestPhase.JUDGING)


class Barrier(StrEnum):
    """Why one judge may not score one poster."""

    OWN = "own"  # the judge made it
    DEPARTMENT = "department"  # same department, and the contest excludes that
    CONFLICT = "conflict"  # the judge declared a conflict


@dataclass(frozen=True)
class Person:
    user_id: int
    name: str
    department: str


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


def _barrier(contest: Contest, judge: User, author: User, conflict: bool) -> Barrier | None:
    if author.id == judge.id:
        return Barrier.OWN
    if not may_judge(contest, judge, author):
        return Barrier.DEPARTMENT
    return Barrier.CONFLICT if conflict else None


def _person(user: User) -> Person:
    return Person(user.id or 0, user.name, user.department)


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

    def blocked(entry: Entry, author: User) -> list[Blocked]:
        found = []
        for judge in judges:
            barrier = _barrier(contest, judge, author, (judge.id, entry.id) in conflicts)
            if barrier is not None:
                found.append(Blocked(_person(judge), barrier))
        return found

    staff = session.exec(
        select(User)
        .where(User.role == Role.STAFF.value, col(User.is_active))
        .order_by(col(User.name), col(User.id))
    ).all()
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
                        _person(user) for user in staff if may_judge(contest, user, author)
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


def appoint_judge(
    session: Session, *, actor: User | None, contest_id: int, entry_id: int, user_id: int
) -> User:
    """Make an active staff member a judge so that a poster nobody could score gets a judge."""
    require_admin(actor)
    begin_write(session)
    contest = get_contest(session, contest_id)
    require_phase(contest, *FIXABLE_PHASES)
    entry = session.get(Entry, entry_id)
    user = session.get(User, user_id)
    if entry is None or entry.contest_id != contest_id:
        raise NotFound(what=f"entry {entry_id}")
    if user is None or not user.is_active:
        raise NotFound(what=f"user {user_id}")
    if user.role != Role.STAFF.value:
        raise InvalidInput("error.panel.not_staff", name=user.name)
    author = session.get(User, entry.author_id)
    if author is None or not may_judge(contest, user, author):
        raise InvalidInput("error.panel.may_not_judge", name=user.name, number=entry.number)
    return set_role(session, actor=actor, user_id=user_id, role=Role.JUDGE)


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
        session, actor=actor, contest_id=contest_id, entry_id=entry_id, reason=reason
    )
    add_to_shortlist(
        session, actor=actor, contest_id=contest_id, entry_id=replacement_id, reason=reason
    )
    replacement = session.get(Entry, replacement_id)
    assert replacement is not None  # add_to_shortlist found it
    return replacement
