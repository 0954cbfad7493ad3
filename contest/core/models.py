"""Database tables. Times are stored in UTC (see timeutil.UTCDateTime).

Every schema change needs an alembic migration under contest/migrations/versions.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from contest.core.timeutil import UTCDateTime, utcnow


def _utc(*, now: bool = False, nullable: bool = False, index: bool = False) -> Any:
    """A UTC timestamp column; ``now`` fills it with the current time on insert."""
    column: sa.Column[datetime] = sa.Column(UTCDateTime(), nullable=nullable, index=index)
    if now:
        return Field(default_factory=utcnow, sa_column=column)
    return Field(default=None, sa_column=column) if nullable else Field(sa_column=column)


def _json(default_factory: Any = dict) -> Any:
    return Field(default_factory=default_factory, sa_column=sa.Column(sa.JSON, nullable=False))


class Role(StrEnum):
    STAFF = "staff"
    JUDGE = "judge"
    ADMIN = "admin"


class EntryStatus(StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"
    HIDDEN = "hidden"
    DISQUALIFIED = "disqualified"


class ContestPhase(StrEnum):
    """Lifecycle after the windows: see judging.py for the guarded transitions."""

    OPEN = "open"
    VOTING_CLOSED = "voting_closed"
    SHORTLISTED = "shortlisted"
    SHORTLIST_LOCKED = "shortlist_locked"
    JUDGING = "judging"
    JUDGING_CLOSED = "judging_closed"
    FINALISED = "finalised"


class OfficialsEntering(StrEnum):
    """A contest's rule for judges and admins who enter it (contests/settings.py)."""

    ALLOWED = "allowed"  # they may enter; a judge never scores their own poster
    RECUSE = "recuse"  # they may enter; a judge with a poster in the shortlist scores none of it
    FORBIDDEN = "forbidden"  # judges and admins cannot enter; an entrant cannot become one


class FlagLevel(StrEnum):
    DUPLICATE = "duplicate"
    SIMILAR = "similar"


class FlagStatus(StrEnum):
    OPEN = "open"
    DISMISSED = "dismissed"
    CONFIRMED = "confirmed"


class Contest(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=64, unique=True, index=True)
    name: str = Field(max_length=200)
    year: int
    timezone: str = Field(default="Asia/Seoul", max_length=64)
    submission_opens_at: datetime = _utc()
    submission_closes_at: datetime = _utc()
    voting_opens_at: datetime = _utc()
    voting_closes_at: datetime = _utc()
    themes: list[str] = _json(list)
    entries_per_person: int = 3
    votes_per_voter: int = 3
    max_upload_mb: int = 20
    max_megapixels: int = 50
    min_short_side: int = 600
    show_author_names: bool = False
    is_current: bool = Field(default=False, index=True)
    is_demo: bool = False
    phase: str = Field(default=ContestPhase.OPEN.value, max_length=32)
    shortlist_size: int = 20
    rubric: list[dict[str, Any]] = _json(list)
    award_tiers: list[dict[str, Any]] = _json(list)
    jury_weight: float = 0.8
    judge_quorum: int = 3
    judges_exclude_own_department: bool = False
    officials_entering: str = Field(default=OfficialsEntering.RECUSE.value, max_length=16)
    # A tie on the final score: the criteria tried in turn (contests/rules.py TIE_BREAKS), then
    # the admin's recorded decision; tied posters share an award only where the office says so.
    tie_break: str = Field(default="jury_votes", max_length=16)
    shared_awards: bool = False
    # The winners page names the winners (name and department), as an office announces them.
    winners_named: bool = True
    organiser: str = Field(default="인천광역시장", max_length=100)  # who awards the certificates
    # Publishing is its own step after finalising: the snapshot everyone sees, and since when.
    published_snapshot_id: int | None = None
    published_at: datetime | None = _utc(nullable=True)
    # The exhibition in city hall: while public (switch on and inside the dates), a poster's QR
    # code opens its public page without sign-in (contests/windows.py exhibition_open).
    exhibition_public: bool = False
    exhibition_opens_at: datetime | None = _utc(nullable=True)
    exhibition_closes_at: datetime | None = _utc(nullable=True)
    # Whether the poster form's "share how I made it" box starts ticked (the office decides).
    share_making_default: bool = True
    # Personal data of the contest is kept this many days after publication, then purged
    # (privacy/retention.py owns the date; privacy/purge.py the purge, once: purged_at).
    retention_days: int = 365
    purged_at: datetime | None = _utc(nullable=True)
    created_at: datetime = _utc(now=True)


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    employee_no: str = Field(max_length=32, unique=True, index=True)
    name: str = Field(max_length=100)
    department: str = Field(max_length=200)
    email: str = Field(max_length=254, unique=True, index=True)
    role: str = Field(default=Role.STAFF.value, max_length=16)
    password_hash: str | None = Field(default=None, max_length=255)
    must_change_password: bool = True
    is_active: bool = True
    language: str | None = Field(default=None, max_length=8)  # None: as the browser chose
    # Part of every stay-signed-in signature and remembered by every open session: raising it
    # (sign-out, password change or reset, role change, deactivation) ends them all.
    session_epoch: int = 0
    created_at: datetime = _utc(now=True)


