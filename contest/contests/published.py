"""What a published result pins: the award each poster was announced with, and the inputs that
may not change under it.

Published means current: while the winners are public, nothing the published record was
computed from may change (a shortlisted poster's status, its text or votes, the settings the
result uses). Every service that could change one asks ``refuse_while_published`` first, and
the office takes the publication back, changes what it must and finalises again. Before
publication such a change is allowed and makes the record outdated (judging/record.py), which
the lifecycle screen shows and publishing refuses.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session, select

from contest.contests.phases import results_published
from contest.core.errors import InvalidState
from contest.core.models import Contest, ResultSnapshot, ShortlistItem

# The contest settings a result is computed from (judging/results.gather reads them).
RESULT_SETTINGS = frozenset(
    {"rubric", "jury_weight", "judge_quorum", "award_tiers", "tie_break", "shared_awards"}
)


def _as_computed(name: str, value: Any) -> Any:
    """A result setting as the computation reads it (a form may send a rubric with empty
    descriptions or numbers of another type: that is no change to the result)."""
    if name == "rubric":
        return [(c.get("key"), float(c["weight"]), float(c["min"]), float(c["max"])) for c in value]
    if name == "award_tiers":
        return [(str(t["name"]), int(t["count"])) for t in value]
    if name == "jury_weight":
        return round(float(value), 6)
    return value


def moved_results(before: Mapping[str, Any], after: Mapping[str, Any]) -> frozenset[str]:
    """The result settings among ``after`` whose value differs from ``before`` for the result."""
    moved = set()
    for name in RESULT_SETTINGS & after.keys():
        try:
            same = _as_computed(name, before[name]) == _as_computed(name, after[name])
        except (KeyError, TypeError, ValueError):  # malformed: validate() refuses it later
            same = False
        if not same:
            moved.add(name)
    return frozenset(moved)


def published_awards(session: Session, contest: Contest) -> dict[int, str]:
    """The award each poster won in the published record, by entry id ({} until published)."""
    if not results_published(contest):
        return {}
    snapshot = session.get(ResultSnapshot, contest.published_snapshot_id)
    if snapshot is None:
        return {}
    return {row["entry_id"]: str(row["award"]) for row in snapshot.payload["table"] if row["award"]}


def refuse_while_published(
    session: Session,
    contest: Contest,
    *,
    entry_id: int | None = None,
    settings: frozenset[str] = frozenset(),
) -> None:
    """Raise InvalidState if the results are published and the change touches their inputs:
    the shortlisted poster ``entry_id`` (its status, text or votes), or any of ``settings``
    that is a result setting."""
    if not results_published(contest):
        return
    if settings & RESULT_SETTINGS:
        raise InvalidState("error.results.published_settings")
    if entry_id is None:
        return
    shortlisted = session.exec(
        select(ShortlistItem.id).where(
            ShortlistItem.contest_id == contest.id, ShortlistItem.entry_id == entry_id
        )
    ).first()
    if shortlisted is not None:
        raise InvalidState("error.results.published_input")
