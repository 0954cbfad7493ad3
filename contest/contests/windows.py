"""When a contest takes uploads and votes: its windows, checked in the contest's time zone.

Every service asks these functions; a page may hide a button, but the window is enforced here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum

from contest.contests.settings import DEFAULT_TIMEZONE, zone
from contest.core.dates import Moment
from contest.core.errors import WindowClosed
from contest.core.models import Contest
from contest.core.timeutil import as_utc, utcnow


class WindowStatus(StrEnum):
    BEFORE = "before"
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True)
class Window:
    opens_at: datetime
    closes_at: datetime  # the last second that is still inside

    def contains(self, moment: datetime) -> bool:
        return (
            as_utc(self.opens_at) <= as_utc(moment) < as_utc(self.closes_at) + timedelta(seconds=1)
        )

    def status(self, moment: datetime | None = None) -> WindowStatus:
        moment = as_utc(moment or utcnow())
        if moment < as_utc(self.opens_at):
            return WindowStatus.BEFORE
        return WindowStatus.OPEN if self.contains(moment) else WindowStatus.CLOSED


def local_datetime(year: int, month: int, day: int, clock: time, tz_name: str) -> datetime:
    return datetime.combine(datetime(year, month, day).date(), clock, tzinfo=zone(tz_name))


def default_windows(year: int, tz_name: str = DEFAULT_TIMEZONE) -> dict[str, datetime]:
    """13 October 00:00 to 24 October 23:59:59 in the contest's zone, for both windows."""
    opens = local_datetime(year, 10, 13, time(0, 0), tz_name)
    closes = local_datetime(year, 10, 24, time(23, 59, 59), tz_name)
    return {
        "submission_opens_at": opens,
        "submission_closes_at": closes,
        "voting_opens_at": opens,
        "voting_closes_at": closes,
    }


def submission_window(contest: Contest) -> Window:
    return Window(contest.submission_opens_at, contest.submission_closes_at)


def voting_window(contest: Contest) -> Window:
    return Window(contest.voting_opens_at, contest.voting_closes_at)


def submission_open(contest: Contest, now: datetime | None = None) -> bool:
    return submission_window(contest).contains(now or utcnow())


def voting_open(contest: Contest, now: datetime | None = None) -> bool:
    return voting_window(contest).contains(now or utcnow())


def voting_closed(contest: Contest, now: datetime | None = None) -> bool:
    """True once the voting window has ended (not before it opens)."""
    window = voting_window(contest)
    moment = as_utc(now or utcnow())
    return moment >= as_utc(window.opens_at) and not window.contains(moment)


def _ensure_open(contest: Contest, window: Window, key: str, now: datetime | None) -> None:
    if not window.contains(now or utcnow()):
        raise WindowClosed(
            key,
            opens=Moment(window.opens_at, contest.timezone),
            closes=Moment(window.closes_at, contest.timezone),
        )


def ensure_submission_open(contest: Contest, now: datetime | None = None) -> None:
    """Raise WindowClosed outside the submission window."""
    _ensure_open(contest, submission_window(contest), "error.submission_closed", now)


def ensure_voting_open(contest: Contest, now: datetime | None = None) -> None:
    """Raise WindowClosed outside the voting window."""
    _ensure_open(contest, voting_window(contest), "error.voting_closed", now)


def exhibition_window(contest: Contest) -> Window | None:
    """The dates the exhibition's poster pages are public; None while the admin has not set
    them or has switched the public pages off."""
    opens, closes = contest.exhibition_opens_at, contest.exhibition_closes_at
    if not contest.exhibition_public or opens is None or closes is None:
        return None
    return Window(opens, closes)


def exhibition_open(contest: Contest, now: datetime | None = None) -> bool:
    """Whether a visitor without sign-in may open a poster's page from its QR code now."""
    window = exhibition_window(contest)
    return window is not None and window.contains(now or utcnow())
