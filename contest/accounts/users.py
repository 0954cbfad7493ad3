"""Users, sign-in, roles and passwords. Roster import lives in roster.py."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Update, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, func, or_, select

from contest.accounts.passwords import (
    hash_password,
    one_time_password,
    password_problem,
    verify_password,
)
from contest.accounts.remember import end_sign_ins
from contest.core import audit, pseudonyms
from contest.core.authz import require_admin, require_staff
from contest.core.db import finish_reading
from contest.core.errors import (
    AuthFailed,
    InvalidInput,
    NotFound,
    PermissionDenied,
    TooManyAttempts,
)
from contest.core.i18n import LANGUAGES
from contest.core.models import Role, UnknownLogin, User
from contest.core.timeutil import as_utc, utcnow

FREE_ATTEMPTS = 5
MAX_LOCK = timedelta(minutes=15)
# Verified against when the login names nobody, so both paths cost one argon2 verify.
_DUMMY_HASH = hash_password("not-a-real-password")


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(what=f"user {user_id}")
    return user


def active_user(session: Session, user_id: int) -> User | None:
    """The user a sign-in names, if the account still exists and is active."""
    user = session.get(User, user_id)
    return user if user is not None and user.is_active else None


def find_by_login(session: Session, login: str) -> User | None:
    """A login is an employee number or an e-mail address."""
    login = login.strip()
    return session.exec(
        select(User).where(
            or_(col(User.employee_no) == login, func.lower(User.email) == login.lower())
        )
    ).first()


def lock_duration(failed_logins: int) -> timedelta:
    """Exponential back-off after the free attempts: 30 s, 1 min, 2 min, ... 15 min."""
    if failed_logins < FREE_ATTEMPTS:
        return timedelta(0)
    doublings = min(failed_logins - FREE_ATTEMPTS, 16)  # beyond MAX_LOCK anyway; no overflow
    return min(timedelta(seconds=30 * 2**doublings), MAX_LOCK)


def _unknown_key(login: str) -> str:
    """What the attempts on a login that names nobody are counted under (never the text)."""
    return hashlib.sha256(login.strip().lower().encode()).hexdigest()


def _count_attempt(session: Session, user: User | None, login: str, now: datetime) -> None:
    """Count this attempt as a failure before the password is checked, in its own short write
    transaction; raise TooManyAttempts while the account (or unknown login) is locked.

    Counting first makes parallel guesses queue on one row: N guesses count N, and once the
    count reaches the lock no further guess is checked at all. A right password clears the
    count afterwards. The count is one statement for a real account and for an unknown login
    alike (an UPDATE, an upsert), and it is the transaction's first, so SQLite takes its write
    lock (waiting its turn) instead of failing to upgrade a read.
    """
    table: type[User] | type[UnknownLogin]
    if user is not None:
        table, row = User, col(User.id) == user.id
        counted: Update | postgresql.Insert | sqlite.Insert = (
            update(User)
            .where(row, _unlocked(User, now))
            .values(failed_logins=col(User.failed_logins) + 1)
        )
    else:
        key = _unknown_key(login)
        table, row = UnknownLogin, col(UnknownLogin.key) == key
        counted = _upsert(session, key, now)
    count = session.execute(
        counted.returning(col(table.failed_logins)).execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    if count is None:
        until = session.execute(select(col(table.locked_until)).where(row)).scalar_one()
        session.rollback()
        raise TooManyAttempts(seconds=int((as_utc(until) - now).total_seconds()) + 1)
    lock = lock_duration(count)
    if lock:
        session.execute(
            update(table)
            .where(row)
            .values(locked_until=now + lock)
            .execution_options(synchronize_session=False)
        )
    session.commit()


def _unlocked(table: type[User] | type[UnknownLogin], now: datetime) -> ColumnElement[bool]:
    locked = col(table.locked_until)
    return or_(locked.is_(None), locked <= now)


def _upsert(session: Session, key: str, now: datetime) -> postgresql.Insert | sqlite.Insert:
    """Count a failure for an unknown login: a new row with 1, or 1 more unless locked."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return (
        insert(UnknownLogin)
        .values(key=key, failed_logins=1)
        .on_conflict_do_update(
            index_elements=[col(UnknownLogin.key)],
            set_={"failed_logins": col(UnknownLogin.failed_logins) + 1},
            where=_unlocked(UnknownLogin, now),
        )
    )


def authenticate(
    session: Session, *, login: str, password: str, now: datetime | None = None
) -> User:
    """The user a login and password name, or AuthFailed / TooManyAttempts.

    Unknown logins, inactive accounts and accounts without a password take the same path as a
    wrong password (counted, locked, one argon2 verify), so neither the answer nor its time
    tells whether an employee number exists. No transaction is open during the verify.
    """
    now = now or utcnow()
    user = find_by_login(session, login)
    finish_reading(session)  # counting starts a transaction of its own
    _count_attempt(session, user, login, now)
    usable = user is not None and user.is_active and bool(user.password_hash)
    stored = user.password_hash if user is not None and usable else _DUMMY_HASH
    if not verify_password(stored, password) or user is None or not usable:
        raise AuthFailed()
    session.execute(
        update(User)
        .where(col(User.id) == user.id)
        .values(failed_logins=0, locked_until=None)
        .execution_options(synchronize_session=False)
    )
    set_committed_value(user, "failed_logins", 0)
    set_committed_value(user, "locked_until", None)
    return user


