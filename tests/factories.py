"""Plain factory functions: each test says what it makes."""

from __future__ import annotations

import io
import itertools
import random
from datetime import timedelta
from typing import Any

from PIL import Image, ImageDraw
from sqlmodel import Session

from contest.accounts.passwords import hash_password
from contest.contests.manage import new_contest
from contest.contests.queries import require_current
from contest.core.models import Contest, Role, User
from contest.core.timeutil import utcnow
from contest.entries.submissions import EntryDraft, Receipt, submit_entry
from contest.runtime import Runtime

PASSWORD = "test-pass-2026"
_counter = itertools.count(1)


def create_user(session: Session, *, role: Role = Role.STAFF, **fields: Any) -> User:
    n = next(_counter)
    values: dict[str, Any] = {
        "employee_no": f"E{n:05d}",
        "name": f"직원{n}",
        "department": fields.pop("department", "혁신정책담당관"),
        "email": f"user{n}@incheon.go.kr",
        "role": role.value,
        "password_hash": hash_password(PASSWORD),
        "must_change_password": False,
    }
    values.update(fields)
    user = User(**values)
    session.add(user)
    session.flush()
    return user


def create_contest(session: Session, *, current: bool = True, **overrides: Any) -> Contest:
    """A contest whose submission and voting windows are open now, unless overridden."""
    now = utcnow()
    n = next(_counter)
    values: dict[str, Any] = {
        "submission_opens_at": now - timedelta(days=1),
        "submission_closes_at": now + timedelta(days=1),
        "voting_opens_at": now - timedelta(days=1),
        "voting_closes_at": now + timedelta(days=1),
        "is_current": current,
    }
    values.update(overrides)
    contest = new_contest(name=f"대회 {n}", year=now.year, slug=f"test-{n}", **values)
    session.add(contest)
    session.flush()
    return contest


def poster_bytes(seed: int, size: tuple[int, int] = (800, 1100), fmt: str = "PNG") -> bytes:
    """A poster-like picture, different for every seed."""
    rng = random.Random(seed)
    image = Image.new("RGB", size, tuple(rng.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x0, y0 = rng.randrange(size[0]), rng.randrange(size[1])
        x1, y1 = x0 + rng.randrange(40, 400), y0 + rng.randrange(40, 400)
        fill = tuple(rng.randrange(256) for _ in range(3))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)((x0, y0, x1, y1), fill=fill)
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def draft(contest: Contest, **fields: Any) -> EntryDraft:
    values: dict[str, Any] = {
        "title": "바다가 가까운 도시",
        "theme": contest.themes[0],
        "policy": "해양친수도시",
        "description": "시민 곁의 바다",
        "ai_tools": ("Midjourney",),
        "prompt": "bright poster of Incheon harbour",
        "human_part": "문구",
        "consent_own_work": True,
        "consent_publish": True,
    }
    values.update(fields)
    return EntryDraft(**values)


def submit(runtime: Runtime, author: User, *, seed: int, **fields: Any) -> Receipt:
    """Submit a poster to the current contest as ``author``."""
    with runtime.session() as session:
        contest = require_current(session)
        return submit_entry(
            session,
            store=runtime.store,
            indexes=runtime.indexes,
            actor=author,
            draft=draft(contest, **fields),
            data=poster_bytes(seed),
        )
