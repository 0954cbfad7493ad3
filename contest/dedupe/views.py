"""What the admin's duplicate review screen shows: each open flag with both posters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from contest.contests.queries import require_current
from contest.core.authz import require_admin
from contest.core.models import DuplicateFlag, Entry, ImageObject, User
from contest.dedupe.explain import Box, Finding, differing_boxes, findings, located_region
from contest.dedupe.flags import review_queue
from contest.images.provenance.describe import FileRecord, declared_tools

SHOWN = 20  # flags per screen; deciding one brings the next up


@dataclass(frozen=True)
class FlagSide:
    entry_id: int
    number: int
    title: str
    author: str  # name (department): admins always see who
    status: str
    display_key: str
    submitted_at: datetime
    declared: str  # the AI tools the author declared
    file_record: FileRecord  # what the file said about its making


@dataclass(frozen=True)
class FlagCard:
    flag: DuplicateFlag
    newer: FlagSide  # the entry whose upload raised the flag
    older: FlagSide
    findings: tuple[Finding, ...]  # what the detector found, as message keys with numbers
    boxes: tuple[Box, ...]  # where the newer poster differs, for highlighting
    # where the older poster lies inside the newer upload, when that is a capture of it
    region: tuple[tuple[float, float], ...] | None = None

    @property
    def first(self) -> FlagSide:
        """The one submitted first."""
        return min((self.older, self.newer), key=lambda side: side.submitted_at)


@dataclass(frozen=True)
class ReviewView:
    timezone: str
    open_flags: int
    cards: tuple[FlagCard, ...]  # cross-author pairs first, then duplicates, closest first


def review_view(session: Session, *, actor: User | None) -> ReviewView:
    require_admin(actor)
    contest = require_current(session)
    flags = list(review_queue(session, actor=actor, contest_id=contest.id or 0))
    shown = flags[:SHOWN]
    ids = {f.entry_id for f in shown} | {f.other_entry_id for f in shown}
    sides = {
        entry.id: FlagSide(
            entry.id or 0,
            entry.number,
            entry.title,
            f"{author.name} ({author.department})",
            entry.status,
            image.display_key,
            entry.created_at,
            declared_tools(entry.ai_tools, entry.ai_tools_other),
            FileRecord.of(image.provenance, entry.ai_tools, entry.ai_tools_other),
        )
        for entry, author, image in session.exec(
            select(Entry, User, ImageObject)
            .join(User, col(User.id) == col(Entry.author_id))
            .join(ImageObject, col(ImageObject.id) == col(Entry.image_id))
            .where(col(Entry.id).in_(ids))
        ).all()
    }
    return ReviewView(
        timezone=contest.timezone,
        open_flags=len(flags),
        cards=tuple(
            FlagCard(
                f,
                sides[f.entry_id],
                sides[f.other_entry_id],
                tuple(findings(f.level, f.evidence, sides[f.other_entry_id].number)),
                tuple(differing_boxes(f.evidence)),
                located_region(f.evidence),
            )
            for f in shown
        ),
    )
