"""Admin downloads: entries, votes, judge scores (raw and corrected), results, the winners list
and the certificate ledger, as CSV and one XLSX workbook an office can hand on.

CSV is UTF-8 with a BOM so that Excel opens Korean text correctly. Votes leave out who voted
unless the admin asks for it, and then the audit log records that they did. Times are in the
contest's time zone, as real date-time cells in the workbook; each sheet has a frozen header
row, a filter on every column and columns wide enough for their text.

By default the tables speak the reader's language: Korean (or English) column names, statuses
and yes/no in words, scores to sensible decimals, empty cells instead of None. ``keys=True``
keeps the stable machine keys and raw values instead, for scripts that read the files.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import asdict
from datetime import datetime

import pandas as pd
from sqlmodel import Session, col, select

from contest.contests.queries import get_contest
from contest.contests.visibility import AuthorView, Purpose, author_visibility
from contest.core import audit
from contest.core.authz import require_admin
from contest.core.cells import neutralise_frame
from contest.core.i18n import DEFAULT_LANGUAGE, t
from contest.core.models import Contest, Entry, JudgeScore, User, Vote
from contest.judging.jury import jury, weighted
from contest.judging.ledger import serial_text
from contest.judging.method import compute, parts
from contest.judging.results import gather, shown_record
from contest.reports.record_tables import ledger_frame, spreadsheet_time, winners_frame
from contest.voting.queries import vote_counts

TABLES = ("entries", "votes", "scores", "results", "winners", "certificates")
RESULT_COLUMNS = (
    "rank",
    "award",
    "number",
    "title",
    "judges",
    "raw_mean",
    "normalised",
    "votes",
    "vote_scaled",
    "jury_part",
    "vote_part",
    "final",
    "tie",
    "below_quorum",
)


def entries_frame(session: Session, contest: Contest, shown: AuthorView) -> pd.DataFrame:
    """Every entry with its author as ``shown`` allows (author_visibility, as on every
    screen)."""
    counts = vote_counts(session, contest_id=contest.id or 0)
    rows = session.exec(
        select(Entry, User)
        .join(User, col(Entry.author_id) == col(User.id))
        .where(Entry.contest_id == contest.id)
        .order_by(col(Entry.number))
    ).all()
    return pd.DataFrame(
        [
            {
                "number": e.number,
                "title": e.title,
                "theme": e.theme,
                "policy": e.policy,
                "status": e.status,
                "status_reason": e.status_reason,
                "author_employee_no": a.employee_no if shown.name else None,
                "author_name": shown.name_of(a),
                "author_department": shown.department_of(a),
                "ai_tools": ", ".join(
                    [*e.ai_tools, *([e.ai_tools_other] if e.ai_tools_other else [])]
                ),
                "prompt": e.prompt,
                "human_part": e.human_part,
                "votes": counts.get(e.id or 0, 0),
                "submitted_at": spreadsheet_time(e.created_at, contest),
            }
            for e, a in rows
        ],
        columns=None if rows else ["number", "title"],
    )


def votes_frame(session: Session, contest: Contest, *, include_voters: bool) -> pd.DataFrame:
    rows = session.exec(
        select(Vote, Entry, User)
        .join(Entry, col(Vote.entry_id) == col(Entry.id))
        .join(User, col(Vote.voter_id) == col(User.id), isouter=True)  # purged: no voter
        .where(Vote.contest_id == contest.id)
        .order_by(col(Vote.created_at), col(Vote.id))
    ).all()
    records = []
    for vote, entry, voter in rows:
        record = {
            "entry_number": entry.number,
            "entry_title": entry.title,
            "voted_at": spreadsheet_time(vote.created_at, contest),
        }
        if include_voters:
            record |= {
                "voter_employee_no": voter.employee_no if voter else "",
                "voter_name": voter.name if voter else "",
                "voter_department": voter.department if voter else "",
            }
        records.append(record)
    return pd.DataFrame(records, columns=None if records else ["entry_number", "voted_at"])


def scores_frame(session: Session, contest: Contest) -> pd.DataFrame:
    rows = session.exec(
        select(JudgeScore, Entry, User)
        .join(Entry, col(JudgeScore.entry_id) == col(Entry.id))
        .join(User, col(JudgeScore.judge_id) == col(User.id))
        .where(JudgeScore.contest_id == contest.id)
        .order_by(col(Entry.number), col(User.employee_no))
    ).all()
    keys = [str(c["key"]) for c in contest.rubric]
    inputs = gather(session, contest)
    table = jury(inputs.rubric, inputs.scores, {e["entry_id"] for e in inputs.entries})
    return pd.DataFrame(
        [
            {
                "judge_employee_no": judge.employee_no,
                "judge_name": judge.name,
                "entry_number": entry.number,
                "entry_title": entry.title,
                **{key: score.scores.get(key) for key in keys},
                "weighted": round(weighted(contest.rubric, score.scores), 6)
                if score.scores
                else None,
                "corrected": round(table.corrected(pair), 6) if pair in table.raw else None,
                "comment": score.comment,
                "conflict": score.conflict,
                "conflict_reason": score.conflict_reason,
                "updated_at": spreadsheet_time(score.updated_at, contest),
            }
            for score, entry, judge in rows
            for pair in [(score.judge_id, score.entry_id)]
        ],
        columns=None if rows else ["judge_employee_no", "entry_number", *keys],
    )


def results_frame(session: Session, contest: Contest) -> pd.DataFrame:
    """The shown record (results.shown_record), else the live computation; each row with the
    jury part and vote part its final score is the sum of, at that table's own weights."""
    snapshot = shown_record(session, contest)
    if snapshot is not None:
        table, weight = snapshot.payload["table"], float(snapshot.payload["inputs"]["jury_weight"])
    else:
        inputs = gather(session, contest)
        table, weight = [asdict(row) for row in compute(inputs)], inputs.jury_weight
    rows = [
        {**row, "jury_part": jury_part, "vote_part": vote_part, "tie": row.get("tie")}
        for row in table
        for jury_part, vote_part in [parts(row, weight)]
    ]
    return pd.DataFrame(
        [{c: row[c] for c in RESULT_COLUMNS} for row in rows], columns=RESULT_COLUMNS
    )


