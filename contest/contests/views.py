"""What the admin's contest screen shows: the contests, the one being edited with the settings
frozen now and why, warnings about settings that cannot work out, and, before a save that
changes settings already frozen, what it will change and its consequences in numbers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, func, select

from contest.contests.changes import Change
from contest.contests.freezes import Frozen, frozen
from contest.contests.manage import planned_changes
from contest.contests.queries import get_contest, list_contests, top_votes
from contest.contests.settings import SETTINGS
from contest.core.authz import require_admin
from contest.core.dates import Duration
from contest.core.errors import ContestError
from contest.core.i18n import Phrase, phrase
from contest.core.models import Contest, Entry, EntryStatus, Role, User, Vote
from contest.core.timeutil import utcnow

# Entries that were submitted and still count (withdrawn ones were taken back by their author).
SUBMITTED = (EntryStatus.ACTIVE.value, EntryStatus.HIDDEN.value, EntryStatus.DISQUALIFIED.value)


@dataclass(frozen=True)
class SettingsReview:
    """A save the admin asked for, before it happens."""

    changes: tuple[Change, ...]  # what it changes (late ones flagged)
    consequences: tuple[Phrase, ...]  # for each late change, what it means in numbers
    refusal: ContestError | None = None  # why the save would be refused

    @property
    def late(self) -> tuple[Change, ...]:
        return tuple(change for change in self.changes if change.late)


@dataclass(frozen=True)
class ContestAdminView:
    contests: Sequence[Contest]  # newest year first
    chosen: Contest | None  # the one being edited: the requested one, else the current one
    frozen: Mapping[str, Frozen] = field(default_factory=dict)  # by setting name
    warnings: tuple[Phrase, ...] = ()  # settings that are valid but will not work out
    review: SettingsReview | None = None  # the save asked for (``pending``), before it happens
    top_votes: int = 0  # the most votes a poster of the chosen contest has (the vote preview)


def contest_admin_view(
    session: Session,
    *,
    actor: User | None,
    chosen_id: int | None = None,
    pending: tuple[int, Mapping[str, Any]] | None = None,
    now: datetime | None = None,
) -> ContestAdminView:
    """``pending``: a save the admin asked for (contest id, every setting's value), reviewed
    before it happens when it is for the contest shown."""
    require_admin(actor)
    now = now or utcnow()
    contests = list_contests(session)
    if chosen_id is not None and any(c.id == chosen_id for c in contests):
        chosen: Contest | None = get_contest(session, chosen_id)
    else:
        chosen = next((c for c in contests if c.is_current), contests[0] if contests else None)
    if chosen is None:
        return ContestAdminView(contests=contests, chosen=None)
    return ContestAdminView(
        contests=contests,
        chosen=chosen,
        top_votes=top_votes(session, chosen.id or 0),
        frozen={s.name: lock for s in SETTINGS if (lock := frozen(chosen, s, now))},
        warnings=_warnings(session, chosen),
        review=_review(session, chosen, pending[1], now)
        if pending is not None and pending[0] == chosen.id
        else None,
    )


def _warnings(session: Session, contest: Contest) -> tuple[Phrase, ...]:
    """The judge quorum no poster can reach with the judges there are (judges may still be
    appointed, so this warns rather than refuses)."""
    judges = session.exec(
        select(func.count())
        .select_from(User)
        .where(User.role == Role.JUDGE.value, col(User.is_active))
    ).one()
    if contest.judge_quorum > judges:
        return (phrase("settings.warn.quorum", quorum=contest.judge_quorum, judges=judges),)
    return ()


def _review(
    session: Session, contest: Contest, pending: Mapping[str, Any], now: datetime
) -> SettingsReview:
    try:
        changes = planned_changes(contest, pending, now)
    except ContestError as refusal:
        return SettingsReview(changes=(), consequences=(), refusal=refusal)
    said = tuple(_consequence(session, contest, change) for change in changes if change.late)
    return SettingsReview(changes, said)


def _count(session: Session, query: Any) -> int:
    return int(session.exec(select(func.count()).select_from(query.subquery())).one())


def _consequence(session: Session, contest: Contest, change: Change) -> Phrase:
    """What a late change means, in numbers: how much later a window closes and what it has
    seen so far, how many people a loosened limit lets do more."""
    cid = contest.id or 0
    entries = select(Entry.id).where(Entry.contest_id == cid, col(Entry.status).in_(SUBMITTED))
    votes = select(Vote.id).where(Vote.contest_id == cid)
    key = f"settings.consequence.{change.name}"
    match change.name:
        case "submission_closes_at" | "voting_closes_at":
            later = datetime.fromisoformat(change.after) - datetime.fromisoformat(change.before)
            voters = select(Vote.voter_id).where(Vote.contest_id == cid).distinct()
            return phrase(
                key,
                by=Duration(later.total_seconds()),
                entries=_count(session, entries),
                votes=_count(session, votes),
                voters=_count(session, voters),
            )
        case "entries_per_person" | "votes_per_voter":
            rows = entries if change.name == "entries_per_person" else votes
            who = col(Entry.author_id if change.name == "entries_per_person" else Vote.voter_id)
            at_limit = (
                rows.with_only_columns(who).group_by(who).having(func.count() >= change.before)
            )
            return phrase(
                key, before=change.before, after=change.after, people=_count(session, at_limit)
            )
        case "themes":
            added = ", ".join(t for t in change.after if t not in change.before)
            return phrase(key, added=added, entries=_count(session, entries))
        case _:
            return phrase("settings.consequence.limit", entries=_count(session, entries))
