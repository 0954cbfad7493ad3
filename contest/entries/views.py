"""What the home page, the submission screen, the author's own entries and the moderation
screen show."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlmodel import Session, func, select

from contest.contests.phases import results_published
from contest.contests.published import published_awards
from contest.contests.queries import current_contest, require_current
from contest.contests.rules import TEXT_LIMITS, entry_limit, may_enter, vote_budget
from contest.contests.windows import (
    WindowStatus,
    submission_open,
    submission_window,
    voting_window,
)
from contest.core.authz import require_admin, require_staff
from contest.core.models import Contest, Entry, EntryStatus, User, Vote
from contest.entries.moderation import ModerationRow, moderation_list
from contest.entries.queries import count_entries
from contest.entries.submissions import AI_TOOLS, my_entries

EDITABLE_STATUSES = frozenset({EntryStatus.ACTIVE.value, EntryStatus.HIDDEN.value})


class Stage(StrEnum):
    """Where the contest stands for a colleague, which the home page follows."""

    BEFORE = "before"  # nothing open yet
    SUBMITTING = "submitting"  # posters are taken; voting has not begun
    VOTING = "voting"  # colleagues vote (posters may still be taken)
    COUNTING = "counting"  # voting has closed; the winners are not public yet
    PUBLISHED = "published"  # the winners are public


@dataclass(frozen=True)
class HomeView:
    contest: Contest | None  # None until an admin makes a contest current
    stage: Stage = Stage.BEFORE
    submission: WindowStatus = WindowStatus.BEFORE
    voting: WindowStatus = WindowStatus.BEFORE
    entries_total: int = 0
    my_entries: int = 0
    entry_limit: int = 0
    vote_budget: int = 0
    votes_used: int = 0

    @property
    def entries_left(self) -> int:
        return max(self.entry_limit - self.my_entries, 0)

    @property
    def votes_left(self) -> int:
        return max(self.vote_budget - self.votes_used, 0)


def _stage(contest: Contest, submission: WindowStatus, voting: WindowStatus) -> Stage:
    if results_published(contest):
        return Stage.PUBLISHED
    if voting == WindowStatus.OPEN:
        return Stage.VOTING
    if voting == WindowStatus.CLOSED:
        return Stage.COUNTING
    return Stage.SUBMITTING if submission == WindowStatus.OPEN else Stage.BEFORE


def home_view(session: Session, *, actor: User | None, now: datetime | None = None) -> HomeView:
    """The current contest at a glance for one colleague, following its stage."""
    user = require_staff(actor)
    contest = current_contest(session)
    if contest is None:
        return HomeView(contest=None)
    total = session.exec(
        select(func.count()).where(
            Entry.contest_id == contest.id, Entry.status == EntryStatus.ACTIVE.value
        )
    ).one()
    used = session.exec(
        select(func.count()).where(Vote.contest_id == contest.id, Vote.voter_id == user.id)
    ).one()
    submission = submission_window(contest).status(now)
    voting = voting_window(contest).status(now)
    return HomeView(
        contest=contest,
        stage=_stage(contest, submission, voting),
        submission=submission,
        voting=voting,
        entries_total=total,
        my_entries=count_entries(session, contest_id=contest.id or 0, author_id=user.id or 0),
        entry_limit=entry_limit(contest, user),
        vote_budget=vote_budget(contest, user),
        votes_used=used,
    )


@dataclass(frozen=True)
class EntryForm:
    """What the poster form offers and accepts."""

    themes: tuple[str, ...]
    ai_tools: tuple[str, ...]
    text_limits: Mapping[str, int]
    share_default: bool  # whether "share how I made it" starts ticked (a contest setting)


def _form(contest: Contest) -> EntryForm:
    return EntryForm(tuple(contest.themes), AI_TOOLS, TEXT_LIMITS, contest.share_making_default)


@dataclass(frozen=True)
class SubmitView:
    contest: Contest | None
    submission_open: bool = False
    entry_limit: int = 0
    entries_left: int = 0
    form: EntryForm | None = None
    may_enter: bool = True  # False: the contest rules judges and admins out of entering


def submit_view(session: Session, *, actor: User | None, now: datetime | None = None) -> SubmitView:
    user = require_staff(actor)
    contest = current_contest(session)
    if contest is None:
        return SubmitView(contest=None)
    limit = entry_limit(contest, user)
    mine = count_entries(session, contest_id=contest.id or 0, author_id=user.id or 0)
    return SubmitView(
        contest=contest,
        submission_open=submission_open(contest, now),
        entry_limit=limit,
        entries_left=max(limit - mine, 0),
        form=_form(contest),
        may_enter=may_enter(contest, user),
    )


@dataclass(frozen=True)
class MyEntry:
    entry: Entry
    thumb_key: str
    editable: bool  # the author may still edit or withdraw it
    award: str | None = None  # the award it won, once the results are published


@dataclass(frozen=True)
class MyEntriesView:
    contest: Contest | None
    submission_open: bool = False
    entries: tuple[MyEntry, ...] = ()
    form: EntryForm | None = None


def my_entries_view(
    session: Session, *, actor: User | None, now: datetime | None = None
) -> MyEntriesView:
    require_staff(actor)
    contest = current_contest(session)
    if contest is None:
        return MyEntriesView(contest=None)
    is_open = submission_open(contest, now)
    rows = my_entries(session, actor=actor, contest_id=contest.id or 0)
    awards = published_awards(session, contest)
    return MyEntriesView(
        contest=contest,
        submission_open=is_open,
        entries=tuple(
            MyEntry(
                entry,
                image.thumb_key,
                is_open and entry.status in EDITABLE_STATUSES,
                awards.get(entry.id or 0),
            )
            for entry, image in rows
        ),
        form=_form(contest),
    )


@dataclass(frozen=True)
class ModerationView:
    timezone: str
    rows: tuple[ModerationRow, ...]


def moderation_view(
    session: Session, *, actor: User | None, status: str | None = None
) -> ModerationView:
    require_admin(actor)
    contest = require_current(session)
    rows = moderation_list(session, actor=actor, contest_id=contest.id or 0, status=status)
    return ModerationView(timezone=contest.timezone, rows=tuple(rows))