# How a column reads in words: its values as labels, flags as yes/no, numbers rounded.
WORD_COLUMNS = {"status": "entry.status", "tie": "results.tie", "void_kind": "ledger.void"}
FLAG_COLUMNS = frozenset({"conflict", "below_quorum", "valid"})
DECIMALS = {
    "weighted": 2,
    "corrected": 2,
    "raw_mean": 2,
    "normalised": 2,
    "vote_scaled": 2,
    "jury_part": 4,
    "vote_part": 4,
    "final": 4,
}


def readable(frame: pd.DataFrame, contest: Contest, lang: str, table: str) -> pd.DataFrame:
    """``frame`` (one of TABLES) with headers and values in words: what an official reads in a
    spreadsheet. The final score keeps four decimals because ranks are decided on four."""
    criteria = {str(c["key"]): str(c["label"]) for c in contest.rubric} if table == "scores" else {}
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if column == "certificate":
            out[column] = values.map(
                lambda n: "" if pd.isna(n) else serial_text(contest.year, int(n), lang)
            )
        elif column in WORD_COLUMNS:
            out[column] = values.map(
                lambda s, k=WORD_COLUMNS[column]: t(f"{k}.{s}", lang) if s else ""
            )
        elif column in FLAG_COLUMNS:
            out[column] = values.map(lambda b: t("common.yes" if b else "common.no", lang))
        elif column in DECIMALS:  # numbers stay numbers, so a spreadsheet can still add them
            out[column] = values.map(
                lambda x, d=DECIMALS[column]: "" if pd.isna(x) else round(float(x), d)
            )
        elif pd.api.types.is_float_dtype(values):  # whole numbers with gaps (an unranked rank)
            out[column] = values.map(lambda x: "" if pd.isna(x) else int(x))
        out[column] = out[column].astype(object).where(out[column].notna(), "")
    return out.rename(
        columns={c: criteria.get(c) or t(f"export.col.{c}", lang) for c in out.columns}
    )


