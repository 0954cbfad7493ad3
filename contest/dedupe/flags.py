"""Duplicate flags: recorded at upload, reviewed by admins."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass

from sqlmodel import Session, col, select

from contest.contests.rules import typed
from contest.core import audit, metrics
from contest.core.authz import require_admin
from contest.core.db import UNAVAILABLE, all_or_nothing, begin_write, end_write
from contest.core.errors import ContestError, InvalidInput, InvalidState, NotFound
from contest.core.i18n import phrase
from contest.core.models import (
    DuplicateFlag,
    Entry,
    EntryStatus,
    FlagLevel,
    FlagStatus,
    User,
)
from contest.core.timeutil import utcnow
from contest.dedupe.hashes import PosterHashes
from contest.dedupe.index import Evidence, Match
from contest.dedupe.indexes import DedupeIndexes

logger = logging.getLogger(__name__)

# Entries that still compete (or might again): withdrawn ones are out of the comparison.
COMPARED_STATUSES = (EntryStatus.ACTIVE, EntryStatus.HIDDEN, EntryStatus.DISQUALIFIED)


@dataclass(frozen=True)
class Lookalike:
    """What the uploader is told: the level, and whether the other entry is their own."""

    entry_id: int
    level: FlagLevel
    distance: float
    own: bool
    evidence: Evidence


def find_lookalikes(
    session: Session,
    indexes: DedupeIndexes,
    *,
    contest_id: int,
    author_id: int,
    hashes: PosterHashes,
    exclude_entry_id: int | None = None,
) -> list[Lookalike]:
    # Left out of the search itself, not only of its answer: a poster withdrawn and entered
    # again (or a few times) would otherwise take the places of the entries that compete.
    out = session.exec(
        select(Entry.id).where(
            Entry.contest_id == contest_id,
            col(Entry.status).not_in([s.value for s in COMPARED_STATUSES]),
        )
    ).all()
    exclude = {entry_id for entry_id in [*out, exclude_entry_id] if entry_id}
    with metrics.DEDUPE_SEARCH_SECONDS.time():
        matches: list[Match] = indexes.sync(session, contest_id).query(hashes, exclude=exclude)
    if not matches:
        return []
    entries = {
        e.id: e
        for e in session.exec(
            select(Entry).where(
                col(Entry.id).in_([m.entry_id for m in matches]),
                col(Entry.status).in_([s.value for s in COMPARED_STATUSES]),
            )
        ).all()
    }
    return [
        Lookalike(
            m.entry_id, m.level, m.distance, entries[m.entry_id].author_id == author_id, m.evidence
        )
        for m in matches
        if m.entry_id in entries
    ]


def record_flags(session: Session, *, entry: Entry, lookalikes: Sequence[Lookalike]) -> None:
    """Replace this entry's open flags with the current lookalikes."""
    for old in session.exec(
        select(DuplicateFlag).where(
            DuplicateFlag.entry_id == entry.id, DuplicateFlag.status == FlagStatus.OPEN.value
        )
    ).all():
        session.delete(old)
    session.flush()
    for match in lookalikes:
        session.add(_flag(entry, match))


def _flag(entry: Entry, match: Lookalike) -> DuplicateFlag:
    return DuplicateFlag(
        contest_id=entry.contest_id,
        entry_id=entry.id or 0,
        other_entry_id=match.entry_id,
        level=match.level.value,
        distance=float(match.distance),
        evidence=match.evidence.to_json(),
        cross_author=not match.own,
    )


