"""A contest is data: windows, limits, themes, rubric and awards, editable by an admin."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session, col, select

from contest.core import audit
from contest.core.authz import require_admin
from contest.core.errors import InvalidInput, NotFound, WindowClosed
from contest.core.models import Contest, User
from contest.core.timeutil import as_utc, format_local, utcnow

DEFAULT_TIMEZONE = "Asia/Seoul"
SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")  # ASCII only: it goes into URLs and files
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
# Settings an admin may change with update_settings; anything else is refused.
EDITABLE = frozenset(
    {
        "name",
        "timezone",
        "submission_opens_at",
        "submission_closes_at",
        "voting_opens_at",
        "voting_closes_at",
        "themes",
        "entries_per_person",
        "votes_per_voter",
        "max_upload_mb",
        "max_megapixels",
        "min_short_side",
        "show_author_names",
        "shortlist_size",
        "rubric",
        "award_tiers",
        "jury_weight",
        "judge_quorum",
        "judges_exclude_own_department",
    }
)


def zone(tz_name: str) -> ZoneInfo:
    """The named time zone, or InvalidInput (not a bare ZoneInfo error) for a page to show."""
    try:
        return ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidInput("error.contest.bad_timezone", tz=tz_name) from exc


def local_datetime(year: int, month: int, day: int, clock: time, tz_name: str) -> datetime:
    return datetime.combine(datetime(year, month, day).date(), clock, tzinfo=zone(tz_name))


def default_windows(year: int, tz_name: str = DEFAULT_TIMEZONE) -> dict[str, datetime]:
    """13 October 00:00 to 24 October 23:59:59 in the contest's zone, for both windows."""
    opens = local_datetime(year, 10, 13, time(0, 0), tz_name)
    closes = local_datetime(year, 10, 24, time(23, 59, 59), tz_name)
    return {
        "submission_opens_at": opens,
        "submission_closes_at": closes,
        "voting_opens_at": opens,
        "voting_closes_at": closes,
    }


def _validate(contest: Contest) -> None:
    zone(contest.timezone)
    if as_utc(contest.submission_opens_at) >= as_utc(contest.submission_closes_at):
        raise InvalidInput("error.contest.bad_window", window="submission")
    if as_utc(contest.voting_opens_at) >= as_utc(contest.voting_closes_at):
        raise InvalidInput("error.contest.bad_window", window="voting")
    themes = [t.strip() for t in contest.themes if t.strip()]
    if not themes or len(set(themes)) != len(themes):
        raise InvalidInput("error.contest.bad_themes")
    contest.themes = themes
    positive = (
        "entries_per_person",
        "votes_per_voter",
        "max_upload_mb",
        "max_megapixels",
        "min_short_side",
        "shortlist_size",
        "judge_quorum",
    )
    for name in positive:
        if int(getattr(contest, name)) < 1:
            raise InvalidInput("error.contest.not_positive", field=name)
    if not 0.0 <= contest.jury_weight <= 1.0:
        raise InvalidInput("error.contest.bad_jury_weight")
    if not contest.rubric or sum(float(c["weight"]) for c in contest.rubric) <= 0:
        raise InvalidInput("error.contest.bad_rubric")
    for criterion in contest.rubric:
        if not criterion.get("key") or int(criterion["min"]) >= int(criterion["max"]):
            raise InvalidInput("error.contest.bad_rubric")
    if any(int(tier["count"]) < 0 or not str(tier["name"]).strip() for tier in contest.award_tiers):
        raise InvalidInput("error.contest.bad_awards")


def new_contest(*, name: str, year: int, slug: str, **overrides: Any) -> Contest:
    """A contest with this project's defaults; ``overrides`` replace any of them."""
    values: dict[str, Any] = {
        "timezone": DEFAULT_TIMEZONE,
        "themes": list(DEFAULT_THEMES),
        "rubric": [dict(c) for c in DEFAULT_RUBRIC],
        "award_tiers": [dict(a) for a in DEFAULT_AWARDS],
        **default_windows(year, overrides.get("timezone", DEFAULT_TIMEZONE)),
    }
    values.update(overrides)
    contest = Contest(name=name.strip(), year=year, slug=slug.strip().lower(), **values)
    _validate(contest)
    return contest


