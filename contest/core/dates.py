"""Dates and times as people read them, in the contest's time zone and the reader's language:
"2026. 12. 4.(금) 09:00" in Korean, "Fri 4 Dec 2026, 09:00" in English (the house style). The
spaces inside are no-break spaces (locales/*/dates.json), so a line never breaks inside a date.

Seconds are written only where they matter: an audit record, a settings refusal or the times of
a burst of votes must tell 23:59 from 23:59:59 (``Moment``, ``moment(..., seconds=True)``);
elsewhere a moment is said to the minute. This module is the one place that writes a date for
people: screens, receipts, PDFs and audit lines all ask it (docs/korean-style.md); exports keep
date-time cells a spreadsheet sorts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from contest.core.i18n import DEFAULT_LANGUAGE, t
from contest.core.timeutil import local


def _parts(value: datetime, tz_name: str, lang: str, seconds: bool) -> dict[str, str | int]:
    at = local(value, tz_name)
    return {
        "year": at.year,
        "month": t("date.months", lang).split()[at.month - 1],
        "day": at.day,
        "weekday": t("date.weekdays", lang).split()[at.weekday()],
        "time": at.strftime("%H:%M:%S" if seconds and at.second else "%H:%M"),
    }


def day(value: datetime, tz_name: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The day ``value`` falls on where the contest is: 2026. 12. 4.(금)."""
    return t("date.day", lang, **_parts(value, tz_name, lang, False))


def moment(
    value: datetime, tz_name: str, lang: str = DEFAULT_LANGUAGE, *, seconds: bool = False
) -> str:
    """The day and the time to the minute: 2026. 12. 4.(금) 09:00 (with ``seconds``, the
    seconds too when they are not zero: 09:00:07)."""
    return t("date.moment", lang, **_parts(value, tz_name, lang, seconds))


@dataclass(frozen=True)
class Day:
    """A day a service hands on, said later in the reader's language (a Phrase parameter)."""

    at: datetime
    tz: str

    def text(self, lang: str) -> str:
        return day(self.at, self.tz, lang)


@dataclass(frozen=True)
class Moment:
    """A moment a service hands on, said later in the reader's language (a Phrase parameter):
    to the minute, with the seconds when they are not zero."""

    at: datetime
    tz: str

    def text(self, lang: str) -> str:
        return moment(self.at, self.tz, lang, seconds=True)


@dataclass(frozen=True)
class Duration:
    """A length of time in words, to the minute: "3일 2시간", "45분"."""

    seconds: float

    def text(self, lang: str) -> str:
        minutes = round(abs(self.seconds) / 60)
        parts = {"days": minutes // 1440, "hours": minutes // 60 % 24, "minutes": minutes % 60}
        said = [t(f"time.{unit}", lang, n=n) for unit, n in parts.items() if n]
        return " ".join(said) or t("time.minutes", lang, n=0)
