"""What the home page tells a signed-in user about the current contest."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, func, select

from contest.contests.queries import current_contest
from contest.contests.windows import submission_window, voting_window
from contest.core.authz import require_staff
from contest.core.models import Contest, Entry, EntryStatus, User
from contest.core.timeutil import utcnow
from contest.entries.queries import count_entries


@dataclass(frozen=True)
class Overview:
    contest: Contest
    submission_open: bool
    voting_open: bool
    entries_total: int
    my_entries: int
    entries_left: int


def overview(
    session: Session, *, actor: User | None, now: datetime | None = None
) -> Overview | None:
    """None when no contest is current yet."""
    user = require_staff(actor)
    contest = current_contest(session)
    if contest is None:
        return None
    now = now or utcnow()
    total = session.exec(
        select(func.count()).where(
            Entry.contest_id == contest.id, Entry.status == EntryStatus.ACTIVE.value
        )
    ).one()
    mine = count_entries(session, contest_id=contest.id or 0, author_id=user.id or 0)
    return Overview(
        contest=contest,
        submission_open=submission_window(contest).contains(now),
        voting_open=voting_window(contest).contains(now),
        entries_total=total,
        my_entries=mine,
        entries_left=max(contest.entries_per_person - mine, 0),
    )
