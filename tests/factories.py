"""Builders every test module shares: plain functions named for what they make.

Each test calls them itself, so a reader sees what a test starts from. Rows are written directly
where a test only reads them (``add_entry`` makes no pictures); ``submit`` goes through the real
upload pipeline. Nothing here imports streamlit (AppTest helpers live in tests/pages/support.py).
"""

from __future__ import annotations

import dataclasses
import io
import itertools
import os
import random
import time
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw
from sqlmodel import Session, func, select

from contest.accounts.passwords import hash_password
from contest.contests.manage import new_contest
from contest.contests.queries import require_current
from contest.contests.settings import DEFAULT_AWARDS, DEFAULT_RUBRIC
from contest.core.config import Settings
from contest.core.models import Contest, ContestPhase, Entry, ImageObject, Role, User, Vote
from contest.core.timeutil import utcnow
from contest.entries.submissions import EntryDraft, Receipt, submit_entry
from contest.judging import lifecycle
from contest.judging.scoring import save_score
from contest.runtime import Runtime

PASSWORD = "test-pass-2026"
TEST_SECRET = "test-secret-key-not-a-placeholder"
DATA = Path(__file__).resolve().parent / "data"
_counter = itertools.count(1)


PUBLIC_ADDRESS = "https://poster.example.go.kr"  # what production sets in CONTEST_BASE_URL


@cache
def password_hash() -> str:
    """PASSWORD hashed once per test process: argon2 is slow on purpose (~20-50 ms a hash), and
    a factory that makes a judging contest makes a dozen accounts (tests of hashing itself call
    accounts.passwords directly)."""
    return hash_password(PASSWORD)


def make_settings(tmp_path: Path, **overrides: object) -> Settings:
    """Settings for a fresh data folder under ``tmp_path``: not demo, a real secret key."""
    values: dict[str, object] = {
        "data_dir": tmp_path / "data",
        "demo": False,
        "secret_key": TEST_SECRET,
        "base_url": PUBLIC_ADDRESS,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]  # pydantic-settings checks the values


