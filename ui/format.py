"""Numbers, shares, dates and flags as people read them, in the user's language."""

from __future__ import annotations

from datetime import datetime

from contest.core import dates
from contest.core.timeutil import local
from ui.i18n import lang, tr

NONE = "—"  # shown for a value that does not exist (never "None")


def when(moment: datetime | None, tz: str) -> str:
    """A moment in the contest's time zone to the minute: 2026-10-14 09:12."""
    return NONE if moment is None else local(moment, tz).strftime("%Y-%m-%d %H:%M")


def moment(value: datetime | None, tz: str) -> str:
    """A moment in the house style, in the contest's time zone: 2026. 12. 4.(금) 09:00."""
    return NONE if value is None else dates.moment(value, tz, lang())


def share(value: float | None) -> str:
    """A fraction as a percentage: 0.1333 -> 13%."""
    return NONE if value is None else f"{value:.0%}"


def number(value: float | None, decimals: int = 2) -> str:
    return NONE if value is None else f"{value:,.{decimals}f}"


def yes_no(flag: bool) -> str:
    return tr("common.yes" if flag else "common.no")
