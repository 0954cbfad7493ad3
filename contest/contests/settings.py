"""A contest's settings, listed once: what an admin may change, each setting's range, and the
checks a contest must pass before it is saved. The settings form is built from SETTINGS."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from contest.core.errors import InvalidInput
from contest.core.models import Contest
from contest.core.timeutil import as_utc

DEFAULT_TIMEZONE = "Asia/Seoul"
DEFAULT_THEMES = ("시민행복", "균형발전", "초일류도시", "시민소통", "창조행정")
DEFAULT_RUBRIC: tuple[dict[str, Any], ...] = (
    {"key": "creativity", "label": "창의성·혁신성", "weight": 30, "min": 1, "max": 10},
    {"key": "policy", "label": "정책 전달력", "weight": 30, "min": 1, "max": 10},
    {"key": "design", "label": "디자인 완성도", "weight": 20, "min": 1, "max": 10},
    {"key": "ai_use", "label": "AI 활용의 적절성", "weight": 20, "min": 1, "max": 10},
)
DEFAULT_AWARDS: tuple[dict[str, Any], ...] = (
    {"name": "최우수", "count": 1},
    {"name": "우수", "count": 2},
    {"name": "장려", "count": 3},
    {"name": "입선", "count": 4},
)


class Kind(StrEnum):
    """How a setting is entered and checked."""

    TEXT = "text"
    TIMEZONE = "timezone"
    MOMENT = "moment"  # an aware datetime, edited in the contest's time zone
    THEMES = "themes"
    COUNT = "count"  # a whole number within [low, high]
    SHARE = "share"  # a fraction within [low, high]
    FLAG = "flag"
    RUBRIC = "rubric"
    AWARDS = "awards"


class Group(StrEnum):
    """Where a setting sits on the settings screen."""

    BASICS = "basics"
    WINDOWS = "windows"
    LIMITS = "limits"
    JUDGING = "judging"
    DISPLAY = "display"


@dataclass(frozen=True)
class Setting:
    name: str  # the Contest field; its label is the string "contest.<name>"
    kind: Kind
    group: Group
    low: float | None = None
    high: float | None = None
    step: float | None = None


SETTINGS: tuple[Setting, ...] = (
    Setting("name", Kind.TEXT, Group.BASICS),
    Setting("timezone", Kind.TIMEZONE, Group.BASICS),
    Setting("themes", Kind.THEMES, Group.BASICS),
    Setting("submission_opens_at", Kind.MOMENT, Group.WINDOWS),
    Setting("submission_closes_at", Kind.MOMENT, Group.WINDOWS),
    Setting("voting_opens_at", Kind.MOMENT, Group.WINDOWS),
    Setting("voting_closes_at", Kind.MOMENT, Group.WINDOWS),
    Setting("entries_per_person", Kind.COUNT, Group.LIMITS, 1, 50),
    Setting("votes_per_voter", Kind.COUNT, Group.LIMITS, 1, 100),
    Setting("max_upload_mb", Kind.COUNT, Group.LIMITS, 1, 200),
    Setting("max_megapixels", Kind.COUNT, Group.LIMITS, 1, 200),
    Setting("min_short_side", Kind.COUNT, Group.LIMITS, 100, 5000),
    Setting("shortlist_size", Kind.COUNT, Group.JUDGING, 1, 500),
    Setting("judge_quorum", Kind.COUNT, Group.JUDGING, 1, 50),
    Setting("jury_weight", Kind.SHARE, Group.JUDGING, 0.0, 1.0, 0.05),
    Setting("judges_exclude_own_department", Kind.FLAG, Group.JUDGING),
    Setting("rubric", Kind.RUBRIC, Group.JUDGING),
    Setting("award_tiers", Kind.AWARDS, Group.JUDGING),
    Setting("show_author_names", Kind.FLAG, Group.DISPLAY),
)
EDITABLE = frozenset(setting.name for setting in SETTINGS)


def zone(tz_name: str) -> ZoneInfo:
    """The named time zone, or InvalidInput (not a bare ZoneInfo error) for a page to show."""
    try:
        return ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidInput("error.contest.bad_timezone", tz=tz_name) from exc


def validate(contest: Contest) -> None:
    """Raise InvalidInput for the first setting that is out of its range or inconsistent."""
    zone(contest.timezone)
    if as_utc(contest.submission_opens_at) >= as_utc(contest.submission_closes_at):
        raise InvalidInput("error.contest.bad_window", window="submission")
    if as_utc(contest.voting_opens_at) >= as_utc(contest.voting_closes_at):
        raise InvalidInput("error.contest.bad_window", window="voting")
    themes = [t.strip() for t in contest.themes if t.strip()]
    if not themes or len(set(themes)) != len(themes):
        raise InvalidInput("error.contest.bad_themes")
    contest.themes = themes
    for setting in SETTINGS:
        if setting.kind in (Kind.COUNT, Kind.SHARE):
            _check_range(setting, getattr(contest, setting.name))
    if not contest.rubric or sum(float(c["weight"]) for c in contest.rubric) <= 0:
        raise InvalidInput("error.contest.bad_rubric")
    for criterion in contest.rubric:
        if not criterion.get("key") or int(criterion["min"]) >= int(criterion["max"]):
            raise InvalidInput("error.contest.bad_rubric")
    if any(int(tier["count"]) < 0 or not str(tier["name"]).strip() for tier in contest.award_tiers):
        raise InvalidInput("error.contest.bad_awards")


def _check_range(setting: Setting, value: float) -> None:
    assert setting.low is not None and setting.high is not None
    if setting.kind == Kind.SHARE:
        if not setting.low <= float(value) <= setting.high:
            raise InvalidInput("error.contest.bad_jury_weight")
        return
    if int(value) < 1:
        raise InvalidInput("error.contest.not_positive", field=setting.name)
    if not setting.low <= int(value) <= setting.high:
        raise InvalidInput(
            "error.contest.out_of_range",
            field=setting.name,
            low=int(setting.low),
            high=int(setting.high),
        )
