"""What the judges' screen and the admin's judging and results screens show, and the winners."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from contest.contests.phases import results_published
from contest.contests.queries import current_contest, require_current
from contest.core.authz import require_admin, require_judge, require_staff
from contest.core.errors import InvalidState
from contest.core.models import Contest, ContestPhase, ShortlistItem, User
from contest.entries.moderation import moderation_list
from contest.judging.publication import Board, published_board
from contest.judging.queries import shortlist_items
from contest.judging.scoring import JudgeItem, judge_queue
from contest.voting.queries import vote_counts


@dataclass(frozen=True)
class JudgeView:
    open: bool  # the shortlist is locked: the judge may look at it
    editable: bool  # judging is open: scores may be saved
    rubric: tuple[dict[str, Any], ...]
    queue: tuple[JudgeItem, ...]
    timezone: str = "Asia/Seoul"

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
        timezone=contest.timezone,
    )


@dataclass(frozen=True)
class ShortlistRow:
    entry_id: int
    number: int
    title: str
    votes: int
    item: ShortlistItem | None  # None: not on the shortlist


def shortlist_rows(session: Session, *, actor: User | None, contest_id: int) -> list[ShortlistRow]:
    """Every active entry with its votes and shortlist row, most votes first."""
    require_admin(actor)
    listed = {item.entry_id: item for item in shortlist_items(session, contest_id)}
    votes = vote_counts(session, contest_id=contest_id)
    rows = [
        ShortlistRow(
            r.entry.id or 0,
            r.entry.number,
            r.entry.title,
            votes.get(r.entry.id or 0, 0),
            listed.get(r.entry.id or 0),
        )
        for r in moderation_list(session, actor=actor, contest_id=contest_id, status="active")
    ]
    return sorted(rows, key=lambda r: (-r.votes, r.number))


@dataclass(frozen=True)
class WinnersView:
    contest: Contest | None
    board: Board | None  # None until the results are published


def winners_view(session: Session, *, actor: User | None) -> WinnersView:
    require_staff(actor)
    contest = current_contest(session)
    if contest is None or not results_published(contest):
        return WinnersView(contest=contest, board=None)
    return WinnersView(
        contest=contest, board=published_board(session, actor=actor, contest_id=contest.id or 0)
    )
