"""When a setting stops moving. Each setting in contests/settings.py declares, on its own line,
the stage from which it is frozen and what may still change after it
(``freezes=Freeze(Stage.JUDGING)``); ``frozen(contest, setting, now)`` is the one answer that
``manage.update_settings`` (refusing), the settings form (locking) and the confirmation of a
late change (naming it) all ask.

The stages, in the order a contest reaches them: the submission window opens, the voting
window opens, the vote is closed (a lifecycle step), the shortlist is drawn, the shortlist is
locked (from then on the judges see it with the rubric, and scores follow). A relaxation (a
window extended, a limit loosened, a theme added) is possible only while the vote is open, only
with a reason, and is recorded as a late change (``LATE_CHANGE``) that the results record lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from contest.core.dates import Moment
from contest.core.i18n import Phrase, phrase
from contest.core.models import Contest, ContestPhase
from contest.core.timeutil import as_utc

LATE_CHANGE = "contest.late_change"  # the audit action of a save that changed frozen settings


class Stage(StrEnum):
    """The moments after which a setting matters, in the order a contest reaches them."""

    SUBMISSIONS = "submissions"  # the submission window has opened
    VOTING = "voting"  # the voting window has opened
    VOTE_CLOSED = "vote_closed"  # the vote was closed: windows and limits are history
    SHORTLIST = "shortlist"  # the shortlist was drawn
    JUDGING = "judging"  # the shortlist was locked: the judges see it, with the rubric


class Allowed(StrEnum):
    """What may still change once a setting is frozen (while the vote is open, with a reason)."""

    NOTHING = "nothing"
    LATER = "later"  # a moment moved later: a window extended
    MORE = "more"  # a larger number: a limit raised
    FEWER = "fewer"  # a smaller number: a minimum lowered
    ADDED = "added"  # items added, none removed or renamed


@dataclass(frozen=True)
class Freeze:
    """From ``at`` on, the setting changes only as ``allowed`` says."""

    at: Stage
    allowed: Allowed = Allowed.NOTHING


class Declared(Protocol):
    """A setting as contests/settings.py declares it (what this module needs of one)."""

    @property
    def name(self) -> str: ...

    @property
    def freezes(self) -> Freeze | None: ...


# The phase from which each lifecycle stage has been reached.
STAGE_PHASE = {
    Stage.VOTE_CLOSED: ContestPhase.VOTING_CLOSED,
    Stage.SHORTLIST: ContestPhase.SHORTLISTED,
    Stage.JUDGING: ContestPhase.SHORTLIST_LOCKED,
}
PHASES = tuple(ContestPhase)


@dataclass(frozen=True)
class Frozen:
    """A setting frozen now: since which stage (and moment, for a window), what may change."""

    name: str
    stage: Stage
    allowed: Allowed
    since: datetime | None  # the window's opening, for the two window stages
    timezone: str

    @property
    def locked(self) -> bool:
        """Nothing about it may change any more."""
        return self.allowed == Allowed.NOTHING

    def why(self) -> Phrase:
        """Why it is frozen and what may still change, in words."""
        at = Moment(self.since, self.timezone) if self.since else ""
        return phrase(
            "freeze.why",
            since=phrase(f"freeze.since.{self.stage.value}", at=at),
            allowed=phrase(f"freeze.allowed.{self.allowed.value}"),
        )


def reached(contest: Contest, stage: Stage, now: datetime) -> bool:
    """Whether ``contest`` is at or past ``stage`` at ``now``."""
    phase = PHASES.index(ContestPhase(contest.phase))
    if stage in STAGE_PHASE:
        return phase >= PHASES.index(STAGE_PHASE[stage])
    opens = contest.submission_opens_at if stage == Stage.SUBMISSIONS else contest.voting_opens_at
    return phase > 0 or as_utc(now) >= as_utc(opens)


def frozen(contest: Contest, setting: Declared, now: datetime) -> Frozen | None:
    """How ``setting`` of ``contest`` is frozen at ``now``; None while it may change freely.
    Once the vote is closed, the windows and the limits people entered and voted under are
    history: nothing about them changes any more."""
    freeze = setting.freezes
    if freeze is None or not reached(contest, freeze.at, now):
        return None
    windows = {
        Stage.SUBMISSIONS: contest.submission_opens_at,
        Stage.VOTING: contest.voting_opens_at,
    }
    if freeze.at in windows and reached(contest, Stage.VOTE_CLOSED, now):
        return Frozen(setting.name, Stage.VOTE_CLOSED, Allowed.NOTHING, None, contest.timezone)
    return Frozen(setting.name, freeze.at, freeze.allowed, windows.get(freeze.at), contest.timezone)


def permits(lock: Frozen, before: Any, after: Any) -> bool:
    """Whether a frozen setting may go from ``before`` to ``after`` (normalised values, see
    contests/changes.py: moments as UTC ISO text, numbers, lists)."""
    match lock.allowed:
        case Allowed.LATER:
            return datetime.fromisoformat(after) > datetime.fromisoformat(before)
        case Allowed.MORE:
            return bool(after > before)
        case Allowed.FEWER:
            return bool(after < before)
        case Allowed.ADDED:
            return set(before) <= set(after)
    return False