def flag_late_lookalikes(
    session: Session,
    indexes: DedupeIndexes,
    *,
    entry: Entry,
    hashes: PosterHashes,
    known: Sequence[Lookalike],
    compared: frozenset[int],
) -> list[Lookalike]:
    """Once an entry's rows are written (this commits them), compare it again, with the
    entries committed while it was being checked and stored: two uploads of one poster at
    the same moment each compared before the other existed. Of two such uploads the later to
    commit always finds the earlier here, so every pair is flagged. ``compared``: the images
    the index held before the first comparison (``DedupeIndexes.images``); when no other has
    arrived since, as for nearly every upload, nothing is compared twice. Returns the
    lookalikes found only now (their flags written and audited).

    The entry is saved whatever happens here: a database or hash failure is logged, not
    raised, and that pair is then not flagged (``python -m contest dedupe-scan`` over a folder
    of the entries' files would find it).
    """
    end_write(session)
    try:
        indexes.sync(session, entry.contest_id)
        if not indexes.images(entry.contest_id) - compared - {entry.image_id}:
            return []
        found = find_lookalikes(
            session,
            indexes,
            contest_id=entry.contest_id,
            author_id=entry.author_id,
            hashes=hashes,
            exclude_entry_id=entry.id,
        )
        known_ids = {match.entry_id for match in known}
        flagged_back = set(
            session.exec(
                select(DuplicateFlag.entry_id).where(
                    DuplicateFlag.other_entry_id == entry.id,
                    DuplicateFlag.status == FlagStatus.OPEN.value,
                )
            ).all()
        )
        late = [m for m in found if m.entry_id not in known_ids | flagged_back]
        if late:
            with all_or_nothing(session):
                begin_write(session)
                for match in late:
                    flag = _flag(entry, match)
                    session.add(flag)
                    session.flush()
                    audit.record(
                        session,
                        actor=None,
                        action="flag.concurrent",
                        contest_id=entry.contest_id,
                        target_type="flag",
                        target_id=flag.id,
                        details={"entry_id": entry.id, "other_entry_id": match.entry_id},
                    )
            end_write(session)
    except (ContestError, *UNAVAILABLE):
        logger.warning("entry %s: not compared again after saving", entry.id, exc_info=True)
        with suppress(*UNAVAILABLE):
            session.rollback()
        return []
    return late


def review_queue(
    session: Session, *, actor: User | None, contest_id: int, include_decided: bool = False
) -> Sequence[DuplicateFlag]:
    """Cross-author pairs first, then duplicates before similars, closest first."""
    require_admin(actor)
    query = select(DuplicateFlag).where(DuplicateFlag.contest_id == contest_id)
    if not include_decided:
        query = query.where(DuplicateFlag.status == FlagStatus.OPEN.value)
    flags = session.exec(query).all()
    return sorted(
        flags,
        key=lambda f: (not f.cross_author, f.level != FlagLevel.DUPLICATE.value, f.distance),
    )


def _open_flag(session: Session, flag_id: int) -> DuplicateFlag:
    flag = session.get(DuplicateFlag, flag_id)
    if flag is None:
        raise NotFound(what=phrase("thing.flag"))
    if flag.status != FlagStatus.OPEN.value:
        raise InvalidState("error.flag.already_decided")
    return flag


def dismiss_flag(
    session: Session, *, actor: User | None, flag_id: int, reason: str
) -> DuplicateFlag:
    admin = require_admin(actor)
    reason = typed("reason", reason)
    flag = _open_flag(session, flag_id)
    flag.status, flag.reason = FlagStatus.DISMISSED.value, reason
    flag.decided_by, flag.decided_at = admin.id, utcnow()
    session.add(flag)
    audit.record(
        session,
        actor=admin,
        action="flag.dismiss",
        contest_id=flag.contest_id,
        target_type="flag",
        target_id=flag.id,
        reason=flag.reason,
    )
    return flag


def confirm_flag(
    session: Session, *, actor: User | None, flag_id: int, disqualify_entry_id: int, reason: str
) -> DuplicateFlag:
    """Confirm the pair as duplicates and disqualify one of its two entries."""
    admin = require_admin(actor)
    flag = _open_flag(session, flag_id)
    if disqualify_entry_id not in (flag.entry_id, flag.other_entry_id):
        raise InvalidInput("error.flag.entry_not_in_pair")
    reason = typed("reason", reason, required=True)
    entry = session.get(Entry, disqualify_entry_id)
    if entry is None:
        raise NotFound(what=phrase("thing.entry"))
    entry.status, entry.status_reason, entry.updated_at = (
        EntryStatus.DISQUALIFIED.value,
        reason,
        utcnow(),
    )
    flag.status, flag.reason = FlagStatus.CONFIRMED.value, reason
    flag.decided_by, flag.decided_at = admin.id, utcnow()
    session.add_all([flag, entry])
    audit.record(
        session,
        actor=admin,
        action="flag.confirm",
        contest_id=flag.contest_id,
        target_type="flag",
        target_id=flag.id,
        reason=flag.reason,
        details={"disqualified_entry": entry.id},
    )
    return flag
