"""Award certificates (상장): one formal A4 page per award winner, all in one PDF for printing.

The layout follows a Korean certificate: the number top left, 상 장 in large type, the award,
the winner's name, department and poster, one sentence of citation, the date, and the
organiser's name (a contest setting, 인천광역시장 by default) with the place for the seal.
Winners come from the published snapshot, or the latest one once finalised (certificates can be
printed before the announcement). Names always appear: a certificate is for its winner.
The number is the winner's number in the certificate ledger (judging/ledger.py), which stays
the same when the results are finalised again and the winner's award does not change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fpdf import FPDF
from sqlmodel import Session, col, select

from contest.contests.phases import require_phase
from contest.contests.queries import get_contest
from contest.core import audit
from contest.core.authz import require_admin
from contest.core.errors import InvalidState
from contest.core.models import Contest, ContestPhase, Entry, User
from contest.core.pdf import FONT, document, fit
from contest.core.timeutil import local, utcnow
from contest.judging.ledger import live_numbers, serial_text
from contest.judging.results import shown_record

SEAL_RED = (200, 30, 30)


@dataclass(frozen=True)
class Certificate:
    serial: str  # 제 2026-1 호, from the ledger
    award: str  # 최우수상
    name: str
    department: str
    title: str
    tied: bool


def award_name(tier: str) -> str:
    """최우수 -> 최우수상; a tier already ending in 상 stays as it is."""
    return tier if tier.endswith("상") else f"{tier}상"


def certificates(session: Session, *, actor: User | None, contest_id: int) -> list[Certificate]:
    """One certificate per award winner, best first, with the winner's ledger number."""
    require_admin(actor)
    contest = get_contest(session, contest_id)
    require_phase(contest, ContestPhase.FINALISED)
    snapshot = shown_record(session, contest)
    if snapshot is None:
        raise InvalidState("error.results.no_snapshot")
    table = snapshot.payload["table"]
    awarded = [row for row in table if row["award"]]
    authors = {
        entry.id: author
        for entry, author in session.exec(
            select(Entry, User)
            .join(User, col(Entry.author_id) == col(User.id))
            .where(col(Entry.id).in_([row["entry_id"] for row in awarded]))
        ).all()
    }
    ranks = [row["rank"] for row in awarded]
    numbers = live_numbers(session, contest_id)
    if any(
        row["entry_id"] not in numbers or numbers[row["entry_id"]].award != row["award"]
        for row in awarded
    ):
        raise InvalidState("error.certificates.no_number")
    return [
        Certificate(
            serial=serial_text(contest.year, numbers[row["entry_id"]].serial, "ko"),
            award=award_name(str(row["award"])),
            name=authors[row["entry_id"]].name,
            department=authors[row["entry_id"]].department,
            title=row["title"],
            tied=ranks.count(row["rank"]) > 1,
        )
        for row in awarded
    ]


def certificates_pdf(
    session: Session,
    *,
    actor: User | None,
    contest_id: int,
    awarded_on: date | None = None,
    compress: bool = True,
) -> bytes:
    """Every certificate in one A4 PDF; the audit log records who printed them."""
    admin = require_admin(actor)
    contest = get_contest(session, contest_id)
    found = certificates(session, actor=admin, contest_id=contest_id)
    if not found:
        raise InvalidState("error.certificates.none")
    day = awarded_on or local(utcnow(), contest.timezone).date()
    pdf = document(compress)
    for certificate in found:
        _page(pdf, certificate, contest, day)
    audit.record(
        session,
        actor=admin,
        action="results.certificates",
        contest_id=contest_id,
        target_type="contest",
        target_id=contest_id,
        details={"certificates": len(found)},
    )
    return bytes(pdf.output())


def _page(pdf: FPDF, certificate: Certificate, contest: Contest, day: date) -> None:
    pdf.add_page()
    width, height = pdf.w, pdf.h
    pdf.set_draw_color(90, 70, 30)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, width - 20, height - 20)
    pdf.set_line_width(0.4)
    pdf.rect(13, 13, width - 26, height - 26)

    pdf.set_xy(25, 25)
    pdf.set_font(FONT, "", 12)
    pdf.cell(0, 8, certificate.serial)

    pdf.set_xy(0, 48)
    pdf.set_font(FONT, "B", 46)
    pdf.cell(width, 22, "상      장", align="C")

    pdf.set_xy(0, 84)
    pdf.set_font(FONT, "B", 24)
    award = f"공동 {certificate.award}" if certificate.tied else certificate.award
    pdf.cell(width, 14, award, align="C")

    inner = width - 2 * 42
    rows = (
        ("성    명", certificate.name),
        ("소    속", certificate.department),
        ("작 품 명", certificate.title),
    )
    pdf.set_y(112)
    for label, value in rows:
        pdf.set_x(42)
        pdf.set_font(FONT, "B", 14)
        pdf.cell(30, 11, label)
        pdf.set_font(FONT, "", 14)
        pdf.cell(inner - 30, 11, fit(pdf, f":  {value}", inner - 30), new_x="LMARGIN", new_y="NEXT")

    pdf.set_xy(32, 160)
    pdf.set_font(FONT, "", 16)
    citation = (
        f"위 사람은 「{contest.name}」에서 위 작품으로 "
        "뛰어난 성적을 거두었으므로 이 상장을 수여합니다."
    )
    pdf.multi_cell(width - 64, 12, citation, align="J")

    pdf.set_xy(0, 222)
    pdf.set_font(FONT, "", 16)
    pdf.cell(width, 10, f"{day.year}년 {day.month}월 {day.day}일", align="C")

    pdf.set_xy(0, 246)
    pdf.set_font(FONT, "B", 26)
    pdf.cell(width, 14, contest.organiser, align="C")
    organiser_end = (width + pdf.get_string_width(contest.organiser)) / 2
    pdf.set_draw_color(*SEAL_RED)
    pdf.set_text_color(*SEAL_RED)
    pdf.set_line_width(0.8)
    pdf.rect(organiser_end + 3, 243, 20, 20)
    pdf.set_xy(organiser_end + 3, 249)
    pdf.set_font(FONT, "", 9)
    pdf.cell(20, 8, "(직인)", align="C")
    pdf.set_text_color(0, 0, 0)
    pdf.set_draw_color(0, 0, 0)
