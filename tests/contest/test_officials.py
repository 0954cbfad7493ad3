"""What the officials' screens stand on: posters no judge may score and their two fixes, the
numbers each lifecycle step's confirmation states, the audit log as sentences, the award
certificates, days in KST on the dashboard, and new rubric criteria getting a code."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from sqlmodel import select

from contest.contests.settings import with_keys
from contest.core.errors import InvalidInput, InvalidState, PermissionDenied
from contest.core.models import (
    AuditEvent,
    ContestPhase,
    DuplicateFlag,
    OfficialsEntering,
    Role,
    User,
)
from contest.dedupe import explain
from contest.demo.posters import draw_poster
from contest.entries.submissions import submit_entry
from contest.judging import lifecycle, panel, publication, readiness, results
from contest.judging import scoring as judging
from contest.reports import audit_log, certificates, dashboard
from contest.runtime import Runtime, build_runtime
from tests.contest.test_exhibition import page_count, pdf_text
from tests.factories import (
    add_entry,
    add_votes,
    awards,
    create_contest,
    create_user,
    draft,
    make_settings,
)

FLAT = {"creativity": 7, "policy": 7, "design": 7, "ai_use": 7}


def shortlisted_with_own_poster(runtime: Runtime):  # type: ignore[no-untyped-def]
    """Phase shortlisted: three posters, the first made by the only judge (the contest lets
    judges enter: they score every poster but their own)."""
    with runtime.session() as session:
        contest = create_contest(
            session,
            phase=ContestPhase.VOTING_CLOSED.value,
            shortlist_size=3,
            award_tiers=awards(1, 2),
            officials_entering=OfficialsEntering.ALLOWED.value,
        )
        admin = create_user(session, role=Role.ADMIN, name="관리자")
        judge = create_user(session, role=Role.JUDGE, name="심사위원", department="감사관")
        author = create_user(session, name="작성자", department="도시계획과")
        colleague = create_user(session, name="동료", department="문화예술과")
        entries = [
            add_entry(session, contest=contest, author=judge, number=1),
            add_entry(session, contest=contest, author=author, number=2),
            add_entry(session, contest=contest, author=author, number=3),
            add_entry(session, contest=contest, author=author, number=4),
        ]
        for entry, count in zip(entries, (5, 4, 3, 1), strict=True):
            add_votes(session, contest, entry, count)
    with runtime.session() as session:
        lifecycle.build_shortlist(session, actor=admin, contest_id=contest.id or 0)
    return contest, admin, judge, colleague, entries


def test_a_poster_only_its_own_author_could_judge_is_found_and_fixed_by_a_new_judge(
    runtime: Runtime,
) -> None:
    contest, admin, judge, colleague, entries = shortlisted_with_own_poster(runtime)
    cid = contest.id or 0
    with runtime.session() as session:
        check = panel.panel_check(session, actor=admin, contest_id=cid)
        with pytest.raises(PermissionDenied):
            panel.panel_check(session, actor=judge, contest_id=cid)
    [poster] = check.unjudgeable
    assert (poster.entry_id, check.judges) == (entries[0].id, 1)
    assert [(b.judge.name, b.barrier) for b in poster.blocked] == [("심사위원", panel.Barrier.OWN)]
    assert colleague.id in {p.user_id for p in poster.candidates}
    assert [s.entry_id for s in check.substitutes] == [entries[3].id]  # next by votes

    with runtime.session() as session, pytest.raises(InvalidInput):  # an admin is not staff
        panel.appoint_judge(
            session, actor=admin, contest_id=cid, entry_id=entries[0].id or 0, user_id=admin.id or 0
        )
    with runtime.session() as session:
        panel.appoint_judge(
            session,
            actor=admin,
            contest_id=cid,
            entry_id=entries[0].id or 0,
            user_id=colleague.id or 0,
        )
    with runtime.session() as session:
        assert session.get(User, colleague.id).role == Role.JUDGE.value  # type: ignore[union-attr]
        assert panel.panel_check(session, actor=admin, contest_id=cid).unjudgeable == ()


def test_a_poster_nobody_may_judge_can_be_swapped_while_the_shortlist_is_open(
    runtime: Runtime,
) -> None:
    contest, admin, _judge, _colleague, entries = shortlisted_with_own_poster(runtime)
    cid = contest.id or 0
    with runtime.session() as session, pytest.raises(InvalidInput):  # a reason is needed
        panel.substitute_entry(
            session,
            actor=admin,
            contest_id=cid,
            entry_id=entries[0].id or 0,
            replacement_id=entries[3].id or 0,
            reason="",
        )
    with runtime.session() as session:
        panel.substitute_entry(
            session,
            actor=admin,
            contest_id=cid,
            entry_id=entries[0].id or 0,
            replacement_id=entries[3].id or 0,
            reason="심사 가능한 작품으로 교체",
        )
    with runtime.session() as session:
        check = panel.panel_check(session, actor=admin, contest_id=cid)
        actions = session.exec(select(AuditEvent.action).where(AuditEvent.contest_id == cid)).all()
    assert check.unjudgeable == ()
    assert actions.count("shortlist.remove") == 1 and actions.count("shortlist.add") == 1
    with runtime.session() as session:
        lifecycle.lock_shortlist(session, actor=admin, contest_id=cid)
    with runtime.session() as session, pytest.raises(InvalidState):  # locked: no more swaps
        panel.substitute_entry(
            session,
            actor=admin,
            contest_id=cid,
            entry_id=entries[1].id or 0,
            replacement_id=entries[0].id or 0,
            reason="다시",
        )


def test_the_confirmations_state_the_consequences_in_numbers(runtime: Runtime) -> None:
    contest, admin, judge, _colleague, entries = shortlisted_with_own_poster(runtime)
    cid = contest.id or 0
    with runtime.session() as session:
        ready = readiness.readiness(session, actor=admin, contest_id=cid)
    assert (ready.next_step, ready.shortlisted, ready.unjudgeable) == ("lock_shortlist", 3, 1)
    for step in (lifecycle.lock_shortlist, lifecycle.open_judging):
        with runtime.session() as session:
            step(session, actor=admin, contest_id=cid)
    with runtime.session() as session:
        judging.save_score(session, actor=judge, entry_id=entries[1].id or 0, scores=FLAT)
    with runtime.session() as session:
        ready = readiness.readiness(session, actor=admin, contest_id=cid)
    # Poster 1 nobody may score, poster 3 is not scored yet, the judge has one poster left.
    assert ready.next_step == "close_judging"
    assert (ready.unscored, ready.unjudgeable, ready.judges_unfinished) == (2, 1, 1)
    assert ready.below_quorum == 3  # quorum 3, one judge
    assert (ready.ranked, ready.award_places, ready.awarded) == (1, 3, 1)
    for step in (lifecycle.close_judging,):
        with runtime.session() as session:
            step(session, actor=admin, contest_id=cid)
    with runtime.session() as session:
        results.finalise(session, actor=admin, contest_id=cid)
    with runtime.session() as session:
        ready = readiness.readiness(session, actor=admin, contest_id=cid)
    assert (ready.next_step, ready.published) == ("publish", False)


def test_the_screen_offers_only_what_the_server_allows_in_each_phase(runtime: Runtime) -> None:
    """The steps offered, the panel's fixes and the shortlist's changes follow the phase; each
    one the screen does not offer, the server refuses."""
    contest, admin, _judge, colleague, entries = shortlisted_with_own_poster(runtime)
    cid = contest.id or 0

    def ready() -> readiness.Readiness:
        with runtime.session() as session:
            return readiness.readiness(session, actor=admin, contest_id=cid)

    def offered() -> tuple[tuple[str, ...], bool, bool]:
        r = ready()
        return r.steps, r.panel_fixable, r.shortlist_open

    assert offered() == (("lock_shortlist",), True, True)
    for step in (lifecycle.lock_shortlist,):
        with runtime.session() as session:
            step(session, actor=admin, contest_id=cid)
    assert offered() == (("open_judging",), True, False)
    with runtime.session() as session, pytest.raises(InvalidState):
        lifecycle.add_to_shortlist(
            session, actor=admin, contest_id=cid, entry_id=entries[3].id or 0, reason="늦게"
        )
    for step in (lifecycle.open_judging, lifecycle.close_judging):
        with runtime.session() as session:
            step(session, actor=admin, contest_id=cid)
    assert offered() == (("finalise",), False, False)
    with runtime.session() as session, pytest.raises(InvalidState):
        panel.appoint_judge(
            session,
            actor=admin,
            contest_id=cid,
            entry_id=entries[0].id or 0,
            user_id=colleague.id or 0,
        )
    with runtime.session() as session:
        results.finalise(session, actor=admin, contest_id=cid)
    assert offered()[0] == ("publish", "refinalise")
    with runtime.session() as session:
        preview = publication.publish_preview(session, actor=admin, contest_id=cid)
        publication.publish(session, actor=admin, contest_id=cid, snapshot_id=preview.snapshot_id)
    assert (offered()[0], ready().published) == (("unpublish",), True)


def test_closing_the_vote_early_is_flagged_before_it_happens(runtime: Runtime) -> None:
    with runtime.session() as session:
        contest = create_contest(session)
        admin = create_user(session, role=Role.ADMIN)
        entry = add_entry(session, contest=contest, author=create_user(session), number=1)
        add_votes(session, contest, entry, 2)
    with runtime.session() as session:
        ready = readiness.readiness(session, actor=admin, contest_id=contest.id or 0)
    assert ready.closes_early and ready.next_step == "close_voting"
    assert (ready.votes, ready.voters, ready.active_entries) == (2, 2, 1)
    assert (ready.would_shortlist, ready.cut_votes) == (1, 2)


def test_the_audit_log_reads_as_sentences_in_both_languages(runtime: Runtime) -> None:
    contest, admin, _judge, colleague, entries = shortlisted_with_own_poster(runtime)
    with runtime.session() as session:
        lifecycle.add_to_shortlist(
            session,
            actor=admin,
            contest_id=contest.id or 0,
            entry_id=entries[3].id or 0,
            reason="심사위원회 추천",
        )
        session.add(
            AuditEvent(
                actor_id=admin.id,
                action="something.new",
                target_type="user",
                target_id=colleague.id,
            )
        )
    with runtime.session() as session:
        events = session.exec(select(AuditEvent).order_by(AuditEvent.id)).all()
        log = audit_log.lines(session, events, "Asia/Seoul")
    by_action = {line.action: line for line in log}
    added = by_action["shortlist.add"]
    assert added.actor == f"관리자 ({admin.department})"
    assert added.target_text("ko") == "4번 ‘포스터 4’"
    assert added.target_text("en") == "No. 4 ‘포스터 4’"
    ko = audit_log.sentence(added, "ko")
    assert ko.endswith(
        "관리자 (혁신정책담당관) 님이 본선 후보에 출품작을 추가했습니다: 4번 ‘포스터 4’ "
        "(사유: 심사위원회 추천)"
    )
    assert audit_log.sentence(added, "en").endswith(
        "관리자 (혁신정책담당관) added No. 4 ‘포스터 4’ to the shortlist (reason: 심사위원회 추천)"
    )
    assert "본선 후보 3편을 선정했습니다" in audit_log.sentence(
        by_action["lifecycle.build_shortlist"], "ko"
    )
    unknown = audit_log.sentence(by_action["something.new"], "ko")
    assert "something" not in unknown and "동료 (문화예술과)" in unknown
    frame = audit_log.audit_frame(log, "ko")
    assert list(frame.columns) == ["시각", "처리한 사람", "작업", "대상", "사유", "내용"]
    assert "None" not in frame.to_string()


def test_one_certificate_per_winner_with_name_award_and_organiser(runtime: Runtime) -> None:
    contest, admin, judge, _colleague, entries = shortlisted_with_own_poster(runtime)
    cid = contest.id or 0
    with runtime.session() as session, pytest.raises(InvalidState):  # not finalised yet
        certificates.certificates(session, actor=admin, contest_id=cid)
    for step in (lifecycle.lock_shortlist, lifecycle.open_judging):
        with runtime.session() as session:
            step(session, actor=admin, contest_id=cid)
    for entry in entries[1:3]:
        with runtime.session() as session:
            judging.save_score(session, actor=judge, entry_id=entry.id or 0, scores=FLAT)
    with runtime.session() as session:
        lifecycle.close_judging(session, actor=admin, contest_id=cid)
    with runtime.session() as session:
        results.finalise(session, actor=admin, contest_id=cid)
    with runtime.session() as session:
        found = certificates.certificates(session, actor=admin, contest_id=cid)
        with pytest.raises(PermissionDenied):
            certificates.certificates_pdf(session, actor=judge, contest_id=cid)
        pdf = certificates.certificates_pdf(
            session,
            actor=admin,
            contest_id=cid,
            awarded_on=datetime(2026, 10, 31, tzinfo=UTC).date(),
            compress=False,
        )
    assert [(c.serial, c.award, c.name, c.title) for c in found] == [
        (f"제 {contest.year}-1 호", "최우수상", "작성자", "포스터 2"),
        (f"제 {contest.year}-2 호", "우수상", "작성자", "포스터 3"),
    ]
    assert page_count(pdf) == 2
    text = " ".join(pdf_text(pdf))
    for words in (
        "상",
        "최우수상",
        "우수상",
        "작성자",
        "도시계획과",
        "포스터 2",
        "2026년 10월 31일",
    ):
        assert words in text, words
    assert "인천광역시장" in text
    with runtime.session() as session:
        assert session.exec(
            select(AuditEvent).where(AuditEvent.action == "results.certificates")
        ).one()


def test_award_names_read_as_awards() -> None:
    assert certificates.award_name("최우수") == "최우수상"
    assert certificates.award_name("특별상") == "특별상"


def test_dashboard_days_are_korean_days(runtime: Runtime) -> None:
    with runtime.session() as session:
        contest = create_contest(
            session,
            submission_opens_at=datetime(2026, 10, 12, 15, 0, tzinfo=UTC),  # 13 Oct 00:00 KST
            submission_closes_at=datetime(2026, 10, 24, 14, 59, tzinfo=UTC),
            voting_opens_at=datetime(2026, 10, 12, 15, 0, tzinfo=UTC),
            voting_closes_at=datetime(2026, 10, 24, 14, 59, tzinfo=UTC),
        )
    late_evening_utc = datetime(2026, 10, 13, 23, 30, tzinfo=UTC)  # 14 Oct 08:30 in Seoul
    frame = dashboard.per_day(
        contest, [late_evening_utc], [], now=datetime(2026, 10, 15, 3, 0, tzinfo=UTC)
    )
    assert [d.isoformat() for d in frame["day"]] == ["2026-10-13", "2026-10-14", "2026-10-15"]
    assert list(frame["submissions"]) == [0, 1, 0]


def test_new_criteria_get_a_code_and_existing_codes_stay() -> None:
    rubric = [
        {"key": "creativity", "label": "창의성"},
        {"key": None, "label": "새 기준"},
        {"key": "", "label": "또 하나"},
    ]
    assert [c["key"] for c in with_keys(rubric)] == ["creativity", "c1", "c2"]
    assert [c["key"] for c in with_keys([{"key": "c1"}, {"label": "x"}])] == ["c1", "c2"]


TODAYS_EVIDENCE = {  # what flags recorded by the current detector hold
    "global_bits": 3,
    "region_bits": 2,
    "differing_share": 0.0,
    "overlap_share": 0.96,
    "correlation": 0.98,
    "replaced": 0.0,
    "turn_degrees": 90,
    "tilt_degrees": 0.2,
    "scale": 1.053,
}


def test_a_flag_reads_as_what_the_detector_found() -> None:
    said = explain.findings("duplicate", TODAYS_EVIDENCE)
    assert said == [
        ("dup.find.duplicate", {}),
        ("dup.find.turned", {"degrees": 90}),
        ("dup.find.cropped", {"percent": 5}),
        ("dup.find.same", {}),
    ]
    template = {**TODAYS_EVIDENCE, "turn_degrees": 0, "scale": 1.0}
    template |= {"differing_share": 0.12, "replaced": 0.4}
    assert explain.findings("similar", template) == [
        ("dup.find.similar", {}),
        ("dup.find.share", {"percent": 12}),
        ("dup.find.text_changed", {}),
    ]
    assert explain.findings("similar", {}) == [("dup.find.similar", {}), ("dup.find.same", {})]
    assert explain.differing_boxes(TODAYS_EVIDENCE) == []  # no block mask: nothing to draw


def test_differing_areas_are_placed_on_the_newer_poster() -> None:
    mask = [[0] * 4 for _ in range(4)]
    mask[0][0] = mask[0][1] = 1  # one area across the top left
    mask[3][3] = 1  # another in the bottom right corner
    evidence = {"mask": mask, "crop": {"left": 0.0, "top": 0.0, "right": 0.0, "bottom": 0.0}}
    assert explain.findings("similar", evidence)[-1] == ("dup.find.areas", {"count": 2})
    assert explain.differing_boxes(evidence) == [
        explain.Box(0.0, 0.0, 0.5, 0.25),
        explain.Box(0.75, 0.75, 1.0, 1.0),
    ]
    # The newer one leaves out the older one's left half: the top-left area is half gone and
    # what is left of it fills the newer poster's left half of the top row.
    cropped = {**evidence, "crop": {"left": 0.25, "top": 0.0, "right": 0.0, "bottom": 0.0}}
    assert explain.differing_boxes(cropped)[0] == explain.Box(0.0, 0.0, 1 / 3, 0.25)
    # Uploaded lying on its side (a quarter turn counter-clockwise stands it upright): the
    # top-left area of the upright picture is at the top of the right edge as uploaded.
    turned = {**evidence, "turn_degrees": 90}
    assert explain.differing_boxes(turned)[0] == explain.Box(0.75, 0.0, 1.0, 0.5)


def _png(picture: Image.Image) -> bytes:
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


def test_the_detector_s_evidence_reads_and_marks_the_changed_title(tmp_path: Path) -> None:
    """Real uploads through the detector: a title painted over, and the original turned."""
    runtime = build_runtime(make_settings(tmp_path))
    with runtime.session() as session:
        contest = create_contest(session)
        first = create_user(session, department="도시계획과")
        second = create_user(session, department="문화예술과")
    original = draw_poster(7, "바다가 가까운 도시", "해양친수도시 인천", "시민행복")
    picture = Image.open(io.BytesIO(original)).convert("RGB")
    width, height = picture.size
    retitled = picture.copy()
    ImageDraw.Draw(retitled).rectangle(
        (int(width * 0.1), int(height * 0.62), int(width * 0.9), int(height * 0.72)),
        fill=(250, 250, 250),
    )
    uploads = [
        (first, original),
        (second, _png(retitled)),
        (second, _png(picture.rotate(90, expand=True))),
    ]
    ids = []
    for author, data in uploads:
        with runtime.session() as session:
            receipt = submit_entry(
                session,
                store=runtime.store,
                indexes=runtime.indexes,
                actor=author,
                draft=draft(contest, title=f"포스터 {len(ids) + 1}"),
                data=data,
            )
            ids.append(receipt.entry.id)
    with runtime.session() as session:
        flags = {
            (f.entry_id, f.other_entry_id): f for f in session.exec(select(DuplicateFlag)).all()
        }
    retitled_flag = flags[(ids[1], ids[0])]
    said = explain.findings(retitled_flag.level, retitled_flag.evidence)
    assert ("dup.find.areas", {"count": 1}) in said and ("dup.find.text_changed", {}) in said
    [box] = explain.differing_boxes(retitled_flag.evidence)
    assert 0.5 <= box.top < box.bottom <= 0.8  # the painted band, 62-72% down
    turned_flag = flags[(ids[2], ids[0])]
    assert explain.findings(turned_flag.level, turned_flag.evidence) == [
        ("dup.find.duplicate", {}),
        ("dup.find.turned", {"degrees": 270}),
        ("dup.find.same", {}),
    ]
    # Against the retitled poster, the band lies along the turned upload's right half.
    [band] = explain.differing_boxes(flags[(ids[2], ids[1])].evidence)
    assert 0.5 <= band.left < band.right <= 0.8 and band.bottom - band.top > 0.3
