"""Reading the shortlist without an actor check: internal to contest/, never imported by pages."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from contest.core.models import Entry, EntryStatus, ShortlistItem


def active_entry_ids(session: Session, contest_id: int) -> set[int]:
    rows = session.exec(
        select(Entry.id).where(
            Entry.contest_id == contest_id, Entry.status == EntryStatus.ACTIVE.value
        )
    ).all()
    return {entry_id for entry_id in rows if entry_id is not None}


def shortlist_items(session: Session, contest_id: int) -> Sequence[ShortlistItem]:
    """The shortlist rows (any entry status); callers filter to active entries as they need."""
    return session.exec(
        select(ShortlistItem)
        .where(ShortlistItem.contest_id == contest_id)
        .order_by(col(ShortlistItem.id))
    ).all()


def shortlisted_ids(session: Session, contest_id: int) -> set[int]:
    """Shortlisted entries that still compete (a later disqualification takes one out)."""
    return {item.entry_id for item in shortlist_items(session, contest_id)} & (
        active_entry_ids(session, contest_id)
    )


def competing_authors(session: Session, contest_id: int) -> frozenset[int]:
    """The authors of the shortlisted entries that still compete: whoever is among them
    competes with every poster of the shortlist (judging.scoring.judging_barrier)."""
    ids = shortlisted_ids(session, contest_id)
    rows = session.exec(select(Entry.author_id).where(col(Entry.id).in_(ids))).all()
    return frozenset(rows)
