"""Objects no database row refers to: left by uploads that failed after writing them.

Safe to run while people upload. Only objects older than the grace period (by the store's own
clock) are candidates: an upload writes its objects, or rewrites old ones it reuses (see
objects.REFRESH_AFTER), moments before its row commits. Right before each delete, the key's
references and age are looked up again, so a row committed since the listing keeps its files.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime, timedelta

from sqlmodel import Session, or_, select

from contest.core.models import ImageObject
from contest.core.timeutil import utcnow
from contest.entries.objects import PREFIXES, REFRESH_AFTER
from storage import ObjectInfo, ObjectStore

DEFAULT_GRACE = timedelta(hours=24)
MIN_GRACE = REFRESH_AFTER + timedelta(hours=1)
Sessions = Callable[[], AbstractContextManager[Session]]


def referenced_keys(session: Session) -> set[str]:
    keys: set[str] = set()
    for original, display, thumb in session.exec(
        select(ImageObject.original_key, ImageObject.display_key, ImageObject.thumb_key)
    ).all():
        keys.update((original, display, thumb))
    return keys


def _is_referenced(session: Session, key: str) -> bool:
    columns = (ImageObject.original_key, ImageObject.display_key, ImageObject.thumb_key)
    query = select(ImageObject.id).where(or_(*(column == key for column in columns))).limit(1)
    return session.exec(query).first() is not None


def orphans(
    session: Session, store: ObjectStore, *, grace: timedelta, now: datetime
) -> list[ObjectInfo]:
    """Unreferenced objects last written before ``now - grace``."""
    referenced, cutoff = referenced_keys(session), now - grace
    return [
        info
        for prefix in PREFIXES
        for info in store.scan(prefix)
        if info.key not in referenced and info.modified < cutoff
    ]


def collect_garbage(
    sessions: Sessions,
    store: ObjectStore,
    *,
    delete: bool,
    grace: timedelta = DEFAULT_GRACE,
    now: datetime | None = None,
) -> list[str]:
    """The orphaned keys; with ``delete``, the ones removed (each re-checked just before)."""
    if grace < MIN_GRACE:
        raise ValueError(f"grace {grace} is shorter than {MIN_GRACE}: uploads could lose files")
    now = now or utcnow()
    cutoff = now - grace
    with sessions() as session:
        found = orphans(session, store, grace=grace, now=now)
    if not delete:
        return [info.key for info in found]
    removed = []
    for info in found:
        with sessions() as session:
            if _is_referenced(session, info.key):
                continue  # an upload committed a row for it since the listing
        modified = store.modified(info.key)
        if modified is None or modified >= cutoff:
            continue  # gone already, or rewritten by an upload that reuses it
        store.delete(info.key)
        removed.append(info.key)
    return removed
