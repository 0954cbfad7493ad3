"""Staff votes: one per poster, a fixed budget per voter, only inside the voting window.

Every rule is checked here, on the server, inside one writer transaction that holds the voter's
row (SQLite: BEGIN IMMEDIATE; PostgreSQL: SELECT ... FOR UPDATE), so parallel clicks by one
voter are counted one after another. Each change also appends a VoteEvent in the same commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from contest.contests.queries import get_contest
from contest.contests.rules import vote_budget
from contest.contests.visibility import Purpose, author_visibility
from contest.contests.windows import ensure_voting_open, voting_closed
from contest.core import audit
from contest.core.authz import require_admin, require_staff
from contest.core.db import begin_write, lock_row
from contest.core.errors import (
    BudgetExhausted,
    InvalidInput,
    InvalidState,
    NotFound,
    PermissionDenied,
)
from contest.core.models import Contest, Entry, EntryStatus, Role, User, Vote, VoteEvent
from contest.core.timeutil import utcnow
from contest.voting.queries import vote_counts, voted_ids


class VoteKind(StrEnum):
    CAST = "cast"
    RETRACT = "retract"
    VOID = "void"


@dataclass(frozen=True)
class VoteState:
    """What the vote button needs: how many votes a voter has and where they went."""

    budget: int
    used: int
    left: int
    voted_entry_ids: frozenset[int]


@dataclass(frozen=True)
class MyVote:
    entry_id: int
    number: int
    title: str
    active: bool


@dataclass(frozen=True)
class Tally:
    entry_id: int
    number: int
    title: str
    theme: str
    department: str | None
    votes: int


def _voter(session: Session, actor: User | None) -> User:
    """Lock the voter's row first: it serialises this voter's casts on PostgreSQL."""
    user = require_staff(actor)
    begin_write(session)
    voter = lock_row(session, User, user.id or 0)
    if voter is None or not voter.is_active:
        raise PermissionDenied()
    return voter


def _state(contest: Contest, voter: User, voted: frozenset[int]) -> VoteState:
    budget = vote_budget(contest, voter)
    return VoteState(budget, len(voted), max(budget - len(voted), 0), voted)


def _open_entry(session: Session, entry_id: int, now: datetime) -> tuple[Entry, Contest]:
    entry = session.get(Entry, entry_id)
    if entry is None or entry.status != EntryStatus.ACTIVE.value:
        raise NotFound("error.vote.entry_unavailable")
    contest = get_contest(session, entry.contest_id)
    if not contest.is_current:
        raise NotFound("error.vote.entry_unavailable")
    ensure_voting_open(contest, now)
    return entry, contest


def cast_vote(
    session: Session, *, actor: User | None, entry_id: int, now: datetime | None = None
) -> VoteState:
    now = now or utcnow()
    voter = _voter(session, actor)
    entry, contest = _open_entry(session, entry_id, now)
    if entry.author_id == voter.id:
        raise PermissionDenied("error.vote.own_entry")
    voted = voted_ids(session, voter.id or 0, contest.id or 0)
    if entry_id in voted:
        raise InvalidState("error.vote.already_voted")
    budget = vote_budget(contest, voter)
    if len(voted) >= budget:
        raise BudgetExhausted(limit=budget)
    vote = Vote(contest_id=contest.id or 0, voter_id=voter.id or 0, entry_id=entry_id)
    vote.created_at = now
    session.add(vote)
    session.add(_event(contest, voter.id or 0, entry_id, VoteKind.CAST, voter, now))
    try:
        session.flush()
    except IntegrityError as exc:  # a parallel click won the unique constraint
        session.rollback()
        raise InvalidState("error.vote.already_voted") from exc
    return _state(contest, voter, voted | {entry_id})


def retract_vote(
    session: Session, *, actor: User | None, entry_id: int, now: datetime | None = None
) -> VoteState:
    """Take a vote back while the window is open, whatever became of the poster since."""
    now = now or utcnow()
    voter = _voter(session, actor)
    vote = session.exec(
        select(Vote).where(Vote.voter_id == voter.id, Vote.entry_id == entry_id)
    ).first()
    if vote is None:
        raise InvalidState("error.vote.not_voted")
    contest = get_contest(session, vote.contest_id)
    ensure_voting_open(contest, now)
    session.delete(vote)
    session.add(_event(contest, voter.id or 0, entry_id, VoteKind.RETRACT, voter, now))
    session.flush()
    return _state(contest, voter, voted_ids(session, voter.id or 0, contest.id or 0))


def vote_state(session: Session, *, actor: User | None, contest_id: int) -> VoteState:
    user = require_staff(actor)
    contest = get_contest(session, contest_id)
    return _state(contest, user, voted_ids(session, user.id or 0, contest_id))


def my_votes(session: Session, *, actor: User | None, contest_id: int) -> list[MyVote]:
    """The voter's own votes, including posters withdrawn since, so each can be taken back."""
    user = require_staff(actor)
    rows = session.exec(
        select(Entry.id, Entry.number, Entry.title, Entry.status)
        .join(Vote, col(Vote.entry_id) == col(Entry.id))
        .where(Vote.voter_id == user.id, Vote.contest_id == contest_id)
        .order_by(col(Entry.number))
    ).all()
    return [MyVote(i or 0, n, t, s == EntryStatus.ACTIVE.value) for i, n, t, s in rows]