def create_contest(
    session: Session,
    *,
    actor: User | None,
    name: str,
    year: int,
    slug: str,
    make_current: bool = False,
    **overrides: Any,
) -> Contest:
    admin = require_admin(actor)
    if not name.strip() or not SLUG_RE.match(slug.strip().lower()):
        raise InvalidInput("error.contest.bad_name_or_slug")
    if session.exec(select(Contest).where(Contest.slug == slug.strip().lower())).first():
        raise InvalidInput("error.contest.slug_taken", slug=slug)
    contest = new_contest(name=name, year=year, slug=slug, **overrides)
    session.add(contest)
    session.flush()
    audit.record(
        session,
        actor=admin,
        action="contest.create",
        contest_id=contest.id,
        target_type="contest",
        target_id=contest.id,
        details={"slug": contest.slug},
    )
    if make_current:
        set_current(session, actor=admin, contest_id=contest.id or 0)
    return contest


def update_settings(
    session: Session, *, actor: User | None, contest_id: int, changes: dict[str, Any]
) -> Contest:
    admin = require_admin(actor)
    unknown = set(changes) - EDITABLE
    if unknown:
        raise InvalidInput("error.contest.unknown_setting", names=", ".join(sorted(unknown)))
    contest = get_contest(session, contest_id)
    before = {k: getattr(contest, k) for k in changes}
    for key, value in changes.items():
        setattr(contest, key, value)
    _validate(contest)
    session.add(contest)
    audit.record(
        session,
        actor=admin,
        action="contest.update",
        contest_id=contest.id,
        target_type="contest",
        target_id=contest.id,
        details={"before": _jsonable(before), "after": _jsonable(changes)},
    )
    return contest


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in values.items()}


def set_current(session: Session, *, actor: User | None, contest_id: int) -> Contest:
    """Exactly one contest is current: the one the gallery, uploads and votes use."""
    admin = require_admin(actor)
    contest = get_contest(session, contest_id)
    for other in session.exec(select(Contest).where(col(Contest.is_current))).all():
        other.is_current = False
        session.add(other)
    session.flush()
    contest.is_current = True
    session.add(contest)
    audit.record(
        session,
        actor=admin,
        action="contest.set_current",
        contest_id=contest.id,
        target_type="contest",
        target_id=contest.id,
    )
    return contest


def get_contest(session: Session, contest_id: int) -> Contest:
    contest = session.get(Contest, contest_id)
    if contest is None:
        raise NotFound(what=f"contest {contest_id}")
    return contest


def current_contest(session: Session) -> Contest | None:
    return session.exec(select(Contest).where(col(Contest.is_current))).first()


def require_current(session: Session) -> Contest:
    contest = current_contest(session)
    if contest is None:
        raise NotFound("error.contest.none_current")
    return contest


def list_contests(session: Session) -> Sequence[Contest]:
    return session.exec(select(Contest).order_by(col(Contest.year).desc(), col(Contest.id))).all()


@dataclass(frozen=True)
class Window:
    opens_at: datetime
    closes_at: datetime  # the last second that is still inside

    def contains(self, moment: datetime) -> bool:
        return (
            as_utc(self.opens_at) <= as_utc(moment) < as_utc(self.closes_at) + timedelta(seconds=1)
        )


def submission_window(contest: Contest) -> Window:
    return Window(contest.submission_opens_at, contest.submission_closes_at)


def voting_window(contest: Contest) -> Window:
    return Window(contest.voting_opens_at, contest.voting_closes_at)


def ensure_open(contest: Contest, window: Window, key: str, now: datetime | None = None) -> None:
    """Raise WindowClosed (``key``: error.submission_closed / error.voting_closed) outside it."""
    if not window.contains(now or utcnow()):
        raise WindowClosed(
            key,
            opens=format_local(window.opens_at, contest.timezone),
            closes=format_local(window.closes_at, contest.timezone),
        )
