"""Kiosk screens for the exhibition's zones: a TV per theme shows its posters one after another
with a large QR code, reached by a read-only link an admin makes and can revoke.

The link carries a random token (256 bits) after '#' (links.kiosk_link); only its SHA-256 is
stored, so the database does not hold a working link and the admin sees the link once, when
making it. The token is the kiosk's only credential: it opens this one screen, at most
SCREENS_PER_ZONE per zone, and only while the exhibition is open (its public dates).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlmodel import Session, col, func, select

from contest.contests.phases import results_published
from contest.contests.published import published_awards
from contest.contests.queries import get_contest, require_current
from contest.contests.visibility import Purpose, author_visibility
from contest.contests.windows import exhibition_open
from contest.core import audit
from contest.core.authz import require_admin
from contest.core.config import Settings
from contest.core.dates import Day
from contest.core.errors import (
    InvalidInput,
    InvalidState,
    LimitReached,
    NotFound,
    PermissionDenied,
)
from contest.core.i18n import phrase
from contest.core.models import Contest, DisplayLink, Entry, EntryStatus, ImageObject, User
from contest.core.timeutil import utcnow
from contest.exhibition.links import kiosk_link, poster_link
from contest.exhibition.public import ScanPromise, scan_promise
from contest.images.provenance.describe import Line, ai_label
from contest.judging.publication import published_winners

SECONDS_RANGE = (5, 120)  # how long one poster stays on a kiosk screen
SCREENS_PER_ZONE = 10  # links in use at once for one zone: TVs of a large hall, and spares


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class NewDisplay:
    display: DisplayLink
    link: str  # shown once: only its hash is stored


def create_display(
    session: Session,
    *,
    actor: User | None,
    settings: Settings,
    theme: str,
    seconds: int = 15,
    show_winners: bool = True,
) -> NewDisplay:
    """A new read-only kiosk link for the zone of ``theme`` in the current contest."""
    admin = require_admin(actor)
    contest = require_current(session)
    if theme not in contest.themes:
        raise InvalidInput("error.entry.bad_theme")
    low, high = SECONDS_RANGE
    if not low <= seconds <= high:
        raise InvalidInput("error.display.bad_seconds", low=low, high=high)
    in_use = session.exec(
        select(func.count())
        .select_from(DisplayLink)
        .where(
            DisplayLink.contest_id == contest.id,
            DisplayLink.theme == theme,
            col(DisplayLink.revoked_at).is_(None),
        )
    ).one()
    if in_use >= SCREENS_PER_ZONE:
        raise LimitReached("error.display.too_many", limit=SCREENS_PER_ZONE)
    token = secrets.token_urlsafe(32)
    link = kiosk_link(settings, token)  # refuses a local address outside demo mode
    display = DisplayLink(
        contest_id=contest.id or 0,
        theme=theme,
        token_sha256=_digest(token),
        seconds=seconds,
        show_winners=show_winners,
        created_by=admin.id,
    )
    session.add(display)
    session.flush()
    audit.record(
        session,
        actor=admin,
        action="display.create",
        contest_id=contest.id,
        target_type="display",
        target_id=display.id,
        details={"theme": theme, "seconds": seconds, "show_winners": show_winners},
    )
    return NewDisplay(display, link)


def revoke_display(
    session: Session, *, actor: User | None, display_id: int, now: datetime | None = None
) -> DisplayLink:
    """The link stops working at the screen's next refresh (within its seconds per poster)."""
    admin = require_admin(actor)
    display = session.get(DisplayLink, display_id)
    if display is None:
        raise NotFound(what=phrase("thing.display"))
    if display.revoked_at is not None:
        raise InvalidState("error.display.already_revoked")
    display.revoked_at, display.revoked_by = now or utcnow(), admin.id
    session.add(display)
    audit.record(
        session,
        actor=admin,
        action="display.revoke",
        contest_id=display.contest_id,
        target_type="display",
        target_id=display.id,
        details={"theme": display.theme},
    )
    return display


