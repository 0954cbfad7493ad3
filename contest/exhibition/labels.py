"""The exhibition kit: a QR code per poster and a printable A4 label for each one.

A phone that scans a label opens the poster's link (links.poster_link): a colleague signs in
once and can vote there; a visitor reads the public page while the exhibition is public. Text
is set in the shipped NanumSquare font (core/pdf.py).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

import segno
from fpdf import FPDF
from sqlmodel import Session, col, select

from contest.contests.published import published_awards
from contest.contests.queries import require_current
from contest.contests.visibility import Purpose, author_visibility
from contest.core import audit
from contest.core.authz import require_admin
from contest.core.config import Settings
from contest.core.errors import NotFound
from contest.core.i18n import DEFAULT_LANGUAGE, t
from contest.core.models import Entry, EntryStatus, ImageObject, User
from contest.core.pdf import FONT, MARGIN, document, fit, lines, picture
from contest.exhibition.links import poster_link
from contest.exhibition.public import scan_promise
from contest.images.provenance.describe import Line, ai_label
from storage import ObjectStore

QR_ERROR = "q"  # survives a smudged or partly covered print
INDEX_ROWS_PER_PAGE = 30
QR_SIDE = 55.0  # mm: scans from about half a metre with a phone camera


@dataclass(frozen=True)
class Label:
    entry_id: int
    number: int
    title: str
    theme: str
    department: str  # "" where author_visibility keeps it off the exhibition
    display_key: str
    url: str
    ai_label: Line  # made with generative AI, with the tools declared
    award: str | None = None  # the award it won, once the results are published


def qr_png(url: str, *, scale: int = 10) -> bytes:
    """A QR code as PNG bytes, with the quiet zone scanners need."""
    out = io.BytesIO()
    segno.make(url, error=QR_ERROR, micro=False).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def labels(session: Session, *, settings: Settings, actor: User | None) -> list[Label]:
    """Active entries of the current contest in entry-number order."""
    require_admin(actor)
    contest = require_current(session)
    shown = author_visibility(contest, None, Purpose.EXHIBITION)
    awards = published_awards(session, contest)
    rows = session.exec(
        select(Entry, User, ImageObject)
        .join(User, col(User.id) == col(Entry.author_id))
        .join(ImageObject, col(ImageObject.id) == col(Entry.image_id))
        .where(Entry.contest_id == contest.id, Entry.status == EntryStatus.ACTIVE.value)
        .order_by(col(Entry.number))
    ).all()
    return [
        Label(
            entry.id or 0,
            entry.number,
            entry.title,
            entry.theme,
            shown.department_of(author) or "",
            image.display_key,
            poster_link(settings, entry.id or 0),
            ai_label(entry.ai_tools, entry.ai_tools_other),
            awards.get(entry.id or 0),
        )
        for entry, author, image in rows
    ]


def entry_qr(session: Session, *, settings: Settings, actor: User | None, entry_id: int) -> bytes:
    require_admin(actor)
    entry = session.get(Entry, entry_id)
    if entry is None or entry.status != EntryStatus.ACTIVE.value:
        raise NotFound("error.gallery.entry_not_found", id=entry_id)
    return qr_png(poster_link(settings, entry_id))


def exhibition_pdf(
    session: Session,
    *,
    store: ObjectStore,
    settings: Settings,
    actor: User | None,
    lang: str = DEFAULT_LANGUAGE,
    compress: bool = True,
    now: datetime | None = None,
) -> bytes:
    """Index page(s) first, then one A4 label per active entry; ``compress`` off for tests.

    The label promises what a scan will open (``scan_promise``): the public page within the
    public dates, else the staff sign-in; a vote only until voting closes."""
    admin = require_admin(actor)
    contest = require_current(session)
    items = labels(session, settings=settings, actor=admin)
    hint = scan_promise(contest, now).text(lang)
    pdf = document(compress)
    for start in range(0, max(len(items), 1), INDEX_ROWS_PER_PAGE):
        _index_page(pdf, contest.name, items, start, lang)
    for label in items:
        number = t("exhibition.label_number", lang, number=label.number)
        if label.award:
            number = t("exhibition.label_award", lang, number=number, award=label.award)
        made = t(label.ai_label.key, lang, **label.ai_label.params)
        _label_page(pdf, store, label, hint, number, made)
    audit.record(
        session,
        actor=admin,
        action="exhibition.pdf",
        contest_id=contest.id,
        details={"entries": len(items)},
    )
    return bytes(pdf.output())


def _index_page(pdf: FPDF, contest_name: str, items: list[Label], start: int, lang: str) -> None:
    pdf.add_page()
    pdf.set_font(FONT, "B", 16)
    pdf.cell(0, 10, fit(pdf, contest_name, 180), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 10)
    pdf.cell(0, 7, t("exhibition.index", lang, count=len(items)), new_x="LMARGIN", new_y="NEXT")
    widths = (16.0, 94.0, 30.0, 40.0)
    heads = [t(f"exhibition.col.{c}", lang) for c in ("number", "title", "theme", "department")]
    pdf.set_font(FONT, "B", 10)
    for width, head in zip(widths, heads, strict=True):
        pdf.cell(width, 8, head, border="B")
    pdf.ln(8)
    pdf.set_font(FONT, "", 10)
    for label in items[start : start + INDEX_ROWS_PER_PAGE]:
        values = (str(label.number), label.title, label.theme, label.department)
        for width, value in zip(widths, values, strict=True):
            pdf.cell(width, 8, fit(pdf, value, width - 2), border="B")
        pdf.ln(8)


def _label_page(
    pdf: FPDF, store: ObjectStore, label: Label, hint: str, number: str, made: str
) -> None:
    pdf.add_page()
    page_w, page_h = pdf.w, pdf.h
    pdf.set_font(FONT, "B", 28)
    pdf.cell(0, 14, number, new_x="LMARGIN", new_y="NEXT")
    box_top, box_h, box_w = pdf.get_y() + 2, 140.0, page_w - 2 * MARGIN
    picture(pdf, store, label.display_key, MARGIN, box_top, box_w, box_h)
    pdf.set_xy(MARGIN, box_top + box_h + 6)
    pdf.set_font(FONT, "B", 20)
    pdf.multi_cell(
        box_w, 10, lines(pdf, label.title, box_w, 2), align="L", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font(FONT, "", 13)
    credit = " · ".join(part for part in (label.theme, label.department) if part)
    pdf.multi_cell(box_w - QR_SIDE - 5, 7, credit, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 13)
    pdf.multi_cell(box_w - QR_SIDE - 5, 7, made, align="L")
    qr_x, qr_y = page_w - MARGIN - QR_SIDE, page_h - MARGIN - QR_SIDE - 8
    pdf.image(io.BytesIO(qr_png(label.url)), x=qr_x, y=qr_y, w=QR_SIDE, h=QR_SIDE)
    pdf.set_xy(qr_x - 40, qr_y + QR_SIDE + 1)
    pdf.set_font(FONT, "", 10)
    pdf.cell(QR_SIDE + 40, 6, label.url, align="R")
    pdf.set_xy(MARGIN, qr_y + 10)
    pdf.set_font(FONT, "", 11)
    pdf.multi_cell(
        page_w - 3 * MARGIN - QR_SIDE,
        6,
        hint,
        align="L",
    )
