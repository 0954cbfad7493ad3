"""Every organiser's change on the record with what changed and why, said in words: a
disqualification (status before -> after), a poster substituted on the shortlist (which for
which) and a vote voided (whose, for which poster); role changes: test_judge_eligibility.py."""

from __future__ import annotations

from sqlmodel import col, select

from contest.core.models import AuditEvent, ContestPhase, Role, Vote
from contest.entries import moderation
from contest.judging import lifecycle, panel
from contest.reports import audit_log
from contest.runtime import Runtime
from contest.voting import votes
from tests.factories import add_entry, add_votes, awards, create_contest, create_user


def said(runtime: Runtime, action: str, lang: str = "ko") -> list[str]:
    with runtime.session() as session:
        events = session.exec(
            select(AuditEvent).where(AuditEvent.action == action).order_by(col(AuditEvent.id))
        ).all()
        return [audit_log.sentence(line, lang) for line in audit_log.lines(session, events, "UTC")]


def test_panel_changes_disqualifications_and_voids_say_what_changed(any_runtime: Runtime) -> None:
    with any_runtime.session() as session:
        contest = create_contest(
            session,
            phase=ContestPhase.VOTING_CLOSED.value,
            shortlist_size=2,
            award_tiers=awards(1, 1),
        )
        admin = create_user(session, role=Role.ADMIN, name="관리자", department="총무과")
        author = create_user(session, name="작성자")
        entries = [add_entry(session, contest=contest, author=author) for _ in range(4)]
        for entry, count in zip(entries, (3, 2, 1, 0), strict=True):
            add_votes(session, contest, entry, count)
        cid = contest.id or 0
    with any_runtime.session() as session:
        lifecycle.build_shortlist(session, actor=admin, contest_id=cid)
    with any_runtime.session() as session:
        panel.substitute_entry(
            session,
            actor=admin,
            contest_id=cid,
            entry_id=entries[1].id or 0,
            replacement_id=entries[2].id or 0,
            reason="심사 가능한 작품으로",
        )
    with any_runtime.session() as session:
        moderation.disqualify_entry(
            session, actor=admin, entry_id=entries[3].id or 0, reason="규정 위반"
        )
    with any_runtime.session() as session:
        vote = session.exec(select(Vote).where(Vote.entry_id == entries[0].id)).first()
        assert vote is not None
        votes.void_vote(session, actor=admin, vote_id=vote.id, reason="대리 투표")

    [removed] = said(any_runtime, "shortlist.remove")
    assert "2번 ‘포스터 2’" in removed and "(대신 넣은 출품작: 3번 ‘포스터 3’)" in removed
    assert removed.endswith("(사유: 심사 가능한 작품으로)")
    [added] = said(any_runtime, "shortlist.add")
    assert "(대신 뺀 출품작: 2번 ‘포스터 2’)" in added
    assert "(in place of No. 2 ‘포스터 2’)" in said(any_runtime, "shortlist.add", "en")[0]
    [disqualified] = said(any_runtime, "entry.disqualify")
    assert "실격 처리했습니다: 4번 ‘포스터 4’ (접수됨 → 실격) (사유: 규정 위반)" in disqualified
    [voided] = said(any_runtime, "vote.void")
    assert "1번 ‘포스터 1’" in voided and voided.endswith("(사유: 대리 투표)")
