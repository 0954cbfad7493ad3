"""A contest's settings, listed once: what an admin may change, each setting's range, and the
checks a contest must pass before it is saved. The settings form is built from SETTINGS."""

from __future__ import annotations

import math
import os
import tomllib
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from contest.core.errors import InvalidInput
from contest.core.models import Contest
from contest.core.timeutil import as_utc

DEFAULT_TIMEZONE = "Asia/Seoul"
DEFAULT_THEMES = ("시민행복", "균형발전", "초일류도시", "시민소통", "창조행정")
# A criterion: key (stable, in the scores), label, weight, min, max, description (for judges).
DEFAULT_RUBRIC: tuple[dict[str, Any], ...] = (
    {
        "key": "creativity",
        "label": "창의성·혁신성",
        "weight": 30,
        "min": 1,
        "max": 10,
        "description": "새로운 시각과 아이디어로 정책을 표현했는가",
    },
    {
        "key": "policy",
        "label": "정책 전달력",
        "weight": 30,
        "min": 1,
        "max": 10,
        "description": "정책의 핵심을 시민이 한눈에 알 수 있게 전하는가",
    },
    {
        "key": "design",
        "label": "디자인 완성도",
        "weight": 20,
        "min": 1,
        "max": 10,
        "description": "구도·색·글자 배치가 잘 읽히고 완성도가 높은가",
    },
    {
        "key": "ai_use",
        "label": "AI 활용의 적절성",
        "weight": 20,
        "min": 1,
        "max": 10,
        "description": "AI를 목적에 맞게 쓰고 사람이 한 부분이 분명한가",
    },
)
DEFAULT_AWARDS: tuple[dict[str, Any], ...] = (
    {"name": "최우수", "count": 1},
    {"name": "우수", "count": 2},
    {"name": "장려", "count": 3},
    {"name": "입선", "count": 4},
)


# The web server refuses larger uploads itself (Streamlit's server.maxUploadSize, in MB): a
# contest may not promise more than that. Streamlit reads the environment variable first.
SERVER_CONFIG = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"
SERVER_UPLOAD_ENV = "STREAMLIT_SERVER_MAX_UPLOAD_SIZE"
STREAMLIT_DEFAULT_UPLOAD_MB = 200


