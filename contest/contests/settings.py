"""A contest's settings, listed once: what an admin may change, each setting's range, when it
freezes, and the checks a contest must pass before it is saved. The settings form is built from
SETTINGS; contests/freezes.py says whether a setting is frozen now, from its ``freezes``."""

from __future__ import annotations

import math
import os
import tomllib
from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from contest.contests.freezes import Allowed, Freeze, Stage
from contest.contests.rules import TIE_BREAKS
from contest.core.dates import Moment
from contest.core.errors import InvalidInput
from contest.core.i18n import Phrase, phrase
from contest.core.models import Contest, OfficialsEntering
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


# The web server refuses larger uploads itself (Streamlit's server.maxUploadSize, in MB), in
# English and only in a tooltip. A contest's own limit stays at most half of it
# (contest_upload_cap_mb), so a file up to twice over the contest's limit still reaches the app,
# which explains the limit in the user's language. Streamlit reads the environment first.
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


def contest_upload_cap_mb() -> int:
    """The highest upload limit a contest may set: half what the server takes."""
    return server_upload_mb() // 2


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
    CHOICE = "choice"  # one of ``choices``


class Group(StrEnum):
    """Where a setting sits on the settings screen."""

    BASICS = "basics"
    WINDOWS = "windows"
    LIMITS = "limits"
    JUDGING = "judging"
    DISPLAY = "display"
    PRIVACY = "privacy"


@dataclass(frozen=True)
class Setting:
    name: str  # the Contest field; its label is the string "contest.<name>"
    kind: Kind
    group: Group
    low: float | None = None
    high: float | None = None
    step: float | None = None
    freezes: Freeze | None = None  # None: it may change at any time (every change is audited)
    choices: tuple[str, ...] = ()  # a CHOICE's values; each is labelled "contest.<name>.<value>"


THEME_CHARS = 100  # Entry.theme's column
LABEL_CHARS = 100  # a rubric criterion's key and label, an award's name
DESCRIPTION_CHARS = 500  # what a rubric criterion asks of the judges
SCORE_RANGE = (0, 100)  # a rubric criterion's min and max lie within
AWARD_COUNT = 500  # winners in one award tier

# When each setting starts to matter, as an auditor would ask: the rules people entered and
# voted under hold from their window's opening (limits may then only loosen, windows only
# extend); what decides the ranking holds from the moment the judges see the shortlist.
SUBMITTING = Freeze(Stage.SUBMISSIONS)
SUBMITTING_LATER = Freeze(Stage.SUBMISSIONS, Allowed.LATER)
SUBMITTING_MORE = Freeze(Stage.SUBMISSIONS, Allowed.MORE)
SUBMITTING_FEWER = Freeze(Stage.SUBMISSIONS, Allowed.FEWER)
SUBMITTING_ADDED = Freeze(Stage.SUBMISSIONS, Allowed.ADDED)
VOTING = Freeze(Stage.VOTING)
VOTING_LATER = Freeze(Stage.VOTING, Allowed.LATER)
VOTING_MORE = Freeze(Stage.VOTING, Allowed.MORE)
SHORTLISTED = Freeze(Stage.SHORTLIST)
JUDGING = Freeze(Stage.JUDGING)
ENTERING = tuple(OfficialsEntering)

