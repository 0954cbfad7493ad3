"""The contest's phases after the windows, and the guarded, audited steps between them.

open → voting_closed → shortlisted → shortlist_locked → judging → judging_closed → finalised.
Every step is admin-only, checks the current phase first and raises InvalidState with a key
that says what must happen first (``error.lifecycle.first.<step>``) or that the contest is
already past it (``error.lifecycle.past.<phase>``); a refused step changes nothing.

Closing voting: allowed once the voting window has ended; earlier only with a reason, and then
the voting (and submission) window is cut short to now, so the window checks of the voting and
submission services refuse from then on as well.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, select

from contest.contests.phases import require_phase
from contest.contests.rules import typed
from contest.contests.windows import voting_window
from contest.core import audit
from contest.core.authz import require_admin
from contest.core.db import begin_write, lock_row
from contest.core.errors import InvalidInput, InvalidState, NotFound
from contest.core.i18n import phrase
from contest.core.models import Contest, ContestPhase, Entry, ShortlistItem, User
from contest.core.timeutil import as_utc, utcnow
from contest.judging.queries import active_entry_ids, shortlisted_ids
from contest.voting.queries import vote_counts

# While the shortlist is open, an admin adds, removes or substitutes posters by hand.
SHORTLIST_OPEN = (ContestPhase.SHORTLISTED,)


def _locked_contest(session: Session, contest_id: int) -> Contest:
    begin_write(session)
    contest = lock_row(session, Contest, contest_id)
    if contest is None:
        raise NotFound(what=phrase("thing.contest"))
    return contest


def _advance(
    session: Session,
    admin: User,
    contest: Contest,
    to: ContestPhase,
    action: str,
    *,
    reason: str = "",
    details: dict[str, Any] | None = None,
) -> Contest:
    before = contest.phase
    contest.phase = to.value
    session.add(contest)
    audit.record(
        session,
        actor=admin,
        action=action,
        contest_id=contest.id,
        target_type="contest",
        target_id=contest.id,
        reason=reason,
        details={"from": before, "to": to.value, **(details or {})},
    )
    return contest


def closes_early(contest: Contest, now: datetime) -> bool:
    """Whether closing the vote at ``now`` cuts the voting window short (a reason is needed)."""
    return voting_window(contest).contains(now) or now < as_utc(contest.voting_opens_at)


def close_voting(
    session: Session,
    *,
    actor: User | None,
    contest_id: int,
    reason: str = "",
    now: datetime | None = None,
) -> Contest:
    """End the colleague vote; before the window's end only with a reason (see module doc)."""
    admin = require_admin(actor)
    now = now or utcnow()
    reason = typed("reason", reason)
    contest = _locked_contest(session, contest_id)
    require_phase(contest, ContestPhase.OPEN)
    details: dict[str, Any] = {}
    if closes_early(contest, now):
        if not reason.strip():
            raise InvalidInput("error.lifecycle.early_close_reason")
        if now < as_utc(contest.voting_opens_at):
            raise InvalidState("error.lifecycle.voting_not_started")
        cut = now - timedelta(seconds=1)
        details = {"early": True, "voting_closes_at": as_utc(contest.voting_closes_at).isoformat()}
        contest.voting_closes_at = max(cut, as_utc(contest.voting_opens_at) + timedelta(seconds=1))
        if as_utc(contest.submission_closes_at) > cut:
            contest.submission_closes_at = max(
                cut, as_utc(contest.submission_opens_at) + timedelta(seconds=1)
            )
    return _advance(
        session,
        admin,
        contest,
        ContestPhase.VOTING_CLOSED,
        "lifecycle.close_voting",
        reason=reason.strip(),
        details=details,
    )


def top_by_votes(counts: dict[int, int], size: int) -> list[int]:
    """The ``size`` most-voted entries; everyone tied with the last place is included too."""
    ranked = sorted(counts, key=lambda e: (-counts[e], e))
    if len(ranked) <= size:
        return ranked
    cut = counts[ranked[size - 1]]
    return [e for e in ranked if counts[e] >= cut]


def build_shortlist(session: Session, *, actor: User | None, contest_id: int) -> list[int]:
    """Shortlist the top N active entries by colleague votes (ties at the cut included)."""
    admin = require_admin(actor)
    contest = _locked_contest(session, contest_id)
    require_phase(contest, ContestPhase.VOTING_CLOSED)
    votes = vote_counts(session, contest_id=contest_id)
    counts = {e: votes.get(e, 0) for e in active_entry_ids(session, contest_id)}
    chosen = top_by_votes(counts, contest.shortlist_size)
    for entry_id in chosen:
        session.add(
            ShortlistItem(
                contest_id=contest_id, entry_id=entry_id, source="vote", added_by=admin.id
            )
        )
    _advance(
        session,
        admin,
        contest,
        ContestPhase.SHORTLISTED,
        "lifecycle.build_shortlist",
        details={"entries": chosen, "votes": {str(e): counts[e] for e in chosen}},
    )
    return chosen


