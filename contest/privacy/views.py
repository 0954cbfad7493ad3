"""The admin's privacy page (each contest's retention date, the purge's preview) and the notice
on the sign-in page that tells staff how long their records are kept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from contest.contests.queries import current_contest
from contest.core.authz import require_admin
from contest.core.models import Contest, User
from contest.core.timeutil import utcnow
from contest.privacy.plan import PurgePlan, plan
from contest.privacy.retention import Retention, retention


@dataclass(frozen=True)
class ContestRetention:
    contest_id: int
    name: str
    timezone: str
    retention: Retention
    due: bool  # over and not purged yet


@dataclass(frozen=True)
class PrivacyView:
    contests: tuple[ContestRetention, ...]  # newest first
    chosen: ContestRetention | None
    plan: PurgePlan | None  # what the purge of ``chosen`` would do, once it is due


def privacy_view(
    session: Session,
    *,
    actor: User | None,
    contest_id: int | None = None,
    now: datetime | None = None,
) -> PrivacyView:
    """Every contest's retention; the chosen one (else the first due, else the newest) with the
    purge's numbers when it is due."""
    require_admin(actor)
    now = now or utcnow()
    rows = tuple(
        ContestRetention(c.id or 0, c.name, c.timezone, retention(c), retention(c).due(now))
        for c in session.exec(select(Contest).order_by(col(Contest.id).desc())).all()
    )
    chosen = next((r for r in rows if r.contest_id == contest_id), None)
    chosen = chosen or next((r for r in rows if r.due), None) or next(iter(rows), None)
    numbers = None
    if chosen is not None and chosen.due:
        contest = session.get(Contest, chosen.contest_id)
        numbers = plan(session, contest, now) if contest is not None else None
    return PrivacyView(rows, chosen, numbers)


@dataclass(frozen=True)
class Notice:
    """How long the current contest keeps its records of people, for anyone about to sign in."""

    contest_name: str
    days: int
    until: datetime | None  # known once the results are published
    timezone: str
    purged: bool


def privacy_notice(session: Session, *, actor: User | None) -> Notice | None:
    """The current contest's retention; ``actor`` is None (the sign-in page: anyone)."""
    contest = current_contest(session)
    if contest is None:
        return None
    kept = retention(contest)
    return Notice(
        contest.name,
        kept.days,
        kept.until if kept.published else None,
        contest.timezone,
        kept.purged_at is not None,
    )