def displays(session: Session, *, actor: User | None) -> list[DisplayLink]:
    """The current contest's kiosk links, newest first, revoked ones included."""
    require_admin(actor)
    contest = require_current(session)
    return list(
        session.exec(
            select(DisplayLink)
            .where(DisplayLink.contest_id == contest.id)
            .order_by(col(DisplayLink.id).desc())
        ).all()
    )


def _dates(contest: Contest) -> dict[str, Day | str]:
    opens, closes = contest.exhibition_opens_at, contest.exhibition_closes_at
    if opens is None or closes is None:
        return {"opens": "—", "closes": "—"}
    return {"opens": Day(opens, contest.timezone), "closes": Day(closes, contest.timezone)}


class KioskMode(StrEnum):
    POSTERS = "posters"
    WINNERS = "winners"


@dataclass(frozen=True)
class KioskPoster:
    entry_id: int
    number: int
    title: str
    theme: str
    policy: str
    credit: str | None  # the author's name and department, as author_visibility allows
    display_key: str
    link: str  # the QR code's address: the poster's page
    ai_label: Line  # made with generative AI, with the tools declared
    award: str | None = None


@dataclass(frozen=True)
class KioskView:
    contest_name: str
    theme: str
    seconds: int
    mode: KioskMode
    posters: tuple[KioskPoster, ...]
    scan: ScanPromise  # what the QR code under each poster opens now, as its label says


def kiosk_view(
    session: Session, *, settings: Settings, token: str, now: datetime | None = None
) -> KioskView:
    """What a kiosk screen shows now; PermissionDenied for an unknown or revoked link, and
    outside the exhibition (its public dates, windows.exhibition_open)."""
    display = session.exec(
        select(DisplayLink).where(DisplayLink.token_sha256 == _digest(token))
    ).first()
    if display is None or display.revoked_at is not None:
        raise PermissionDenied("error.display.invalid")
    contest = get_contest(session, display.contest_id)
    if not contest.is_current:
        raise PermissionDenied("error.display.invalid")
    if not exhibition_open(contest, now):
        raise PermissionDenied("error.display.closed", **_dates(contest))
    posters: list[KioskPoster]
    if display.show_winners and results_published(contest):
        # Credited as the winners page credits them; only this zone's, and only those still
        # competing (a winner disqualified since the publication leaves the screen).
        shown = author_visibility(contest, None, Purpose.WINNERS)
        winners = published_winners(session, contest, shown)
        active = set(
            session.exec(
                select(Entry.id).where(
                    col(Entry.id).in_([w.entry_id for w in winners]),
                    Entry.status == EntryStatus.ACTIVE.value,
                )
            ).all()
        )
        zone = [w for w in winners if w.theme == display.theme and w.entry_id in active]
        posters = [
            KioskPoster(
                w.entry_id,
                w.number,
                w.title,
                w.theme,
                w.policy,
                w.author,
                w.display_key,
                poster_link(settings, w.entry_id),
                w.ai_label,
                w.award,
            )
            for w in zone
        ]
        mode = KioskMode.WINNERS
    else:
        awards = published_awards(session, contest)
        shown = author_visibility(contest, None, Purpose.EXHIBITION)
        rows = session.exec(
            select(Entry, ImageObject, User)
            .join(ImageObject, col(ImageObject.id) == col(Entry.image_id))
            .join(User, col(User.id) == col(Entry.author_id))
            .where(
                Entry.contest_id == contest.id,
                Entry.theme == display.theme,
                Entry.status == EntryStatus.ACTIVE.value,
            )
            .order_by(col(Entry.number))
        ).all()
        posters = [
            KioskPoster(
                entry.id or 0,
                entry.number,
                entry.title,
                entry.theme,
                entry.policy,
                " · ".join(p for p in (shown.name_of(author), shown.department_of(author)) if p)
                or None,
                image.display_key,
                poster_link(settings, entry.id or 0),
                ai_label(entry.ai_tools, entry.ai_tools_other),
                awards.get(entry.id or 0),
            )
            for entry, image, author in rows
        ]
        mode = KioskMode.POSTERS
    scan = scan_promise(contest, now)
    return KioskView(contest.name, display.theme, display.seconds, mode, tuple(posters), scan)
