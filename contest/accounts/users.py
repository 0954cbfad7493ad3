"""Users, sign-in, roles and passwords. Roster import lives in roster.py."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, func, or_, select

from contest.accounts.passwords import (
    hash_password,
    one_time_password,
    password_problem,
    verify_password,
)
from contest.accounts.remember import end_sign_ins
from contest.accounts.throttle import account_of, clear, count_attempt, lift, login_key
from contest.contests.rules import typed
from contest.core import audit, pseudonyms
from contest.core.authz import require_admin, require_staff
from contest.core.db import finish_reading
from contest.core.errors import AuthFailed, InvalidInput, NotFound, PermissionDenied
from contest.core.i18n import LANGUAGES, phrase
from contest.core.models import Role, User
from contest.core.timeutil import utcnow

# Verified against when the login names nobody, so both paths cost one argon2 verify.
_DUMMY_HASH = hash_password("not-a-real-password")


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(what=phrase("thing.user"))
    return user


def active_user(session: Session, user_id: int) -> User | None:
    """The user a sign-in names, if the account still exists and is active."""
    user = session.get(User, user_id)
    return user if user is not None and user.is_active else None


def find_by_login(session: Session, login: str) -> User | None:
    """A login is an employee number or an e-mail address, matched in the one form they are
    also counted in (throttle.login_key): case and full-width characters make no difference."""
    key = login_key(login)
    return session.exec(
        select(User)
        .where(or_(func.lower(User.employee_no) == key, func.lower(User.email) == key))
        .order_by(col(User.id))
    ).first()


def authenticate(
    session: Session,
    *,
    login: str,
    password: str,
    address: str = "",
    now: datetime | None = None,
) -> User:
    """The user a login and password name, or AuthFailed / TooManyAttempts (InvalidInput for
    an empty form).

    ``address`` is the client's (ui/client.py), counted with the account (accounts/throttle.py).
    Unknown logins, inactive accounts and accounts without a password take the same path as a
    wrong password (counted, locked, one argon2 verify), so neither the answer nor its time
    tells whether an employee number exists. No transaction is open during the verify.
    """
    if not login.strip() or not password:
        raise InvalidInput("error.auth_empty")  # nothing to check: not counted as an attempt
    now = now or utcnow()
    user = find_by_login(session, login)
    account = account_of(user, login)
    finish_reading(session)  # counting starts a transaction of its own
    count_attempt(session, account=account, address=address, now=now)
    usable = user is not None and user.is_active and bool(user.password_hash)
    stored = user.password_hash if user is not None and usable else _DUMMY_HASH
    if not verify_password(stored, password) or user is None or not usable:
        raise AuthFailed()
    clear(session, account=account, address=address)
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
    fields = {"employee_no": employee_no, "name": name, "department": department, "email": email}
    for field, value in fields.items():
        typed(field, value, required=True)
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
    search = typed("search", search)
    query = (
        select(User)
        .where(col(User.email).not_like(f"%@{pseudonyms.DOMAIN}"))  # nobody to manage
        .order_by(col(User.department), col(User.name))
    )
    if search:
        like = f"%{search}%"
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
    reason = typed("reason", reason)
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
    session.add(user)
    lift(session, account=account_of(user, ""))
    end_sign_ins(session, user)
    audit.record(
        session, actor=admin, action="user.reset_password", target_type="user", target_id=user.id
    )
    return password


def lift_lock(session: Session, *, actor: User | None, user_id: int) -> User:
    """Let ``user_id`` sign in again at once: their failed sign-ins are forgotten, from every
    address (a guesser's lock on a colleague, seen on the users page)."""
    admin = require_admin(actor)
    user = get_user(session, user_id)
    lifted = lift(session, account=account_of(user, ""))
    audit.record(
        session,
        actor=admin,
        action="user.unlock",
        target_type="user",
        target_id=user.id,
        details={"counts": lifted},
    )
    return user


def set_language(session: Session, *, actor: User | None, language: str) -> User:
    """Keep the signed-in user's language, so every browser they sign in from speaks it."""
    user = get_user(session, require_staff(actor).id or 0)
    if language not in LANGUAGES:
        raise InvalidInput("error.invalid_input", detail=language)
    user.language = language
    session.add(user)
    return user
