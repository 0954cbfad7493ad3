"""The exhibition's public side: the switch and dates an admin sets, and the poster page a
visitor's phone opens from a QR code without signing in.

A visitor reads the poster, its theme, the policy it promotes and how AI was used; the author
only as author_visibility allows for the exhibition. Nothing else is public: no gallery, no
votes, no other page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from contest.contests.published import published_awards
from contest.contests.queries import current_contest, require_current
from contest.contests.visibility import Purpose, author_visibility
from contest.contests.windows import exhibition_open, voting_open
from contest.core import audit
from contest.core.authz import require_admin
from contest.core.errors import InvalidInput
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


@dataclass(frozen=True)
class VisitorPoster(Disclosure):
    contest_name: str
    department: str | None
    author_name: str | None
    display_key: str
    voting_open: bool  # colleagues may still sign in and vote for it
    award: str | None = None  # the award it won, once the results are published


@dataclass(frozen=True)
class VisitorView:
    public: bool  # False: the exhibition is not public now; the visitor is asked to sign in
    poster: VisitorPoster | None = None  # None when public but no such poster is on show


def visitor_view(
    session: Session, *, actor: User | None, entry_id: int, now: datetime | None = None
) -> VisitorView:
    """A poster's public page for anyone (``actor`` None) while the exhibition is public."""
    contest = current_contest(session)
    if contest is None or not exhibition_open(contest, now):
        return VisitorView(public=False)
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
        return VisitorView(public=True)
    entry, image, author = row
    shown = author_visibility(contest, actor, Purpose.EXHIBITION)
    return VisitorView(
        public=True,
        poster=VisitorPoster(
            **Disclosure.of(entry, making=making_visible(entry, None)),
            contest_name=contest.name,
            department=shown.department_of(author),
            author_name=shown.name_of(author),
            display_key=image.display_key,
            voting_open=voting_open(contest, now),
            award=published_awards(session, contest).get(entry_id),
        ),
    )
