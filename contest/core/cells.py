"""Text bound for a spreadsheet, made unable to run as a formula.

Excel, LibreOffice and Google Sheets treat a cell that starts with ``=``, ``+``, ``-`` or ``@``
(and, after a tab or a line break, whatever follows) as a formula: a poster title like
``=HYPERLINK("http://…")`` or ``-2+3+cmd|' /C calc'!A0`` would run on the admin's computer.
Every export passes its text through ``neutralise`` where the bytes are written; an apostrophe
in front makes the spreadsheet show the text as typed. Numbers are left as numbers.
"""

from __future__ import annotations

from typing import TypeVar

import pandas as pd

T = TypeVar("T")
# ASCII starters, their full-width forms (some spreadsheets read those too) and control starts.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise(value: T) -> T | str:
    """``value`` with an apostrophe in front if it is text a spreadsheet would run."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column names are neutralised."""
    safe = frame.map(neutralise)
    safe.columns = [neutralise(str(column)) for column in frame.columns]
    return safe
