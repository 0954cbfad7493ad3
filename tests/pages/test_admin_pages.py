"""AppTest for the judge and admin pages on the seeded demo contest.

``demo_to_judging`` (tests/factories.py, also used by the browser test) moves the demo contest to
phase judging directly in the database: a few votes, early close, shortlist, lock, open.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlmodel import select
from streamlit.testing.v1 import AppTest

from contest.contests.queries import require_current
from contest.core.i18n import t
from contest.core.models import (
    AuditEvent,
    ContestPhase,
    Entry,
    ImageObject,
    JudgeScore,
    Role,
    User,
)
from contest.judging import scoring as judging
from contest.judging.queries import shortlisted_ids
from contest.runtime import Runtime
from tests.factories import demo_to_judging, flat_scores, submit, user_id_of
from tests.pages.support import button, demo_app, demo_runtime, sign_in_as
from ui.nav import pages_for


def judge_scores_two(runtime: Runtime) -> None:
    with runtime.session() as session:
        judge = session.exec(select(User).where(User.employee_no == "D2001")).one()
        cid = require_current(session).id or 0
        queue = judging.judge_queue(session, actor=judge, contest_id=cid)
    for item, score in zip(queue, (9, 6), strict=False):
        with runtime.session() as session:
            judging.save_score(
                session,
                actor=judge,
                entry_id=item.entry_id,
                scores=flat_scores(score),
            )


def test_nav_shows_judge_and_admin_pages_only_to_their_roles() -> None:
    judge = {p.path for p in pages_for(Role.JUDGE)}
    staff = {p.path for p in pages_for(Role.STAFF)}
    admin = {p.path for p in pages_for(Role.ADMIN)}
    assert "pages/judging.py" in judge and "pages/judging.py" not in staff | admin
    assert "pages/results_published.py" in staff & judge & admin
    assert {p for p in admin if p.startswith("pages/admin_")} >= {
        "pages/admin_judging.py",
        "pages/admin_results.py",
        "pages/admin_moderation.py",
        "pages/admin_duplicates.py",
        "pages/admin_audit.py",
        "pages/admin_dashboard.py",
    }
    assert not {p for p in staff | judge if p.startswith("pages/admin_")}


def test_judge_scores_a_poster_but_never_sees_their_own(app_env: Path) -> None:
    at = demo_app()
    sign_in_as(at, "D2001")
    runtime = demo_runtime()
    at.switch_page("pages/judging.py").run()
    assert not at.exception
    assert at.info  # nothing to judge while the contest is open
    demo_to_judging(runtime)
    at.run()
    assert not at.exception
    judge = user_id_of(runtime, "D2001")
    with runtime.session() as session:
        own = {e.id for e in session.exec(select(Entry).where(Entry.author_id == judge)).all()}
        listed = set(shortlisted_ids(session, require_current(session).id or 0))
        expected = {e.title for e in session.exec(select(Entry)).all() if e.id in listed - own}
    options = at.selectbox(key="judge_entry").options
    assert {o.split(" · ")[0].split(" ", 1)[1] for o in options} == expected
    for slider in at.slider:
        slider.set_value(7)
    button(at, "점수 저장").click().run()
    assert not at.exception
    with runtime.session() as session:
        [score] = session.exec(select(JudgeScore).where(JudgeScore.judge_id == judge)).all()
    assert score.scores == {"creativity": 7, "policy": 7, "design": 7, "ai_use": 7}
    assert f"{len(expected)}편 중 1편" in at.get("progress")[0].proto.text


def confirm_step(at: AppTest, step: str, reason: str = "") -> AppTest:
    """Open a lifecycle step's confirmation and confirm it (with a reason if given)."""
    at.button(key=f"step_{step}").click().run()
    assert not at.exception, step
    if reason:
        at.text_input(key=f"confirm_reason_{step}").input(reason).run()
    return at.button(key=f"confirm_{step}").click().run()


