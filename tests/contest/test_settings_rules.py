"""Rules that cannot move under the contest, and every change on the record: settings freeze
when they start to matter (contests/freezes.py), a save is audited with only what it changed,
before -> after, and settings that contradict each other are refused with a message of their
own. Through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import col, select

from contest.contests import manage
from contest.contests.changes import recorded
from contest.contests.freezes import LATE_CHANGE, Stage, frozen
from contest.contests.queries import late_changes
from contest.contests.settings import BY_NAME, DEFAULT_RUBRIC, SETTINGS, validate
from contest.contests.views import contest_admin_view
from contest.core.errors import ContestError, InvalidInput, InvalidState
from contest.core.i18n import error_message
from contest.core.models import AuditEvent, Contest, ContestPhase, JudgeScore, Role, User
from contest.core.timeutil import local
from contest.demo.seed import demo_contest
from contest.judging import results, scoring
from contest.reports import audit_log
from contest.runtime import Runtime
from tests.factories import awards, create_contest, create_user, flat_scores, judging_contest

KST = ZoneInfo("Asia/Seoul")
OPENS = datetime(2026, 10, 13, 0, 0, tzinfo=KST)  # both windows: 13 to 24 October
CLOSES = datetime(2026, 10, 24, 23, 59, 59, tzinfo=KST)
BEFORE = datetime(2026, 10, 1, 9, 0, tzinfo=KST)  # nothing has opened
DURING = datetime(2026, 10, 20, 9, 0, tzinfo=KST)  # both windows open


@dataclass
class World:
    runtime: Runtime
    admin_id: int
    contest_id: int

    def save(self, changes: dict[str, Any], **kw: Any) -> manage.SettingsSaved:
        with self.runtime.session() as session:
            return manage.update_settings(
                session,
                actor=session.get_one(User, self.admin_id),
                contest_id=self.contest_id,
                changes=changes,
                **kw,
            )

    def refused(self, changes: dict[str, Any], **kw: Any) -> ContestError:
        with pytest.raises(ContestError) as caught:
            self.save(changes, **kw)
        assert isinstance(caught.value, InvalidInput | InvalidState)
        return caught.value

    def contest(self) -> Contest:
        with self.runtime.session() as session:
            return session.get_one(Contest, self.contest_id)

    def events(self) -> list[AuditEvent]:
        with self.runtime.session() as session:
            query = select(AuditEvent).where(
                col(AuditEvent.action).in_(("contest.update", LATE_CHANGE))
            )
            return list(session.exec(query.order_by(AuditEvent.id)).all())


def spaced(text: str) -> str:
    """Dates keep no-break spaces inside (core/dates.py); the expected texts use plain ones."""
    return text.replace("\xa0", " ")


def world(runtime: Runtime, **overrides: Any) -> World:
    """A current contest whose windows both run from 13 to 24 October 2026 (KST), an admin."""
    values: dict[str, Any] = {
        "submission_opens_at": OPENS,
        "submission_closes_at": CLOSES,
        "voting_opens_at": OPENS,
        "voting_closes_at": CLOSES,
    }
    with runtime.session() as session:
        contest = create_contest(session, **(values | overrides))
        admin = create_user(session, role=Role.ADMIN, name="관리자")
        return World(runtime, admin.id or 0, contest.id or 0)


def form_values(contest: Contest) -> dict[str, Any]:
    """What the settings form sends: every setting, the moments in the contest's time zone."""
    values = {s.name: getattr(contest, s.name) for s in SETTINGS}
    return {
        k: local(v, contest.timezone) if isinstance(v, datetime) else v for k, v in values.items()
    }


# --- Every change on the record, with its values -------------------------------------------


def test_a_save_that_changes_nothing_says_so_and_records_nothing(any_runtime: Runtime) -> None:
    w = world(any_runtime)
    sent = form_values(w.contest())  # four moments in KST, stored in UTC: the same moments
    assert w.save(sent, now=BEFORE).changes == ()
    assert w.save(sent, now=DURING).changes == ()  # frozen settings sent unchanged pass too
    assert w.events() == []


