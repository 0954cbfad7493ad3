"""Objects no database row refers to: left by uploads that failed after writing them.

Safe to run while people upload. Only objects older than the grace period (by the store's own
clock) are candidates: an upload writes its objects, or rewrites old ones it reuses (see
objects.REFRESH_AFTER), moments before its row commits. Each removal is decided where no row
can slip in: in one writer transaction holding the key's lock (core.db.lock_names), the key is
checked for references and marked as being removed (ObjectRemoval); only then is the object
deleted, and the mark lifted after. An upload's row transaction takes the same lock and is
refused while the mark stands (objects.hold_objects), so a row never refers to an object gc
deletes, even an old orphan uploaded again at that moment. A mark left by a run that stopped
half-way is finished by the next run.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime, timedelta

from sqlalchemy import delete as delete_rows
from sqlmodel import Session, col, or_, select

from contest.core.db import begin_write, lock_names
from contest.core.models import ImageObject, ObjectRemoval
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


def _mark(sessions: Sessions, key: str, now: datetime) -> bool:
    """Mark ``key`` as being removed, unless a row refers to it (decided under its lock)."""
    with sessions() as session:
        begin_write(session)
        lock_names(session, [key])
        if _is_referenced(session, key):
            return False
        session.merge(ObjectRemoval(key=key, started_at=now))
    return True


def _unmark(sessions: Sessions, key: str) -> None:
    with sessions() as session:
        session.execute(delete_rows(ObjectRemoval).where(col(ObjectRemoval.key) == key))


def _left_marked(sessions: Sessions) -> list[str]:
    """Keys a run that stopped half-way marked and may not have deleted."""
    with sessions() as session:
        return list(session.exec(select(ObjectRemoval.key)).all())


def collect_garbage(
    sessions: Sessions,
    store: ObjectStore,
    *,
    delete: bool,
    grace: timedelta = DEFAULT_GRACE,
    now: datetime | None = None,
) -> list[str]:
    """The orphaned keys; with ``delete``, the ones removed (each decided as above)."""
    if grace < MIN_GRACE:
        raise ValueError(f"grace {grace} is shorter than {MIN_GRACE}: uploads could lose files")
    now = now or utcnow()
    cutoff = now - grace
    with sessions() as session:
        found = orphans(session, store, grace=grace, now=now)
    if not delete:
        return [info.key for info in found]
    removed = []
    for key in _left_marked(sessions):
        if _mark(sessions, key, now):
            store.delete(key)  # a failure leaves the mark: uploads of it wait for the next run
            removed.append(key)
        _unmark(sessions, key)
    for info in found:
        if info.key in removed or not _mark(sessions, info.key, now):
            continue  # an upload committed a row for it since the listing
        modified = store.modified(info.key)
        if modified is not None and modified < cutoff:  # not gone, nor written again since
            store.delete(info.key)
            removed.append(info.key)
        _unmark(sessions, info.key)
    return removed
