"""Hide, disqualify, restore: reasons, allowed transitions, audit, effect on judging; dashboard."""

from __future__ import annotations

import pytest
from sqlmodel import select

from contest.core.errors import InvalidInput, InvalidState, PermissionDenied
from contest.core.models import AuditEvent, Entry, EntryStatus, VoteEvent
from contest.entries import moderation
from contest.judging import results
from contest.judging import scoring as judging
from contest.reports import dashboard
from contest.runtime import Runtime
from tests.factories import judging_contest


def test_hide_restore_disqualify_with_reasons_and_audit(runtime: Runtime) -> None:
    s = judging_contest(runtime, votes=(1,), judges=1)
    entry_id = s.entries[0].id or 0
    with runtime.session() as session, pytest.raises(InvalidInput) as raised:
        moderation.hide_entry(session, actor=s.admin, entry_id=entry_id, reason="  ")
    assert raised.value.key == "error.reason_required"
    steps = [("hide", "부적절한 문구"), ("restore", "문구 확인"), ("disqualify", "타인 저작물")]
    for action, reason in steps:
        with runtime.session() as session:
            moderation.moderate(
                session, actor=s.admin, entry_id=entry_id, action=action, reason=reason
            )
    with runtime.session() as session:
        entry = session.get(Entry, entry_id)
        assert entry is not None
        assert (entry.status, entry.status_reason) == ("disqualified", "타인 저작물")
        events = session.exec(
            select(AuditEvent).where(AuditEvent.target_id == entry_id).order_by(AuditEvent.id)
        ).all()
        assert [(e.action, e.reason) for e in events if e.action.startswith("entry.")] == [
            ("entry.hide", "부적절한 문구"),
            ("entry.restore", "문구 확인"),
            ("entry.disqualify", "타인 저작물"),
        ]


@pytest.mark.parametrize(
    ("status", "action"),
    [("active", "restore"), ("hidden", "hide"), ("disqualified", "hide"), ("withdrawn", "restore")],
)
def test_transitions_that_make_no_sense_are_refused(
    runtime: Runtime, status: str, action: str
) -> None:
    s = judging_contest(runtime, votes=(1,), judges=1)
    entry_id = s.entries[0].id or 0
    with runtime.session() as session:
        entry = session.get(Entry, entry_id)
        entry.status = status  # type: ignore[union-attr]
        session.add(entry)
    with runtime.session() as session, pytest.raises(InvalidState) as raised:
        moderation.moderate(session, actor=s.admin, entry_id=entry_id, action=action, reason="x")
    assert raised.value.key == f"error.moderation.cannot_{action}"
    with runtime.session() as session:
        assert session.get(Entry, entry_id).status == status  # type: ignore[union-attr]


def test_disqualified_entries_leave_judging_and_results(runtime: Runtime) -> None:
    s = judging_contest(runtime, votes=(2, 1), judges=1)
    gone = s.entries[1].id or 0
    with runtime.session() as session:
        moderation.disqualify_entry(session, actor=s.admin, entry_id=gone, reason="중복")
    with runtime.session() as session:
        queue = judging.judge_queue(session, actor=s.judges[0], contest_id=s.contest.id or 0)
        rows = results.compute_results(session, actor=s.admin, contest_id=s.contest.id or 0)
        listed = moderation.moderation_list(
            session, actor=s.admin, contest_id=s.contest.id or 0, status="disqualified"
        )
    assert [item.entry_id for item in queue] == [s.entries[0].id]
    assert [row.entry_id for row in rows] == [s.entries[0].id]
    assert [row.entry.id for row in listed] == [gone] and listed[0].author.id == s.staff.id


def test_only_admins_moderate_and_see_the_dashboard(runtime: Runtime) -> None:
    s = judging_contest(runtime, votes=(1,), judges=1)
    for actor in (s.staff, s.judges[0], None):
        with runtime.session() as session, pytest.raises(PermissionDenied):
            moderation.hide_entry(session, actor=actor, entry_id=s.entries[0].id or 0, reason="x")
        with runtime.session() as session, pytest.raises(PermissionDenied):
            dashboard.dashboard(session, actor=actor, contest_id=s.contest.id or 0)
    with runtime.session() as session:
        assert session.get(Entry, s.entries[0].id).status == EntryStatus.ACTIVE  # type: ignore[union-attr]


def test_dashboard_counts(runtime: Runtime) -> None:
    s = judging_contest(runtime, votes=(2, 1), judges=1)
    with runtime.session() as session:
        voter = s.staff.id or 0
        for entry in s.entries:
            session.add(
                VoteEvent(
                    contest_id=s.contest.id or 0,
                    voter_id=voter,
                    entry_id=entry.id or 0,
                    kind="cast",
                )
            )
        session.add(
            VoteEvent(
                contest_id=s.contest.id or 0, voter_id=voter, entry_id=entry.id or 0, kind="retract"
            )
        )
    with runtime.session() as session:
        board = dashboard.dashboard(session, actor=s.admin, contest_id=s.contest.id or 0)
    assert board.per_day["submissions"].sum() == 2
    assert board.per_day["votes"].sum() == 2  # casts only, not the retraction
    days = list(board.per_day["day"])
    assert days == sorted(days) and len(set(days)) == len(days)  # every day once, in order
    themes = dict(zip(board.by_theme["theme"], board.by_theme["entries"], strict=True))
    assert list(themes) == s.contest.themes and themes[s.contest.themes[0]] == 2
    row = board.departments.set_index("department").loc[s.staff.department]
    assert (row["entries"], row["authors"], row["voters"], row["participants"]) == (2, 1, 1, 1)
    assert row["share"] == 1 / row["staff"]
    assert board.totals.entries == 2 and board.totals.participants == 1
    assert board.judging.to_dict("records") == [
        {"judge": s.judges[0].name, "scored": 0, "remaining": 2, "conflicts": 0}
    ]