def test_two_changes_record_exactly_two_with_before_and_after(any_runtime: Runtime) -> None:
    w = world(any_runtime)
    sent = form_values(w.contest()) | {
        "jury_weight": 0.5,
        "voting_closes_at": datetime(2026, 10, 27, 18, 0, tzinfo=KST),
    }
    saved = w.save(sent, now=BEFORE)
    assert [c.name for c in saved.changes] == ["voting_closes_at", "jury_weight"]
    [event] = w.events()
    assert event.action == "contest.update"
    assert event.details == {
        "changes": {
            "voting_closes_at": {
                "before": "2026-10-24T14:59:59+00:00",  # compared and kept in UTC
                "after": "2026-10-27T09:00:00+00:00",
            },
            "jury_weight": {"before": 0.8, "after": 0.5},
        },
        "late": [],
    }
    with any_runtime.session() as session:
        [line] = audit_log.lines(session, [event], "Asia/Seoul")
    ko, en = (spaced(audit_log.sentence(line, lang)) for lang in ("ko", "en"))
    assert "투표 마감: 2026. 10. 24.(토) 23:59:59 → 2026. 10. 27.(화) 18:00" in ko
    assert "심사위원 점수 비중 (나머지는 직원 투표): 80% → 50%" in ko
    assert "Sat 24 Oct 2026, 23:59:59 → Tue 27 Oct 2026, 18:00" in en


def test_the_rubric_awards_flags_and_choices_read_in_words(runtime: Runtime) -> None:
    w = world(runtime)
    rubric = [dict(c) for c in DEFAULT_RUBRIC]
    rubric[0] = {**rubric[0], "weight": 40.0}  # a table sends 40.0 for 40
    rubric[1] = {**rubric[1], "weight": 30.0}  # unchanged, typed as a float: no change
    w.save(
        {
            "rubric": rubric,
            "award_tiers": awards(1, 1),
            "show_author_names": True,
            "officials_entering": "forbidden",
        },
        now=BEFORE,
    )
    [event] = w.events()
    assert set(event.details["changes"]) == {
        "rubric",
        "award_tiers",
        "show_author_names",
        "officials_entering",
    }
    with runtime.session() as session:
        text = audit_log.sentence(audit_log.lines(session, [event], "Asia/Seoul")[0], "ko")
    assert "창의성·혁신성 가중치 30 (1~10점)" in text and "창의성·혁신성 가중치 40 (1~10점)" in text
    assert "최우수 1편, 우수 2편, 장려 3편, 입선 4편 → 최우수 1편, 우수 1편" in text
    assert "갤러리에 출품자 이름 보이기: 아니요 → 예" in text
    assert "출품할 수 없음" in text
    assert "None" not in text and "{" not in text


def test_an_older_row_with_every_field_reads_as_what_really_changed(runtime: Runtime) -> None:
    """Rows written before this change kept all 20 fields, 'before' in UTC, 'after' in KST."""
    w = world(runtime)
    contest = w.contest()
    before = {s.name: getattr(contest, s.name) for s in SETTINGS}
    after = form_values(contest) | {"jury_weight": 0.5}
    as_text = lambda d: {k: v.isoformat() if isinstance(v, datetime) else v for k, v in d.items()}  # noqa: E731
    changes = recorded({"before": as_text(before), "after": as_text(after)})
    assert [(c.name, c.before, c.after) for c in changes] == [("jury_weight", 0.8, 0.5)]


# --- Rules freeze when they start to matter ------------------------------------------------