def user_for_oidc_email(session: Session, email: str | None) -> User:
    """Match an identity provider's e-mail claim to the roster; never create an account."""
    if not email:
        raise AuthFailed("error.oidc.no_email")
    user = session.exec(select(User).where(func.lower(User.email) == email.strip().lower())).first()
    if user is None or not user.is_active:
        raise AuthFailed("error.oidc.unknown_email", email=email)
    return user


def change_password(session: Session, *, actor: User | None, current: str, new: str) -> User:
    """Replace the signed-in user's own password; returns the updated user."""
    user = get_user(session, require_staff(actor).id or 0)
    if not verify_password(user.password_hash, current):
        raise AuthFailed("error.password.current_wrong")
    if new == current:
        raise InvalidInput("error.password.same")
    problem = password_problem(new, employee_no=user.employee_no)
    if problem:
        raise InvalidInput(problem)
    user.password_hash = hash_password(new)
    user.must_change_password = False
    session.add(user)
    end_sign_ins(session, user)  # the caller signs this session in again with the new epoch
    audit.record(
        session, actor=user, action="password.change", target_type="user", target_id=user.id
    )
    return user


def create_admin(
    session: Session, *, employee_no: str, name: str, department: str, email: str, password: str
) -> User:
    """The first admin, from the shell. Later admins are promoted in the browser."""
    problem = password_problem(password, employee_no=employee_no)
    if problem:
        raise InvalidInput(problem)
    existing = find_by_login(session, employee_no) or find_by_login(session, email)
    user = existing or User(
        employee_no=employee_no, name=name, department=department, email=email.lower()
    )
    user.role = Role.ADMIN.value
    user.password_hash = hash_password(password)
    user.must_change_password = False
    user.is_active = True
    session.add(user)
    session.flush()
    end_sign_ins(session, user)
    audit.record(
        session,
        actor=None,
        action="user.create_admin",
        target_type="user",
        target_id=user.id,
        details={"employee_no": employee_no},
    )
    return user


def list_users(session: Session, *, actor: User | None, search: str = "") -> Sequence[User]:
    require_admin(actor)
    query = (
        select(User)
        .where(col(User.email).not_like(f"%@{pseudonyms.DOMAIN}"))  # nobody to manage
        .order_by(col(User.department), col(User.name))
    )
    if search:
        like = f"%{search.strip()}%"
        query = query.where(
            col(User.name).like(like)
            | col(User.employee_no).like(like)
            | col(User.department).like(like)
            | col(User.email).like(like)
        )
    return session.exec(query).all()


def set_role(
    session: Session,
    *,
    actor: User | None,
    user_id: int,
    role: Role,
    reason: str = "",
    details: Mapping[str, Any] | None = None,
) -> User:
    """Give ``user_id`` another role, audited from -> to with the reason (and ``details``, e.g.
    the poster a judge was appointed for); the same role again changes and records nothing.
    Who may become a judge or admin while they have a poster in the contest is decided above
    this (judging/entrants.py), which then calls this."""
    admin = require_admin(actor)
    user = get_user(session, user_id)
    if user.id == admin.id and role != Role.ADMIN:
        raise PermissionDenied("error.user.cannot_demote_self")
    before = user.role
    if Role(role).value == before:
        return user
    user.role = Role(role).value
    session.add(user)
    end_sign_ins(session, user)
    audit.record(
        session,
        actor=admin,
        action="user.set_role",
        target_type="user",
        target_id=user.id,
        reason=reason.strip(),
        details={"from": before, "to": user.role, **(details or {})},
    )
    return user


def set_active(
    session: Session, *, actor: User | None, user_id: int, active: bool, reason: str = ""
) -> User:
    admin = require_admin(actor)
    user = get_user(session, user_id)
    if user.id == admin.id:
        raise PermissionDenied("error.user.cannot_deactivate_self")
    changed = user.is_active != active
    user.is_active = active
    session.add(user)
    if changed:
        end_sign_ins(session, user)
    audit.record(
        session,
        actor=admin,
        action="user.activate" if active else "user.deactivate",
        target_type="user",
        target_id=user.id,
        reason=reason,
    )
    return user


def reset_password(session: Session, *, actor: User | None, user_id: int) -> str:
    """Issue a new one-time password; the caller shows it to the admin exactly once."""
    admin = require_admin(actor)
    user = get_user(session, user_id)
    password = one_time_password()
    user.password_hash = hash_password(password)
    user.must_change_password = True
    user.failed_logins = 0
    user.locked_until = None
    session.add(user)
    end_sign_ins(session, user)
    audit.record(
        session, actor=admin, action="user.reset_password", target_type="user", target_id=user.id
    )
    return password


def set_language(session: Session, *, actor: User | None, language: str) -> User:
    """Keep the signed-in user's language, so every browser they sign in from speaks it."""
    user = get_user(session, require_staff(actor).id or 0)
    if language not in LANGUAGES:
        raise InvalidInput("error.invalid_input", detail=language)
    user.language = language
    session.add(user)
    return user