class SignInThrottle(SQLModel, table=True):
    """Failed sign-ins counted for one account (``address`` "") or for one account from one
    client address, a real account and a login that names nobody alike (accounts/throttle.py).
    A row is forgotten an hour after its last failure."""

    __tablename__ = "sign_in_throttle"

    key: str = Field(primary_key=True, max_length=64)  # sha256 of account and address
    account: str = Field(max_length=80, index=True)  # "user:<id>" or "login:<sha256>"
    address: str = Field(default="", max_length=64)  # sha256 of the client address, "" for all
    failed_logins: int = 0
    locked_until: datetime | None = _utc(nullable=True)
    last_failed_at: datetime = _utc(index=True)


class ObjectRemoval(SQLModel, table=True):
    """An object gc has decided to remove and is removing now (entries/garbage.py): no row may
    start referring to it meanwhile (entries/objects.hold_objects)."""

    __tablename__ = "object_removal"

    key: str = Field(primary_key=True, max_length=512)
    started_at: datetime = _utc()


class ImageObject(SQLModel, table=True):
    """One uploaded picture and its derived copies, under content-addressed keys."""

    __tablename__ = "image_object"

    id: int | None = Field(default=None, primary_key=True)
    sha256: str = Field(max_length=64, index=True)
    original_key: str = Field(max_length=300)
    display_key: str = Field(max_length=300)
    thumb_key: str = Field(max_length=300)
    source_format: str = Field(max_length=16)
    width: int
    height: int
    size_bytes: int
    pixel_sha256: str = Field(max_length=64, index=True)
    hashes: dict[str, Any] = _json(dict)
    # What the file said about its making before its metadata was dropped
    # (images/provenance/record.py); None for an image stored before it was read.
    provenance: dict[str, Any] | None = Field(
        default=None, sa_column=sa.Column(sa.JSON, nullable=True)
    )
    uploaded_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = _utc(now=True)


class Entry(SQLModel, table=True):
    __table_args__ = (sa.UniqueConstraint("contest_id", "number", name="uq_entry_number"),)

    id: int | None = Field(default=None, primary_key=True)
    contest_id: int = Field(foreign_key="contest.id", index=True)
    author_id: int = Field(foreign_key="user.id", index=True)
    number: int
    title: str = Field(max_length=200)
    theme: str = Field(max_length=100)
    policy: str = Field(max_length=300)
    description: str = Field(default="", max_length=2000)
    ai_tools: list[str] = _json(list)
    ai_tools_other: str = Field(default="", max_length=300)
    prompt: str = Field(default="", max_length=4000)
    human_part: str = Field(default="", max_length=2000)
    consent_own_work: bool = False
    consent_publish: bool = False
    # The author lets colleagues see how the poster was made (prompt, own work).
    share_making: bool = False
    image_id: int = Field(foreign_key="image_object.id")
    status: str = Field(default=EntryStatus.ACTIVE.value, max_length=16, index=True)
    status_reason: str = Field(default="", max_length=1000)
    created_at: datetime = _utc(now=True)
    updated_at: datetime = _utc(now=True)


class DuplicateFlag(SQLModel, table=True):
    __tablename__ = "duplicate_flag"
    __table_args__ = (sa.UniqueConstraint("entry_id", "other_entry_id", name="uq_flag_pair"),)

    id: int | None = Field(default=None, primary_key=True)
    contest_id: int = Field(foreign_key="contest.id", index=True)
    entry_id: int = Field(foreign_key="entry.id", index=True)
    other_entry_id: int = Field(foreign_key="entry.id", index=True)
    level: str = Field(max_length=16)
    distance: float
    evidence: dict[str, Any] = _json(dict)
    cross_author: bool
    status: str = Field(default=FlagStatus.OPEN.value, max_length=16, index=True)
    decided_by: int | None = Field(default=None, foreign_key="user.id")
    decided_at: datetime | None = _utc(nullable=True)
    reason: str = Field(default="", max_length=1000)
    created_at: datetime = _utc(now=True)


class Vote(SQLModel, table=True):
    """A vote that currently counts. Retracted or voided votes are removed (see VoteEvent).
    ``voter_id`` is None once the contest's personal data was purged: the vote still counts."""

    __table_args__ = (sa.UniqueConstraint("voter_id", "entry_id", name="uq_vote_voter_entry"),)

    id: int | None = Field(default=None, primary_key=True)
    contest_id: int = Field(foreign_key="contest.id", index=True)
    voter_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    entry_id: int = Field(foreign_key="entry.id", index=True)
    created_at: datetime = _utc(now=True)


