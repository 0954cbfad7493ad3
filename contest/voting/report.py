"""Signs of organised or scripted voting, for an admin to look into (and void votes if needed).

Nothing here decides: it lists votes per hour, voters who spent their whole budget in a few
seconds, and departments whose votes went mostly to their own department's posters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from sqlmodel import Session, col, select

from contest.contests.queries import get_contest
from contest.contests.rules import vote_budget
from contest.core.authz import require_admin
from contest.core.models import Contest, Entry, EntryStatus, User, Vote, VoteEvent
from contest.core.timeutil import local


@dataclass(frozen=True)
class FastVoter:
    voter_id: int
    employee_no: str
    name: str
    department: str
    first_at: datetime
    last_at: datetime
    seconds: float
    casts: int


@dataclass(frozen=True)
class VoteRow:
    vote_id: int
    voter_id: int
    voter: str  # name (employee number)
    department: str
    entry_id: int
    number: int
    title: str
    at: datetime


@dataclass(frozen=True)
class VoteReport:
    timezone: str
    per_hour: pd.DataFrame  # hour (local), cast, retract, void
    fast_voters: list[FastVoter]
    departments: pd.DataFrame  # department, votes, own_votes, own_share, entry_share, flagged


def integrity_report(
    session: Session,
    *,
    actor: User | None,
    contest_id: int,
    within_seconds: float = 10.0,
    block_share: float = 0.8,
    block_min_votes: int = 5,
) -> VoteReport:
    require_admin(actor)
    contest = get_contest(session, contest_id)
    events = session.exec(
        select(VoteEvent.voter_id, VoteEvent.kind, VoteEvent.at)
        .where(VoteEvent.contest_id == contest_id)
        .order_by(col(VoteEvent.at), col(VoteEvent.id))
    ).all()
    return VoteReport(
        timezone=contest.timezone,
        per_hour=votes_per_hour(events, contest.timezone),
        fast_voters=fast_voters(session, contest, events, within_seconds),
        departments=department_blocks(session, contest_id, block_share, block_min_votes),
    )


def votes_per_hour(
    events: Sequence[tuple[int | None, str, datetime]], tz_name: str
) -> pd.DataFrame:
    """Event counts per local clock hour, one column per kind (cast, retract, void)."""
    frame = pd.DataFrame(
        [(local(at, tz_name).replace(minute=0, second=0, microsecond=0), k) for _, k, at in events],
        columns=["hour", "kind"],
    )
    table = pd.crosstab(frame["hour"], frame["kind"]) if len(frame) else pd.DataFrame()
    table = table.reindex(columns=["cast", "retract", "void"], fill_value=0)
    table.columns.name = None
    return table.reset_index().rename(columns={"index": "hour"})


def fast_voters(
    session: Session,
    contest: Contest,
    events: Sequence[tuple[int | None, str, datetime]],
    within_seconds: float,
) -> list[FastVoter]:
    """Voters who cast their whole budget in a row inside ``within_seconds`` (the fastest
    run). Votes whose voter was purged (None) name nobody and are left out."""
    casts: dict[int, list[datetime]] = {}
    for voter_id, kind, at in events:
        if kind == "cast" and voter_id is not None:
            casts.setdefault(voter_id, []).append(at)
    if not casts:
        return []
    users = {u.id: u for u in session.exec(select(User).where(col(User.id).in_(list(casts)))).all()}
    found: dict[int, tuple[datetime, datetime, float, int]] = {}
    for voter_id, times in casts.items():
        budget = vote_budget(contest, users[voter_id])
        runs = [(times[i], times[i + budget - 1]) for i in range(len(times) - budget + 1)]
        if not runs:
            continue
        first, last = min(runs, key=lambda run: run[1] - run[0])
        span = (last - first).total_seconds()
        if span <= within_seconds:
            found[voter_id] = (first, last, span, len(times))
    return sorted(
        (
            FastVoter(
                voter_id,
                users[voter_id].employee_no,
                users[voter_id].name,
                users[voter_id].department,
                *found[voter_id],
            )
            for voter_id in found
        ),
        key=lambda v: (v.seconds, v.voter_id),
    )


def department_blocks(
    session: Session, contest_id: int, share: float, min_votes: int
) -> pd.DataFrame:
    """Per voting department: share of its votes to its own department vs. its share of posters.

    Flagged when at least ``min_votes`` votes, at least ``share`` of them to its own department,
    and that share is above the department's share of posters (a big department is not suspect
    for voting for its many posters at the rate they exist).
    """
    columns = ["department", "votes", "own_votes", "own_share", "entry_share", "flagged"]
    entries = session.exec(
        select(Entry.id, User.department)
        .join(User, col(User.id) == col(Entry.author_id))
        .where(Entry.contest_id == contest_id, Entry.status == EntryStatus.ACTIVE.value)
    ).all()
    entry_department = dict(entries)
    # The metaclass sets __table__ on table models; SQLModel does not declare it.
    voter = User.__table__.alias("voter")  # type: ignore[attr-defined]
    votes = session.exec(
        select(voter.c.department, Vote.entry_id)
        .join(voter, voter.c.id == col(Vote.voter_id))
        .where(Vote.contest_id == contest_id)
    ).all()
    rows = []
    for department in sorted({d for d, e in votes if e in entry_department}):
        mine = [e for d, e in votes if d == department and e in entry_department]
        own = sum(1 for e in mine if entry_department[e] == department)
        own_share = own / len(mine)
        entry_share = sum(1 for d in entry_department.values() if d == department) / len(entries)
        flagged = len(mine) >= min_votes and own_share >= share and own_share > entry_share
        rows.append((department, len(mine), own, own_share, entry_share, flagged))
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["flagged", "own_share"], ascending=False, ignore_index=True)


def votes_in_force(session: Session, *, actor: User | None, contest_id: int) -> list[VoteRow]:
    """Every vote that counts now, newest first: what an admin may void."""
    require_admin(actor)
    rows = session.exec(
        select(Vote, User, Entry)
        .join(User, col(User.id) == col(Vote.voter_id))
        .join(Entry, col(Entry.id) == col(Vote.entry_id))
        .where(Vote.contest_id == contest_id)
        .order_by(col(Vote.created_at).desc(), col(Vote.id).desc())
    ).all()
    return [
        VoteRow(
            vote.id or 0,
            voter.id or 0,
            f"{voter.name} ({voter.employee_no})",
            voter.department,
            entry.id or 0,
            entry.number,
            entry.title,
            vote.created_at,
        )
        for vote, voter, entry in rows
    ]
