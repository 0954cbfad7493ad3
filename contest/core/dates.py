"""Dates and times as people read them, in the contest's time zone and the reader's language:
"2026. 12. 4.(금) 09:00" in Korean, "Fri 4 Dec 2026, 09:00" in English (the house style;
seconds only where they matter, which is never on these screens). The spaces inside are
no-break spaces (locales/*/dates.json), so a line never breaks inside a date."""

from __future__ import annotations

from datetime import datetime

from contest.core.i18n import DEFAULT_LANGUAGE, t
from contest.core.timeutil import local


def _parts(value: datetime, tz_name: str, lang: str) -> dict[str, str | int]:
    moment = local(value, tz_name)
    return {
        "year": moment.year,
        "month": t("date.months", lang).split()[moment.month - 1],
        "day": moment.day,
        "weekday": t("date.weekdays", lang).split()[moment.weekday()],
        "time": moment.strftime("%H:%M"),
    }


def day(value: datetime, tz_name: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The day ``value`` falls on where the contest is: 2026. 12. 4.(금)."""
    return t("date.day", lang, **_parts(value, tz_name, lang))


def moment(value: datetime, tz_name: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The day and the time to the minute: 2026. 12. 4.(금) 09:00."""
    return t("date.moment", lang, **_parts(value, tz_name, lang))
