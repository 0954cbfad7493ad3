"""What each lifecycle step would do, in numbers: the confirmation an admin reads before an
irreversible step (posters still unscored, posters no judge may score, judges not finished,
entries below quorum, awards and the ties at stake, named), whether the finalised record is
still current, and the step that comes next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from contest.contests.phases import NEXT_STEP, results_published
from contest.contests.queries import get_contest
from contest.core.authz import require_admin
from contest.core.models import ContestPhase, User, Vote
from contest.core.timeutil import utcnow
from contest.judging.lifecycle import SHORTLIST_OPEN, closes_early, top_by_votes
from contest.judging.method import Tie, compute, ties
from contest.judging.panel import FIXABLE_PHASES, PanelCheck, panel_check
from contest.judging.queries import active_entry_ids
from contest.judging.record import Change, outdated_by
from contest.judging.results import gather
from contest.judging.scoring import judging_progress
from contest.judging.ties import award_places
from contest.voting.queries import vote_counts

# The steps of the lifecycle screen in order; publish and unpublish follow finalising.
STEPS = (
    "close_voting",
    "build_shortlist",
    "lock_shortlist",
    "open_judging",
    "close_judging",
    "finalise",
    "publish",
)


@dataclass(frozen=True)
class Readiness:
    phase: ContestPhase
    next_step: str | None  # the one step the screen offers (unpublish once published)
    published: bool
    # The vote.
    active_entries: int
    votes: int
    voters: int
    voting_closes_at: datetime
    closes_early: bool  # closing now cuts the window short: a reason is needed
    # The shortlist.
    shortlist_size: int
    would_shortlist: int  # what building it now would take in (ties at the cut included)
    cut_votes: int  # the fewest votes that still make it
    shortlisted: int
    panel: PanelCheck
    # Judging.
    unscored: int  # shortlisted posters no judge has scored yet
    below_quorum: int
    judges_unfinished: int  # judges with posters still to score
    # The result.
    ranked: int
    award_places: int
    awarded: int
    tied: int  # winners who share their rank
    ties: tuple[Tie, ...]  # ties on the final score where an award is at stake, named
    changes: tuple[Change, ...]  # once finalised: what changed since the latest record

    @property
    def judges(self) -> int:
        return self.panel.judges

    @property
    def unjudgeable(self) -> int:
        return len(self.panel.unjudgeable)

    @property
    def steps(self) -> tuple[str, ...]:
        """The steps the screen offers: the next one, and while a finalised result is not yet
        published, finalising again (after corrected scores; results.finalise checks). An
        outdated record is finalised again before it can be published."""
        if self.next_step is None:
            return ()
        if self.phase == ContestPhase.FINALISED and not self.published:
            return ("refinalise",) if self.changes else (self.next_step, "refinalise")
        return (self.next_step,)

    @property
    def panel_fixable(self) -> bool:
        """Posters no judge may score can still get one (panel.appoint_judge checks)."""
        return self.phase in FIXABLE_PHASES

    @property
    def shortlist_open(self) -> bool:
        """Posters can still be added, removed or substituted (lifecycle checks)."""
        return self.phase in SHORTLIST_OPEN


def next_step(phase: ContestPhase, published: bool) -> str | None:
    if phase == ContestPhase.FINALISED:
        return "unpublish" if published else "publish"
    return NEXT_STEP.get(phase)


def readiness(
    session: Session, *, actor: User | None, contest_id: int, now: datetime | None = None
) -> Readiness:
    require_admin(actor)
    contest = get_contest(session, contest_id)
    phase = ContestPhase(contest.phase)
    published = results_published(contest)
    counts = vote_counts(session, contest_id=contest_id)
    active = active_entry_ids(session, contest_id)
    chosen = top_by_votes({e: counts.get(e, 0) for e in active}, contest.shortlist_size)
    voters = session.exec(
        select(func.count(func.distinct(col(Vote.voter_id)))).where(Vote.contest_id == contest_id)
    ).one()
    progress = judging_progress(session, actor=actor, contest_id=contest_id)
    rows = compute(gather(session, contest))
    winners = [row for row in rows if row.award]
    ranks = [row.rank for row in winners]
    return Readiness(
        phase=phase,
        next_step=next_step(phase, published),
        published=published,
        active_entries=len(active),
        votes=sum(counts.get(e, 0) for e in active),
        voters=voters,
        voting_closes_at=contest.voting_closes_at,
        closes_early=closes_early(contest, now or utcnow()),
        shortlist_size=contest.shortlist_size,
        would_shortlist=len(chosen),
        cut_votes=min((counts.get(e, 0) for e in chosen), default=0),
        shortlisted=len(progress.entries),
        panel=panel_check(session, actor=actor, contest_id=contest_id),
        unscored=sum(1 for e in progress.entries if e.scored == 0),
        below_quorum=sum(1 for e in progress.entries if not e.quorum_met),
        judges_unfinished=sum(1 for j in progress.judges if j.scored < j.assigned),
        ranked=sum(1 for row in rows if row.rank is not None),
        award_places=len(award_places(contest.award_tiers)),
        awarded=len(winners),
        tied=sum(1 for rank in ranks if ranks.count(rank) > 1),
        ties=ties(rows),
        changes=outdated_by(session, contest),
    )
