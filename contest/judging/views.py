"""What the judges' screen and the admin's judging and results screens show, and the winners."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from contest.contests.phases import NEXT_STEP
from contest.contests.queries import current_contest, require_current
from contest.core.authz import require_admin, require_judge, require_staff
from contest.core.errors import InvalidState
from contest.core.models import Contest, ContestPhase, ShortlistItem, User
from contest.entries.moderation import moderation_list
from contest.judging.queries import shortlist_items
from contest.judging.results import (
    Winner,
    published_results,
)
from contest.judging.scoring import JudgeItem, JudgingProgress, judge_queue, judging_progress
from contest.voting.queries import vote_counts


@dataclass(frozen=True)
class JudgeView:
    open: bool  # the shortlist is locked: the judge may look at it
    editable: bool  # judging is open: scores may be saved
    rubric: tuple[dict[str, Any], ...]
    queue: tuple[JudgeItem, ...]

    @property
    def scored(self) -> int:
        return sum(item.scored for item in self.queue)


def judge_view(session: Session, *, actor: User | None) -> JudgeView:
    """The judge's blind queue with saved scores; closed until the shortlist is locked."""
    require_judge(actor)
    contest = require_current(session)
    try:
        queue = judge_queue(session, actor=actor, contest_id=contest.id or 0)
    except InvalidState:
        return JudgeView(open=False, editable=False, rubric=(), queue=())
    return JudgeView(
        open=True,
        editable=contest.phase == ContestPhase.JUDGING,
        rubric=tuple(contest.rubric),
        queue=tuple(queue),
    )


@dataclass(frozen=True)
class ShortlistRow:
    entry_id: int
    number: int
    title: str
    votes: int
    item: ShortlistItem | None  # None: not on the shortlist


@dataclass(frozen=True)
class JudgingAdminView:
    contest_id: int
    phase: ContestPhase
    steps: tuple[str, ...]  # the lifecycle steps this page offers, in order
    next_step: str | None
    entries: tuple[ShortlistRow, ...]  # active entries, most votes first
    progress: JudgingProgress


STEPS = ("close_voting", "build_shortlist", "lock_shortlist", "open_judging", "close_judging")


def judging_admin_view(session: Session, *, actor: User | None) -> JudgingAdminView:
    require_admin(actor)
    contest = require_current(session)
    cid = contest.id or 0
    listed = {item.entry_id: item for item in shortlist_items(session, cid)}
    votes = vote_counts(session, contest_id=cid)
    rows = [
        ShortlistRow(
            r.entry.id or 0,
            r.entry.number,
            r.entry.title,
            votes.get(r.entry.id or 0, 0),
            listed.get(r.entry.id or 0),
        )
        for r in moderation_list(session, actor=actor, contest_id=cid, status="active")
    ]
    phase = ContestPhase(contest.phase)
    return JudgingAdminView(
        contest_id=cid,
        phase=phase,
        steps=STEPS,
        next_step=NEXT_STEP.get(phase),
        entries=tuple(sorted(rows, key=lambda r: -r.votes)),
        progress=judging_progress(session, actor=actor, contest_id=cid),
    )


@dataclass(frozen=True)
class WinnersView:
    contest: Contest | None
    published: bool
    winners: Sequence[Winner]


def winners_view(session: Session, *, actor: User | None) -> WinnersView:
    require_staff(actor)
    contest = current_contest(session)
    if contest is None:
        return WinnersView(contest=None, published=False, winners=())
    try:
        winners = published_results(session, actor=actor, contest_id=contest.id or 0)
    except InvalidState:
        return WinnersView(contest=contest, published=False, winners=())
    return WinnersView(contest=contest, published=True, winners=tuple(winners))
