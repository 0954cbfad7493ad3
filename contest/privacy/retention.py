"""How long a contest keeps its records of people: the one rule the purge, the admin's privacy
page and the sign-in page's notice ask.

The clock starts when the results are published (or, for a contest never published or taken
back, when its voting closed) and runs ``Contest.retention_days`` (a contest setting, one year
by default). After that, an admin purges the contest's personal data (privacy/purge.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from contest.core.models import Contest
from contest.core.timeutil import as_utc, utcnow

DEFAULT_DAYS = 365


@dataclass(frozen=True)
class Retention:
    days: int
    since: datetime  # publication, or the close of voting
    published: bool  # whether ``since`` is the publication
    until: datetime  # the records of people are kept until then
    purged_at: datetime | None

    def due(self, now: datetime | None = None) -> bool:
        """The retention period is over and the contest has not been purged yet."""
        return self.purged_at is None and as_utc(now or utcnow()) >= self.until


def retention(contest: Contest) -> Retention:
    published = contest.published_at is not None
    since = as_utc(contest.published_at or contest.voting_closes_at)
    return Retention(
        days=contest.retention_days,
        since=since,
        published=published,
        until=since + timedelta(days=contest.retention_days),
        purged_at=contest.purged_at,
    )