SETTINGS: tuple[Setting, ...] = (
    Setting("name", Kind.TEXT, Group.BASICS, 1, 200),
    Setting("timezone", Kind.TIMEZONE, Group.BASICS, freezes=SUBMITTING),
    Setting("themes", Kind.THEMES, Group.BASICS, 1, 20, freezes=SUBMITTING_ADDED),
    Setting("organiser", Kind.TEXT, Group.BASICS, 1, 100),
    Setting("submission_opens_at", Kind.MOMENT, Group.WINDOWS, freezes=SUBMITTING),
    Setting("submission_closes_at", Kind.MOMENT, Group.WINDOWS, freezes=SUBMITTING_LATER),
    Setting("voting_opens_at", Kind.MOMENT, Group.WINDOWS, freezes=VOTING),
    Setting("voting_closes_at", Kind.MOMENT, Group.WINDOWS, freezes=VOTING_LATER),
    Setting("entries_per_person", Kind.COUNT, Group.LIMITS, 1, 50, freezes=SUBMITTING_MORE),
    Setting("votes_per_voter", Kind.COUNT, Group.LIMITS, 1, 100, freezes=VOTING_MORE),
    Setting(
        "max_upload_mb",
        Kind.COUNT,
        Group.LIMITS,
        1,
        contest_upload_cap_mb(),
        freezes=SUBMITTING_MORE,
    ),
    # An A1 print is ~70 MP. What a check may hold in memory is capped apart, from the header
    # (images/decode.py DECODE_BUDGET, 320 MiB): a 100 MP PNG would need 400 MB and is refused.
    Setting("max_megapixels", Kind.COUNT, Group.LIMITS, 1, 100, freezes=SUBMITTING_MORE),
    Setting("min_short_side", Kind.COUNT, Group.LIMITS, 100, 5000, freezes=SUBMITTING_FEWER),
    Setting("shortlist_size", Kind.COUNT, Group.JUDGING, 1, 500, freezes=SHORTLISTED),
    Setting("judge_quorum", Kind.COUNT, Group.JUDGING, 1, 50, freezes=JUDGING),
    Setting("jury_weight", Kind.SHARE, Group.JUDGING, 0.0, 1.0, 0.05, freezes=JUDGING),
    Setting("judges_exclude_own_department", Kind.FLAG, Group.JUDGING, freezes=JUDGING),
    Setting("officials_entering", Kind.CHOICE, Group.JUDGING, freezes=SUBMITTING, choices=ENTERING),
    Setting("rubric", Kind.RUBRIC, Group.JUDGING, 1, 20, freezes=JUDGING),
    Setting("award_tiers", Kind.AWARDS, Group.JUDGING, 0, 20, freezes=JUDGING),
    Setting("tie_break", Kind.CHOICE, Group.JUDGING, freezes=JUDGING, choices=tuple(TIE_BREAKS)),
    Setting("shared_awards", Kind.FLAG, Group.JUDGING, freezes=JUDGING),
    Setting("show_author_names", Kind.FLAG, Group.DISPLAY),
    Setting("winners_named", Kind.FLAG, Group.DISPLAY),
    Setting("share_making_default", Kind.FLAG, Group.DISPLAY),
    # Days the records of people are kept after publication (privacy/retention.py): a month at
    # least (objections to the results), ten years at most.
    Setting("retention_days", Kind.COUNT, Group.PRIVACY, 30, 3650),
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


def validate(contest: Contest, changed: Collection[str] | None = None) -> None:
    """Raise InvalidInput for the first setting that is out of its range, then for settings
    that are each fine but contradict each other. ``changed``: the settings a save changes;
    a contradiction is refused when the save touches one of its settings (a contest saved
    before a check existed stays editable in everything else), always when None (a new one)."""
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
        value = getattr(contest, setting.name)
        if setting.kind in (Kind.COUNT, Kind.SHARE):
            setattr(contest, setting.name, _check_range(setting, value))
        if setting.kind == Kind.CHOICE:
            if value not in setting.choices:
                raise InvalidInput("error.contest.bad_choice", field=field_name(setting.name))
            setattr(contest, setting.name, str(value))
    if not _good_rubric(contest.rubric):
        raise InvalidInput("error.contest.bad_rubric")
    if not _good_awards(contest.award_tiers):
        raise InvalidInput("error.contest.bad_awards")
    _consistent(contest, changed)


def award_places(tiers: list[dict[str, Any]]) -> int:
    """How many awards the tiers hand out in all (before ties)."""
    return sum(int(tier["count"]) for tier in tiers)


def _consistent(contest: Contest, changed: Collection[str] | None) -> None:
    """Settings that contradict each other, each with its own message."""

    def touched(*names: str) -> bool:
        return changed is None or any(name in changed for name in names)

    closes, opens = as_utc(contest.voting_closes_at), as_utc(contest.submission_opens_at)
    if touched("voting_closes_at", "submission_opens_at") and closes <= opens:
        raise InvalidInput(
            "error.contest.voting_before_entries",
            voting_closes=Moment(contest.voting_closes_at, contest.timezone),
            submission_opens=Moment(contest.submission_opens_at, contest.timezone),
        )
    places = award_places(contest.award_tiers)
    if touched("shortlist_size", "award_tiers") and contest.shortlist_size < places:
        raise InvalidInput(
            "error.contest.shortlist_below_awards", size=contest.shortlist_size, places=places
        )
    names = [str(tier["name"]).strip() for tier in contest.award_tiers]
    if touched("award_tiers") and len(set(names)) != len(names):
        raise InvalidInput("error.contest.award_names_repeat")


def field_name(name: str) -> Phrase:
    """A setting's label, said in the reader's language."""
    return phrase(f"contest.{name}")


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
        raise InvalidInput("error.contest.not_positive", field=field_name(setting.name))
    if count is None or not _within(setting, count):
        raise InvalidInput(
            "error.contest.out_of_range",
            field=field_name(setting.name),
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
    keys = [str(c["key"]).strip() for c in rubric]
    return len(set(keys)) == len(keys) and sum(float(c["weight"]) for c in rubric) > 0


def _good_awards(tiers: list[dict[str, Any]]) -> bool:
    if not isinstance(tiers, list) or not _within(BY_NAME["award_tiers"], len(tiers)):
        return False
    for tier in tiers:
        count = _whole(tier.get("count"))
        if not _label(tier.get("name")) or count is None or not 0 <= count <= AWARD_COUNT:
            return False
    return True
