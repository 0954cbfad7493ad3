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


def _within(pdf: FPDF, text: str, width: float) -> str:
    """The start of ``text`` that a line of ``width`` mm holds: no line holds more characters
    than the narrowest one fits, so a text of any length costs what a line does."""
    narrowest = min((pdf.get_string_width(c) for c in set(text)), default=0.1)
    return text[: int(width / max(narrowest, 0.1)) + 1]


def fit(pdf: FPDF, text: str, width: float) -> str:
    """Cut ``text`` with an ellipsis so it fits one line of ``width`` mm (found by halving:
    a width is measured a few times, not once per character cut)."""
    text = _within(pdf, text, width) if len(text) > 200 else text
    if pdf.get_string_width(text) <= width:
        return text
    low, high = 0, len(text)  # text[:low] + "…" fits; text[:high] + "…" does not
    while high - low > 1:
        middle = (low + high) // 2
        if pdf.get_string_width(text[:middle] + "…") <= width:
            low = middle
        else:
            high = middle
    return text[:low] + "…"


def lines(pdf: FPDF, text: str, width: float, most: int, height: float = 10) -> str:
    """At most ``most`` wrapped lines of ``width`` mm, the last cut with an ellipsis."""
    text = text[: most * len(_within(pdf, text, width))]  # more than ``most`` lines hold
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
