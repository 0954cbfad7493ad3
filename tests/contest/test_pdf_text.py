"""Shortening text for a PDF line: the same cut as measuring one character less at a time, at a
cost that grows with the text's length, not with its square (32,000 characters took 40 s)."""

from __future__ import annotations

from typing import Any

import pytest
from fpdf import FPDF

from contest.core.pdf import FONT, document, fit, lines

TEXTS = [
    "",
    "짧은 제목",
    "인천 바다와 하늘이 만나는 도시, 시민 모두의 행복을 그리다 " * 3,
    "W" * 120,
    "i" * 150,
    "가 나 다 " * 40,
]


@pytest.fixture(scope="module")
def pdf() -> FPDF:
    """One document for the module: loading the font takes half a second, and measuring
    text does not change the document."""
    pdf = document(False)
    pdf.add_page()
    pdf.set_font(FONT, "", 10)
    return pdf


def one_at_a_time(pdf: FPDF, text: str, width: float) -> str:
    """The cut as it was made before: one character less until it fits."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text + "…"


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("width", [5.0, 40.0, 90.0, 180.0])
def test_the_cut_is_the_longest_start_that_fits(pdf: FPDF, text: str, width: float) -> None:
    cut = fit(pdf, text, width)
    assert cut == one_at_a_time(pdf, text, width)
    assert pdf.get_string_width(cut) <= width or cut == "…"


def test_wrapped_lines_end_with_an_ellipsis_only_when_cut(pdf: FPDF) -> None:
    assert lines(pdf, "짧은 제목", 90, 2) == "짧은 제목"
    long = "인천 바다와 하늘이 만나는 도시 " * 40
    two = lines(pdf, long, 90, 2).split("\n")
    assert len(two) == 2 and two[1].endswith("…")
    assert all(pdf.get_string_width(line) <= 90 for line in two)
    spaces = "가" + " " * 5000 + "나"
    assert lines(pdf, spaces, 90, 1).endswith("…")


def test_the_work_grows_with_the_length_not_its_square(
    pdf: FPDF, monkeypatch: pytest.MonkeyPatch
) -> None:
    measured = [0]
    real = pdf.get_string_width

    def counted(text: str, *args: Any, **kwargs: Any) -> float:
        measured[0] += len(text)
        return float(real(text, *args, **kwargs))

    monkeypatch.setattr(pdf, "get_string_width", counted)
    work = {}
    for size in (4000, 32_000):
        text = ("가나다 Incheon poster " * size)[:size]
        measured[0] = 0
        fit(pdf, text, 90)
        lines(pdf, text, 90, 2)
        work[size] = measured[0]
    # eight times the text, at most about eight times the characters measured (was sixty-four)
    assert work[32_000] <= 10 * work[4000]
    assert work[32_000] <= 5 * 32_000
