"""Blind judging holds on the public side too, decided by author_visibility for every surface:
while the shortlist is judged the visitor page, the kiosks and the labels name no author; the
kiosk's winners mode credits as the winners page does, shows its own zone's current winners
only, and says so when there are none. Both databases."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from contest.contests.queries import get_contest
from contest.contests.visibility import HIDDEN, Purpose, author_visibility
from contest.core.errors import InvalidState
from contest.core.models import Contest, ContestPhase, Entry, EntryStatus, Role, User
from contest.entries.moderation import disqualify_entry
from contest.exhibition.displays import KioskMode, create_display, kiosk_view
from contest.exhibition.labels import labels
from contest.exhibition.public import visitor_view
from contest.judging import lifecycle, publication, results, scoring
from contest.reports.exports import export_tables
from contest.runtime import Runtime
from tests.factories import JudgingContest, create_user, flat_scores, judging_contest

BLIND = {
    ContestPhase.SHORTLISTED,
    ContestPhase.SHORTLIST_LOCKED,
    ContestPhase.JUDGING,
    ContestPhase.JUDGING_CLOSED,
    ContestPhase.FINALISED,  # until the results are published
}


@pytest.mark.parametrize("phase", list(ContestPhase))
@pytest.mark.parametrize("viewer_role", [None, Role.STAFF, Role.JUDGE, Role.ADMIN])
def test_the_venue_names_no_author_while_the_shortlist_is_judged(
    phase: ContestPhase, viewer_role: Role | None
) -> None:
    contest = Contest(phase=phase.value, show_author_names=True)
    viewer = None if viewer_role is None else User(role=viewer_role.value)
    shown = author_visibility(contest, viewer, Purpose.EXHIBITION)
    blind = phase in BLIND or viewer_role == Role.JUDGE
    assert (shown == HIDDEN) == blind
    contest.published_snapshot_id = 1  # published: only a finalised contest is
    published = author_visibility(contest, viewer, Purpose.EXHIBITION)
    assert (published == HIDDEN) == (blind and phase != ContestPhase.FINALISED)


def _public(runtime: Runtime, contest_id: int) -> None:
    with runtime.session() as session:
        contest = get_contest(session, contest_id)
        contest.exhibition_public = True
        contest.exhibition_opens_at = contest.submission_opens_at
        contest.exhibition_closes_at = contest.voting_closes_at
        session.add(contest)


def _kiosk(runtime: Runtime, admin: User, theme: str) -> str:
    with runtime.session() as session:
        made = create_display(session, actor=admin, settings=runtime.settings, theme=theme)
    return parse_qs(urlsplit(made.link).fragment)["screen"][0]


def _publish(runtime: Runtime, s: JudgingContest) -> None:
    cid = s.contest.id or 0
    for judge in s.judges:
        for rank, entry in enumerate(s.entries):
            with runtime.session() as session:
                scoring.save_score(
                    session, actor=judge, entry_id=entry.id or 0, scores=flat_scores(9 - rank)
                )
    with runtime.session() as session:
        lifecycle.close_judging(session, actor=s.admin, contest_id=cid)
    with runtime.session() as session:
        snapshot = results.finalise(session, actor=s.admin, contest_id=cid)
    with runtime.session() as session:
        publication.publish(session, actor=s.admin, contest_id=cid, snapshot_id=snapshot.id or 0)


def test_every_public_surface_follows_the_one_rule(any_runtime: Runtime) -> None:
    s = judging_contest(any_runtime, judges=2, judge_quorum=2)
    cid, department = s.contest.id or 0, s.staff.department
    themes = list(s.contest.themes)
    _public(any_runtime, cid)
    zone, empty_zone = (
        _kiosk(any_runtime, s.admin, themes[0]),
        _kiosk(any_runtime, s.admin, themes[1]),
    )
    with any_runtime.session() as session:  # judging: nothing names the author
        poster = visitor_view(session, actor=None, entry_id=s.entries[0].id or 0).poster
        assert poster is not None and (poster.department, poster.author_name) == (None, None)
        kiosk = kiosk_view(session, settings=any_runtime.settings, token=zone)
        assert kiosk.mode == KioskMode.POSTERS and kiosk.posters
        assert {p.credit for p in kiosk.posters} == {None}
        assert {
            label.department
            for label in labels(session, settings=any_runtime.settings, actor=s.admin)
        } == {""}
        exported = export_tables(session, actor=s.admin, contest_id=cid, keys=True)["entries"]
        assert set(exported["author_department"]) == {department}  # the organisers see all

    _publish(any_runtime, s)
    with any_runtime.session() as session:  # published: the venue credits again
        poster = visitor_view(session, actor=None, entry_id=s.entries[0].id or 0).poster
        assert poster is not None and poster.department == department
        staff_page = publication.published_board(session, actor=s.staff, contest_id=cid)
        kiosk = kiosk_view(session, settings=any_runtime.settings, token=zone)
        assert kiosk.mode == KioskMode.WINNERS and kiosk.posters
        # credited as the staff's winners page credits: by name (the contest's winners_named)
        assert [p.credit for p in kiosk.posters] == [w.author for w in staff_page.winners]
        assert all(p.credit for p in kiosk.posters)
        winners = [p.entry_id for p in kiosk.posters]
        nothing = kiosk_view(session, settings=any_runtime.settings, token=empty_zone)
        assert nothing.mode == KioskMode.WINNERS and nothing.posters == ()  # never every zone's

    # Disqualifying a published winner is refused (contests/published.py); a change made in
    # the database by hand still takes it off the TVs.
    with any_runtime.session() as session, pytest.raises(InvalidState):
        disqualify_entry(session, actor=s.admin, entry_id=winners[0], reason="표절 확인")
    with any_runtime.session() as session:
        entry = session.get(Entry, winners[0])
        assert entry is not None
        entry.status = EntryStatus.DISQUALIFIED.value
        session.add(entry)
    with any_runtime.session() as session:
        kiosk = kiosk_view(session, settings=any_runtime.settings, token=zone)
        assert [p.entry_id for p in kiosk.posters] == winners[1:]


def test_names_shown_by_the_contest_reach_the_kiosk_winners_as_on_the_winners_page(
    any_runtime: Runtime,
) -> None:
    s = judging_contest(any_runtime, judges=2, judge_quorum=2, show_author_names=True)
    _public(any_runtime, s.contest.id or 0)
    token = _kiosk(any_runtime, s.admin, s.contest.themes[0])
    _publish(any_runtime, s)
    with any_runtime.session() as session:
        staff = create_user(session)
    with any_runtime.session() as session:
        page = publication.published_board(session, actor=staff, contest_id=s.contest.id or 0)
        kiosk = kiosk_view(session, settings=any_runtime.settings, token=token)
    assert [p.credit for p in kiosk.posters] == [w.author for w in page.winners]
    assert all(p.credit and s.staff.name in p.credit for p in kiosk.posters)
