"""Numbers, shares, dates and flags as people read them, in the user's language."""

from __future__ import annotations

from datetime import datetime

from contest.core import dates
from ui.i18n import lang, tr

NONE = "—"  # shown for a value that does not exist (never "None")


def moment(value: datetime | None, tz: str, *, seconds: bool = False) -> str:
    """A moment in the house style, in the contest's time zone: 2026. 12. 4.(금) 09:00 (with
    ``seconds``, 09:00:07 where the seconds are not zero)."""
    return NONE if value is None else dates.moment(value, tz, lang(), seconds=seconds)


def day(value: datetime | None, tz: str) -> str:
    """A day in the house style, in the contest's time zone: 2026. 12. 4.(금)."""
    return NONE if value is None else dates.day(value, tz, lang())


def share(value: float | None) -> str:
    """A fraction as a percentage: 0.1333 -> 13%."""
    return NONE if value is None else f"{value:.0%}"


def number(value: float | None, decimals: int = 2) -> str:
    return NONE if value is None else f"{value:,.{decimals}f}"


def yes_no(flag: bool) -> str:
    return tr("common.yes" if flag else "common.no")
