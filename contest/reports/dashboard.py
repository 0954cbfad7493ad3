"""The organisers' dashboard: activity per day, participation by department against the roster,
and judging progress per judge, as small DataFrames with machine column names (the page puts
them into words).

Days are calendar days in the contest's time zone (KST for Incheon), every day of the windows
up to today, zero where nothing happened. Votes per day count cast events from the append-only
VoteEvent log (so a vote later retracted still shows when it was cast). A colleague takes part
by submitting a poster or casting a vote; the roster is every active account.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd
from sqlmodel import Session, col, select

from contest.contests.queries import get_contest
from contest.core.authz import require_admin
from contest.core.models import Contest, Entry, EntryStatus, User, Vote, VoteEvent
from contest.core.timeutil import local, utcnow
from contest.judging.scoring import judging_progress
from contest.voting.votes import VoteKind


@dataclass(frozen=True)
class Totals:
    entries: int  # submitted and not withdrawn
    votes: int  # votes that count now
    staff: int  # active accounts on the roster
    participants: int  # colleagues who submitted or voted

    @property
    def share(self) -> float:
        return self.participants / self.staff if self.staff else 0.0


@dataclass(frozen=True)
class Dashboard:
    totals: Totals
    per_day: pd.DataFrame  # day (date), submissions, votes
    by_theme: pd.DataFrame  # theme, entries
    departments: pd.DataFrame  # department, staff, entries, authors, voters, participants, share
    judging: pd.DataFrame  # judge, scored, remaining, conflicts


def _days(contest: Contest, now: datetime) -> list[date]:
    """Every local day from the first window's opening to today or the last window's end."""
    tz = contest.timezone
    first = min(contest.submission_opens_at, contest.voting_opens_at)
    last = min(max(contest.submission_closes_at, contest.voting_closes_at), now)
    start, end = local(first, tz).date(), local(last, tz).date()
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def per_day(
    contest: Contest, submitted: list[datetime], cast: list[datetime], now: datetime
) -> pd.DataFrame:
    """Submissions and votes per local day, every day of the windows so far."""
    tz = contest.timezone
    subs = Counter(local(at, tz).date() for at in submitted)
    votes = Counter(local(at, tz).date() for at in cast)
    days = sorted(set(_days(contest, now)) | set(subs) | set(votes))
    return pd.DataFrame(
        {
            "day": days,
            "submissions": [subs.get(d, 0) for d in days],
            "votes": [votes.get(d, 0) for d in days],
        },
        columns=["day", "submissions", "votes"],
    )


def dashboard(
    session: Session, *, actor: User | None, contest_id: int, now: datetime | None = None
) -> Dashboard:
    require_admin(actor)
    contest = get_contest(session, contest_id)
    entries = session.exec(
        select(Entry, User)
        .join(User, col(Entry.author_id) == col(User.id))
        .where(Entry.contest_id == contest_id, Entry.status != EntryStatus.WITHDRAWN.value)
    ).all()
    casts = session.exec(
        select(VoteEvent.voter_id, VoteEvent.at).where(
            VoteEvent.contest_id == contest_id, VoteEvent.kind == VoteKind.CAST.value
        )
    ).all()
    in_force = session.exec(select(Vote.id).where(Vote.contest_id == contest_id)).all()
    users = session.exec(select(User)).all()
    progress = judging_progress(session, actor=actor, contest_id=contest_id)

    department = {u.id: u.department for u in users}
    staff = Counter(u.department for u in users if u.is_active)
    authors = {u.id for _e, u in entries}
    voters = {voter for voter, _at in casts if voter is not None}  # None: purged
    rows = []
    for name in sorted(set(staff) | {department[a] for a in authors | voters}):
        mine = {uid for uid, d in department.items() if d == name}
        taking_part = len(mine & (authors | voters))
        rows.append(
            {
                "department": name,
                "staff": staff.get(name, 0),
                "entries": sum(1 for _e, u in entries if u.department == name),
                "authors": len(mine & authors),
                "voters": len(mine & voters),
                "participants": taking_part,
                "share": taking_part / staff[name] if staff.get(name) else 0.0,
            }
        )
    departments = pd.DataFrame(
        rows,
        columns=["department", "staff", "entries", "authors", "voters", "participants", "share"],
    )
    themes = Counter(e.theme for e, _u in entries)
    return Dashboard(
        totals=Totals(
            entries=len(entries),
            votes=len(in_force),
            staff=sum(staff.values()),
            participants=len((authors | voters) & {u.id for u in users if u.is_active}),
        ),
        per_day=per_day(
            contest, [e.created_at for e, _u in entries], [at for _v, at in casts], now or utcnow()
        ),
        by_theme=pd.DataFrame(
            [{"theme": t, "entries": themes.get(t, 0)} for t in contest.themes],
            columns=["theme", "entries"],
        ),
        departments=departments,
        judging=pd.DataFrame(
            [
                {
                    "judge": j.name,
                    "scored": j.scored,
                    "remaining": j.assigned - j.scored,
                    "conflicts": j.conflicts,
                }
                for j in progress.judges
            ],
            columns=["judge", "scored", "remaining", "conflicts"],
        ),
    )