def create_user(session: Session, *, role: Role = Role.STAFF, **fields: Any) -> User:
    n = next(_counter)
    values: dict[str, Any] = {
        "employee_no": f"E{n:05d}",
        "name": f"직원{n}",
        "department": fields.pop("department", "혁신정책담당관"),
        "email": f"user{n}@incheon.go.kr",
        "role": role.value,
        "password_hash": password_hash(),
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


def awards(*counts: int) -> list[dict[str, Any]]:
    """Award tiers named as the default ones (최우수, 우수, …) with these many winners each: a
    small shortlist must hold every award place (settings.validate)."""
    return [{"name": DEFAULT_AWARDS[n]["name"], "count": c} for n, c in enumerate(counts)]


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


def submit(
    runtime: Runtime,
    author: User,
    *,
    seed: int,
    data: bytes | None = None,
    now: datetime | None = None,
    **fields: Any,
) -> Receipt:
    """Submit a poster (``data``, or one drawn from ``seed``) to the current contest, now or
    at ``now``."""
    with runtime.session() as session:
        contest = require_current(session)
        return submit_entry(
            session,
            store=runtime.store,
            indexes=runtime.indexes,
            actor=author,
            draft=draft(contest, **fields),
            data=data or poster_bytes(seed),
            now=now,
        )


def data_file(name: str) -> bytes:
    """A real image file from tests/data/ (written by tests/data/make_files.py)."""
    return (DATA / name).read_bytes()


def add_entry(session: Session, *, contest: Contest, author: User, **fields: Any) -> Entry:
    """An active entry, numbered next in its contest, with an image row but no stored pictures:
    for services that only read rows. ``fields`` override any Entry column (``number`` too)."""
    n = next(_counter)
    digest = f"{n:064x}"
    image = ImageObject(
        sha256=digest,
        original_key=f"originals/{digest[:2]}/{digest}.png",
        display_key=f"display/{digest[:2]}/{digest}.jpg",
        thumb_key=f"thumbs/{digest[:2]}/{digest}.webp",
        source_format="PNG",
        width=800,
        height=1100,
        size_bytes=1000,
        pixel_sha256=digest,
    )
    session.add(image)
    session.flush()
    number = fields.pop("number", None) or (
        (
            session.exec(select(func.max(Entry.number)).where(Entry.contest_id == contest.id)).one()
            or 0
        )
        + 1
    )
    values: dict[str, Any] = {
        "title": f"포스터 {number}",
        "theme": contest.themes[0],
        "policy": "정책",
        "ai_tools": ["Midjourney"],
        "prompt": "a poster",
        "consent_own_work": True,
        "consent_publish": True,
    }
    values.update(fields)
    entry = Entry(
        contest_id=contest.id or 0,
        author_id=author.id or 0,
        number=number,
        image_id=image.id or 0,
        **values,
    )
    session.add(entry)
    session.flush()
    return entry


def add_votes(session: Session, contest: Contest, entry: Entry, count: int) -> None:
    """``count`` votes for ``entry``, each by a new staff member (rows only, no budget check)."""
    for _ in range(count):
        voter = create_user(session)
        session.add(
            Vote(contest_id=contest.id or 0, voter_id=voter.id or 0, entry_id=entry.id or 0)
        )
    session.flush()


def contest_with_entries(
    runtime: Runtime, *, entries: int = 5, **contest_fields: Any
) -> dict[str, Any]:
    """A current contest with ``entries`` posters by one author, a voter and an admin."""
    with runtime.session() as session:
        contest = create_contest(session, **contest_fields)
        author = create_user(session, department="도시계획과")
        voter = create_user(session, department="혁신정책담당관")
        admin = create_user(session, role=Role.ADMIN)
        ids = [add_entry(session, contest=contest, author=author).id for _ in range(entries)]
    return {"contest": contest, "author": author, "voter": voter, "admin": admin, "ids": ids}


@dataclasses.dataclass
class JudgingContest:
    contest: Contest
    admin: User
    judges: list[User]
    staff: User
    entries: list[Entry]


def judging_contest(
    runtime: Runtime, votes: tuple[int, ...] = (5, 4, 3, 1), judges: int = 2, **contest: Any
) -> JudgingContest:
    """A contest in phase judging whose shortlist is every entry, one per vote count given;
    the entries are by one staff member and numbered from 1, each judge in a department of
    their own."""
    with runtime.session() as session:
        c = create_contest(session, phase=ContestPhase.VOTING_CLOSED.value, **contest)
        admin = create_user(session, role=Role.ADMIN)
        judge_users = [
            create_user(session, role=Role.JUDGE, department=f"심사부서{i}") for i in range(judges)
        ]
        staff = create_user(session)
        entries = [
            add_entry(session, contest=c, author=staff, number=n + 1) for n in range(len(votes))
        ]
        for entry, count in zip(entries, votes, strict=True):
            add_votes(session, c, entry, count)
        c.shortlist_size = len(votes)
        session.add(c)
    with runtime.session() as session:
        lifecycle.build_shortlist(session, actor=admin, contest_id=c.id or 0)
        lifecycle.lock_shortlist(session, actor=admin, contest_id=c.id or 0)
        lifecycle.open_judging(session, actor=admin, contest_id=c.id or 0)
    return JudgingContest(c, admin, judge_users, staff, entries)


def judged(
    runtime: Runtime, votes: tuple[int, ...], sheets: tuple[dict[str, int], ...], **contest: Any
) -> JudgingContest:
    """A contest in phase judging_closed: ``judging_contest`` with one judge, who gave entry n
    the score sheet ``sheets[n - 1]``."""
    s = judging_contest(runtime, votes=votes, judges=1, **contest)
    with runtime.session() as session:
        for entry, sheet in zip(s.entries, sheets, strict=True):
            save_score(session, actor=s.judges[0], entry_id=entry.id or 0, scores=sheet)
    with runtime.session() as session:
        lifecycle.close_judging(session, actor=s.admin, contest_id=s.contest.id or 0)
    return s


def sheet(creativity: int, policy: int, design: int, ai_use: int) -> dict[str, int]:
    """A score sheet on the default rubric (weights 30/30/20/20)."""
    return {"creativity": creativity, "policy": policy, "design": design, "ai_use": ai_use}


def flat_scores(x: int) -> dict[str, int]:
    """A score sheet giving ``x`` on every criterion of the default rubric (weighted mean x)."""
    return {criterion["key"]: x for criterion in DEFAULT_RUBRIC}


def user_id_of(runtime: Runtime, employee_no: str) -> int:
    """The id of the user with this employee number (the demo's are D1001, D2001, D9001...)."""
    with runtime.session() as session:
        return session.exec(select(User.id).where(User.employee_no == employee_no)).one() or 0


def demo_to_judging(runtime: Runtime, *, until: ContestPhase = ContestPhase.JUDGING) -> int:
    """The seeded demo contest moved on directly in the database: votes 3, 2, 1 on entries
    1, 2, 3 (by D1001, D1002, D9001), then the lifecycle steps up to ``until``; its id."""
    with runtime.session() as session:
        contest = require_current(session)
        entries = session.exec(
            select(Entry).where(Entry.contest_id == contest.id).order_by(Entry.number)
        ).all()
        voters = [user_id_of(runtime, no) for no in ("D1001", "D1002", "D9001")]
        for count, entry in zip((3, 2, 1), entries, strict=False):
            for voter in voters[:count]:
                session.add(
                    Vote(contest_id=contest.id or 0, voter_id=voter, entry_id=entry.id or 0)
                )
        admin = session.get(User, voters[2])
        cid = contest.id or 0
    steps = [
        (
            ContestPhase.VOTING_CLOSED,
            lambda s: lifecycle.close_voting(s, actor=admin, contest_id=cid, reason="테스트"),
        ),
        (
            ContestPhase.SHORTLISTED,
            lambda s: lifecycle.build_shortlist(s, actor=admin, contest_id=cid),
        ),
        (
            ContestPhase.SHORTLIST_LOCKED,
            lambda s: lifecycle.lock_shortlist(s, actor=admin, contest_id=cid),
        ),
        (ContestPhase.JUDGING, lambda s: lifecycle.open_judging(s, actor=admin, contest_id=cid)),
    ]
    for phase, step in steps:
        with runtime.session() as session:
            step(session)
        if phase == until:
            break
    return cid


@dataclasses.dataclass
class PublishedContest:
    """A contest walked to its published results through the services (real uploads)."""

    contest_id: int
    admin: User
    judges: list[User]
    authors: list[User]
    voters: list[User]
    entries: list[int]  # by number: 1-4 shortlisted, 5 a near-copy (disqualified), 6 withdrawn
    winners: list[int]  # entry ids awarded, best first
    snapshot_id: int


def published_contest(runtime: Runtime) -> PublishedContest:
    """Entries by four authors (one a near-copy, flagged and disqualified; one withdrawn),
    votes, a shortlist of four scored by two judges, finalised and published with two awards,
    and the certificates printed."""
    from contest.entries.moderation import disqualify_entry
    from contest.entries.submissions import withdraw_entry
    from contest.judging import publication, results, scoring
    from contest.reports.certificates import certificates_pdf
    from contest.voting.votes import cast_vote

    awards = [{"name": "최우수", "count": 1}, {"name": "우수", "count": 1}]
    with runtime.session() as session:
        contest = create_contest(
            session,
            shortlist_size=4,
            judge_quorum=1,
            votes_per_voter=4,
            award_tiers=awards,
            show_author_names=True,
        )
        admin = create_user(session, role=Role.ADMIN, name="최유진", department="총무과")
        judges = [
            create_user(session, role=Role.JUDGE, department=f"심사부서{i}") for i in range(2)
        ]
        authors = [create_user(session, department=f"출품부서{i}") for i in range(4)]
        voters = [create_user(session, department="투표부서") for _ in range(3)]
    cid = contest.id or 0
    ids = [
        submit(runtime, author, seed=7000 + i, title=f"보존 포스터 {i + 1}").entry.id or 0
        for i, author in enumerate(authors)
    ]
    copy = poster_bytes(7000, fmt="JPEG")  # the first poster again: flagged as a duplicate
    ids.append(submit(runtime, authors[3], seed=0, data=copy, title="보존 포스터 5").entry.id or 0)
    ids.append(submit(runtime, authors[2], seed=7100, title="보존 포스터 6").entry.id or 0)
    with runtime.session() as session:
        withdraw_entry(session, actor=authors[2], entry_id=ids[5])
    with runtime.session() as session:
        disqualify_entry(session, actor=admin, entry_id=ids[4], reason="복제")
    for voter in voters:
        for entry_id in ids[: 4 - voters.index(voter)]:
            with runtime.session() as session:
                cast_vote(session, actor=voter, entry_id=entry_id)
    steps = (
        lambda s: lifecycle.close_voting(s, actor=admin, contest_id=cid, reason="보존 시험"),
        lambda s: lifecycle.build_shortlist(s, actor=admin, contest_id=cid),
        lambda s: lifecycle.lock_shortlist(s, actor=admin, contest_id=cid),
        lambda s: lifecycle.open_judging(s, actor=admin, contest_id=cid),
    )
    for step in steps:
        with runtime.session() as session:
            step(session)
    for judge in judges:
        for n, entry_id in enumerate(ids[:4]):
            with runtime.session() as session:
                scoring.save_score(
                    session, actor=judge, entry_id=entry_id, scores=flat_scores(9 - n)
                )
    with runtime.session() as session:
        lifecycle.close_judging(session, actor=admin, contest_id=cid)
    with runtime.session() as session:
        snapshot = results.finalise(session, actor=admin, contest_id=cid)
    with runtime.session() as session:
        publication.publish(session, actor=admin, contest_id=cid, snapshot_id=snapshot.id or 0)
    with runtime.session() as session:
        certificates_pdf(session, actor=admin, contest_id=cid)
    winners = [row["entry_id"] for row in snapshot.payload["table"] if row["award"]]
    return PublishedContest(cid, admin, judges, authors, voters, ids, winners, snapshot.id or 0)


def age_objects(folder: Path, hours: float = 48) -> None:
    """Make every object of a local store under ``folder`` look written ``hours`` ago (the purge
    and gc leave objects written within their grace period)."""
    moment = time.time() - hours * 3600
    for path in folder.rglob("*"):
        if path.is_file():
            os.utime(path, (moment, moment))
