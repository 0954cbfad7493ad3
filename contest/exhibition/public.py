"""The exhibition's public side: the switch and dates an admin sets, and the poster page a
visitor's phone opens from a QR code without signing in.

A visitor reads the poster, its theme, the policy it promotes and how AI was used; the author
only as author_visibility allows for the exhibition. Nothing else is public: no gallery, no
votes, no other page. Outside the public dates the same address says when they are, and the
label beside the poster and the zone's TV promise what that address will do (``scan_promise``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlmodel import Session, col, select

from contest.contests.published import published_awards
from contest.contests.queries import current_contest, require_current
from contest.contests.visibility import Purpose, author_visibility
from contest.contests.windows import exhibition_window, voting_closed, voting_open
from contest.core import audit
from contest.core.authz import require_admin
from contest.core.dates import day
from contest.core.errors import InvalidInput
from contest.core.i18n import DEFAULT_LANGUAGE, t
from contest.core.models import Contest, Entry, EntryStatus, ImageObject, User
from contest.core.timeutil import as_utc
from contest.entries.disclosure import Disclosure, making_visible


def set_exhibition(
    session: Session,
    *,
    actor: User | None,
    public: bool,
    opens_at: datetime | None,
    closes_at: datetime | None,
) -> Contest:
    """Switch the public poster pages on or off, with the dates they are public."""
    admin = require_admin(actor)
    contest = require_current(session)
    if public and (opens_at is None or closes_at is None):
        raise InvalidInput("error.exhibition.dates_required")
    if opens_at is not None and closes_at is not None and as_utc(opens_at) >= as_utc(closes_at):
        raise InvalidInput("error.exhibition.bad_dates")
    before = {
        "public": contest.exhibition_public,
        "opens_at": _iso(contest.exhibition_opens_at),
        "closes_at": _iso(contest.exhibition_closes_at),
    }
    contest.exhibition_public = public
    contest.exhibition_opens_at, contest.exhibition_closes_at = opens_at, closes_at
    session.add(contest)
    audit.record(
        session,
        actor=admin,
        action="exhibition.public",
        contest_id=contest.id,
        details={
            "before": before,
            "after": {"public": public, "opens_at": _iso(opens_at), "closes_at": _iso(closes_at)},
        },
    )
    return contest


def _iso(moment: datetime | None) -> str | None:
    return as_utc(moment).isoformat() if moment else None


class Viewing(StrEnum):
    """Where the public dates stand: a visitor's scan opens the poster's page only while OPEN."""

    NONE = "none"  # no public dates set: the QR codes are for staff
    BEFORE = "before"
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True)
class PublicViewing:
    status: Viewing
    timezone: str
    opens_at: datetime | None = None
    closes_at: datetime | None = None  # the last second of the last public day


def public_viewing(contest: Contest, now: datetime | None = None) -> PublicViewing:
    """The public dates and where ``now`` falls in them (``exhibition_window`` owns the dates;
    OPEN exactly when ``exhibition_open``)."""
    window = exhibition_window(contest)
    if window is None:
        return PublicViewing(Viewing.NONE, contest.timezone)
    status = Viewing(window.status(now).value)
    return PublicViewing(status, contest.timezone, window.opens_at, window.closes_at)


def viewing_dates(viewing: PublicViewing, lang: str) -> dict[str, str]:
    """The first and last public day as a reader writes them (empty without dates)."""
    if viewing.opens_at is None or viewing.closes_at is None:
        return {}
    return {
        "opens": day(viewing.opens_at, viewing.timezone, lang),
        "closes": day(viewing.closes_at, viewing.timezone, lang),
    }


@dataclass(frozen=True)
class ScanPromise:
    """What the label beside a poster and the zone's TV say a phone's scan will open."""

    key: str
    viewing: PublicViewing

    def text(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return t(self.key, lang, **viewing_dates(self.viewing, lang))


def scan_promise(contest: Contest, now: datetime | None = None) -> ScanPromise:
    """The public page within the public dates (which the promise names), otherwise the staff
    sign-in; a vote only until voting closes: the rules of the page the scan opens
    (pages/visit.py, ``visitor_view``)."""
    viewing = public_viewing(contest, now)
    audience = "staff" if viewing.status in (Viewing.NONE, Viewing.CLOSED) else "public"
    votes = "" if voting_closed(contest, now) else "_vote"
    return ScanPromise(f"scan.{audience}{votes}", viewing)


@dataclass(frozen=True)
class VisitorPoster(Disclosure):
    contest_name: str
    department: str | None
    author_name: str | None
    display_key: str
    award: str | None = None  # the award it won, once the results are published


@dataclass(frozen=True)
class VisitorView:
    viewing: PublicViewing | None  # None: no contest at all
    voting_open: bool = False  # colleagues may sign in and vote
    poster: VisitorPoster | None = None  # only while public; None too when no such poster

    @property
    def public(self) -> bool:
        return self.viewing is not None and self.viewing.status == Viewing.OPEN


def visitor_view(
    session: Session, *, actor: User | None, entry_id: int, now: datetime | None = None
) -> VisitorView:
    """A poster's public page for anyone (``actor`` None) while the exhibition is public;
    outside its dates, the dates (the page says when to come back)."""
    contest = current_contest(session)
    if contest is None:
        return VisitorView(viewing=None)
    viewing, voting = public_viewing(contest, now), voting_open(contest, now)
    if viewing.status != Viewing.OPEN:
        return VisitorView(viewing, voting)
    row = session.exec(
        select(Entry, ImageObject, User)
        .join(ImageObject, col(ImageObject.id) == col(Entry.image_id))
        .join(User, col(User.id) == col(Entry.author_id))
        .where(
            Entry.id == entry_id,
            Entry.contest_id == contest.id,
            Entry.status == EntryStatus.ACTIVE.value,
        )
    ).first()
    if row is None:
        return VisitorView(viewing, voting)
    entry, image, author = row
    shown = author_visibility(contest, actor, Purpose.EXHIBITION)
    return VisitorView(
        viewing,
        voting,
        VisitorPoster(
            **Disclosure.of(entry, making=making_visible(entry, None)),
            contest_name=contest.name,
            department=shown.department_of(author),
            author_name=shown.name_of(author),
            display_key=image.display_key,
            award=published_awards(session, contest).get(entry_id),
        ),
    )
