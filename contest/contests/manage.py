"""A contest is data: windows, limits, themes, rubric and awards, editable by an admin."""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from contest.contests.changes import Change, details, differences, normal_values
from contest.contests.freezes import LATE_CHANGE, frozen, permits
from contest.contests.published import refuse_while_published
from contest.contests.queries import get_contest
from contest.contests.settings import (
    DEFAULT_AWARDS,
    DEFAULT_RUBRIC,
    DEFAULT_THEMES,
    DEFAULT_TIMEZONE,
    EDITABLE,
    SETTINGS,
    field_name,
    validate,
)
from contest.contests.windows import default_windows
from contest.core import audit
from contest.core.authz import require_admin
from contest.core.db import begin_write, lock_row
from contest.core.errors import InvalidInput, InvalidState, NotFound
from contest.core.i18n import phrase
from contest.core.models import Contest, User
from contest.core.timeutil import utcnow

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


def planned_changes(
    contest: Contest, changes: Mapping[str, Any], now: datetime
) -> tuple[Change, ...]:
    """What saving ``changes`` would really change in ``contest`` (compared in normal form),
    late ones flagged; refuses unknown, invalid or inconsistent values and a frozen setting
    moved in a way its freeze does not allow. ``contest`` itself is left as it is."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise InvalidInput("error.contest.unknown_setting", names=", ".join(sorted(unknown)))
    locks = {s.name: lock for s in SETTINGS if (lock := frozen(contest, s, now))}
    draft = Contest(**copy.deepcopy(contest.model_dump()))
    for key, value in changes.items():
        setattr(draft, key, value)
    validate(draft, changed=())  # each value in range, and in the form it is stored in
    found = differences(normal_values(contest), normal_values(draft), late=locks)
    validate(draft, changed={change.name for change in found})
    for change in found:
        lock = locks.get(change.name)
        if lock is not None and not permits(lock, change.before, change.after):
            raise InvalidState(
                "error.settings.frozen", setting=field_name(change.name), why=lock.why()
            )
    return found


@dataclass(frozen=True)
class SettingsSaved:
    contest: Contest
    changes: tuple[Change, ...]  # empty: nothing differed, nothing was recorded

    @property
    def late(self) -> tuple[Change, ...]:
        return tuple(change for change in self.changes if change.late)


def update_settings(
    session: Session,
    *,
    actor: User | None,
    contest_id: int,
    changes: Mapping[str, Any],
    reason: str = "",
    now: datetime | None = None,
) -> SettingsSaved:
    """Save the settings an admin sent (the form sends every one). Only what differs is saved
    and audited, before and after; a save that changes nothing records nothing. A frozen
    setting (contests/freezes.py) is refused, or, where its freeze allows the change, needs a
    reason and is recorded as a late change."""
    admin = require_admin(actor)
    begin_write(session)
    contest = lock_row(session, Contest, contest_id)
    if contest is None:
        raise NotFound(what=phrase("thing.contest"))
    found = planned_changes(contest, changes, now or utcnow())
    late = [change for change in found if change.late]
    if late and not reason.strip():
        raise InvalidInput(
            "error.settings.late_reason", names=tuple(field_name(c.name) for c in late)
        )
    if not found:
        return SettingsSaved(contest, ())
    refuse_while_published(session, contest, settings=frozenset(c.name for c in found))
    for key, value in changes.items():
        setattr(contest, key, value)
    validate(contest, changed={change.name for change in found})
    session.add(contest)
    audit.record(
        session,
        actor=admin,
        action=LATE_CHANGE if late else "contest.update",
        contest_id=contest.id,
        target_type="contest",
        target_id=contest.id,
        reason=reason.strip(),
        details=details(found),
    )
    return SettingsSaved(contest, found)


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
