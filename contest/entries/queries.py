"""Counting entries without an actor check: internal to contest/, never imported by pages."""

from __future__ import annotations

from sqlmodel import Session, func, select

from contest.core.models import Entry, EntryStatus


def count_entries(session: Session, *, contest_id: int, author_id: int) -> int:
    """Entries that hold a place; a withdrawn entry frees its place."""
    return session.exec(
        select(func.count()).where(
            Entry.contest_id == contest_id,
            Entry.author_id == author_id,
            Entry.status != EntryStatus.WITHDRAWN.value,
        )
    ).one()