def test_a_judging_setting_is_refused_once_judging_opens(any_runtime: Runtime) -> None:
    jc = judging_contest(any_runtime, award_tiers=awards(1, 1))
    w = World(any_runtime, jc.admin.id or 0, jc.contest.id or 0)
    for change in (
        {"jury_weight": 0.5},
        {
            "rubric": [
                *DEFAULT_RUBRIC,
                {"key": "impact", "label": "영향력", "weight": 10, "min": 1, "max": 10},
            ]
        },
        {"award_tiers": awards(1, 2)},
        {"judge_quorum": 1},
        {"judges_exclude_own_department": True},
        {"shortlist_size": 9},
    ):
        error = w.refused(change, reason="바꾸고 싶습니다")  # no reason unlocks it
        assert error.key == "error.settings.frozen"
    said = error_message(w.refused({"jury_weight": 0.5}), "ko")
    assert said == (
        "‘심사위원 점수 비중 (나머지는 직원 투표)’ 설정은 그렇게 바꿀 수 없습니다. "
        "본선 명단이 확정되어 심사위원이 심사 기준과 함께 보고 있습니다. 이제는 바꿀 수 없습니다."
    )
    assert w.contest().jury_weight == 0.8 and w.events() == []
    assert w.save({"show_author_names": True}).changes  # what the result does not use moves


def test_judging_settings_move_freely_until_the_shortlist_is_locked(runtime: Runtime) -> None:
    w = world(runtime, phase=ContestPhase.SHORTLISTED.value, shortlist_size=20)
    assert w.save({"jury_weight": 0.6, "judge_quorum": 1}, now=DURING).late == ()
    assert w.refused({"shortlist_size": 12}, now=DURING).key == "error.settings.frozen"


def test_a_window_is_only_extended_with_a_reason_and_that_is_flagged(any_runtime: Runtime) -> None:
    w = world(any_runtime)
    later = datetime(2026, 10, 27, 23, 59, 59, tzinfo=KST)
    error = w.refused({"voting_closes_at": later}, now=DURING)
    assert error.key == "error.settings.late_reason"
    assert error_message(error, "ko").endswith(": 투표 마감")
    for change in (
        {"voting_closes_at": CLOSES - timedelta(days=1)},  # shortened
        {"voting_opens_at": OPENS - timedelta(days=1)},  # moved earlier
        {"submission_opens_at": OPENS + timedelta(hours=1)},  # an opened window's start
        {"timezone": "Asia/Tokyo"},
        {"officials_entering": "allowed"},
    ):
        assert w.refused(change, reason="사유", now=DURING).key == "error.settings.frozen", change
    saved = w.save({"voting_closes_at": later}, reason="시스템 점검으로 사흘 연장", now=DURING)
    assert [(c.name, c.late) for c in saved.changes] == [("voting_closes_at", True)]
    [event] = w.events()
    assert (event.action, event.reason) == (LATE_CHANGE, "시스템 점검으로 사흘 연장")
    assert event.details["late"] == ["voting_closes_at"]
    with any_runtime.session() as session:
        [record] = late_changes(session, w.contest_id)
        [line] = audit_log.lines(session, [event], "Asia/Seoul")
    assert record["reason"] == "시스템 점검으로 사흘 연장"
    assert record["changes"]["voting_closes_at"]["after"] == "2026-10-27T14:59:59+00:00"
    assert "이미 시작된 규칙을 바꿨습니다" in audit_log.sentence(line, "ko")


def test_limits_only_loosen_once_their_window_opened(runtime: Runtime) -> None:
    w = world(runtime)
    for change in (
        {"votes_per_voter": 2},
        {"entries_per_person": 2},
        {"max_upload_mb": 10},
        {"max_megapixels": 40},
        {"min_short_side": 800},
        {"themes": ["시민행복", "균형발전"]},  # three themes taken away
    ):
        assert w.refused(change, reason="사유", now=DURING).key == "error.settings.frozen", change
    saved = w.save(
        {
            "votes_per_voter": 5,
            "min_short_side": 500,
            "themes": [*w.contest().themes, "미래도시"],
        },
        reason="참여를 넓히려고",
        now=DURING,
    )
    assert {c.name for c in saved.late} == {"votes_per_voter", "min_short_side", "themes"}
    assert w.save({"votes_per_voter": 4}, now=BEFORE).late == ()  # before voting opens: free