def export_tables(
    session: Session,
    *,
    actor: User | None,
    contest_id: int,
    include_voters: bool = False,
    lang: str = DEFAULT_LANGUAGE,
    keys: bool = False,
) -> dict[str, pd.DataFrame]:
    """Every table of TABLES by its machine name; readable in ``lang`` unless ``keys``."""
    admin = require_admin(actor)
    contest = get_contest(session, contest_id)
    votes = (
        voter_export(session, actor=actor, contest_id=contest_id, keys=True)
        if include_voters
        else votes_frame(session, contest, include_voters=False)
    )
    tables = {
        "entries": entries_frame(
            session, contest, author_visibility(contest, actor, Purpose.ADMIN)
        ),
        "votes": votes,
        "scores": scores_frame(session, contest),
        "results": results_frame(session, contest),
        "winners": winners_frame(session, contest),
        "certificates": ledger_frame(session, contest, admin),
    }
    if keys:
        return tables
    return {name: readable(frame, contest, lang, name) for name, frame in tables.items()}


def sheets(
    tables: dict[str, pd.DataFrame], lang: str, *, keys: bool = False
) -> dict[str, pd.DataFrame]:
    """The tables under their sheet names for one workbook: in ``lang``, or the machine names."""
    if keys:
        return tables
    return {t(f"export.sheet.{name}", lang): frame for name, frame in tables.items()}


def voter_export(
    session: Session,
    *,
    actor: User | None,
    contest_id: int,
    lang: str = DEFAULT_LANGUAGE,
    keys: bool = False,
) -> pd.DataFrame:
    """Every vote with who cast it; the audit log records that an admin asked for it."""
    admin = require_admin(actor)
    contest = get_contest(session, contest_id)
    audit.record(
        session,
        actor=admin,
        action="export.voter_identities",
        contest_id=contest_id,
        target_type="contest",
        target_id=contest_id,
    )
    frame = votes_frame(session, contest, include_voters=True)
    return frame if keys else readable(frame, contest, lang, "votes")


TIME_FORMAT = "%Y-%m-%d %H:%M:%S"  # CSV: a text every spreadsheet reads as a date-time
XLSX_TIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
WIDEST = 60  # characters: longer text wraps to the next line of the cell when opened


def to_csv(frame: pd.DataFrame) -> bytes:
    """The table as CSV, no text cell able to run as a formula. Lines end in CRLF (RFC 4180),
    so a text holding a lone CR or LF is quoted and cannot start a row of its own."""
    return (
        neutralise_frame(frame)
        .to_csv(index=False, lineterminator="\r\n", date_format=TIME_FORMAT)
        .encode("utf-8-sig")
    )


def _width(value: object) -> int:
    """How many character cells a value takes in a spreadsheet (Korean letters take two)."""
    text = value.strftime(TIME_FORMAT) if isinstance(value, datetime) else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def to_xlsx(tables: dict[str, pd.DataFrame]) -> bytes:
    """One workbook, one sheet per table, in the order given: the header row frozen, a filter
    on every column, columns as wide as their text (up to WIDEST), times as date-time cells.
    Text cells are neutralised and typed as text, so no cell of the workbook is a formula."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(
        buffer, engine="openpyxl", datetime_format=XLSX_TIME_FORMAT, date_format="yyyy-mm-dd"
    ) as writer:
        for name, frame in tables.items():
            neutralise_frame(frame).to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            for row in sheet.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str):
                        cell.data_type = "s"
            sheet.freeze_panes = "A2"
            sheet.auto_filter.ref = sheet.dimensions
            for column in sheet.columns:
                widest = max((_width(c.value) for c in column if c.value is not None), default=0)
                sheet.column_dimensions[column[0].column_letter].width = min(widest, WIDEST) + 2
    return buffer.getvalue()
