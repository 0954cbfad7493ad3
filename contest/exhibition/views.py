"""What the admin's exhibition screen shows: the public window, the kiosk links and one
poster's QR code and link."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from contest.contests.queries import require_current
from contest.contests.windows import exhibition_open
from contest.core.authz import require_admin
from contest.core.config import Settings
from contest.core.errors import ContestError, NotFound
from contest.core.models import DisplayLink, User
from contest.exhibition.displays import displays
from contest.exhibition.labels import entry_qr
from contest.exhibition.links import public_base


@dataclass(frozen=True)
class QRView:
    entry_id: int
    link: str
    png: bytes | None  # None: no poster on show under that id


def qr_view(session: Session, *, actor: User | None, settings: Settings, entry_id: int) -> QRView:
    """Raises InvalidState outside demo mode while the public address is this machine."""
    require_admin(actor)
    try:
        png: bytes | None = entry_qr(session, settings=settings, actor=actor, entry_id=entry_id)
    except NotFound:
        png = None
    return QRView(entry_id=entry_id, link=settings.entry_link(entry_id), png=png)


@dataclass(frozen=True)
class ExhibitionView:
    timezone: str
    themes: tuple[str, ...]
    public: bool  # the admin's switch
    opens_at: datetime | None
    closes_at: datetime | None
    open_now: bool  # a visitor's QR scan opens the public page right now
    address_problem: ContestError | None  # QR codes would point at this machine
    displays: tuple[DisplayLink, ...]


def exhibition_view(
    session: Session, *, actor: User | None, settings: Settings, now: datetime | None = None
) -> ExhibitionView:
    require_admin(actor)
    contest = require_current(session)
    try:
        public_base(settings)
        problem = None
    except ContestError as error:
        problem = error
    return ExhibitionView(
        timezone=contest.timezone,
        themes=tuple(contest.themes),
        public=contest.exhibition_public,
        opens_at=contest.exhibition_opens_at,
        closes_at=contest.exhibition_closes_at,
        open_now=exhibition_open(contest, now),
        address_problem=problem,
        displays=tuple(displays(session, actor=actor)),
    )
