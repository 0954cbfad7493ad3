"""Winners announced as an office announces them: by name and department on the winners page
(a setting, on by default, asked through author_visibility), the award on the winner's own
entries page, the exhibition labels, kiosk and public poster page once published; the results
page explains the weights of the table it shows, not today's settings."""

from __future__ import annotations

from datetime import timedelta

import pytest

from contest.contests.views import contest_admin_view
from contest.core.models import Contest
from contest.core.timeutil import utcnow
from contest.entries.views import my_entries_view
from contest.exhibition.displays import create_display, kiosk_view
from contest.exhibition.labels import labels
from contest.exhibition.public import visitor_view
from contest.judging import publication, results
from contest.reports.views import results_admin_view
from contest.runtime import Runtime
from tests.factories import JudgingContest, flat_scores, judged

VOTES = (3, 2, 1)
SHEETS = (flat_scores(9), flat_scores(7), flat_scores(5))
TIERS = [{"name": "최우수", "count": 1}, {"name": "우수", "count": 1}]


def _published(runtime: Runtime, **contest: object) -> JudgingContest:
    s = judged(runtime, VOTES, SHEETS, award_tiers=TIERS, **contest)
    cid = s.contest.id or 0
    with runtime.session() as session:
        snapshot = results.finalise(session, actor=s.admin, contest_id=cid)
    with runtime.session() as session:
        publication.publish(session, actor=s.admin, contest_id=cid, snapshot_id=snapshot.id or 0)
    return s


def test_winners_are_named_unless_the_office_says_not(any_runtime: Runtime) -> None:
    s = _published(any_runtime)
    cid = s.contest.id or 0
    with any_runtime.session() as session:  # the settings form's preview counts from here
        assert contest_admin_view(session, actor=s.admin, chosen_id=cid).top_votes == 3
    credit = f"{s.staff.name} · {s.staff.department}"
    with any_runtime.session() as session:
        board = publication.published_board(session, actor=s.judges[0], contest_id=cid)
    assert [(w.number, w.award, w.author) for w in board.winners] == [
        (1, "최우수", credit),
        (2, "우수", credit),
    ]
    # The winners page shows how each score was made, at the record's weights.
    first = board.winners[0]
    assert (first.jury_score, first.jury_part, first.votes, first.vote_part) == pytest.approx(
        (9.0, 7.2, 3, 2.0)
    )
    assert first.final == pytest.approx(first.jury_part + first.vote_part)
    assert (board.explanation.jury_percent, board.explanation.vote_worth) == (
        80,
        pytest.approx(0.6),
    )

    anonymous = _published(any_runtime, winners_named=False)
    with any_runtime.session() as session:
        board = publication.published_board(
            session, actor=anonymous.staff, contest_id=anonymous.contest.id or 0
        )
    assert [w.author for w in board.winners] == [None, None]


def test_the_award_reaches_the_winners_own_page_the_labels_and_the_venue(
    any_runtime: Runtime,
) -> None:
    s = judged(any_runtime, VOTES, SHEETS, award_tiers=TIERS)
    cid = s.contest.id or 0
    with any_runtime.session() as session:
        snapshot = results.finalise(session, actor=s.admin, contest_id=cid)
    with any_runtime.session() as session:  # finalised is not announced
        mine = my_entries_view(session, actor=s.staff)
    assert [item.award for item in mine.entries] == [None, None, None]

    with any_runtime.session() as session:
        publication.publish(session, actor=s.admin, contest_id=cid, snapshot_id=snapshot.id or 0)
        contest = session.get(Contest, cid)
        assert contest is not None
        contest.exhibition_public = True
        contest.exhibition_opens_at = utcnow() - timedelta(days=1)
        contest.exhibition_closes_at = utcnow() + timedelta(days=1)
        session.add(contest)
    settings = any_runtime.settings
    with any_runtime.session() as session:
        mine = my_entries_view(session, actor=s.staff)
        printed = labels(session, settings=settings, actor=s.admin)
        visit = visitor_view(session, actor=None, entry_id=s.entries[0].id or 0)
        screen = create_display(
            session,
            actor=s.admin,
            settings=settings,
            theme=s.contest.themes[0],
            show_winners=False,
        )
    with any_runtime.session() as session:
        kiosk = kiosk_view(session, settings=settings, token=screen.link.rsplit("=", 1)[1])
    assert [item.award for item in mine.entries] == ["최우수", "우수", None]
    assert [label.award for label in printed] == ["최우수", "우수", None]
    assert visit.poster is not None and visit.poster.award == "최우수"
    assert [poster.award for poster in kiosk.posters] == ["최우수", "우수", None]


def test_the_results_page_explains_the_weights_of_the_table_it_shows(
    any_runtime: Runtime,
) -> None:
    s = judged(any_runtime, VOTES, SHEETS, award_tiers=TIERS)
    cid = s.contest.id or 0
    with any_runtime.session() as session:
        results.finalise(session, actor=s.admin, contest_id=cid)
    with any_runtime.session() as session:  # frozen since judging: only by hand in the database
        contest = session.get(Contest, cid)
        assert contest is not None
        contest.jury_weight = 0.5
        session.add(contest)
    with any_runtime.session() as session:
        view = results_admin_view(session, actor=s.admin)
    assert view.contest.jury_weight == 0.5
    assert (view.explanation.jury_percent, view.explanation.version) == (80, 2)
    assert (view.explanation.top_votes, view.explanation.reference) == (3, 3)
    assert list(view.table["심사 몫"]) == [7.2, 5.6, 4.0]
    assert [c.text("ko") for c in view.changes] == [
        "심사위원 점수 비중 (나머지는 직원 투표): 80% → 50%"
    ]