@cache
def server_upload_mb() -> int:
    """The largest upload the web server accepts, in MB: the one place that reads it."""
    if os.environ.get(SERVER_UPLOAD_ENV, "").strip().isdigit():
        return int(os.environ[SERVER_UPLOAD_ENV])
    try:
        config = tomllib.loads(SERVER_CONFIG.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return STREAMLIT_DEFAULT_UPLOAD_MB
    return int(config.get("server", {}).get("maxUploadSize", STREAMLIT_DEFAULT_UPLOAD_MB))


class Kind(StrEnum):
    """How a setting is entered and checked."""

    TEXT = "text"  # [low, high] characters
    TIMEZONE = "timezone"
    MOMENT = "moment"  # an aware datetime, edited in the contest's time zone
    THEMES = "themes"  # [low, high] themes, each at most THEME_CHARS long
    COUNT = "count"  # a whole number within [low, high]
    SHARE = "share"  # a fraction within [low, high]
    FLAG = "flag"
    RUBRIC = "rubric"  # [low, high] criteria; scores within SCORE_RANGE
    AWARDS = "awards"  # [low, high] tiers of at most AWARD_COUNT winners each


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


THEME_CHARS = 100  # Entry.theme's column
LABEL_CHARS = 100  # a rubric criterion's key and label, an award's name
DESCRIPTION_CHARS = 500  # what a rubric criterion asks of the judges
SCORE_RANGE = (0, 100)  # a rubric criterion's min and max lie within
AWARD_COUNT = 500  # winners in one award tier

SETTINGS: tuple[Setting, ...] = (
    Setting("name", Kind.TEXT, Group.BASICS, 1, 200),
    Setting("timezone", Kind.TIMEZONE, Group.BASICS),
    Setting("themes", Kind.THEMES, Group.BASICS, 1, 20),
    Setting("organiser", Kind.TEXT, Group.BASICS, 1, 100),
    Setting("submission_opens_at", Kind.MOMENT, Group.WINDOWS),
    Setting("submission_closes_at", Kind.MOMENT, Group.WINDOWS),
    Setting("voting_opens_at", Kind.MOMENT, Group.WINDOWS),
    Setting("voting_closes_at", Kind.MOMENT, Group.WINDOWS),
    Setting("entries_per_person", Kind.COUNT, Group.LIMITS, 1, 50),
    Setting("votes_per_voter", Kind.COUNT, Group.LIMITS, 1, 100),
    Setting("max_upload_mb", Kind.COUNT, Group.LIMITS, 1, server_upload_mb()),
    # An A1 print is ~70 MP. What a check may hold in memory is capped apart, from the header
    # (images/decode.py DECODE_BUDGET, 320 MiB): a 100 MP PNG would need 400 MB and is refused.
    Setting("max_megapixels", Kind.COUNT, Group.LIMITS, 1, 100),
    Setting("min_short_side", Kind.COUNT, Group.LIMITS, 100, 5000),
    Setting("shortlist_size", Kind.COUNT, Group.JUDGING, 1, 500),
    Setting("judge_quorum", Kind.COUNT, Group.JUDGING, 1, 50),
    Setting("jury_weight", Kind.SHARE, Group.JUDGING, 0.0, 1.0, 0.05),
    Setting("judges_exclude_own_department", Kind.FLAG, Group.JUDGING),
    Setting("rubric", Kind.RUBRIC, Group.JUDGING, 1, 20),
    Setting("award_tiers", Kind.AWARDS, Group.JUDGING, 0, 20),
    Setting("show_author_names", Kind.FLAG, Group.DISPLAY),
)
EDITABLE = frozenset(setting.name for setting in SETTINGS)
BY_NAME = {setting.name: setting for setting in SETTINGS}


def with_keys(rubric: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rubric with a stable code for every criterion an admin added without one (c1, c2…);
    codes are what saved scores are stored under, so existing ones never change."""
    taken = {str(c.get("key")) for c in rubric if c.get("key")}
    numbers = (f"c{n}" for n in range(1, len(rubric) + len(taken) + 2))
    filled = []
    for criterion in rubric:
        if not criterion.get("key"):
            criterion = {**criterion, "key": next(n for n in numbers if n not in taken)}
        filled.append(criterion)
    return filled


def zone(tz_name: str) -> ZoneInfo:
    """The named time zone, or InvalidInput (not a bare ZoneInfo error) for a page to show."""
    try:
        return ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidInput("error.contest.bad_timezone", tz=tz_name) from exc


def validate(contest: Contest) -> None:
    """Raise InvalidInput for the first setting that is out of its range or inconsistent."""
    name = BY_NAME["name"]
    if not _within(name, len(contest.name.strip())):
        raise InvalidInput("error.contest.bad_name", high=_whole(name.high))
    zone(contest.timezone)
    if not _within(BY_NAME["organiser"], len(contest.organiser.strip())):
        raise InvalidInput("error.contest.bad_organiser")
    contest.organiser = contest.organiser.strip()
    if as_utc(contest.submission_opens_at) >= as_utc(contest.submission_closes_at):
        raise InvalidInput("error.contest.bad_window", window="submission")
    if as_utc(contest.voting_opens_at) >= as_utc(contest.voting_closes_at):
        raise InvalidInput("error.contest.bad_window", window="voting")
    themes = [str(t).strip() for t in contest.themes if str(t).strip()]
    if (
        not _within(BY_NAME["themes"], len(themes))
        or len(set(themes)) != len(themes)
        or any(len(theme) > THEME_CHARS for theme in themes)
    ):
        raise InvalidInput("error.contest.bad_themes")
    contest.themes = themes
    for setting in SETTINGS:
        if setting.kind in (Kind.COUNT, Kind.SHARE):
            setattr(contest, setting.name, _check_range(setting, getattr(contest, setting.name)))
    if not _good_rubric(contest.rubric):
        raise InvalidInput("error.contest.bad_rubric")
    if not _good_awards(contest.award_tiers):
        raise InvalidInput("error.contest.bad_awards")


def _whole(value: object) -> int | None:
    """``value`` as a whole number, or None for anything else (text, bool, 2.5, NaN, inf)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _within(setting: Setting, value: float) -> bool:
    assert setting.low is not None and setting.high is not None
    return setting.low <= value <= setting.high


def _check_range(setting: Setting, value: object) -> float:
    """The value if it lies in the setting's range (a whole number for a count)."""
    if setting.kind == Kind.SHARE:
        share = (
            float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
        )
        if share is None or not math.isfinite(share) or not _within(setting, share):
            raise InvalidInput("error.contest.bad_jury_weight")
        return share
    count = _whole(value)
    if count is not None and count < 1:
        raise InvalidInput("error.contest.not_positive", field=setting.name)
    if count is None or not _within(setting, count):
        raise InvalidInput(
            "error.contest.out_of_range",
            field=setting.name,
            low=_whole(setting.low),
            high=_whole(setting.high),
        )
    return count


def _label(value: object) -> bool:
    return isinstance(value, str) and 0 < len(value.strip()) <= LABEL_CHARS


def _good_rubric(rubric: list[dict[str, Any]]) -> bool:
    if not isinstance(rubric, list) or not _within(BY_NAME["rubric"], len(rubric)):
        return False
    low, high = SCORE_RANGE
    for criterion in rubric:
        weight, least, most = (criterion.get(k) for k in ("weight", "min", "max"))
        least, most = _whole(least), _whole(most)
        if (
            not _label(criterion.get("key"))
            or not _label(criterion.get("label", criterion.get("key")))
            or len(str(criterion.get("description", ""))) > DESCRIPTION_CHARS
            or not isinstance(weight, int | float)
            or isinstance(weight, bool)
            or not math.isfinite(weight)
            or weight < 0
            or least is None
            or most is None
            or not low <= least < most <= high
        ):
            return False
    return sum(float(c["weight"]) for c in rubric) > 0


def _good_awards(tiers: list[dict[str, Any]]) -> bool:
    if not isinstance(tiers, list) or not _within(BY_NAME["award_tiers"], len(tiers)):
        return False
    for tier in tiers:
        count = _whole(tier.get("count"))
        if not _label(tier.get("name")) or count is None or not 0 <= count <= AWARD_COUNT:
            return False
    return True
