"""A contest is data: windows, limits, themes, rubric and awards, editable by an admin."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from contest.contests.published import moved_results, refuse_while_published
from contest.contests.queries import get_contest
from contest.contests.settings import (
    DEFAULT_AWARDS,
    DEFAULT_RUBRIC,
    DEFAULT_THEMES,
    DEFAULT_TIMEZONE,
    EDITABLE,
    validate,
)
from contest.contests.windows import default_windows
from contest.core import audit
from contest.core.authz import require_admin
from contest.core.errors import InvalidInput
from contest.core.models import Contest, User

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")  # ASCII only: it goes into URLs and files


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
    validate(contest)
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
    refuse_while_published(session, contest, settings=moved_results(before, changes))
    for key, value in changes.items():
        setattr(contest, key, value)
    validate(contest)
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