def test_after_the_vote_is_closed_no_window_or_limit_moves(runtime: Runtime) -> None:
    w = world(runtime, phase=ContestPhase.VOTING_CLOSED.value)
    later = CLOSES + timedelta(days=3)
    for change in ({"voting_closes_at": later}, {"votes_per_voter": 9}):
        error = w.refused(change, reason="사유", now=DURING)
        assert error.key == "error.settings.frozen"
        assert "투표가 마감되었습니다. 이제는 바꿀 수 없습니다." in error_message(error, "ko")


def test_frozen_says_since_when_in_korean_time(runtime: Runtime) -> None:
    with runtime.session() as session:
        contest = create_contest(
            session,
            submission_opens_at=OPENS,
            submission_closes_at=CLOSES,
            voting_opens_at=OPENS,
            voting_closes_at=CLOSES,
        )
    lock = frozen(contest, BY_NAME["submission_closes_at"], DURING)
    assert lock is not None and lock.stage == Stage.SUBMISSIONS and not lock.locked
    assert spaced(lock.why().text("ko")) == (
        "출품 기간이 2026. 10. 13.(화) 00:00에 시작되었습니다. 이제는 늦추기만 할 수 있고, "
        "바꾸려면 사유가 필요합니다."
    )
    assert frozen(contest, BY_NAME["submission_closes_at"], BEFORE) is None
    assert frozen(contest, BY_NAME["name"], DURING) is None  # words only: never frozen


def test_the_late_change_reaches_the_results_record(runtime: Runtime) -> None:
    jc = judging_contest(runtime, award_tiers=awards(1, 1))
    cid = jc.contest.id or 0
    with runtime.session() as session:
        contest = session.get_one(Contest, cid)
        contest.phase = ContestPhase.OPEN.value  # back to the vote, to extend it late
        session.add(contest)
    w = World(runtime, jc.admin.id or 0, cid)
    w.save({"votes_per_voter": 4}, reason="투표권 한 표 추가")
    with runtime.session() as session:
        contest = session.get_one(Contest, cid)
        contest.phase = ContestPhase.JUDGING_CLOSED.value
        session.add(contest)
    with runtime.session() as session:
        snapshot = results.finalise(
            session, actor=session.get_one(User, jc.admin.id), contest_id=cid
        )
    [late] = snapshot.payload["late_changes"]
    assert late["changes"] == {"votes_per_voter": {"before": 3, "after": 4}}
    assert late["reason"] == "투표권 한 표 추가"


# --- A criterion added after scores were saved ---------------------------------------------


def test_a_missing_criterion_is_a_clear_refusal_not_a_key_error(any_runtime: Runtime) -> None:
    """Older data: a criterion added after scores were saved (the freeze now refuses that)."""
    jc = judging_contest(any_runtime, award_tiers=awards(1, 1))
    cid = jc.contest.id or 0
    with any_runtime.session() as session:
        scoring.save_score(
            session, actor=jc.judges[0], entry_id=jc.entries[0].id or 0, scores=flat_scores(7)
        )
    with any_runtime.session() as session:  # as the settings screen let it happen before
        contest = session.get_one(Contest, cid)
        impact = {"key": "impact", "label": "영향력", "weight": 10, "min": 1, "max": 10}
        contest.rubric = [*contest.rubric, impact]
        session.add(contest)
    with any_runtime.session() as session, pytest.raises(InvalidState) as caught:
        results.compute_results(session, actor=jc.admin, contest_id=cid)
    assert caught.value.key == "error.results.missing_criterion"
    assert "‘영향력’ 점수가 없는 심사표가 있어" in error_message(caught.value, "ko")
    with any_runtime.session() as session:
        assert session.exec(select(JudgeScore)).one().scores.keys() == flat_scores(7).keys()


