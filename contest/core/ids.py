"""Ids that arrive from outside (a page address, a cookie) read strictly, in one place.

Only ASCII digits name a row, and only within the id columns' range: 32-bit on PostgreSQL
(INTEGER), which SQLite's ids never exceed here either. Anything else names nothing: no
Unicode digit such as "²" (which str.isdigit accepts and int() refuses), no sign, no space, no
number the database would refuse to compare with its column.
"""

from __future__ import annotations

import re

MAX_ID = 2**31 - 1
_DIGITS = re.compile(r"[0-9]{1,10}")  # [0-9], unlike \d, matches ASCII digits only


def parse_id(text: object) -> int | None:
    """The row id ``text`` names, or None when it names none."""
    if not isinstance(text, str) or _DIGITS.fullmatch(text) is None:
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ID else None
