"""What the home page and the admin's contest screen show."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, func, select

from contest.contests.queries import current_contest, get_contest, list_contests
from contest.contests.rules import entry_limit, vote_budget
from contest.contests.windows import submission_open, voting_open
from contest.core.authz import require_admin, require_staff
from contest.core.models import Contest, Entry, EntryStatus, User
from contest.entries.queries import count_entries


@dataclass(frozen=True)
class HomeView:
    contest: Contest | None  # None until an admin makes a contest current
    submission_open: bool = False
    voting_open: bool = False
    entries_total: int = 0
    my_entries: int = 0
    entry_limit: int = 0
    vote_budget: int = 0

    @property
    def entries_left(self) -> int:
        return max(self.entry_limit - self.my_entries, 0)


def home_view(session: Session, *, actor: User | None, now: datetime | None = None) -> HomeView:
    """The current contest at a glance for one colleague."""
    user = require_staff(actor)
    contest = current_contest(session)
    if contest is None:
        return HomeView(contest=None)
    total = session.exec(
        select(func.count()).where(
            Entry.contest_id == contest.id, Entry.status == EntryStatus.ACTIVE.value
        )
    ).one()
    return HomeView(
        contest=contest,
        submission_open=submission_open(contest, now),
        voting_open=voting_open(contest, now),
        entries_total=total,
        my_entries=count_entries(session, contest_id=contest.id or 0, author_id=user.id or 0),
        entry_limit=entry_limit(contest, user),
        vote_budget=vote_budget(contest, user),
    )


@dataclass(frozen=True)
class ContestAdminView:
    contests: Sequence[Contest]  # newest year first
    chosen: Contest | None  # the one being edited: the requested one, else the current one


def contest_admin_view(
    session: Session, *, actor: User | None, chosen_id: int | None = None
) -> ContestAdminView:
    require_admin(actor)
    contests = list_contests(session)
    if chosen_id is not None and any(c.id == chosen_id for c in contests):
        chosen: Contest | None = get_contest(session, chosen_id)
    else:
        chosen = next((c for c in contests if c.is_current), contests[0] if contests else None)
    return ContestAdminView(contests=contests, chosen=chosen)
