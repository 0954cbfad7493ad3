"""What the gallery, a poster's page and the vote screens show, one view function per screen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from contest.contests.queries import get_contest, require_current
from contest.contests.windows import WindowStatus, voting_closed, voting_open, voting_window
from contest.core.authz import require_admin, require_staff
from contest.core.config import Settings
from contest.core.models import Role, User
from contest.voting.gallery import (
    EntryDetail,
    Filters,
    GalleryPage,
    GalleryQuery,
    entry_detail,
    filters,
    gallery_page,
)
from contest.voting.report import VoteReport, VoteRow, integrity_report, votes_in_force
from contest.voting.votes import MyVote, Tally, VoteState, my_votes, tallies, vote_state


@dataclass(frozen=True)
class GalleryView:
    filters: Filters
    page: GalleryPage
    votes: VoteState
    my_votes: tuple[MyVote, ...]
    voting_open: bool


def gallery_view(
    session: Session,
    *,
    actor: User | None,
    settings: Settings,
    query: GalleryQuery,
    now: datetime | None = None,
) -> GalleryView:
    """One page of the gallery with its filter choices and the viewer's votes."""
    choices = filters(session, actor=actor, now=now)
    if query.order not in choices.orders:
        query = GalleryQuery(
            query.theme, query.department, query.search, page=query.page, tool=query.tool
        )
    page = gallery_page(session, actor=actor, secret_key=settings.secret_key, query=query, now=now)
    contest = get_contest(session, choices.contest_id)
    return GalleryView(
        filters=choices,
        page=page,
        votes=vote_state(session, actor=actor, contest_id=choices.contest_id),
        my_votes=tuple(my_votes(session, actor=actor, contest_id=choices.contest_id)),
        voting_open=voting_open(contest, now),
    )


@dataclass(frozen=True)
class PosterView:
    poster: EntryDetail
    votes: VoteState
    voting_open: bool
    link: str
    voted: bool  # the viewer's vote for this poster counts now
    cannot_vote: str | None  # why the vote button is disabled (a message key), None: it works
    cannot_retract: str | None  # likewise for taking the vote back (the page then hides it)
    voting_opens_at: datetime
    voting_closes_at: datetime
    timezone: str


def _cannot_vote(
    poster: EntryDetail, votes: VoteState, window: WindowStatus, voted: bool
) -> str | None:
    """The first rule cast_vote would refuse this vote by, as a message key: the same rules,
    asked before the click so the button can say why it is off."""
    if voted:
        return None
    if poster.is_own:
        return "vote.why.own_entry"
    if poster.status != "active":
        return "vote.why.not_shown"
    if window != WindowStatus.OPEN:
        return f"vote.why.{window.value}"
    if votes.left == 0:
        return "vote.why.no_votes_left"
    return None


def _cannot_retract(window: WindowStatus) -> str | None:
    """Why a vote cannot be taken back now, in retract_vote's own words."""
    if window == WindowStatus.OPEN:
        return None
    return "error.vote.retract_closed" if window == WindowStatus.CLOSED else "vote.why.before"


def poster_view(
    session: Session,
    *,
    actor: User | None,
    settings: Settings,
    entry_id: int,
    now: datetime | None = None,
) -> PosterView:
    """One poster at display size, the viewer's votes, whether they may vote for it (and why
    not) and the poster's own link."""
    poster = entry_detail(session, actor=actor, entry_id=entry_id)
    contest = get_contest(session, poster.contest_id)
    votes = vote_state(session, actor=actor, contest_id=poster.contest_id)
    window = voting_window(contest).status(now)
    voted = poster.entry_id in votes.voted_entry_ids
    return PosterView(
        poster=poster,
        votes=votes,
        voting_open=window == WindowStatus.OPEN,
        link=settings.entry_link(poster.entry_id),
        voted=voted,
        cannot_vote=_cannot_vote(poster, votes, window, voted),
        cannot_retract=_cannot_retract(window),
        voting_opens_at=contest.voting_opens_at,
        voting_closes_at=contest.voting_closes_at,
        timezone=contest.timezone,
    )


@dataclass(frozen=True)
class TalliesView:
    hidden: bool  # staff see tallies only once voting has closed
    closes_at: datetime
    timezone: str
    live: bool  # an admin looking while voting is still open
    rows: tuple[Tally, ...]


def tallies_view(
    session: Session, *, actor: User | None, now: datetime | None = None
) -> TalliesView:
    user = require_staff(actor)
    contest = require_current(session)
    closed = voting_closed(contest, now)
    admin = Role(user.role) == Role.ADMIN
    rows = (
        tallies(session, actor=user, contest_id=contest.id or 0, now=now) if closed or admin else []
    )
    return TalliesView(
        hidden=not (closed or admin),
        closes_at=contest.voting_closes_at,
        timezone=contest.timezone,
        live=admin and not closed,
        rows=tuple(rows),
    )


@dataclass(frozen=True)
class VoteAdminView:
    timezone: str
    tallies: tuple[Tally, ...]
    report: VoteReport
    in_force: tuple[VoteRow, ...]


def vote_admin_view(
    session: Session, *, actor: User | None, within_seconds: float
) -> VoteAdminView:
    """Live tallies, the integrity report and the votes an admin may void."""
    require_admin(actor)
    contest = require_current(session)
    cid = contest.id or 0
    return VoteAdminView(
        timezone=contest.timezone,
        tallies=tuple(tallies(session, actor=actor, contest_id=cid)),
        report=integrity_report(
            session, actor=actor, contest_id=cid, within_seconds=within_seconds
        ),
        in_force=tuple(votes_in_force(session, actor=actor, contest_id=cid)),
    )
