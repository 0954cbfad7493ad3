"""Judges score the locked shortlist on the contest's rubric; admins watch the progress.

Judging is blind: a judge's queue carries no author and no department. A judge never scores
their own entry; when the contest says so, none from their own department, and none at all of a
shortlist their own poster competes in (``officials_entering``: recuse); a declared conflict
takes the entry off their list and clears its scores. ``judging_barrier`` is the one answer to
"may this judge score this poster", asked by the queue, saving a score, the progress figures and
the panel (judging/panel.py: who could be appointed).
"""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlmodel import Session, col, select

from contest.contests.phases import require_phase
from contest.contests.queries import get_contest
from contest.contests.rules import TEXT_LIMITS, typed
from contest.core import audit
from contest.core.authz import require_admin, require_judge
from contest.core.db import begin_write
from contest.core.errors import InvalidInput, InvalidState, NotFound, PermissionDenied
from contest.core.i18n import phrase
from contest.core.models import (
    Contest,
    ContestPhase,
    Entry,
    ImageObject,
    JudgeScore,
    OfficialsEntering,
    Role,
    User,
)
from contest.core.timeutil import utcnow
from contest.entries.disclosure import Disclosure
from contest.images.provenance.describe import FileRecord
from contest.judging.queries import competing_authors, shortlisted_ids

# Judges may look at their list from the lock on; they save scores only while judging is open.
VIEW_PHASES = (
    ContestPhase.SHORTLIST_LOCKED,
    ContestPhase.JUDGING,
    ContestPhase.JUDGING_CLOSED,
    ContestPhase.FINALISED,
)


@dataclass(frozen=True)
class JudgeItem(Disclosure):
    """One poster as a judge sees it: the work and its AI disclosure, never its author."""

    display_key: str
    thumb_key: str
    file_record: FileRecord  # what the file said about its making (tools only, never a person)
    scores: dict[str, int] = field(default_factory=dict)
    comment: str = ""
    saved_at: datetime | None = None  # when this judge last saved a score for it

    @property
    def scored(self) -> bool:
        return bool(self.scores)


@dataclass(frozen=True)
class Progress:
    scored: int
    total: int


@dataclass(frozen=True)
class JudgeProgressRow:
    judge_id: int
    name: str
    department: str
    scored: int
    assigned: int
    conflicts: int


@dataclass(frozen=True)
class EntryProgressRow:
    entry_id: int
    number: int
    title: str
    scored: int
    conflicts: int
    eligible: int
    quorum_met: bool


@dataclass(frozen=True)
class JudgingProgress:
    judges: list[JudgeProgressRow]
    entries: list[EntryProgressRow]


class Barrier(StrEnum):
    """Why one judge may not score one poster."""

    OWN = "own"  # the judge made it
    COMPETING = "competing"  # the judge's own poster is in the shortlist, and the contest recuses
    DEPARTMENT = "department"  # same department, and the contest excludes that
    CONFLICT = "conflict"  # the judge declared a conflict (judging/panel.py reads the scores)


def judging_barrier(
    contest: Contest, judge: User, author: User, *, competing: Set[int]
) -> Barrier | None:
    """Why ``judge`` may not score a poster by ``author`` (None: they may). ``competing`` are
    the authors with a poster in the shortlist (judging.queries.competing_authors): where the
    contest does not simply allow judges to enter, a judge among them scores none of it."""
    if author.id == judge.id:
        return Barrier.OWN
    if contest.officials_entering != OfficialsEntering.ALLOWED and judge.id in competing:
        return Barrier.COMPETING
    if contest.judges_exclude_own_department and author.department == judge.department:
        return Barrier.DEPARTMENT
    return None


# What saving a score says for each barrier (a declared conflict is refused with its own words).
REFUSALS = {
    Barrier.OWN: "error.judging.own_entry",
    Barrier.COMPETING: "error.judging.competing",
    Barrier.DEPARTMENT: "error.judging.own_department",
}


def may_judge(contest: Contest, judge: User, author: User, *, competing: Set[int]) -> bool:
    """Whether ``judge`` may score a poster by ``author`` (see ``judging_barrier``)."""
    return judging_barrier(contest, judge, author, competing=competing) is None


