"""A contest is data: default windows and themes, window edges, admin-only settings."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, col, select

from contest.contests import manage as contests
from contest.contests import queries
from contest.contests.manage import new_contest
from contest.contests.settings import (
    BY_NAME,
    DEFAULT_THEMES,
    SERVER_CONFIG,
    contest_upload_cap_mb,
    server_upload_mb,
)
from contest.contests.windows import (
    Window,
    default_windows,
    ensure_submission_open,
    ensure_voting_open,
    submission_window,
    voting_window,
)
from contest.core.errors import InvalidInput, NotFound, PermissionDenied, WindowClosed
from contest.core.i18n import error_message
from contest.core.models import AuditEvent, Contest, Role, User
from contest.runtime import Runtime
from tests.factories import create_user

KST = ZoneInfo("Asia/Seoul")


def test_default_windows_are_13_to_24_october_seoul_time() -> None:
    windows = default_windows(2026)
    opens, closes = (
        datetime(2026, 10, 12, 15, 0, tzinfo=UTC),
        datetime(2026, 10, 24, 14, 59, 59, tzinfo=UTC),
    )
    assert windows["submission_opens_at"] == opens
    assert windows["voting_opens_at"] == opens
    assert windows["submission_closes_at"] == closes
    assert windows["voting_closes_at"] == closes
    contest = new_contest(name="대회", year=2026, slug="poster-2026")
    assert contest.submission_opens_at.astimezone(UTC) == opens
    assert contest.voting_closes_at.astimezone(UTC) == closes


def test_default_themes_are_the_five_zones() -> None:
    contest = new_contest(name="대회", year=2026, slug="poster-2026")
    assert contest.themes == ["시민행복", "균형발전", "초일류도시", "시민소통", "창조행정"]
    assert tuple(contest.themes) == DEFAULT_THEMES
    assert contest.timezone == "Asia/Seoul"


def test_window_edges_in_the_contest_zone() -> None:
    window = submission_window(new_contest(name="대회", year=2026, slug="poster-2026"))
    assert window.contains(datetime(2026, 10, 13, 0, 0, 0, tzinfo=KST))
    assert not window.contains(datetime(2026, 10, 12, 23, 59, 59, tzinfo=KST))
    assert window.contains(datetime(2026, 10, 24, 23, 59, 59, tzinfo=KST))
    assert window.contains(datetime(2026, 10, 24, 23, 59, 59, 999000, tzinfo=KST))
    assert not window.contains(datetime(2026, 10, 25, 0, 0, 0, tzinfo=KST))
    # The same instants written in UTC.
    assert window.contains(datetime(2026, 10, 24, 14, 59, 59, tzinfo=UTC))
    assert not window.contains(datetime(2026, 10, 24, 15, 0, 0, tzinfo=UTC))


def test_window_follows_another_time_zone() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    contest = new_contest(name="Contest", year=2026, slug="berlin-2026", timezone="Europe/Berlin")
    window = voting_window(contest)
    assert window.contains(datetime(2026, 10, 24, 23, 59, 59, tzinfo=berlin))
    assert not window.contains(datetime(2026, 10, 25, 0, 0, 0, tzinfo=berlin))
    # Midnight in Seoul on the 25th is still the 24th in Berlin: inside.
    assert window.contains(datetime(2026, 10, 25, 0, 0, 0, tzinfo=KST))


def test_ensure_open_names_the_window() -> None:
    contest = new_contest(name="대회", year=2026, slug="poster-2026")
    inside = datetime(2026, 10, 20, 12, 0, tzinfo=KST)
    ensure_voting_open(contest, inside)
    after = datetime(2026, 10, 25, 0, 0, tzinfo=KST)
    with pytest.raises(WindowClosed) as caught:
        ensure_voting_open(contest, after)
    error = caught.value
    assert error.key == "error.voting_closed"
    said = {name: value.text("ko") for name, value in error.params.items()}
    assert said == {  # to the second, in the house style: the window closes at 23:59:59
        "opens": "2026.\u00a010.\u00a013.(화)\u00a000:00",
        "closes": "2026.\u00a010.\u00a024.(토)\u00a023:59:59",
    }
    message = error_message(error, "ko")
    assert "투표 기간" in message and said["closes"] in message
    assert "Voting" in error_message(error, "en") or "voting" in error_message(error, "en")
    with pytest.raises(WindowClosed) as caught:
        ensure_submission_open(contest, after)
    assert "출품 접수 기간" in error_message(caught.value, "ko")


def test_window_is_a_plain_value() -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    window = Window(start, start + timedelta(hours=1))
    assert window.contains(start + timedelta(minutes=30))
    assert not window.contains(start - timedelta(seconds=1))


def _admin(session: Session) -> User:
    return create_user(session, role=Role.ADMIN)


def _create(session: Session, admin: User, **kwargs: Any) -> Contest:
    values: dict[str, Any] = {"name": "2026 AI 포스터", "year": 2026, "slug": "poster-2026"}
    values.update(kwargs)
    return contests.create_contest(session, actor=admin, **values)


def test_admin_creates_a_contest_and_it_is_audited(runtime: Runtime) -> None:
    with runtime.session() as session:
        admin = _admin(session)
        contest = _create(session, admin, slug="Poster-2026")
        assert contest.slug == "poster-2026" and not contest.is_current
        events = session.exec(select(AuditEvent).where(AuditEvent.contest_id == contest.id)).all()
        assert [e.action for e in events] == ["contest.create"]
        assert events[0].actor_id == admin.id


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [
        ({"name": "  "}, "error.contest.bad_name_or_slug"),
        ({"slug": ""}, "error.contest.bad_name_or_slug"),
        ({"slug": "poster 2026"}, "error.contest.bad_name_or_slug"),
        ({"slug": "포스터-2026"}, "error.contest.bad_name_or_slug"),
        ({"slug": "poster_2026"}, "error.contest.bad_name_or_slug"),
        ({"timezone": "Mars/Olympus"}, "error.contest.bad_timezone"),
        ({"themes": []}, "error.contest.bad_themes"),
        ({"entries_per_person": 0}, "error.contest.not_positive"),
    ],
)
def test_create_contest_validates(runtime: Runtime, kwargs: dict[str, Any], key: str) -> None:
    with runtime.session() as session:
        admin = _admin(session)
        with pytest.raises(InvalidInput) as caught:
            _create(session, admin, **kwargs)
        assert caught.value.key == key


def test_slug_must_be_unique(runtime: Runtime) -> None:
    with runtime.session() as session:
        admin = _admin(session)
        _create(session, admin)
        with pytest.raises(InvalidInput) as caught:
            _create(session, admin, slug="POSTER-2026")
        assert caught.value.key == "error.contest.slug_taken"


def test_update_settings_changes_and_audits(runtime: Runtime) -> None:
    closes = datetime(2026, 10, 31, 18, 0, tzinfo=KST)
    before_opening = datetime(2026, 10, 1, tzinfo=KST)  # nothing is frozen yet
    with runtime.session() as session:
        admin = _admin(session)
        contest = _create(session, admin)
        saved = contests.update_settings(
            session,
            actor=admin,
            contest_id=contest.id or 0,
            changes={"votes_per_voter": 5, "voting_closes_at": closes, "themes": [" A ", "B"]},
            now=before_opening,
        )
        assert [c.name for c in saved.changes] == ["themes", "voting_closes_at", "votes_per_voter"]
        assert saved.late == ()
        contest_id = contest.id
    with runtime.session() as session:
        saved_contest = queries.get_contest(session, contest_id or 0)
        assert saved_contest.votes_per_voter == 5
        assert saved_contest.voting_closes_at == closes
        assert saved_contest.themes == ["A", "B"]
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "contest.update")).one()
        assert event.details["changes"]["votes_per_voter"] == {"before": 3, "after": 5}
        assert event.details["late"] == []


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"is_demo": True}, "error.contest.unknown_setting"),
        ({"timezone": "Nowhere/City"}, "error.contest.bad_timezone"),
        (
            {"submission_closes_at": datetime(2026, 10, 1, tzinfo=UTC)},
            "error.contest.bad_window",
        ),
        ({"voting_opens_at": datetime(2027, 1, 1, tzinfo=UTC)}, "error.contest.bad_window"),
        ({"themes": ["시민행복", "시민행복"]}, "error.contest.bad_themes"),
        ({"themes": [" ", ""]}, "error.contest.bad_themes"),
        ({"votes_per_voter": 0}, "error.contest.not_positive"),
        ({"judge_quorum": -1}, "error.contest.not_positive"),
        ({"jury_weight": 1.5}, "error.contest.bad_jury_weight"),
        ({"rubric": []}, "error.contest.bad_rubric"),
        ({"rubric": [{"key": "a", "weight": 1, "min": 5, "max": 5}]}, "error.contest.bad_rubric"),
        ({"award_tiers": [{"name": "", "count": 1}]}, "error.contest.bad_awards"),
        ({"award_tiers": [{"name": "대상", "count": -1}]}, "error.contest.bad_awards"),
    ],
)
def test_update_settings_refuses_bad_values(
    runtime: Runtime, changes: dict[str, Any], key: str
) -> None:
    with runtime.session() as session:
        admin = _admin(session)
        contest_id = _create(session, admin).id or 0
    with pytest.raises(InvalidInput) as caught, runtime.session() as session:
        admin_again = session.get(User, admin.id)
        contests.update_settings(session, actor=admin_again, contest_id=contest_id, changes=changes)
    assert caught.value.key == key
    with runtime.session() as session:
        unchanged = queries.get_contest(session, contest_id)
        assert unchanged.votes_per_voter == 3 and unchanged.timezone == "Asia/Seoul"
        updates = select(AuditEvent).where(AuditEvent.action == "contest.update")
        assert not session.exec(updates).all()


RUBRIC_ROW = {"key": "a", "label": "A", "weight": 1, "min": 1, "max": 10}


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"max_upload_mb": 500}, "error.contest.out_of_range"),
        ({"max_upload_mb": 26}, "error.contest.out_of_range"),  # the server takes 25 MB
        ({"max_megapixels": 100000}, "error.contest.out_of_range"),
        ({"max_megapixels": 101}, "error.contest.out_of_range"),
        ({"max_upload_mb": "20"}, "error.contest.out_of_range"),
        ({"votes_per_voter": 2.5}, "error.contest.out_of_range"),
        ({"votes_per_voter": True}, "error.contest.out_of_range"),
        ({"shortlist_size": float("inf")}, "error.contest.out_of_range"),
        ({"jury_weight": float("nan")}, "error.contest.bad_jury_weight"),
        ({"jury_weight": "0.5"}, "error.contest.bad_jury_weight"),
        ({"name": "가" * 201}, "error.contest.bad_name"),
        ({"themes": [f"구역{n}" for n in range(21)]}, "error.contest.bad_themes"),
        ({"themes": ["가" * 101]}, "error.contest.bad_themes"),
        ({"rubric": [{**RUBRIC_ROW, "min": float("nan")}]}, "error.contest.bad_rubric"),
        ({"rubric": [{**RUBRIC_ROW, "max": 1000}]}, "error.contest.bad_rubric"),
        ({"rubric": [{**RUBRIC_ROW, "weight": "x"}]}, "error.contest.bad_rubric"),
        ({"rubric": [{**RUBRIC_ROW, "key": None}]}, "error.contest.bad_rubric"),
        (
            {"rubric": [{**RUBRIC_ROW, "key": f"k{n}"} for n in range(21)]},
            "error.contest.bad_rubric",
        ),
        ({"award_tiers": [{"name": "대상", "count": 10**9}]}, "error.contest.bad_awards"),
        ({"award_tiers": [{"name": None, "count": 1}]}, "error.contest.bad_awards"),
        ({"award_tiers": [{"name": "대상", "count": float("nan")}]}, "error.contest.bad_awards"),
    ],
)
def test_settings_stay_within_sensible_ranges_and_the_servers_limits(
    runtime: Runtime, changes: dict[str, Any], key: str
) -> None:
    """Each refusal is a message, never a crash, and changes nothing."""
    test_update_settings_refuses_bad_values(runtime, changes, key)


def test_the_upload_cap_is_read_from_the_server_config(monkeypatch: pytest.MonkeyPatch) -> None:
    config = tomllib.loads(SERVER_CONFIG.read_text(encoding="utf-8"))
    assert server_upload_mb() == config["server"]["maxUploadSize"] == 50
    # A file up to twice over a contest's limit reaches the app, which explains the limit.
    assert BY_NAME["max_upload_mb"].high == contest_upload_cap_mb() == 25
    assert new_contest(name="n", year=2026, slug="n", max_upload_mb=25).max_upload_mb == 25
    monkeypatch.setenv("STREAMLIT_SERVER_MAX_UPLOAD_SIZE", "40")
    server_upload_mb.cache_clear()
    try:
        assert server_upload_mb() == 40  # Streamlit lets the environment override the file
    finally:
        monkeypatch.delenv("STREAMLIT_SERVER_MAX_UPLOAD_SIZE")
        server_upload_mb.cache_clear()


def test_set_current_keeps_exactly_one_current(any_runtime: Runtime) -> None:
    with any_runtime.session() as session:
        admin = _admin(session)
        first = _create(session, admin, make_current=True)
        second = _create(session, admin, slug="poster-2027", year=2027)
        assert queries.require_current(session).id == first.id
        contests.set_current(session, actor=admin, contest_id=second.id or 0)
    with any_runtime.session() as session:
        current = session.exec(select(Contest).where(col(Contest.is_current))).all()
        assert [c.id for c in current] == [second.id]
        contests.set_current(session, actor=admin, contest_id=second.id or 0)
        assert len(session.exec(select(Contest).where(col(Contest.is_current))).all()) == 1
        with pytest.raises(NotFound):
            contests.set_current(session, actor=admin, contest_id=9999)


def test_no_current_contest(runtime: Runtime) -> None:
    with runtime.session() as session:
        assert queries.current_contest(session) is None
        with pytest.raises(NotFound) as caught:
            queries.require_current(session)
        assert caught.value.key == "error.contest.none_current"


def test_staff_cannot_change_contests(runtime: Runtime) -> None:
    with runtime.session() as session:
        admin, staff = _admin(session), create_user(session)
        contest_id = _create(session, admin).id or 0
        with pytest.raises(PermissionDenied):
            _create(session, staff, slug="staff-made")
        with pytest.raises(PermissionDenied):
            contests.update_settings(
                session, actor=staff, contest_id=contest_id, changes={"votes_per_voter": 9}
            )
        with pytest.raises(PermissionDenied):
            contests.set_current(session, actor=staff, contest_id=contest_id)


def test_admin_creates_next_years_contest_with_no_code_change(runtime: Runtime) -> None:
    with runtime.session() as session:
        admin = _admin(session)
        _create(session, admin, make_current=True)
        nxt = contests.create_contest(
            session,
            actor=admin,
            name="2027 AI 혁신 포스터 경진대회",
            year=2027,
            slug="poster-2027",
            make_current=True,
            votes_per_voter=5,
            themes=["시민행복", "미래도시"],
        )
    with runtime.session() as session:
        current = queries.require_current(session)
        assert current.id == nxt.id and current.year == 2027
        assert current.submission_opens_at == datetime(2027, 10, 12, 15, 0, tzinfo=UTC)
        assert current.voting_closes_at == datetime(2027, 10, 24, 14, 59, 59, tzinfo=UTC)
        assert current.votes_per_voter == 5 and current.themes == ["시민행복", "미래도시"]
        assert [c.year for c in queries.list_contests(session)] == [2027, 2026]
