"""What the admin's dashboard, results screen and audit log show."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pandas as pd
from sqlmodel import Session

from contest.accounts.users import list_users
from contest.contests.queries import require_current
from contest.contests.settings import zone
from contest.core.audit import list_events
from contest.core.authz import require_admin
from contest.core.models import AuditEvent, Contest, ContestPhase, ResultSnapshot, User
from contest.judging.results import ResultRow, compute_results, list_snapshots
from contest.reports.dashboard import Dashboard, dashboard
from contest.reports.exports import export_tables


def dashboard_view(session: Session, *, actor: User | None) -> Dashboard:
    require_admin(actor)
    contest = require_current(session)
    return dashboard(session, actor=actor, contest_id=contest.id or 0)


@dataclass(frozen=True)
class AuditView:
    timezone: str
    people: Mapping[int, str]  # user id -> "name (employee number)", for the filter and rows
    events: Sequence[AuditEvent]  # newest first


def audit_view(
    session: Session,
    *,
    actor: User | None,
    first_day: date,
    last_day: date,
    action: str | None = None,
    actor_id: int | None = None,
    limit: int = 2000,
) -> AuditView:
    """Audit events from the start of ``first_day`` to the end of ``last_day`` (days in the
    contest's time zone), filtered by action and by who acted."""
    require_admin(actor)
    contest = require_current(session)
    tz = zone(contest.timezone)
    since = datetime.combine(first_day, time(0), tzinfo=tz)
    until = datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=tz)
    people = {u.id or 0: f"{u.name} ({u.employee_no})" for u in list_users(session, actor=actor)}
    events = list_events(
        session,
        actor=actor,
        action=action,
        actor_id=actor_id,
        since=since,
        until=until,
        limit=limit,
    )
    return AuditView(timezone=contest.timezone, people=people, events=events)


@dataclass(frozen=True)
class ResultsAdminView:
    contest: Contest
    rows: tuple[ResultRow, ...]
    snapshots: tuple[ResultSnapshot, ...]
    exports: dict[str, pd.DataFrame]

    @property
    def below_quorum(self) -> int:
        return sum(row.below_quorum for row in self.rows)

    @property
    def finalised(self) -> bool:
        return self.contest.phase == ContestPhase.FINALISED


def results_admin_view(session: Session, *, actor: User | None) -> ResultsAdminView:
    require_admin(actor)
    contest = require_current(session)
    cid = contest.id or 0
    return ResultsAdminView(
        contest=contest,
        rows=tuple(compute_results(session, actor=actor, contest_id=cid)),
        snapshots=tuple(list_snapshots(session, actor=actor, contest_id=cid)),
        exports=export_tables(session, actor=actor, contest_id=cid),
    )
