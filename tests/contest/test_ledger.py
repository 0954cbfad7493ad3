"""Certificate numbers are a ledger: issued once, kept across a re-finalisation by winners whose
award did not change, new numbers for new winners and changed awards, voided numbers kept with
why; certificates print the ledger's number; the ledger exports as CSV."""

from __future__ import annotations

import io

import pandas as pd
import sqlalchemy as sa
from alembic import command
from sqlmodel import select

from contest.core.db import alembic_config
from contest.core.models import Vote
from contest.entries import moderation
from contest.judging import results
from contest.judging.ledger import ledger
from contest.reports import exports
from contest.reports.certificates import certificates
from contest.runtime import Runtime
from contest.voting.votes import void_vote
from tests.factories import JudgingContest, flat_scores, judged, sheet

TIERS = [{"name": "최우수", "count": 1}, {"name": "우수", "count": 2}, {"name": "장려", "count": 2}]
# The most votes is 5, so a vote is worth 0.2·9/5 = 0.36 final points (80/20):
#   1: 9.0, 5 votes → 9.2   2: 8.0, 5 → 8.4   3: 7.0, 5 → 7.6
#   4: 6.0, 3 votes → 4.8 + 0.2·(1 + 9·3/5) = 6.08   5: 6.2, 2 → 4.96 + 0.92 = 5.88
#   6: 5.0, 1 vote → 4.56 (no award: five places)
VOTES = (5, 5, 5, 3, 2, 1)
SHEETS = (
    flat_scores(9),
    flat_scores(8),
    flat_scores(7),
    flat_scores(6),
    sheet(6, 6, 7, 6),  # (180 + 180 + 140 + 120) / 100 = 6.2
    flat_scores(5),
)


def _numbers(runtime: Runtime, s: JudgingContest) -> list[tuple[int, int, str, bool, str]]:
    with runtime.session() as session:
        found = ledger(session, actor=s.admin, contest_id=s.contest.id or 0)
    return [(n.serial, n.number, n.award, n.voided_at is None, n.void_kind) for n in found]


def _serials(runtime: Runtime, s: JudgingContest) -> list[tuple[str, str]]:
    with runtime.session() as session:
        printed = certificates(session, actor=s.admin, contest_id=s.contest.id or 0)
    return [(c.title, c.serial) for c in printed]


def test_certificate_numbers_stay_with_their_winners(any_runtime: Runtime) -> None:
    s = judged(any_runtime, VOTES, SHEETS, award_tiers=TIERS)
    cid, year = s.contest.id or 0, s.contest.year
    with any_runtime.session() as session:
        results.finalise(session, actor=s.admin, contest_id=cid)
    assert _numbers(any_runtime, s) == [
        (1, 1, "최우수", True, ""),
        (2, 2, "우수", True, ""),
        (3, 3, "우수", True, ""),
        (4, 4, "장려", True, ""),
        (5, 5, "장려", True, ""),
    ]

    # One vote of poster 4 voided: 4.8 + 0.2·(1 + 9·2/5) = 5.72 < 5.88, so posters 4 and 5
    # swap places; both keep 장려, so both keep their numbers (the list order no longer names
    # them, as it did when certificates were numbered by position).
    with any_runtime.session() as session:
        vote = session.exec(select(Vote.id).where(Vote.entry_id == s.entries[3].id)).first()
        void_vote(session, actor=s.admin, vote_id=vote, reason="중복 계정")
    with any_runtime.session() as session:
        results.finalise(session, actor=s.admin, contest_id=cid, reason="무효표 반영")
    assert [n[:3] for n in _numbers(any_runtime, s)] == [
        (1, 1, "최우수"),
        (2, 2, "우수"),
        (3, 3, "우수"),
        (4, 4, "장려"),
        (5, 5, "장려"),
    ]
    assert _serials(any_runtime, s) == [
        ("포스터 1", f"제 {year}-1 호"),
        ("포스터 2", f"제 {year}-2 호"),
        ("포스터 3", f"제 {year}-3 호"),
        ("포스터 5", f"제 {year}-5 호"),
        ("포스터 4", f"제 {year}-4 호"),
    ]

    # Poster 2 disqualified: 3 keeps 우수 and its number, 5 moves up from 장려 to 우수 (its
    # old number is voided, a new one issued), 4 keeps 장려, 6 becomes a winner.
    with any_runtime.session() as session:
        moderation.disqualify_entry(
            session, actor=s.admin, entry_id=s.entries[1].id or 0, reason="타인 저작물"
        )
    with any_runtime.session() as session:
        results.finalise(session, actor=s.admin, contest_id=cid, reason="실격 반영")
    assert _numbers(any_runtime, s) == [
        (1, 1, "최우수", True, ""),
        (2, 2, "우수", False, "not_awarded"),
        (3, 3, "우수", True, ""),
        (4, 4, "장려", True, ""),
        (5, 5, "장려", False, "award_changed"),
        (6, 5, "우수", True, ""),
        (7, 6, "장려", True, ""),
    ]
    assert _serials(any_runtime, s) == [
        ("포스터 1", f"제 {year}-1 호"),
        ("포스터 3", f"제 {year}-3 호"),
        ("포스터 5", f"제 {year}-6 호"),
        ("포스터 4", f"제 {year}-4 호"),
        ("포스터 6", f"제 {year}-7 호"),
    ]

    with any_runtime.session() as session:
        tables = exports.export_tables(session, actor=s.admin, contest_id=cid)
    csv = exports.to_csv(tables["certificates"])
    back = pd.read_csv(io.BytesIO(csv), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(back.columns) == [
        "상장 번호",
        "유효",
        "상",
        "번호",
        "제목",
        "출품자",
        "출품자 부서",
        "결과 기록 번호",
        "발급 시각",
        "무효 처리 시각",
        "무효 사유",
        "다시 확정한 사유",
    ]
    assert list(back["상장 번호"]) == [f"제 {year}-{n} 호" for n in range(1, 8)]
    assert list(back["유효"]) == ["예", "아니요", "예", "예", "아니요", "예", "예"]
    assert back.loc[1, "무효 사유"] == "다시 확정한 결과에서 수상하지 않음"
    assert back.loc[4, "무효 사유"] == "상 등급이 바뀜"
    assert back.loc[4, "다시 확정한 사유"] == "실격 반영"
    assert back.loc[0, "무효 처리 시각"] == "" and back.loc[1, "무효 처리 시각"] != ""


def test_the_ledger_of_a_contest_finalised_before_it_existed(any_runtime: Runtime) -> None:
    """Migration 0008 starts the ledger of an already finalised contest with the numbers its
    certificates were printed with: the place in the latest record's winners list."""
    s = judged(any_runtime, VOTES, SHEETS, award_tiers=TIERS)
    with any_runtime.session() as session:
        results.finalise(session, actor=s.admin, contest_id=s.contest.id or 0)
    config = alembic_config(any_runtime.engine)
    command.downgrade(config, "0008-1")  # as a database was before the ledger
    assert "certificate_number" not in sa.inspect(any_runtime.engine).get_table_names()
    command.upgrade(config, "head")
    assert _numbers(any_runtime, s) == [
        (n, n, award, True, "")
        for n, award in enumerate(("최우수", "우수", "우수", "장려", "장려"), 1)
    ]
