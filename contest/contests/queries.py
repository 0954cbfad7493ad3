"""Reading contests without an actor check: internal to contest/, never imported by pages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, col, func, select

from contest.contests.freezes import LATE_CHANGE
from contest.core.errors import NotFound
from contest.core.i18n import phrase
from contest.core.models import AuditEvent, Contest, Entry, EntryStatus, Vote


def get_contest(session: Session, contest_id: int) -> Contest:
    contest = session.get(Contest, contest_id)
    if contest is None:
        raise NotFound(what=phrase("thing.contest"))
    return contest


def current_contest(session: Session) -> Contest | None:
    return session.exec(select(Contest).where(col(Contest.is_current))).first()


def require_current(session: Session) -> Contest:
    contest = current_contest(session)
    if contest is None:
        raise NotFound("error.contest.none_current")
    return contest


def list_contests(session: Session) -> Sequence[Contest]:
    return session.exec(select(Contest).order_by(col(Contest.year).desc(), col(Contest.id))).all()


def late_changes(session: Session, contest_id: int) -> list[dict[str, Any]]:
    """Every save that changed a setting already frozen (contests/freezes.py), oldest first:
    when, by whom, why, and each setting before -> after. The results record lists them."""
    rows = session.exec(
        select(AuditEvent)
        .where(AuditEvent.contest_id == contest_id, AuditEvent.action == LATE_CHANGE)
        .order_by(col(AuditEvent.at), col(AuditEvent.id))
    ).all()
    return [
        {
            "at": row.at.isoformat(),
            "by": row.actor_id,
            "reason": row.reason,
            "changes": {
                name: change
                for name, change in row.details.get("changes", {}).items()
                if name in row.details.get("late", [])
            },
        }
        for row in rows
    ]


def top_votes(session: Session, contest_id: int) -> int:
    """The most votes any competing poster of the contest has now."""
    counts = (
        select(func.count().label("n"))
        .select_from(Vote)
        .join(Entry, col(Entry.id) == col(Vote.entry_id))
        .where(Vote.contest_id == contest_id, Entry.status == EntryStatus.ACTIVE.value)
        .group_by(col(Vote.entry_id))
        .subquery()
    )
    return int(session.exec(select(func.max(counts.c.n))).one() or 0)