def _manual_change(
    session: Session, actor: User | None, contest_id: int, entry_id: int, reason: str
) -> tuple[User, Contest, ShortlistItem | None]:
    admin = require_admin(actor)
    typed("reason", reason, required=True)
    contest = _locked_contest(session, contest_id)
    require_phase(contest, *SHORTLIST_OPEN)
    entry = session.get(Entry, entry_id)
    if entry is None or entry.contest_id != contest_id:
        raise NotFound(what=phrase("thing.entry"))
    item = session.exec(
        select(ShortlistItem).where(
            ShortlistItem.contest_id == contest_id, ShortlistItem.entry_id == entry_id
        )
    ).first()
    return admin, contest, item


def add_to_shortlist(
    session: Session,
    *,
    actor: User | None,
    contest_id: int,
    entry_id: int,
    reason: str,
    replaces: int | None = None,
) -> ShortlistItem:
    """Put a poster on the open shortlist by hand (``replaces``: the one it takes the place of,
    for the record)."""
    admin, contest, item = _manual_change(session, actor, contest_id, entry_id, reason)
    if item is not None:
        raise InvalidInput("error.shortlist.already_in")
    if entry_id not in active_entry_ids(session, contest_id):
        raise InvalidInput("error.shortlist.not_active")
    item = ShortlistItem(
        contest_id=contest_id,
        entry_id=entry_id,
        source="manual",
        reason=reason.strip(),
        added_by=admin.id,
    )
    session.add(item)
    audit.record(
        session,
        actor=admin,
        action="shortlist.add",
        contest_id=contest.id,
        target_type="entry",
        target_id=entry_id,
        reason=reason.strip(),
        details={} if replaces is None else {"replaces": replaces},
    )
    return item


def remove_from_shortlist(
    session: Session,
    *,
    actor: User | None,
    contest_id: int,
    entry_id: int,
    reason: str,
    replaced_by: int | None = None,
) -> None:
    """Take a poster off the open shortlist (``replaced_by``: the one put in its place)."""
    admin, contest, item = _manual_change(session, actor, contest_id, entry_id, reason)
    if item is None:
        raise InvalidInput("error.shortlist.not_in")
    session.delete(item)
    audit.record(
        session,
        actor=admin,
        action="shortlist.remove",
        contest_id=contest.id,
        target_type="entry",
        target_id=entry_id,
        reason=reason.strip(),
        details={"source": item.source}
        | ({} if replaced_by is None else {"replaced_by": replaced_by}),
    )


def lock_shortlist(session: Session, *, actor: User | None, contest_id: int) -> Contest:
    admin = require_admin(actor)
    contest = _locked_contest(session, contest_id)
    require_phase(contest, ContestPhase.SHORTLISTED)
    if not shortlisted_ids(session, contest_id):
        raise InvalidState("error.lifecycle.shortlist_empty")
    return _advance(
        session, admin, contest, ContestPhase.SHORTLIST_LOCKED, "lifecycle.lock_shortlist"
    )


def open_judging(session: Session, *, actor: User | None, contest_id: int) -> Contest:
    admin = require_admin(actor)
    contest = _locked_contest(session, contest_id)
    require_phase(contest, ContestPhase.SHORTLIST_LOCKED)
    return _advance(session, admin, contest, ContestPhase.JUDGING, "lifecycle.open_judging")


def close_judging(session: Session, *, actor: User | None, contest_id: int) -> Contest:
    admin = require_admin(actor)
    contest = _locked_contest(session, contest_id)
    require_phase(contest, ContestPhase.JUDGING)
    return _advance(session, admin, contest, ContestPhase.JUDGING_CLOSED, "lifecycle.close_judging")


def finalisable(session: Session, *, contest_id: int, reason: str) -> Contest:
    """The guard of the last step: the contest's row, locked until commit, if it may be
    finalised now. results.finalise asks it before anything else, then ``mark_finalised``.

    From judging_closed; again from finalised (a re-finalisation) only with a reason, and not
    while the results are published (take them back first: the public page shows one snapshot).
    """
    reason = typed("reason", reason)
    contest = _locked_contest(session, contest_id)
    require_phase(contest, ContestPhase.JUDGING_CLOSED, ContestPhase.FINALISED)
    if contest.published_snapshot_id is not None:
        raise InvalidState("error.results.unpublish_first")
    if contest.phase == ContestPhase.FINALISED and not reason.strip():
        raise InvalidInput("error.lifecycle.refinalise_reason")
    return contest


def mark_finalised(session: Session, *, admin: User, contest: Contest, reason: str) -> Contest:
    """The last step, once ``finalisable`` said yes and results.finalise checked its input."""
    return _advance(
        session,
        admin,
        contest,
        ContestPhase.FINALISED,
        "lifecycle.finalise",
        reason=reason.strip(),
    )