def tallies(
    session: Session, *, actor: User | None, contest_id: int, now: datetime | None = None
) -> list[Tally]:
    """Votes of every active entry, most first; staff see them only after the close."""
    user = require_staff(actor)
    contest = get_contest(session, contest_id)
    if Role(user.role) != Role.ADMIN and not voting_closed(contest, now):
        raise PermissionDenied("error.vote.tallies_hidden")
    counts = vote_counts(session, contest_id=contest_id)
    shown = author_visibility(contest, user, Purpose.BROWSE)
    rows = session.exec(
        select(Entry, User)
        .join(User, col(User.id) == col(Entry.author_id))
        .where(Entry.contest_id == contest_id, Entry.status == EntryStatus.ACTIVE.value)
    ).all()
    result = [
        Tally(
            e.id or 0,
            e.number,
            e.title,
            e.theme,
            shown.department_of(author),
            counts.get(e.id or 0, 0),
        )
        for e, author in rows
    ]
    return sorted(result, key=lambda t: (-t.votes, t.number))


def void_vote(
    session: Session,
    *,
    actor: User | None,
    reason: str,
    vote_id: int | None = None,
    voter_id: int | None = None,
    entry_id: int | None = None,
    now: datetime | None = None,
) -> VoteEvent:
    """An admin removes a vote that should not count; the reason goes to the audit log."""
    admin = require_admin(actor)
    if not reason.strip():
        raise InvalidInput("error.vote.reason_required")
    begin_write(session)
    if vote_id is not None:
        vote = session.get(Vote, vote_id)
    elif voter_id is not None and entry_id is not None:
        vote = session.exec(
            select(Vote).where(Vote.voter_id == voter_id, Vote.entry_id == entry_id)
        ).first()
    else:
        raise InvalidInput("error.vote.which_vote")
    if vote is None:
        raise NotFound(what=f"vote {vote_id or (voter_id, entry_id)}")
    contest = get_contest(session, vote.contest_id)
    event = _event(
        contest, vote.voter_id, vote.entry_id, VoteKind.VOID, admin, now or utcnow(), reason
    )
    session.add(event)
    session.delete(vote)
    audit.record(
        session,
        actor=admin,
        action="vote.void",
        contest_id=contest.id,
        target_type="vote",
        target_id=vote.id,
        reason=reason.strip(),
        details={"voter_id": vote.voter_id, "entry_id": vote.entry_id},
    )
    session.flush()
    return event


def _event(
    contest: Contest,
    voter_id: int,
    entry_id: int,
    kind: VoteKind,
    actor: User,
    now: datetime,
    reason: str = "",
) -> VoteEvent:
    return VoteEvent(
        contest_id=contest.id or 0,
        voter_id=voter_id,
        entry_id=entry_id,
        kind=kind.value,
        actor_id=actor.id,
        reason=reason.strip(),
        at=now,
    )
