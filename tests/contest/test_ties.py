"""Ties decided, not doubled: the contest's tie-break order settles a tie on the final score;
where it cannot and an award depends on it, finalising asks the admin for the order and a
reason (kept in the record and the audit log); shared awards only where the office chose them.
"""

from __future__ import annotations

import pytest
from sqlmodel import select

from contest.contests.queries import get_contest
from contest.core.errors import InvalidInput, InvalidState
from contest.core.models import AuditEvent
from contest.judging import results
from contest.judging.readiness import readiness
from contest.reports.audit_log import lines, sentence
from contest.runtime import Runtime
from tests.factories import flat_scores, judged, sheet

# One judge (so the jury score is the judge's weighted score) and votes (0, 2, 3), 80/20:
# the most votes is 3 = the floor, so a vote is worth 0.2·9/3 = 0.6 final points.
#   poster 1: jury 9.0, 0 votes → 0.8·9.0 + 0.2·1 = 7.4
#   poster 2: jury (30·8 + 30·7 + 20·8 + 20·7)/100 = 7.5, 2 votes → 6.0 + 0.2·7 = 7.4
#   poster 3: jury 5.0, 3 votes → 4.0 + 0.2·10 = 6.0
VOTES = (0, 2, 3)
SHEETS = (flat_scores(9), sheet(8, 7, 8, 7), flat_scores(5))
TIERS = [{"name": "최우수", "count": 1}, {"name": "우수", "count": 1}]


def _finalised(runtime: Runtime, **contest: object) -> list[tuple[int, float, int, str, str]]:
    s = judged(runtime, VOTES, SHEETS, award_tiers=TIERS, **contest)
    with runtime.session() as session:
        snapshot = results.finalise(session, actor=s.admin, contest_id=s.contest.id or 0)
    return [
        (r["number"], r["final"], r["rank"], r["award"], r["tie"])
        for r in snapshot.payload["table"]
    ]


def test_the_jury_score_breaks_a_tie_on_the_final_score(any_runtime: Runtime) -> None:
    assert _finalised(any_runtime) == [
        (1, 7.4, 1, "최우수", "jury"),
        (2, 7.4, 2, "우수", "jury"),
        (3, 6.0, 3, None, None),
    ]


def test_the_office_may_put_votes_first(any_runtime: Runtime) -> None:
    assert _finalised(any_runtime, tie_break="votes_jury") == [
        (2, 7.4, 1, "최우수", "votes"),
        (1, 7.4, 2, "우수", "votes"),
        (3, 6.0, 3, None, None),
    ]


def test_an_undecided_tie_at_the_top_needs_the_admins_order_and_reason(
    any_runtime: Runtime,
) -> None:
    # Posters 1 and 2: the same jury score and the same votes, so the same final score: the
    # order cannot decide who gets 최우수. Poster 3 is behind.
    s = judged(any_runtime, (2, 2, 1), (flat_scores(8), flat_scores(8), flat_scores(5)))
    cid = s.contest.id or 0
    one, two = (e.id or 0 for e in s.entries[:2])
    with any_runtime.session() as session:
        ready = readiness(session, actor=s.admin, contest_id=cid)
    (tie,) = ready.ties
    assert tie.tier == "최우수"
    assert [(p.number, p.tie) for p in tie.posters] == [(1, "open"), (2, "open")]
    assert [[p.number for p in group] for group in tie.open] == [[1, 2]]

    with any_runtime.session() as session, pytest.raises(InvalidInput) as refused:
        results.finalise(session, actor=s.admin, contest_id=cid)
    assert refused.value.key == "error.results.tie_open"
    assert refused.value.params == {"tier": "최우수", "posters": "1, 2"}
    with any_runtime.session() as session, pytest.raises(InvalidInput) as refused:
        results.finalise(session, actor=s.admin, contest_id=cid, decisions=[[two, one]])
    assert refused.value.key == "error.results.tie_reason"
    with any_runtime.session() as session, pytest.raises(InvalidState):  # not a tied group
        results.finalise(
            session, actor=s.admin, contest_id=cid, decisions=[[two]], decision_reason="x"
        )
    with any_runtime.session() as session:
        assert get_contest(session, cid).phase == "judging_closed"  # nothing was kept

    with any_runtime.session() as session:
        snapshot = results.finalise(
            session,
            actor=s.admin,
            contest_id=cid,
            decisions=[[two, one]],
            decision_reason="심사위원 협의로 2번 우선",
        )
    table = snapshot.payload["table"]
    assert [(r["number"], r["rank"], r["award"], r["tie"]) for r in table] == [
        (2, 1, "최우수", "decision"),
        (1, 2, "우수", "decision"),
        (3, 3, "우수", None),
    ]
    assert snapshot.payload["inputs"]["decisions"] == [
        {"order": [two, one], "reason": "심사위원 협의로 2번 우선"}
    ]
    with any_runtime.session() as session:
        assert results.verify_snapshot(session, actor=s.admin, snapshot_id=snapshot.id or 0)
        event = session.exec(
            select(AuditEvent).where(AuditEvent.action == "results.tie_decision")
        ).one()
        assert event.reason == "심사위원 협의로 2번 우선"
        assert event.details == {"award": "최우수", "order": [2, 1]}
        (line,) = lines(session, [event], s.contest.timezone)
    assert "최우수 자리의 동점 순서를 2, 1번 순으로 정했습니다" in sentence(line, "ko")


def test_a_tie_inside_one_tier_needs_no_decision(any_runtime: Runtime) -> None:
    # Posters 2 and 3 tie below the top; places 2 and 3 are both 우수: nothing depends on
    # their order, so they share rank 2 and the next poster ranks 4th.
    s = judged(
        any_runtime,
        (1, 1, 1, 1),
        (flat_scores(9), flat_scores(7), flat_scores(7), flat_scores(5)),
    )
    with any_runtime.session() as session:
        snapshot = results.finalise(session, actor=s.admin, contest_id=s.contest.id or 0)
    assert [(r["number"], r["rank"], r["award"], r["tie"]) for r in snapshot.payload["table"]] == [
        (1, 1, "최우수", None),
        (2, 2, "우수", "shared"),
        (3, 2, "우수", "shared"),
        (4, 4, "장려", None),
    ]


def test_shared_awards_only_when_the_office_chose_them(any_runtime: Runtime) -> None:
    s = judged(
        any_runtime,
        (2, 2, 1),
        (flat_scores(8), flat_scores(8), flat_scores(5)),
        shared_awards=True,
    )
    with any_runtime.session() as session:
        snapshot = results.finalise(session, actor=s.admin, contest_id=s.contest.id or 0)
    # Both share 최우수 and use up places 1 and 2; poster 3 takes place 3 (우수).
    assert [(r["number"], r["rank"], r["award"], r["tie"]) for r in snapshot.payload["table"]] == [
        (1, 1, "최우수", "shared"),
        (2, 1, "최우수", "shared"),
        (3, 3, "우수", None),
    ]
