"""Counting votes without an actor check: internal to contest/, never imported by pages."""

from __future__ import annotations

from sqlmodel import Session, col, func, select

from contest.core.models import Entry, EntryStatus, Vote


def voted_ids(session: Session, voter_id: int, contest_id: int) -> frozenset[int]:
    rows = session.exec(
        select(Vote.entry_id).where(Vote.voter_id == voter_id, Vote.contest_id == contest_id)
    ).all()
    return frozenset(rows)


def vote_counts(session: Session, *, contest_id: int) -> dict[int, int]:
    """Votes per ACTIVE entry (entries without votes are absent)."""
    rows = session.exec(
        select(Vote.entry_id, func.count())
        .join(Entry, col(Entry.id) == col(Vote.entry_id))
        .where(Vote.contest_id == contest_id, Entry.status == EntryStatus.ACTIVE.value)
        .group_by(col(Vote.entry_id))
    ).all()
    return {entry_id: count for entry_id, count in rows}
