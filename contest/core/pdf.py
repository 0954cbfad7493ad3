"""A4 documents set in the shipped NanumSquare font (never a system font), so Korean prints the
same on every server: the exhibition labels and a submission's receipt."""

from __future__ import annotations

import io
from pathlib import Path
from typing import cast

from fpdf import FPDF

from storage import ObjectNotFound, ObjectStore, StorageError

FONT_DIR = Path(__file__).parents[1] / "assets" / "fonts"
FONT = "NanumSquare"
MARGIN = 15.0  # mm


def document(compress: bool = True) -> FPDF:
    """An empty A4 portrait document with the font loaded (``compress`` off for tests)."""
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_compression(compress)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(False)
    pdf.add_font(FONT, "", FONT_DIR / "NanumSquareR.ttf")
    pdf.add_font(FONT, "B", FONT_DIR / "NanumSquareB.ttf")
    return pdf


def fit(pdf: FPDF, text: str, width: float) -> str:
    """Cut ``text`` with an ellipsis so it fits one line of ``width`` mm."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text + "…"


def lines(pdf: FPDF, text: str, width: float, most: int, height: float = 10) -> str:
    """At most ``most`` wrapped lines of ``width`` mm, the last cut with an ellipsis."""
    wrapped = cast(list[str], pdf.multi_cell(width, height, text, dry_run=True, output="LINES"))
    if len(wrapped) <= most:
        return text
    return "\n".join([*wrapped[: most - 1], fit(pdf, "".join(wrapped[most - 1 :]), width - 2)])


def picture(
    pdf: FPDF, store: ObjectStore, key: str, x: float, y: float, w: float, h: float
) -> None:
    """A stored picture fitted into the box and centred; a framed gap if it is missing."""
    try:
        data = store.get(key)
    except (ObjectNotFound, StorageError, OSError):
        pdf.rect(x, y, w, h)
        return
    pdf.image(io.BytesIO(data), x=x, y=y, w=w, h=h, keep_aspect_ratio=True)
