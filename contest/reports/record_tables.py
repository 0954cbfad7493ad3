"""The tables an office hands on once the results are fixed: the winners list (who won what,
with their certificate number) and the certificate ledger (every number issued or voided).

Both read the record the organisers' screens show (results.shown_record) and the ledger
(judging/ledger.py); names always appear, as on a certificate: these are admin downloads.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd
from sqlmodel import Session, col, select

from contest.core.models import Contest, Entry, User
from contest.core.timeutil import local
from contest.judging.ledger import ledger, live_numbers
from contest.judging.results import shown_record

WINNER_COLUMNS = (
    "rank",
    "award",
    "certificate",
    "number",
    "title",
    "author_name",
    "author_department",
    "author_employee_no",
    "final",
)
LEDGER_COLUMNS = (
    "certificate",
    "valid",
    "award",
    "number",
    "title",
    "author_name",
    "author_department",
    "snapshot_id",
    "issued_at",
    "voided_at",
    "void_kind",
    "void_note",
)


def spreadsheet_time(moment: datetime | None, contest: Contest) -> datetime | None:
    """A time for a spreadsheet: the contest's local time to the second, without a zone
    (spreadsheets keep none), so the workbook gets a real date-time cell."""
    if moment is None:
        return None
    return local(moment, contest.timezone).replace(tzinfo=None, microsecond=0)


def winners_frame(session: Session, contest: Contest) -> pd.DataFrame:
    """Every winner of the shown record, best first: award, certificate number, name and
    department (empty before finalising)."""
    snapshot = shown_record(session, contest)
    awarded = [row for row in (snapshot.payload["table"] if snapshot else []) if row["award"]]
    authors = {
        entry.id: author
        for entry, author in session.exec(
            select(Entry, User)
            .join(User, col(User.id) == col(Entry.author_id))
            .where(col(Entry.id).in_([row["entry_id"] for row in awarded]))
        ).all()
    }
    numbers = live_numbers(session, contest.id or 0)
    return pd.DataFrame(
        [
            {
                "rank": row["rank"],
                "award": row["award"],
                "certificate": number.serial if number else None,
                "number": row["number"],
                "title": row["title"],
                "author_name": author.name,
                "author_department": author.department,
                "author_employee_no": author.employee_no,
                "final": row["final"],
            }
            for row in awarded
            for author, number in [(authors[row["entry_id"]], numbers.get(row["entry_id"]))]
        ],
        columns=WINNER_COLUMNS,
    )


def ledger_frame(session: Session, contest: Contest, actor: User) -> pd.DataFrame:
    """The certificate ledger, by number: issued, and voided with why."""
    lines = ledger(session, actor=actor, contest_id=contest.id or 0)
    return pd.DataFrame(
        [
            {
                "certificate": line.serial,
                "valid": line.voided_at is None,
                "award": line.award,
                "number": line.number,
                "title": line.title,
                "author_name": line.name,
                "author_department": line.department,
                "snapshot_id": line.snapshot_id,
                "issued_at": spreadsheet_time(line.issued_at, contest),
                "voided_at": spreadsheet_time(line.voided_at, contest),
                "void_kind": line.void_kind,
                "void_note": line.void_note,
            }
            for line in lines
        ],
        columns=LEDGER_COLUMNS,
    )
