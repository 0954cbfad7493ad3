"""What the gallery, a poster's page and the vote screens show, one view function per screen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from contest.contests.queries import get_contest, require_current
from contest.contests.windows import voting_closed, voting_open
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
        query = GalleryQuery(query.theme, query.department, query.search, page=query.page)
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


def poster_view(
    session: Session,
    *,
    actor: User | None,
    settings: Settings,
    entry_id: int,
    now: datetime | None = None,
) -> PosterView:
    """One poster at display size, the viewer's votes and the poster's own link."""
    poster = entry_detail(session, actor=actor, entry_id=entry_id)
    contest = get_contest(session, poster.contest_id)
    return PosterView(
        poster=poster,
        votes=vote_state(session, actor=actor, contest_id=poster.contest_id),
        voting_open=voting_open(contest, now),
        link=settings.entry_link(poster.entry_id),
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
