"""Chart data for the admin dashboard, as small DataFrames keyed the way charts want them.

Days are calendar days in the contest's time zone. Votes per day count cast events from the
append-only VoteEvent log (so a vote later retracted still shows when it was cast).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlmodel import Session, col, select

from contest.contests.queries import get_contest
from contest.core.authz import require_admin
from contest.core.models import Entry, EntryStatus, User, VoteEvent
from contest.core.timeutil import local
from contest.judging.scoring import judging_progress
from contest.voting.votes import VoteKind


@dataclass(frozen=True)
class Dashboard:
    submissions_per_day: pd.DataFrame  # day, submissions
    by_theme: pd.DataFrame  # theme, entries
    by_department: pd.DataFrame  # department, entries
    votes_per_day: pd.DataFrame  # day, votes
    judging: pd.DataFrame  # judge, scored, open


def _count_by(values: list[str], label: str, count: str) -> pd.DataFrame:
    frame = pd.DataFrame({label: values})
    if frame.empty:
        return pd.DataFrame({label: [], count: []})
    return frame.value_counts().rename(count).reset_index().sort_values(label, ignore_index=True)


def dashboard(session: Session, *, actor: User | None, contest_id: int) -> Dashboard:
    require_admin(actor)
    contest = get_contest(session, contest_id)
    tz = contest.timezone
    entries = session.exec(
        select(Entry, User)
        .join(User, col(Entry.author_id) == col(User.id))
        .where(Entry.contest_id == contest_id, Entry.status != EntryStatus.WITHDRAWN.value)
    ).all()
    casts = session.exec(
        select(VoteEvent.at).where(
            VoteEvent.contest_id == contest_id, VoteEvent.kind == VoteKind.CAST.value
        )
    ).all()
    progress = judging_progress(session, actor=actor, contest_id=contest_id)
    return Dashboard(
        submissions_per_day=_count_by(
            [local(e.created_at, tz).date().isoformat() for e, _u in entries], "day", "submissions"
        ),
        by_theme=_count_by([e.theme for e, _u in entries], "theme", "entries"),
        by_department=_count_by([u.department for _e, u in entries], "department", "entries"),
        votes_per_day=_count_by([local(at, tz).date().isoformat() for at in casts], "day", "votes"),
        judging=pd.DataFrame(
            {
                "judge": [j.name for j in progress.judges],
                "scored": [j.scored for j in progress.judges],
                "open": [j.assigned - j.scored for j in progress.judges],
            }
        ),
    )
