"""The certificate ledger (상장 대장): every certificate number a contest issued, to whom and for
which award, and the numbers voided since, with why.

A number is issued once and never reused. Each finalisation brings the ledger in line with its
record: a winner who keeps the same award keeps their number; a new winner, or a winner whose
award changed, gets the next number; a number whose winner no longer wins that award is voided
("award_changed" or "not_awarded") with the re-finalisation's reason. Certificates print the
ledger's number, so a printed 상장 대장 never clashes with a later print.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from contest.contests.queries import get_contest
from contest.core.authz import require_admin
from contest.core.i18n import DEFAULT_LANGUAGE, t
from contest.core.models import CertificateNumber, Contest, Entry, ResultSnapshot, User
from contest.core.timeutil import utcnow


def serial_text(year: int, serial: int, lang: str = DEFAULT_LANGUAGE) -> str:
    """How a number is written: 제 2026-4 호."""
    return t("certificates.serial", lang, year=year, serial=serial)


def live_numbers(session: Session, contest_id: int) -> dict[int, CertificateNumber]:
    """The numbers in force, by entry id."""
    rows = session.exec(
        select(CertificateNumber).where(
            CertificateNumber.contest_id == contest_id, col(CertificateNumber.voided_at).is_(None)
        )
    ).all()
    return {row.entry_id: row for row in rows}


def issue_numbers(
    session: Session, *, contest: Contest, snapshot: ResultSnapshot, note: str = ""
) -> None:
    """Bring the ledger in line with ``snapshot``'s winners (see the module doc). Called by
    results.finalise inside its transaction, which holds the contest's row."""
    cid = contest.id or 0
    live = live_numbers(session, cid)
    last = session.exec(
        select(func.max(CertificateNumber.serial)).where(CertificateNumber.contest_id == cid)
    ).one()
    serial, now = last or 0, utcnow()

    def void(number: CertificateNumber, kind: str) -> None:
        number.voided_at, number.voided_snapshot_id = now, snapshot.id
        number.void_kind, number.void_note = kind, note.strip()
        session.add(number)

    for row in (row for row in snapshot.payload["table"] if row["award"]):
        current = live.pop(row["entry_id"], None)
        if current is not None and current.award == row["award"]:
            continue
        if current is not None:
            void(current, "award_changed")
        serial += 1
        session.add(
            CertificateNumber(
                contest_id=cid,
                serial=serial,
                entry_id=row["entry_id"],
                award=str(row["award"]),
                snapshot_id=snapshot.id or 0,
                issued_at=now,
            )
        )
    for left in live.values():
        void(left, "not_awarded")
    session.flush()


@dataclass(frozen=True)
class LedgerLine:
    serial: int
    year: int
    number: int  # the poster's
    title: str
    name: str
    department: str
    award: str
    snapshot_id: int
    issued_at: datetime
    voided_at: datetime | None
    void_kind: str
    void_note: str

    def serial_text(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return serial_text(self.year, self.serial, lang)


def ledger(session: Session, *, actor: User | None, contest_id: int) -> list[LedgerLine]:
    """Every number the contest issued, in order, voided ones included."""
    require_admin(actor)
    contest = get_contest(session, contest_id)
    rows = session.exec(
        select(CertificateNumber, Entry, User)
        .join(Entry, col(Entry.id) == col(CertificateNumber.entry_id))
        .join(User, col(User.id) == col(Entry.author_id))
        .where(CertificateNumber.contest_id == contest_id)
        .order_by(col(CertificateNumber.serial))
    ).all()
    return [
        LedgerLine(
            serial=number.serial,
            year=contest.year,
            number=entry.number,
            title=entry.title,
            name=author.name,
            department=author.department,
            award=number.award,
            snapshot_id=number.snapshot_id,
            issued_at=number.issued_at,
            voided_at=number.voided_at,
            void_kind=number.void_kind,
            void_note=number.void_note,
        )
        for number, entry, author in rows
    ]
