"""What the organisers' screens show: the dashboard, the lifecycle screen, the results screen
and the audit log."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta

import pandas as pd
from sqlmodel import Session

from contest.accounts.users import list_users
from contest.contests.queries import require_current
from contest.contests.settings import zone
from contest.core.audit import list_events
from contest.core.authz import require_admin
from contest.core.i18n import DEFAULT_LANGUAGE
from contest.core.models import Contest, ContestPhase, ResultSnapshot, User
from contest.core.timeutil import local, utcnow
from contest.judging.entrants import Entrant, officials_who_entered
from contest.judging.method import METHOD, Explanation, ResultRow, explain
from contest.judging.publication import Preview, publish_preview
from contest.judging.readiness import Readiness, readiness
from contest.judging.record import Change, outdated_by
from contest.judging.results import (
    compute_results,
    gather,
    list_snapshots,
    shown_record,
)
from contest.judging.scoring import JudgingProgress, judging_progress
from contest.judging.views import ShortlistRow, shortlist_rows
from contest.reports.ai_usage import Usage, ai_usage_view
from contest.reports.audit_log import ACTIONS, LIFECYCLE_ACTIONS, AuditLine, lines
from contest.reports.dashboard import Dashboard, dashboard
from contest.reports.exports import export_tables, readable, results_frame
from contest.reports.record_tables import ledger_frame


@dataclass(frozen=True)
class DashboardView:
    contest: Contest
    board: Dashboard
    ai: Usage  # entries by declared tool and by what the files say


def dashboard_view(session: Session, *, actor: User | None) -> DashboardView:
    require_admin(actor)
    contest = require_current(session)
    return DashboardView(
        contest,
        dashboard(session, actor=actor, contest_id=contest.id or 0),
        ai_usage_view(session, actor=actor),
    )


@dataclass(frozen=True)
class LifecycleView:
    """The lifecycle screen: where the contest stands, what happened, what comes next."""

    contest: Contest
    readiness: Readiness
    entries: tuple[ShortlistRow, ...]  # active entries, most votes first
    progress: JudgingProgress
    history: tuple[AuditLine, ...]  # the steps taken so far, oldest first
    preview: Preview | None  # once finalised: exactly what publishing shows
    entrants: tuple[Entrant, ...] = ()  # judges and admins with posters in the contest


def lifecycle_view(
    session: Session, *, actor: User | None, now: datetime | None = None
) -> LifecycleView:
    require_admin(actor)
    contest = require_current(session)
    cid = contest.id or 0
    events = [
        event
        for action in LIFECYCLE_ACTIONS
        for event in list_events(session, actor=actor, contest_id=cid, action=action)
    ]
    events.sort(key=lambda e: (e.at, e.id or 0))
    finalised = contest.phase == ContestPhase.FINALISED
    return LifecycleView(
        contest=contest,
        readiness=readiness(session, actor=actor, contest_id=cid, now=now),
        entries=tuple(shortlist_rows(session, actor=actor, contest_id=cid)),
        progress=judging_progress(session, actor=actor, contest_id=cid),
        history=tuple(lines(session, events, contest.timezone)),
        preview=publish_preview(session, actor=actor, contest_id=cid) if finalised else None,
        entrants=officials_who_entered(session, contest),
    )


@dataclass(frozen=True)
class AuditView:
    timezone: str
    today: date  # in the contest's time zone
    people: Mapping[int, str]  # user id -> "name (department, employee number)", for the filter
    actions: tuple[str, ...]  # every action the filter offers
    lines: Sequence[AuditLine]  # newest first


def audit_view(
    session: Session,
    *,
    actor: User | None,
    first_day: date | None = None,
    last_day: date | None = None,
    action: str | None = None,
    actor_id: int | None = None,
    limit: int = 2000,
) -> AuditView:
    """Audit lines from the start of ``first_day`` to the end of ``last_day`` (days in the
    contest's time zone; the last 30 days by default), filtered by action and by who acted."""
    require_admin(actor)
    contest = require_current(session)
    tz = zone(contest.timezone)
    today = local(utcnow(), contest.timezone).date()
    last_day = last_day or today
    first_day = first_day or last_day - timedelta(days=30)
    since = datetime.combine(first_day, time(0), tzinfo=tz)
    until = datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=tz)
    people = {
        u.id or 0: f"{u.name} ({u.department}, {u.employee_no})"
        for u in list_users(session, actor=actor)
    }
    events = list_events(
        session,
        actor=actor,
        action=action,
        actor_id=actor_id,
        since=since,
        until=until,
        limit=limit,
    )
    return AuditView(
        timezone=contest.timezone,
        today=today,
        people=people,
        actions=ACTIONS,
        lines=lines(session, events, contest.timezone),
    )


@dataclass(frozen=True)
class ResultsAdminView:
    contest: Contest
    rows: tuple[ResultRow, ...]
    snapshots: tuple[ResultSnapshot, ...]
    table: pd.DataFrame  # the results in words: the finalised record once there is one
    explanation: Explanation  # how that table's final scores were made, from its own inputs
    changes: tuple[Change, ...]  # once finalised: what changed since the latest record
    ledger: pd.DataFrame  # the certificate ledger in words
    exports: dict[str, pd.DataFrame]  # by machine table name
    today: date  # in the contest's time zone: the certificates' date unless changed

    @property
    def below_quorum(self) -> int:
        return sum(row.below_quorum for row in self.rows)

    @property
    def finalised(self) -> bool:
        return self.contest.phase == ContestPhase.FINALISED


def results_admin_view(
    session: Session, *, actor: User | None, lang: str = DEFAULT_LANGUAGE, keys: bool = False
) -> ResultsAdminView:
    admin = require_admin(actor)
    contest = require_current(session)
    cid = contest.id or 0
    shown = shown_record(session, contest)
    tables = export_tables(session, actor=actor, contest_id=cid, lang=lang, keys=keys)
    return ResultsAdminView(
        contest=contest,
        rows=tuple(compute_results(session, actor=actor, contest_id=cid)),
        snapshots=tuple(list_snapshots(session, actor=actor, contest_id=cid)),
        table=readable(results_frame(session, contest), contest, lang, "results"),
        explanation=explain(shown.payload["method"], shown.payload["inputs"])
        if shown is not None
        else explain(METHOD, asdict(gather(session, contest))),
        changes=outdated_by(session, contest),
        ledger=readable(ledger_frame(session, contest, admin), contest, lang, "certificates")
        if keys
        else tables["certificates"],
        exports=tables,
        today=local(utcnow(), contest.timezone).date(),
    )
