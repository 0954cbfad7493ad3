"""The purge: once a contest's retention period is over (retention.py), an admin removes its
records of people, driven by the declared table in personal.py. What must stay public stays:
the winners as published (names included), every poster shown with its author's consent, the
vote counts, the tallies and the sealed results record (whose hash still verifies: it holds
no names, and the purge does not touch it).

One transaction changes the rows (the card that replaces deleted pictures is stored before it,
holding no lock); the pictures nobody refers to any more are deleted after the commit, so no
row ever names a missing object. A picture whose delete fails, or that an upload of the same
bytes has just written again, is left for ``gc``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col, or_, select

from contest.contests.queries import get_contest
from contest.core import audit
from contest.core.authz import require_admin
from contest.core.db import all_or_nothing, begin_write, end_write, finish_reading, lock_row
from contest.core.errors import InvalidState, NotFound, StorageFailed
from contest.core.i18n import phrase
from contest.core.models import (
    AuditEvent,
    Contest,
    Entry,
    ImageObject,
    User,
)
from contest.core.pseudonyms import is_pseudonym, pseudonym_account, pseudonymise
from contest.core.timeutil import utcnow
from contest.entries.garbage import MIN_GRACE
from contest.entries.ingest import ProcessedImage
from contest.privacy import placeholder
from contest.privacy.personal import SCRUBBED_KEYS, Fate, fields
from contest.privacy.plan import (
    REMOVED_PICTURES,
    PurgePlan,
    lock_ended,
    plan,
    spent_accounts,
    winners,
)
from contest.privacy.retention import retention
from storage import ObjectStore


@dataclass(frozen=True)
class PurgeReport:
    plan: PurgePlan
    purged_at: datetime
    objects_deleted: int
    objects_left: int  # deletes that failed: unreferenced now, gc removes them


def _table(name: str) -> sa.Table:
    return SQLModel.metadata.tables[name]


def scope(table: sa.Table, contest_id: int) -> sa.ColumnElement[bool]:
    """The rows of ``table`` that belong to the contest."""
    if "contest_id" in table.c:
        return table.c.contest_id == contest_id
    if table.name == "image_object":
        return table.c.id.in_(select(Entry.image_id).where(Entry.contest_id == contest_id))
    raise LookupError(f"{table.name}: say in privacy/purge.py scope() which rows are a contest's")


def _pseudonymise_authors(session: Session, contest: Contest, won: set[int]) -> None:
    standing: dict[int, User] = {}  # one pseudonym per author in this contest
    for entry in session.exec(select(Entry).where(Entry.contest_id == contest.id)).all():
        if entry.id in won:
            continue
        author = session.get(User, entry.author_id)
        if author is None or is_pseudonym(author):
            continue
        if entry.author_id not in standing:
            standing[entry.author_id] = pseudonym_account()
            session.add(standing[entry.author_id])
            session.flush()
        entry.author_id = standing[entry.author_id].id or 0
        session.add(entry)


def _removed(session: Session, contest_id: int) -> list[Entry]:
    query = select(Entry).where(
        Entry.contest_id == contest_id, col(Entry.status).in_(REMOVED_PICTURES)
    )
    return list(session.exec(query).all())


def _replace_pictures(
    session: Session, contest_id: int, card: ProcessedImage, fresh: ImageObject
) -> set[str]:
    """Withdrawn and disqualified entries show the card; their image rows nobody else uses are
    deleted. The keys those rows named (objects to delete once committed)."""
    removed = _removed(session, contest_id)
    if not removed:
        return set()
    row = placeholder.placeholder_row(session, card, fresh)
    old = {e.image_id for e in removed if e.image_id != row.id}
    for entry in removed:
        entry.image_id = row.id or 0
        session.add(entry)
    session.flush()
    still = set(session.exec(select(Entry.image_id).where(col(Entry.image_id).in_(old))).all())
    keys: set[str] = set()
    gone = select(ImageObject).where(col(ImageObject.id).in_(old - still))
    for image in session.exec(gone).all():
        keys.update((image.original_key, image.display_key, image.thumb_key))
        session.delete(image)
    session.flush()
    return keys


def _scrub_audit(session: Session, contest_id: int) -> None:
    """The contest's audit rows keep their action and the actor's role, not who it was."""
    events = session.exec(select(AuditEvent).where(AuditEvent.contest_id == contest_id)).all()
    roles = {
        u.id: u.role
        for u in session.exec(
            select(User).where(col(User.id).in_({e.actor_id for e in events if e.actor_id}))
        ).all()
    }
    for event in events:
        details = {k: v for k, v in (event.details or {}).items() if k not in SCRUBBED_KEYS}
        if event.actor_id is not None and "actor_role" not in details:
            details["actor_role"] = roles.get(event.actor_id, "")
        event.details = details
        session.add(event)
    session.flush()


def _forget(session: Session, contest_id: int) -> None:
    for field in fields(Fate.FORGET):
        table = _table(field.table)
        column = table.c[field.column]
        condition = scope(table, contest_id)
        if field.only is not None:
            condition = sa.and_(condition, table.c[field.only[0]] == field.only[1])
        empty = None if column.nullable else ""
        session.exec(sa.update(table).where(condition).values({field.column: empty}))


def _end_sign_in_records(session: Session, now: datetime) -> None:
    for name in {f.table for f in fields(Fate.DELETE)}:
        session.exec(sa.delete(_table(name)).where(lock_ended(_table(name), now)))
    for name in {f.table for f in fields(Fate.RESET)}:
        table = _table(name)
        values = {
            f.column: table.c[f.column].default.arg if table.c[f.column].default else None  # type: ignore[union-attr]
            for f in fields(Fate.RESET)
            if f.table == name
        }
        session.exec(sa.update(table).where(lock_ended(table, now)).values(values))


def _delete_objects(session: Session, store: ObjectStore, keys: Iterable[str]) -> tuple[int, int]:
    """Delete the keys no image row names now: (deleted, left for gc). As gc does, an object
    written within its grace period is left: an upload of the very same bytes may have just
    rewritten it for a row about to commit (entries/objects.py)."""
    columns = (ImageObject.original_key, ImageObject.display_key, ImageObject.thumb_key)
    deleted = left = 0
    for key in sorted(keys):
        named = session.exec(
            select(ImageObject.id).where(or_(*(c == key for c in columns))).limit(1)
        ).first()
        if named is not None:
            continue
        try:
            written = store.modified(key)
            if written is not None and utcnow() - written < MIN_GRACE:
                left += 1
                continue
            store.delete(key)
            deleted += 1
        except StorageFailed:
            left += 1
    return deleted, left


def purge_contest(
    session: Session,
    *,
    actor: User | None,
    store: ObjectStore,
    contest_id: int,
    now: datetime | None = None,
) -> PurgeReport:
    """Purge the contest's personal data once its retention period is over (see module doc)."""
    admin = require_admin(actor)
    now = now or utcnow()
    _refuse_unless_due(get_contest(session, contest_id), now)
    pictures = bool(_removed(session, contest_id))
    finish_reading(session)
    # The card's objects are written before any row names them, holding no lock.
    card = placeholder.prepared() if pictures else None
    fresh = placeholder.write_objects(store, card) if card else None
    with all_or_nothing(session):
        begin_write(session)
        contest = lock_row(session, Contest, contest_id)
        if contest is None:
            raise NotFound(what=phrase("thing.contest"))
        _refuse_unless_due(contest, now)
        numbers = plan(session, contest, now)
        spent = spent_accounts(session, contest_id)
        _pseudonymise_authors(session, contest, winners(session, contest))
        keys = _replace_pictures(session, contest_id, card, fresh) if card and fresh else set()
        _scrub_audit(session, contest_id)
        _forget(session, contest_id)
        _end_sign_in_records(session, now)
        for user in spent:
            session.add(pseudonymise(user))
        contest.purged_at = now
        session.add(contest)
        audit.record(
            session,
            actor=admin,
            action="privacy.purge",
            contest_id=contest_id,
            target_type="contest",
            target_id=contest_id,
            details=numbers.counts(),
        )
        end_write(session)
    deleted, left = _delete_objects(session, store, keys)
    return PurgeReport(numbers, now, deleted, left)


def _refuse_unless_due(contest: Contest, now: datetime) -> None:
    kept = retention(contest)
    if kept.purged_at is not None:
        raise InvalidState("error.privacy.already_purged")
    if not kept.due(now):
        raise InvalidState("error.privacy.not_due")