def test_admin_runs_lifecycle_results_and_console_pages(app_env: Path) -> None:
    at = demo_app()
    sign_in_as(at, "D9001")
    runtime = demo_runtime()
    at.switch_page("pages/admin_judging.py").run()
    assert not at.exception
    assert [b.key for b in at.button if (b.key or "").startswith("step_")] == [
        "step_close_voting"
    ]  # only the next valid step is offered
    confirm_step(at, "close_voting")
    assert at.error  # early close without a reason is refused with a message
    confirm_step(at, "close_voting", reason="일정 단축")
    for step in ("build_shortlist", "lock_shortlist", "open_judging", "close_judging"):
        if step == "close_judging":  # the demo judge scores two posters first
            judge_scores_two(runtime)
        confirm_step(at, step)
        assert not at.exception and not at.error, step
    with runtime.session() as session:
        assert require_current(session).phase == ContestPhase.JUDGING_CLOSED
    confirm_step(at, "finalise")
    assert not at.exception and not at.error
    with runtime.session() as session:
        assert require_current(session).phase == ContestPhase.FINALISED
        assert require_current(session).published_snapshot_id is None

    at.switch_page("pages/results_published.py").run()
    assert not at.exception and at.info  # finalised, not yet published

    at.switch_page("pages/admin_judging.py").run()
    confirm_step(at, "publish")
    assert not at.exception and not at.error
    at.switch_page("pages/results_published.py").run()
    assert not at.exception and not at.info
    tiers = [h.value for h in at.subheader]
    assert tiers == ["최우수 (1편)", "우수 (2편)", "장려 (3편)"]  # the demo's award tiers
    empty = t("winners.tier_empty", "ko")  # two posters scored: 장려 went to nobody
    assert empty in [c.value for c in at.caption]

    at.switch_page("pages/admin_results.py").run()
    assert not at.exception
    assert any(d.label.startswith("엑셀") for d in at.get("download_button"))

    at.switch_page("pages/admin_moderation.py").run()
    assert not at.exception
    at.radio[0].set_value("hide")
    at.text_input[0].input("부적절한 문구")
    button(at, "적용").click().run()
    # Poster 1 is part of the published result: refused, saying to take the publication back.
    assert not at.exception
    assert [e.value for e in at.error] == [t("error.results.published_input", "ko")]
    with runtime.session() as session:
        assert session.exec(select(AuditEvent).where(AuditEvent.action == "entry.hide")).all() == []
    at.switch_page("pages/admin_judging.py").run()
    confirm_step(at, "unpublish", reason="수상작 재검토")
    at.switch_page("pages/admin_moderation.py").run()
    at.radio[0].set_value("hide")
    at.text_input[0].input("부적절한 문구")
    button(at, "적용").click().run()
    assert not at.exception and not at.error
    with runtime.session() as session:
        hidden = session.exec(select(AuditEvent).where(AuditEvent.action == "entry.hide")).one()
        assert hidden.reason == "부적절한 문구"
    at.switch_page("pages/admin_judging.py").run()  # the record is outdated: finalise again
    assert [b.key for b in at.button if (b.key or "").startswith("step_")] == ["step_refinalise"]
    assert any("본선에서 빠졌습니다" in w.value for w in at.warning)
    at.switch_page("pages/admin_results.py").run()  # the integrity check names the change too
    at.button(key="verify_snapshot").click().run()
    assert not at.exception
    assert any("확정 뒤 바뀐 자료가 1건" in w.value for w in at.warning)

    for page in ("admin_duplicates", "admin_audit", "admin_dashboard"):
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, page
        assert not at.error, page


def test_staff_cannot_open_admin_pages(app_env: Path) -> None:
    at = demo_app()
    sign_in_as(at, "D1001")
    for page in ("admin_judging", "admin_results", "admin_audit"):
        at.switch_page(f"pages/{page}.py").run()
        assert at.error or at.exception  # refused by the services, not just hidden in the nav


def test_duplicate_review_says_how_far_apart_a_pair_came(app_env: Path) -> None:
    """Two copies of poster 1 submitted 21 hours after it and 20 seconds apart: "21 hours
    earlier" against the original, "within a minute" between the copies (never "1 minute
    earlier")."""
    at = demo_app()
    runtime = demo_runtime()
    with runtime.session() as session:
        contest = require_current(session)
        staff = session.exec(select(User).where(User.role == Role.STAFF.value)).all()
        original = session.exec(select(Entry).where(Entry.number == 1)).one()
        image = session.get_one(ImageObject, original.image_id)
        opens = contest.submission_opens_at
    copy = runtime.store.get(image.original_key)
    others = [u for u in staff if u.id != original.author_id]
    later = opens + timedelta(hours=30)
    for author, at_time in ((others[0], later), (others[1], later + timedelta(seconds=20))):
        submit(runtime, author, seed=0, data=copy, now=at_time)
    sign_in_as(at, "D9001")
    at.switch_page("pages/admin_duplicates.py").run()
    assert not at.exception and not at.error
    shown = " ".join(m.value for m in at.markdown)
    assert "1분 안에 잇달아 제출되었습니다" in shown
    assert "1번 출품작이 13번보다 21시간 먼저 제출되었습니다" in shown