# --- Settings validated for consistency ----------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "key", "words"),
    [
        (
            {"shortlist_size": 6},
            "error.contest.shortlist_below_awards",
            "본선 진출 수(6편)가 수상작 수 합계(10편)보다 적습니다.",
        ),
        (
            {"award_tiers": awards(1, 2, 3, 15)},
            "error.contest.shortlist_below_awards",
            "수상작 수 합계(21편)",
        ),
        (
            {
                "voting_opens_at": datetime(2026, 9, 1, tzinfo=KST),
                "voting_closes_at": datetime(2026, 10, 12, tzinfo=KST),
            },
            "error.contest.voting_before_entries",
            "투표 마감(2026. 10. 12.(월) 00:00)은 출품 시작(2026. 10. 13.(화) 00:00)보다",
        ),
        (
            {"award_tiers": [{"name": "대상", "count": 1}, {"name": "대상", "count": 1}]},
            "error.contest.award_names_repeat",
            "이름이 겹칩니다",
        ),
        (
            {"rubric": [{**DEFAULT_RUBRIC[0]}, {**DEFAULT_RUBRIC[1], "key": "creativity"}]},
            "error.contest.bad_rubric",
            "기준 코드",
        ),
        ({"votes_per_voter": 0}, "error.contest.not_positive", "1인당 투표 수"),
    ],
)
def test_contradicting_settings_are_refused_with_a_message_each(
    runtime: Runtime, changes: dict[str, Any], key: str, words: str
) -> None:
    w = world(runtime)
    error = w.refused(changes, now=BEFORE)
    assert error.key == key
    assert words in spaced(error_message(error, "ko"))
    assert w.events() == []


def test_an_older_contradiction_does_not_block_other_changes(runtime: Runtime) -> None:
    w = world(runtime)
    with runtime.session() as session:  # saved before the check existed: 6 for 10 places
        contest = session.get_one(Contest, w.contest_id)
        contest.shortlist_size = 6
        session.add(contest)
    assert [c.name for c in w.save({"votes_per_voter": 4}, now=BEFORE).changes] == [
        "votes_per_voter"
    ]
    assert (
        w.refused({"shortlist_size": 7}, now=BEFORE).key == "error.contest.shortlist_below_awards"
    )


def test_the_defaults_and_the_demo_contest_pass_their_own_checks() -> None:
    contest = manage.new_contest(name="2027 포스터", year=2027, slug="poster-2027")
    validate(contest)
    assert contest.shortlist_size >= 10 and contest.officials_entering == "recuse"
    demo = demo_contest(datetime(2026, 10, 20, tzinfo=KST))
    validate(demo)
    assert demo.shortlist_size >= sum(tier["count"] for tier in demo.award_tiers)


def test_a_quorum_above_the_judges_there_are_is_a_warning(runtime: Runtime) -> None:
    w = world(runtime, judge_quorum=3)
    with runtime.session() as session:
        create_user(session, role=Role.JUDGE)
    with runtime.session() as session:
        view = contest_admin_view(session, actor=session.get_one(User, w.admin_id))
    [warning] = view.warnings
    assert warning.text("ko").startswith("최소 심사위원 수는 3명인데 지금 심사위원은 1명입니다.")
    assert w.save({"judge_quorum": 1}, now=BEFORE).changes  # a warning, not a refusal


def test_the_confirmation_states_a_late_change_in_numbers(runtime: Runtime) -> None:
    w = world(runtime)
    later = datetime(2026, 10, 27, 23, 59, 59, tzinfo=KST)
    pending = (w.contest_id, form_values(w.contest()) | {"voting_closes_at": later})
    with runtime.session() as session:
        view = contest_admin_view(
            session, actor=session.get_one(User, w.admin_id), pending=pending, now=DURING
        )
    assert view.review is not None and view.review.refusal is None
    assert [c.name for c in view.review.late] == ["voting_closes_at"]
    [said] = view.review.consequences
    assert said.text("ko") == "투표 마감이 3일 늦춰집니다. 지금까지 0명이 0표를 투표했습니다."
    assert view.frozen["voting_closes_at"].stage == Stage.VOTING
    assert "jury_weight" not in view.frozen  # judging has not started
