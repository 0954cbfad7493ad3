"""What the purge of a contest will do, in numbers: the preview the admin reads and the
confirmation states, and the sets the purge itself acts on (the winners, the accounts nothing
needs any more, the sign-in records whose locks have ended)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col, or_, select

from contest.contests.queries import get_contest
from contest.core.authz import require_admin
from contest.core.models import (
    AuditEvent,
    Contest,
    Entry,
    EntryStatus,
    ResultSnapshot,
    User,
    Vote,
)
from contest.core.pseudonyms import is_pseudonym
from contest.core.timeutil import utcnow
from contest.privacy.personal import Fate, fields
from contest.privacy.retention import Retention, retention

REMOVED_PICTURES = (EntryStatus.WITHDRAWN.value, EntryStatus.DISQUALIFIED.value)
# The purge's consequences, each a sentence "privacy.fact.<name>" filled with PurgePlan.counts().
FACTS = ("votes", "authors", "pictures", "audit", "sign_in", "accounts", "winners")


@dataclass(frozen=True)
class PurgePlan:
    """What the purge of one contest does, in numbers (the confirmation states them)."""

    contest_id: int
    contest_name: str
    retention: Retention
    votes: int  # votes that lose who cast them (they all still count)
    voters: int
    authors: int  # non-winning authors replaced by pseudonyms
    entries: int  # their entries
    winners: int  # winning entries, kept as published
    pictures: int  # withdrawn and disqualified entries whose pictures are deleted
    audit_events: int  # the contest's audit rows that lose names
    sign_in_records: int  # failed sign-ins and ended locks, of anyone
    accounts: int  # deactivated accounts nothing needs any more, replaced by pseudonyms

    def counts(self) -> dict[str, int]:
        """The numbers alone (for the audit row)."""
        return {k: v for k, v in asdict(self).items() if isinstance(v, int) and k != "contest_id"}


def winners(session: Session, contest: Contest) -> set[int]:
    """Entry ids awarded in the published results (none if they are not published)."""
    snapshot = (
        session.get(ResultSnapshot, contest.published_snapshot_id)
        if contest.published_snapshot_id is not None
        else None
    )
    table = snapshot.payload.get("table", []) if snapshot else []
    return {int(row["entry_id"]) for row in table if row.get("award")}


def _user_columns() -> list[sa.Column[Any]]:
    """Columns of the contest's tables that refer to a user."""
    return [
        column
        for table in SQLModel.metadata.sorted_tables
        if "contest_id" in table.c
        for column in table.columns
        if any(fk.column.table.name == "user" for fk in column.foreign_keys)
    ]


def _needed_elsewhere(session: Session, contest_id: int) -> set[int]:
    """Users a contest not purged (other than this one) still refers to, and every winner."""
    open_ids = select(Contest.id).where(col(Contest.purged_at).is_(None), Contest.id != contest_id)
    needed: set[int] = set()
    for column in _user_columns():
        query = sa.select(column).where(column.table.c.contest_id.in_(open_ids)).distinct()
        needed.update(v for v in session.execute(query).scalars() if v is not None)
    for contest in session.exec(select(Contest)).all():
        ids = winners(session, contest)
        if ids:
            query = select(Entry.author_id).where(col(Entry.id).in_(ids))
            needed.update(session.exec(query).all())
    return needed


def spent_accounts(session: Session, contest_id: int) -> list[User]:
    needed = _needed_elsewhere(session, contest_id)
    idle = session.exec(select(User).where(col(User.is_active).is_(False))).all()
    return [u for u in idle if u.id not in needed and not is_pseudonym(u)]


def lock_ended(table: sa.Table, now: datetime) -> sa.ColumnElement[bool]:
    locked = table.c.locked_until
    return or_(locked.is_(None), locked <= now)


def _sign_in_records(session: Session, now: datetime) -> int:
    """Sign-in records the purge deletes: those whose lock, if any, has ended."""
    total = 0
    for name in sorted({f.table for f in fields(Fate.DELETE)}):
        table = SQLModel.metadata.tables[name]
        total += session.exec(
            select(sa.func.count()).select_from(table).where(lock_ended(table, now))
        ).one()
    return total


def plan(session: Session, contest: Contest, now: datetime) -> PurgePlan:
    cid = contest.id or 0
    won = winners(session, contest)
    entries = session.exec(select(Entry).where(Entry.contest_id == cid)).all()
    losing = [e for e in entries if e.id not in won]
    votes = [v for v in session.exec(select(Vote.voter_id).where(Vote.contest_id == cid)) if v]
    audits = session.exec(
        select(sa.func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.contest_id == cid, col(AuditEvent.actor_id).isnot(None))
    ).one()
    authors = {e.author_id for e in losing}
    people = session.exec(select(User).where(col(User.id).in_(authors))).all() if authors else []
    return PurgePlan(
        contest_id=cid,
        contest_name=contest.name,
        retention=retention(contest),
        votes=len(votes),
        voters=len(set(votes)),
        authors=sum(1 for person in people if not is_pseudonym(person)),
        entries=sum(
            1 for e in losing if e.author_id in {p.id for p in people if not is_pseudonym(p)}
        ),
        winners=len(won),
        pictures=sum(1 for e in entries if e.status in REMOVED_PICTURES and e.image_id),
        audit_events=int(audits),
        sign_in_records=_sign_in_records(session, now),
        accounts=len(spent_accounts(session, cid)),
    )


def purge_preview(
    session: Session, *, actor: User | None, contest_id: int, now: datetime | None = None
) -> PurgePlan:
    require_admin(actor)
    return plan(session, get_contest(session, contest_id), now or utcnow())
