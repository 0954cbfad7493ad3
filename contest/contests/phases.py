"""The phases a contest goes through after its windows, in order, and the guard every step and
screen asks: open -> voting_closed -> shortlisted -> shortlist_locked -> judging ->
judging_closed -> finalised."""

from __future__ import annotations

from contest.core.errors import InvalidState
from contest.core.models import Contest, ContestPhase

PHASES = tuple(ContestPhase)
# The step that leads out of each phase: what must happen before anything later.
NEXT_STEP = {
    ContestPhase.OPEN: "close_voting",
    ContestPhase.VOTING_CLOSED: "build_shortlist",
    ContestPhase.SHORTLISTED: "lock_shortlist",
    ContestPhase.SHORTLIST_LOCKED: "open_judging",
    ContestPhase.JUDGING: "close_judging",
    ContestPhase.JUDGING_CLOSED: "finalise",
}


def require_phase(contest: Contest, *allowed: ContestPhase) -> None:
    """Raise InvalidState unless the contest is in one of ``allowed`` phases."""
    current = ContestPhase(contest.phase)
    if current in allowed:
        return
    if PHASES.index(current) < min(PHASES.index(p) for p in allowed):
        raise InvalidState(f"error.lifecycle.first.{NEXT_STEP[current]}")
    raise InvalidState(f"error.lifecycle.past.{current.value}")


def results_published(contest: Contest) -> bool:
    """Whether everyone may see the award winners: the one answer every screen asks.

    Finalising freezes the result for the organisers; publishing is a separate, confirmed step
    (judging.publication) that pins the snapshot everyone sees, and can be taken back.
    """
    return (
        ContestPhase(contest.phase) == ContestPhase.FINALISED
        and contest.published_snapshot_id is not None
    )