class VoteEvent(SQLModel, table=True):
    """Append-only record of every cast, retraction and void, with its time (``voter_id`` None
    after the purge, as on Vote)."""

    __tablename__ = "vote_event"

    id: int | None = Field(default=None, primary_key=True)
    contest_id: int = Field(foreign_key="contest.id", index=True)
    voter_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    entry_id: int = Field(foreign_key="entry.id", index=True)
    kind: str = Field(max_length=16)
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    reason: str = Field(default="", max_length=1000)
    at: datetime = _utc(now=True, index=True)


class ShortlistItem(SQLModel, table=True):
    __tablename__ = "shortlist_item"
    __table_args__ = (sa.UniqueConstraint("contest_id", "entry_id", name="uq_shortlist_entry"),)

    id: int | None = Field(default=None, primary_key=True)
    contest_id: int = Field(foreign_key="contest.id", index=True)
    entry_id: int = Field(foreign_key="entry.id")
    source: str = Field(max_length=16)
    reason: str = Field(default="", max_length=1000)
    added_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = _utc(now=True)


class JudgeScore(SQLModel, table=True):
    __tablename__ = "judge_score"
    __table_args__ = (sa.UniqueConstraint("judge_id", "entry_id", name="uq_score_judge_entry"),)

    id: int | None = Field(default=None, primary_key=True)
    contest_id: int = Field(foreign_key="contest.id", index=True)
    judge_id: int = Field(foreign_key="user.id", index=True)
    entry_id: int = Field(foreign_key="entry.id", index=True)
    scores: dict[str, Any] = _json(dict)
    comment: str = Field(default="", max_length=2000)
    conflict: bool = False
    conflict_reason: str = Field(default="", max_length=1000)
    updated_at: datetime = _utc(now=True)


class ResultSnapshot(SQLModel, table=True):
    """A frozen, hashed copy of the results and every input they came from."""

    __tablename__ = "result_snapshot"

    id: int | None = Field(default=None, primary_key=True)
    contest_id: int = Field(foreign_key="contest.id", index=True)
    created_by: int | None = Field(default=None, foreign_key="user.id")
    content_hash: str = Field(max_length=64)
    payload: dict[str, Any] = _json(dict)
    created_at: datetime = _utc(now=True)


class CertificateNumber(SQLModel, table=True):
    """A certificate number (제 2026-4 호) of the contest's ledger: issued once, to one winner for
    one award, and never reused. Finalising again keeps the numbers of winners whose award did
    not change; a number whose winner lost or changed its award is voided, with why."""

    __tablename__ = "certificate_number"
    __table_args__ = (sa.UniqueConstraint("contest_id", "serial", name="uq_certificate_serial"),)

    id: int | None = Field(default=None, primary_key=True)
    contest_id: int = Field(foreign_key="contest.id", index=True)
    serial: int  # the n of 제 {year}-{n} 호
    entry_id: int = Field(foreign_key="entry.id", index=True)
    award: str = Field(max_length=100)
    snapshot_id: int = Field(foreign_key="result_snapshot.id")  # the record that issued it
    issued_at: datetime = _utc(now=True)
    voided_at: datetime | None = _utc(nullable=True)
    voided_snapshot_id: int | None = Field(default=None, foreign_key="result_snapshot.id")
    void_kind: str = Field(default="", max_length=16)  # award_changed | not_awarded
    void_note: str = Field(default="", max_length=1000)  # the re-finalisation's reason


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    contest_id: int | None = Field(default=None, foreign_key="contest.id", index=True)
    actor_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    action: str = Field(max_length=64, index=True)
    target_type: str = Field(default="", max_length=32)
    target_id: int | None = None
    reason: str = Field(default="", max_length=1000)
    details: dict[str, Any] = _json(dict)
    at: datetime = _utc(now=True, index=True)


class DisplayLink(SQLModel, table=True):
    """A read-only kiosk screen for one exhibition zone (a theme), reached by a secret link.

    Only the token's SHA-256 is kept: the link is shown once, when an admin makes it.
    """

    __tablename__ = "display_link"

    id: int | None = Field(default=None, primary_key=True)
    contest_id: int = Field(foreign_key="contest.id", index=True)
    theme: str = Field(max_length=100)
    token_sha256: str = Field(max_length=64, unique=True, index=True)
    seconds: int = 15  # how long each poster stays on screen
    show_winners: bool = True  # once the winners are published, show them instead
    created_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = _utc(now=True)
    revoked_at: datetime | None = _utc(nullable=True)
    revoked_by: int | None = Field(default=None, foreign_key="user.id")
