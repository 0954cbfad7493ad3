"""Admins hide, disqualify and restore entries; each needs a reason and leaves an audit row.

Hidden entries leave the gallery but may come back; disqualified ones leave the contest
(shortlist, judging and results only ever use active entries). A withdrawal is the author's
own act, so admins cannot restore a withdrawn entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from contest.contests.published import refuse_while_published
from contest.contests.queries import get_contest
from contest.contests.rules import typed
from contest.core import audit
from contest.core.authz import require_admin
from contest.core.db import begin_write, lock_row
from contest.core.errors import InvalidInput, InvalidState, NotFound
from contest.core.i18n import phrase
from contest.core.models import Entry, EntryStatus, ImageObject, User
from contest.core.timeutil import utcnow
from contest.images.provenance.describe import FileRecord, declared_tools

# action → (statuses it may start from, status it leads to)
ACTIONS: dict[str, tuple[frozenset[EntryStatus], EntryStatus]] = {
    "hide": (frozenset({EntryStatus.ACTIVE}), EntryStatus.HIDDEN),
    "disqualify": (frozenset({EntryStatus.ACTIVE, EntryStatus.HIDDEN}), EntryStatus.DISQUALIFIED),
    "restore": (frozenset({EntryStatus.HIDDEN, EntryStatus.DISQUALIFIED}), EntryStatus.ACTIVE),
}


@dataclass(frozen=True)
class ModerationRow:
    entry: Entry
    image: ImageObject
    author: User

    @property
    def declared(self) -> str:
        """The AI tools the author declared."""
        return declared_tools(self.entry.ai_tools, self.entry.ai_tools_other)

    @property
    def file_record(self) -> FileRecord:
        """What the file said about its making, beside the declaration."""
        return FileRecord.of(self.image.provenance, self.entry.ai_tools, self.entry.ai_tools_other)


def moderate(
    session: Session, *, actor: User | None, entry_id: int, action: str, reason: str
) -> Entry:
    """Apply ``action`` (hide / disqualify / restore) to one entry."""
    admin = require_admin(actor)
    if action not in ACTIONS:
        raise InvalidInput("error.moderation.unknown_action", action=action)
    reason = typed("reason", reason, required=True)
    begin_write(session)
    entry = lock_row(session, Entry, entry_id)
    if entry is None:
        raise NotFound(what=phrase("thing.entry"))
    refuse_while_published(session, get_contest(session, entry.contest_id), entry_id=entry.id)
    allowed, target = ACTIONS[action]
    if EntryStatus(entry.status) not in allowed:
        raise InvalidState(f"error.moderation.cannot_{action}", status=entry.status)
    before = entry.status
    entry.status, entry.status_reason, entry.updated_at = target.value, reason.strip(), utcnow()
    session.add(entry)
    audit.record(
        session,
        actor=admin,
        action=f"entry.{action}",
        contest_id=entry.contest_id,
        target_type="entry",
        target_id=entry.id,
        reason=reason.strip(),
        details={"from": before, "to": target.value},
    )
    return entry


def hide_entry(session: Session, *, actor: User | None, entry_id: int, reason: str) -> Entry:
    return moderate(session, actor=actor, entry_id=entry_id, action="hide", reason=reason)


def disqualify_entry(session: Session, *, actor: User | None, entry_id: int, reason: str) -> Entry:
    return moderate(session, actor=actor, entry_id=entry_id, action="disqualify", reason=reason)


def restore_entry(session: Session, *, actor: User | None, entry_id: int, reason: str) -> Entry:
    return moderate(session, actor=actor, entry_id=entry_id, action="restore", reason=reason)


def moderation_list(
    session: Session, *, actor: User | None, contest_id: int, status: str | None = None
) -> list[ModerationRow]:
    """Every entry of the contest with its author (admins see who), optionally by status."""
    require_admin(actor)
    query = (
        select(Entry, ImageObject, User)
        .join(ImageObject, col(Entry.image_id) == col(ImageObject.id))
        .join(User, col(Entry.author_id) == col(User.id))
        .where(Entry.contest_id == contest_id)
        .order_by(col(Entry.number))
    )
    if status:
        query = query.where(Entry.status == status)
    rows: Sequence[tuple[Entry, ImageObject, User]] = session.exec(query).all()
    return [ModerationRow(entry, image, author) for entry, image, author in rows]
