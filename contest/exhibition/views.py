"""What the admin's exhibition screen shows: one poster's QR code and link."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from contest.core.authz import require_admin
from contest.core.config import Settings
from contest.core.errors import NotFound
from contest.core.models import User
from contest.exhibition.labels import entry_qr


@dataclass(frozen=True)
class QRView:
    entry_id: int
    link: str
    png: bytes | None  # None: no poster on show under that id


def qr_view(session: Session, *, actor: User | None, settings: Settings, entry_id: int) -> QRView:
    require_admin(actor)
    try:
        png: bytes | None = entry_qr(session, settings=settings, actor=actor, entry_id=entry_id)
    except NotFound:
        png = None
    return QRView(entry_id=entry_id, link=settings.entry_link(entry_id), png=png)