def _shortlisted_entries(session: Session, contest_id: int) -> Sequence[tuple[Entry, User]]:
    ids = shortlisted_ids(session, contest_id)
    return session.exec(
        select(Entry, User)
        .join(User, col(Entry.author_id) == col(User.id))
        .where(col(Entry.id).in_(ids))
        .order_by(col(Entry.number))
    ).all()


def _scores_by_entry(session: Session, contest_id: int, judge_id: int) -> dict[int, JudgeScore]:
    rows = session.exec(
        select(JudgeScore).where(
            JudgeScore.contest_id == contest_id, JudgeScore.judge_id == judge_id
        )
    ).all()
    return {row.entry_id: row for row in rows}


def judge_queue(session: Session, *, actor: User | None, contest_id: int) -> list[JudgeItem]:
    """The judge's shortlisted posters (minus own, excluded and conflicted) with saved scores."""
    judge = require_judge(actor)
    contest = get_contest(session, contest_id)
    require_phase(contest, *VIEW_PHASES)
    saved = _scores_by_entry(session, contest_id, judge.id or 0)
    competing = competing_authors(session, contest_id)
    pairs = [
        (entry, saved.get(entry.id or 0))
        for entry, author in _shortlisted_entries(session, contest_id)
        if may_judge(contest, judge, author, competing=competing)
    ]
    images = {
        image.id: image
        for image in session.exec(
            select(ImageObject).where(col(ImageObject.id).in_([e.image_id for e, _ in pairs]))
        ).all()
    }
    return [
        JudgeItem(
            **Disclosure.of(entry),
            display_key=images[entry.image_id].display_key,
            thumb_key=images[entry.image_id].thumb_key,
            file_record=FileRecord.of(
                images[entry.image_id].provenance, entry.ai_tools, entry.ai_tools_other
            ),
            scores=dict(score.scores) if score else {},
            comment=score.comment if score else "",
            saved_at=score.updated_at if score and score.scores else None,
        )
        for entry, score in pairs
        if not (score and score.conflict)
    ]


def judge_progress(session: Session, *, actor: User | None, contest_id: int) -> Progress:
    queue = judge_queue(session, actor=actor, contest_id=contest_id)
    return Progress(scored=sum(item.scored for item in queue), total=len(queue))


def validate_scores(rubric: Sequence[dict[str, Any]], scores: dict[str, int]) -> dict[str, int]:
    """Every criterion present, an integer within its range, and nothing else."""
    keys = {str(c["key"]) for c in rubric}
    unknown = set(scores) - keys
    if unknown:
        raise InvalidInput("error.judging.unknown_criterion", names=", ".join(sorted(unknown)))
    clean: dict[str, int] = {}
    for criterion in rubric:
        key, low, high = str(criterion["key"]), int(criterion["min"]), int(criterion["max"])
        value = scores.get(key)
        if value is None:
            raise InvalidInput("error.judging.missing_score", criterion=criterion["label"])
        if isinstance(value, bool) or int(value) != value or not low <= int(value) <= high:
            raise InvalidInput(
                "error.judging.out_of_range", criterion=criterion["label"], low=low, high=high
            )
        clean[key] = int(value)
    return clean


def _judgeable(
    session: Session, judge: User, entry_id: int, *phases: ContestPhase
) -> tuple[Contest, Entry, JudgeScore | None]:
    begin_write(session)
    entry = session.get(Entry, entry_id)
    if entry is None:
        raise NotFound(what=phrase("thing.entry"))
    contest = get_contest(session, entry.contest_id)
    require_phase(contest, *phases)
    author = session.get(User, entry.author_id)
    assert author is not None
    competing = competing_authors(session, contest.id or 0)
    barrier = judging_barrier(contest, judge, author, competing=competing)
    if barrier is not None:
        raise PermissionDenied(REFUSALS[barrier])
    if entry_id not in shortlisted_ids(session, contest.id or 0):
        raise PermissionDenied("error.judging.not_shortlisted")
    score = session.exec(
        select(JudgeScore).where(JudgeScore.judge_id == judge.id, JudgeScore.entry_id == entry_id)
    ).first()
    return contest, entry, score


