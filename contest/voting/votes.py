"""Staff votes: one per poster, a fixed budget per voter, only inside the voting window.

Every rule is checked here, on the server, inside one writer transaction that holds the voter's
row, so parallel clicks by one voter are counted one after another. Each change also appends a
VoteEvent in the same commit.

A cast or a retraction is two statements, so that a burst of clicks holds the database and
Python's interpreter lock as briefly as possible (docs/benchmarks.md, Voting):

1. lock the voter's row and read what the rules need, in one SELECT (PostgreSQL: FOR NO KEY
   UPDATE OF the user row; SQLite: the IMMEDIATE transaction already serialises writers);
2. write: on PostgreSQL one statement reads the voter's votes, inserts (or deletes) the vote only
   if the budget and uniqueness still allow it, and appends the event. It must come after the
   lock, as a statement of its own: under READ COMMITTED only a statement that starts after the
   lock is granted sees the votes of the click that held it. On SQLite, whose writers are already
   serialised, the same steps are three short statements without a network between them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, cast

import sqlalchemy as sa
from sqlmodel import Session, col, select

from contest.contests.published import refuse_while_published
from contest.contests.queries import get_contest
from contest.contests.rules import typed, vote_budget
from contest.contests.visibility import Purpose, author_visibility
from contest.contests.windows import ensure_voting_open, voting_closed
from contest.core import audit
from contest.core.authz import require_admin, require_staff
from contest.core.db import begin_write
from contest.core.errors import (
    BudgetExhausted,
    InvalidInput,
    InvalidState,
    NotFound,
    PermissionDenied,
    WindowClosed,
)
from contest.core.i18n import phrase
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


_VOTES = cast(sa.Table, sa.inspect(Vote).local_table)
_EVENTS = cast(sa.Table, sa.inspect(VoteEvent).local_table)
# The statements are built once, with bound parameters: building a statement costs more Python
# time than running it, and a built one is compiled once per engine (SQLAlchemy's cache).
_P = {
    "contest_id": sa.bindparam("contest_id", type_=sa.Integer()),
    "voter_id": sa.bindparam("voter_id", type_=sa.Integer()),
    "entry_id": sa.bindparam("entry_id", type_=sa.Integer()),
    "budget": sa.bindparam("budget", type_=sa.Integer()),
    "kind": sa.bindparam("kind", type_=_EVENTS.c.kind.type),
    "now": sa.bindparam("now", type_=_VOTES.c.created_at.type),
}


def _locking(query: Any) -> Any:
    """``query`` (whose first column is the voter's User row) locking that row only."""
    return (
        query.where(col(User.id) == _P["voter_id"])
        .with_for_update(key_share=True, of=User)
        .execution_options(populate_existing=True)
    )


_CAST_READ = _locking(
    select(User, Entry.author_id, Entry.status, Contest)
    .select_from(User)
    .outerjoin(Entry, col(Entry.id) == _P["entry_id"])
    .outerjoin(Contest, col(Contest.id) == col(Entry.contest_id))
)
_RETRACT_READ = _locking(
    select(User, Contest)
    .select_from(User)
    .outerjoin(
        Vote, sa.and_(col(Vote.voter_id) == col(User.id), col(Vote.entry_id) == _P["entry_id"])
    )
    .outerjoin(Contest, col(Contest.id) == col(Vote.contest_id))
)
_MINE = sa.and_(_VOTES.c.voter_id == _P["voter_id"], _VOTES.c.contest_id == _P["contest_id"])
_PRIOR = sa.select(_VOTES.c.entry_id).where(_MINE)
_THIS = sa.and_(_VOTES.c.voter_id == _P["voter_id"], _VOTES.c.entry_id == _P["entry_id"])
_ADD_VOTE = sa.insert(_VOTES).values(
    contest_id=_P["contest_id"],
    voter_id=_P["voter_id"],
    entry_id=_P["entry_id"],
    created_at=_P["now"],
)
_EVENT_COLUMNS = ["contest_id", "voter_id", "entry_id", "kind", "actor_id", "reason", "at"]


def _event_of(rows: Any) -> Any:
    """INSERT of one event per row of ``rows`` (a CTE with an entry_id column): PostgreSQL logs
    in the statement that changes the vote."""
    values = sa.select(
        _P["contest_id"],
        _P["voter_id"],
        rows.c.entry_id,
        _P["kind"],
        _P["voter_id"],
        sa.literal(""),
        _P["now"],
    )
    return sa.insert(_EVENTS).from_select(_EVENT_COLUMNS, values)


_ADD_EVENT = sa.insert(_EVENTS).values(
    contest_id=_P["contest_id"],
    voter_id=_P["voter_id"],
    entry_id=_P["entry_id"],
    kind=_P["kind"],
    actor_id=_P["voter_id"],
    reason="",
    at=_P["now"],
)


def _pg_cast() -> Any:
    """PostgreSQL, one statement: the voter's votes so far (added = false), and the new vote
    (added = true) if the budget and uniqueness allow it, with its event."""
    prior = _PRIOR.cte("prior")
    allowed = sa.and_(
        sa.select(sa.func.count()).select_from(prior).scalar_subquery() < _P["budget"],
        ~sa.exists().where(prior.c.entry_id == _P["entry_id"]),
    )
    new = (
        sa.insert(_VOTES)
        .from_select(
            ["contest_id", "voter_id", "entry_id", "created_at"],
            sa.select(_P["contest_id"], _P["voter_id"], _P["entry_id"], _P["now"]).where(allowed),
        )
        .returning(_VOTES.c.entry_id)
        .cte("new")
    )
    return (
        sa.select(prior.c.entry_id, sa.false())
        .union_all(sa.select(new.c.entry_id, sa.true()))
        .add_cte(_event_of(new).cte("logged"))
    )


def _pg_retract() -> Any:
    """PostgreSQL, one statement: delete the vote, log it, return the votes left (the deleted
    row is still visible to the rest of the statement, one snapshot, so it is left out)."""
    gone = sa.delete(_VOTES).where(_THIS).returning(_VOTES.c.entry_id).cte("gone")
    left = _PRIOR.where(_VOTES.c.entry_id != _P["entry_id"])
    return left.add_cte(_event_of(gone).cte("logged"))


_PG_CAST, _PG_RETRACT = _pg_cast(), _pg_retract()


def _lock_voter(session: Session, actor: User | None, query: Any, **params: Any) -> Any:
    """Run ``query`` as this transaction's first statement, locking the voter's row: it
    serialises this voter's clicks."""
    user = require_staff(actor)
    begin_write(session)
    row = session.exec(query, params={"voter_id": user.id, **params}).first()
    if row is None or not row[0].is_active:
        raise PermissionDenied()
    return row


def _state(contest: Contest, voter: User, voted: frozenset[int]) -> VoteState:
    budget = vote_budget(contest, voter)
    return VoteState(budget, len(voted), max(budget - len(voted), 0), voted)


def _postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _insert_vote(session: Session, budget: int, **params: Any) -> tuple[frozenset[int], bool]:
    """(the voter's votes before, whether this one was added); adds it with its event only if
    the voter has fewer than ``budget`` votes and none for this entry yet."""
    params["kind"] = VoteKind.CAST.value
    if _postgresql(session):
        rows = session.execute(_PG_CAST, {**params, "budget": budget}).all()
        return frozenset(e for e, added in rows if not added), any(a for _, a in rows)
    voted = frozenset(session.scalars(_PRIOR, params))
    if params["entry_id"] in voted or len(voted) >= budget:
        return voted, False
    session.execute(_ADD_VOTE, params)
    session.execute(_ADD_EVENT, params)
    return voted, True


def _delete_vote(session: Session, **params: Any) -> frozenset[int]:
    """Remove the voter's vote for the entry and log it; the voter's votes left."""
    params["kind"] = VoteKind.RETRACT.value
    if _postgresql(session):
        return frozenset(session.scalars(_PG_RETRACT, params))
    session.execute(sa.delete(_VOTES).where(_THIS), params)
    session.execute(_ADD_EVENT, params)
    return frozenset(session.scalars(_PRIOR, params))


def cast_vote(
    session: Session, *, actor: User | None, entry_id: int, now: datetime | None = None
) -> VoteState:
    now = now or utcnow()
    voter, author_id, status, contest = _lock_voter(session, actor, _CAST_READ, entry_id=entry_id)
    if contest is None or status != EntryStatus.ACTIVE.value or not contest.is_current:
        raise NotFound("error.vote.entry_unavailable")
    ensure_voting_open(contest, now)
    refuse_while_published(session, contest, entry_id=entry_id)
    if author_id == voter.id:
        raise PermissionDenied("error.vote.own_entry")
    budget = vote_budget(contest, voter)
    voted, added = _insert_vote(
        session, budget, contest_id=contest.id, voter_id=voter.id, entry_id=entry_id, now=now
    )
    if not added:
        if entry_id in voted:
            raise InvalidState("error.vote.already_voted")
        raise BudgetExhausted(limit=budget)
    return _state(contest, voter, voted | {entry_id})


def retract_vote(
    session: Session, *, actor: User | None, entry_id: int, now: datetime | None = None
) -> VoteState:
    """Take a vote back while the window is open, whatever became of the poster since; once
    voting has closed the refusal says so in those words."""
    now = now or utcnow()
    voter, contest = _lock_voter(session, actor, _RETRACT_READ, entry_id=entry_id)
    if contest is None:
        raise InvalidState("error.vote.not_voted")
    if voting_closed(contest, now):
        raise WindowClosed("error.vote.retract_closed")
    ensure_voting_open(contest, now)
    refuse_while_published(session, contest, entry_id=entry_id)
    left = _delete_vote(
        session, contest_id=contest.id, voter_id=voter.id, entry_id=entry_id, now=now
    )
    return _state(contest, voter, left)


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
    reason = typed("reason", reason)
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
        raise NotFound(what=phrase("thing.vote"))
    contest = get_contest(session, vote.contest_id)
    refuse_while_published(session, contest, entry_id=vote.entry_id)
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
    voter_id: int | None,
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
