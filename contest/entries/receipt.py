"""The receipt of a submitted poster: what the author sees right after sending it, and the same
as a one-page A4 PDF to keep (entry number, the picture, the time it was received in the
contest's time zone, its status now, and the AI disclosure). A withdrawn entry's receipt says
it was withdrawn, never that it was accepted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from fpdf import FPDF
from sqlmodel import Session, col, select

from contest.core.authz import require_staff
from contest.core.dates import moment
from contest.core.errors import NotFound, PermissionDenied
from contest.core.i18n import DEFAULT_LANGUAGE, t
from contest.core.models import Contest, Entry, EntryStatus, ImageObject, Role, User
from contest.core.pdf import FONT, MARGIN, document, fit, lines, picture
from contest.entries.disclosure import Disclosure
from storage import ObjectStore


@dataclass(frozen=True)
class ReceiptView(Disclosure):
    contest_name: str
    received_at: datetime
    timezone: str
    status: str
    thumb_key: str
    display_key: str

    def received(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """The moment it was received, in the contest's zone (KST for Incheon), to the second:
        a receipt may be asked whether it came before the window closed."""
        return moment(self.received_at, self.timezone, lang, seconds=True)


def receipt_view(session: Session, *, actor: User | None, entry_id: int) -> ReceiptView:
    """The receipt of ``entry_id``, for its author (or an admin)."""
    user = require_staff(actor)
    row = session.exec(
        select(Entry, ImageObject, Contest)
        .join(ImageObject, col(ImageObject.id) == col(Entry.image_id))
        .join(Contest, col(Contest.id) == col(Entry.contest_id))
        .where(Entry.id == entry_id)
    ).first()
    if row is None:
        raise NotFound("error.gallery.entry_not_found", id=entry_id)
    entry, image, contest = row
    if entry.author_id != user.id and Role(user.role) != Role.ADMIN:
        raise PermissionDenied("error.entry.not_yours")
    return ReceiptView(
        **Disclosure.of(entry),
        contest_name=contest.name,
        received_at=entry.created_at,
        timezone=contest.timezone,
        status=entry.status,
        thumb_key=image.thumb_key,
        display_key=image.display_key,
    )


def receipt_pdf(
    session: Session,
    *,
    store: ObjectStore,
    actor: User | None,
    entry_id: int,
    lang: str = DEFAULT_LANGUAGE,
    compress: bool = True,
) -> bytes:
    """The receipt as one A4 page (``compress`` off for tests that read its text)."""
    receipt = receipt_view(session, actor=actor, entry_id=entry_id)
    pdf = document(compress)
    pdf.add_page()
    width = pdf.w - 2 * MARGIN
    pdf.set_font(FONT, "", 11)
    pdf.cell(0, 7, fit(pdf, receipt.contest_name, width), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 22)
    pdf.cell(0, 13, t("receipt.pdf_title", lang), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    top = pdf.get_y()
    picture_w, picture_h = 70.0, 100.0
    picture(pdf, store, receipt.display_key, MARGIN, top, picture_w, picture_h)
    text_x, text_w = MARGIN + picture_w + 8, width - picture_w - 8
    pdf.set_xy(text_x, top)
    rows = (
        ("receipt.number", str(receipt.number)),
        ("receipt.received", receipt.received(lang)),
        ("receipt.status", t(f"entry.status.{receipt.status}", lang)),
        ("entry.theme", receipt.theme),
        ("entry.policy", receipt.policy),
    )
    pdf.set_font(FONT, "B", 16)
    pdf.multi_cell(text_w, 8, lines(pdf, receipt.title, text_w, 3, 8), align="L")
    for key, value in rows:
        pdf.set_x(text_x)
        pdf.set_font(FONT, "", 9)
        pdf.cell(text_w, 6, t(key, lang), new_x="LMARGIN", new_y="NEXT")
        pdf.set_x(text_x)
        pdf.set_font(FONT, "", 12)
        pdf.multi_cell(text_w, 6, lines(pdf, value, text_w, 2, 6), align="L")
    pdf.set_xy(MARGIN, max(pdf.get_y(), top + picture_h) + 8)
    _section(pdf, t("poster.disclosure", lang), ", ".join(_tools(receipt)), width, 3)
    if receipt.prompt:
        _section(pdf, t("entry.prompt", lang), receipt.prompt, width, 8)
    if receipt.human_part:
        _section(pdf, t("entry.human_part", lang), receipt.human_part, width, 5)
    pdf.set_xy(MARGIN, pdf.h - MARGIN - 10)
    pdf.set_font(FONT, "", 9)
    pdf.multi_cell(width, 5, _note(receipt, lang), align="L")
    return bytes(pdf.output())


def _note(receipt: ReceiptView, lang: str) -> str:
    """What the receipt confirms: acceptance while the entry stands; once it is withdrawn (or
    taken out), that it was received and is no longer in the contest."""
    if receipt.status == EntryStatus.ACTIVE.value:
        return t("receipt.pdf_note", lang)
    status = t(f"entry.status.{receipt.status}", lang)
    return t("receipt.pdf_note_inactive", lang, status=status)


def _tools(receipt: ReceiptView) -> list[str]:
    return [*receipt.ai_tools, *([receipt.ai_tools_other] if receipt.ai_tools_other else [])]


def _section(pdf: FPDF, heading: str, text: str, width: float, most: int) -> None:
    """A bold heading and up to ``most`` lines of the author's text."""
    pdf.set_font(FONT, "B", 11)
    pdf.cell(0, 7, heading, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 10)
    pdf.multi_cell(width, 5.5, lines(pdf, text, width, most, 5.5), align="L")
    pdf.ln(3)