def save_score(
    session: Session,
    *,
    actor: User | None,
    entry_id: int,
    scores: dict[str, int],
    comment: str = "",
) -> JudgeScore:
    """Create or replace this judge's score for one shortlisted entry, while judging is open."""
    judge = require_judge(actor)
    contest, entry, row = _judgeable(session, judge, entry_id, ContestPhase.JUDGING)
    if row is not None and row.conflict:
        raise InvalidState("error.judging.conflict_declared")
    clean = validate_scores(contest.rubric, scores)
    if len(comment.strip()) > (limit := TEXT_LIMITS["comment"]):
        raise InvalidInput("error.judging.comment_too_long", limit=limit)
    before = dict(row.scores) if row else {}
    row = row or JudgeScore(contest_id=contest.id or 0, judge_id=judge.id or 0, entry_id=entry_id)
    row.scores, row.comment, row.updated_at = clean, comment.strip(), utcnow()
    session.add(row)
    audit.record(
        session,
        actor=judge,
        action="judging.score",
        contest_id=contest.id,
        target_type="entry",
        target_id=entry.id,
        details={"before": before, "after": clean},
    )
    return row


def declare_conflict(
    session: Session, *, actor: User | None, entry_id: int, reason: str
) -> JudgeScore:
    """Step aside from one entry: it leaves the judge's list and any scores are cleared."""
    judge = require_judge(actor)
    reason = typed("reason", reason, required=True)
    contest, entry, row = _judgeable(
        session, judge, entry_id, ContestPhase.SHORTLIST_LOCKED, ContestPhase.JUDGING
    )
    row = row or JudgeScore(contest_id=contest.id or 0, judge_id=judge.id or 0, entry_id=entry_id)
    row.scores, row.comment, row.updated_at = {}, "", utcnow()
    row.conflict, row.conflict_reason = True, reason
    session.add(row)
    audit.record(
        session,
        actor=judge,
        action="judging.conflict",
        contest_id=contest.id,
        target_type="entry",
        target_id=entry.id,
        reason=reason.strip(),
    )
    return row


def judging_progress(session: Session, *, actor: User | None, contest_id: int) -> JudgingProgress:
    """Per judge: scored of assigned; per entry: scores, conflicts and whether quorum is met."""
    require_admin(actor)
    contest = get_contest(session, contest_id)
    judges = session.exec(
        select(User)
        .where(User.role == Role.JUDGE.value, col(User.is_active))
        .order_by(col(User.id))
    ).all()
    entries = _shortlisted_entries(session, contest_id)
    rows = session.exec(select(JudgeScore).where(JudgeScore.contest_id == contest_id)).all()
    status = {(r.judge_id, r.entry_id): ("conflict" if r.conflict else "scored") for r in rows}
    competing = competing_authors(session, contest_id)
    pairs = {
        (judge.id, entry.id): status.get((judge.id or 0, entry.id or 0), "open")
        for judge in judges
        for entry, author in entries
        if may_judge(contest, judge, author, competing=competing)
    }

    def count(kind: str, *, judge_id: int | None = None, entry_id: int | None = None) -> int:
        return sum(
            1
            for (j, e), value in pairs.items()
            if value == kind and judge_id in (None, j) and entry_id in (None, e)
        )

    return JudgingProgress(
        judges=[
            JudgeProgressRow(
                judge_id=j.id or 0,
                name=j.name,
                department=j.department,
                scored=count("scored", judge_id=j.id),
                assigned=sum(
                    1 for (jid, _e), v in pairs.items() if jid == j.id and v != "conflict"
                ),
                conflicts=count("conflict", judge_id=j.id),
            )
            for j in judges
        ],
        entries=[
            EntryProgressRow(
                entry_id=e.id or 0,
                number=e.number,
                title=e.title,
                scored=count("scored", entry_id=e.id),
                conflicts=count("conflict", entry_id=e.id),
                eligible=sum(1 for (_j, eid) in pairs if eid == e.id),
                quorum_met=count("scored", entry_id=e.id) >= contest.judge_quorum,
            )
            for e, _author in entries
        ],
    )
