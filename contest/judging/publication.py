"""Publishing the results: a separate, confirmed step after finalising, and one that can be
taken back. Publishing pins the snapshot everyone sees (``Contest.published_snapshot_id``);
``contests.phases.results_published`` is the one answer to "are the results public".

The public winners page and the admin's preview are built by the same function from the same
snapshot for the same kind of viewer, so the preview is exactly what the page will show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from contest.contests.phases import require_phase, results_published
from contest.contests.queries import get_contest
from contest.contests.rules import typed
from contest.contests.visibility import AuthorView, Purpose, author_visibility
from contest.core import audit
from contest.core.authz import require_admin, require_staff
from contest.core.db import begin_write, lock_row
from contest.core.errors import InvalidState, NotFound
from contest.core.i18n import phrase
from contest.core.models import Contest, ContestPhase, Entry, ImageObject, ResultSnapshot, User
from contest.core.timeutil import utcnow
from contest.entries.disclosure import Disclosure
from contest.images.provenance.describe import Line, ai_label
from contest.judging.method import Explanation, explain, parts
from contest.judging.record import changes_since
from contest.judging.results import latest_snapshot


@dataclass(frozen=True)
class Winner:
    entry_id: int
    number: int
    title: str
    theme: str
    policy: str
    award: str
    rank: int
    tied: bool  # another winner has the same rank
    thumb_key: str
    display_key: str
    author: str | None  # name and department, as author_visibility allows
    # How its final score was made: final = jury part + vote part (judging/method.py).
    final: float
    jury_score: float
    jury_part: float
    votes: int
    vote_score: float
    vote_part: float
    ai_label: Line  # made with generative AI, with the tools declared
    making: Disclosure | None = None  # how it was made, where the author shares it


@dataclass(frozen=True)
class Tier:
    """One award tier as the contest defines it, with the winners it went to."""

    name: str
    places: int  # how many awards the contest planned in this tier
    winners: tuple[Winner, ...]  # may be fewer (a tie above used the places) or more (a tie)


@dataclass(frozen=True)
class Board:
    """What the public winners page shows."""

    contest_name: str
    snapshot_id: int
    tiers: tuple[Tier, ...]
    explanation: Explanation  # the weights and vote rule of this record, not today's settings

    @property
    def winners(self) -> tuple[Winner, ...]:
        return tuple(w for tier in self.tiers for w in tier.winners)

    def why_count(self, index: int) -> str | None:
        """Why the ``index``-th tier went to more or fewer entries than planned, or None:
        "shared" (a tie within it), "after_shared" (a tie above used its places) or
        "unfilled" (too few ranked entries)."""
        tier = self.tiers[index]
        if len(tier.winners) == tier.places:
            return None
        if len(tier.winners) > tier.places:
            return "shared"
        above = self.tiers[:index]
        if sum(len(t.winners) for t in above) > sum(t.places for t in above):
            return "after_shared"
        return "unfilled"


def _credit(shown: AuthorView, author: User) -> str | None:
    parts = [part for part in (shown.name_of(author), shown.department_of(author)) if part]
    return " · ".join(parts) or None


def board(session: Session, contest: Contest, snapshot: ResultSnapshot, shown: AuthorView) -> Board:
    """Every tier of the snapshot's award list in order, with its winners (ties kept),
    credited as ``shown`` allows."""
    table: list[dict[str, Any]] = snapshot.payload["table"]
    awarded = [row for row in table if row["award"]]
    found = {
        entry.id: (entry, image, author)
        for entry, image, author in session.exec(
            select(Entry, ImageObject, User)
            .join(ImageObject, col(Entry.image_id) == col(ImageObject.id))
            .join(User, col(Entry.author_id) == col(User.id))
            .where(col(Entry.id).in_([row["entry_id"] for row in awarded]))
        ).all()
    }
    ranks = [row["rank"] for row in awarded]
    explanation = explain(snapshot.payload["method"], snapshot.payload["inputs"])
    winners = [
        Winner(
            entry_id=row["entry_id"],
            number=row["number"],
            title=row["title"],
            theme=entry.theme,
            policy=entry.policy,
            award=row["award"],
            rank=row["rank"],
            tied=ranks.count(row["rank"]) > 1,
            thumb_key=image.thumb_key,
            display_key=image.display_key,
            author=_credit(shown, author),
            final=row["final"],
            jury_score=row["normalised"],
            jury_part=jury_part or 0.0,
            votes=row["votes"],
            vote_score=row["vote_scaled"],
            vote_part=vote_part,
            ai_label=ai_label(entry.ai_tools, entry.ai_tools_other),
            making=Disclosure(**Disclosure.of(entry)) if entry.share_making else None,
        )
        for row in awarded
        for entry, image, author in [found[row["entry_id"]]]
        for jury_part, vote_part in [parts(row, explanation.jury_weight)]
    ]
    tiers = snapshot.payload["inputs"]["award_tiers"]
    return Board(
        contest_name=contest.name,
        snapshot_id=snapshot.id or 0,
        tiers=tuple(
            Tier(
                name=str(tier["name"]),
                places=int(tier["count"]),
                winners=tuple(w for w in winners if w.award == tier["name"]),
            )
            for tier in tiers
        ),
        explanation=explanation,
    )


def published_board(session: Session, *, actor: User | None, contest_id: int) -> Board:
    """The published winners, for everyone on the roster once the results are published."""
    viewer = require_staff(actor)
    contest = get_contest(session, contest_id)
    return _published(session, contest, author_visibility(contest, viewer, Purpose.WINNERS))


def published_winners(session: Session, contest: Contest, shown: AuthorView) -> tuple[Winner, ...]:
    """The published winners, credited as ``shown`` allows. No actor check: for callers that
    made their own (the exhibition's kiosk link)."""
    return _published(session, contest, shown).winners


def _published(session: Session, contest: Contest, shown: AuthorView) -> Board:
    if not results_published(contest):
        raise InvalidState("error.results.not_published")
    snapshot = session.get(ResultSnapshot, contest.published_snapshot_id)
    if snapshot is None:
        raise InvalidState("error.results.no_snapshot")
    return board(session, contest, snapshot, shown)


@dataclass(frozen=True)
class Preview:
    """What publishing would show, and from which snapshot."""

    board: Board
    snapshot_id: int
    content_hash: str
    finalised_at: datetime
    published: bool
    published_at: datetime | None


def publish_preview(session: Session, *, actor: User | None, contest_id: int) -> Preview:
    """Exactly what the public page will show once published: the latest snapshot, seen as a
    colleague sees it (never the admin's fuller view of authors)."""
    require_admin(actor)
    contest = get_contest(session, contest_id)
    require_phase(contest, ContestPhase.FINALISED)
    snapshot = latest_snapshot(session, contest_id)
    if snapshot is None:
        raise InvalidState("error.results.no_snapshot")
    return Preview(
        # Seen by nobody in particular: what every colleague sees, never the admin's own view.
        board=board(session, contest, snapshot, author_visibility(contest, None, Purpose.WINNERS)),
        snapshot_id=snapshot.id or 0,
        content_hash=snapshot.content_hash,
        finalised_at=snapshot.created_at,
        published=results_published(contest),
        published_at=contest.published_at,
    )


def _locked(session: Session, contest_id: int) -> Contest:
    begin_write(session)
    contest = lock_row(session, Contest, contest_id)
    if contest is None:
        raise NotFound(what=phrase("thing.contest"))
    return contest


def publish(session: Session, *, actor: User | None, contest_id: int, snapshot_id: int) -> Contest:
    """Show the previewed snapshot to everyone. ``snapshot_id`` is the one the admin saw in the
    preview: if the results were finalised again since, nothing is published."""
    admin = require_admin(actor)
    contest = _locked(session, contest_id)
    require_phase(contest, ContestPhase.FINALISED)
    if contest.published_snapshot_id is not None:
        raise InvalidState("error.results.already_published")
    latest = latest_snapshot(session, contest_id)
    if latest is None or latest.id != snapshot_id:
        raise InvalidState("error.results.preview_outdated")
    if changes_since(session, contest, latest):
        raise InvalidState("error.results.outdated")
    contest.published_snapshot_id, contest.published_at = snapshot_id, utcnow()
    session.add(contest)
    audit.record(
        session,
        actor=admin,
        action="results.publish",
        contest_id=contest_id,
        target_type="snapshot",
        target_id=snapshot_id,
        details={"content_hash": latest.content_hash},
    )
    return contest


def unpublish(session: Session, *, actor: User | None, contest_id: int, reason: str) -> Contest:
    """Take the published results back (with a reason): the winners page closes again."""
    admin = require_admin(actor)
    reason = typed("reason", reason, required=True)
    contest = _locked(session, contest_id)
    if contest.published_snapshot_id is None:
        raise InvalidState("error.results.not_published")
    snapshot_id = contest.published_snapshot_id
    contest.published_snapshot_id, contest.published_at = None, None
    session.add(contest)
    audit.record(
        session,
        actor=admin,
        action="results.unpublish",
        contest_id=contest_id,
        target_type="snapshot",
        target_id=snapshot_id,
        reason=reason.strip(),
    )
    return contest
