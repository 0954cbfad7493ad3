"""Sign-in throttling that slows a guesser without handing anyone a way to lock out a colleague.

Every attempt is counted before its password is checked, twice: for the account from this
client address, and for the account as a whole.

- From one address, an account has PAIR_FREE free failures, then waits 30 s, 1 min, 2 min, ...
  up to 15 min after each further failure. Another address (the colleague at their own desk) is
  not held up by it.
- Across all addresses an account has ACCOUNT_FREE free failures, and one address adds at most
  its PAIR_FREE to that count: it takes ten addresses guessing at once to make the account wait
  for everyone. Admins see such a lock on the users page and lift it (``lift``).
- A count is forgotten an hour after its last failure (the row is purged); a right password
  clears the account's counts for that address and as a whole.

A login that names nobody is counted exactly like a real account (under the SHA-256 of its
normalised text), so neither the answer nor the moment of a lock tells whether it exists.
Counting first, in its own short write transaction, makes parallel guesses queue on one row:
once the free failures are used, no further guess is checked at all.
"""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, case, delete, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, func, select

from contest.core.errors import TooManyAttempts
from contest.core.models import SignInThrottle, User
from contest.core.timeutil import as_utc

PAIR_FREE = 5
ACCOUNT_FREE = 50
FIRST_LOCK = timedelta(seconds=30)
MAX_LOCK = timedelta(minutes=15)
FORGET = timedelta(hours=1)
PURGE_BATCH = 1000  # stale rows forgotten with each new count: more than are ever made per count
_ANY_ADDRESS = ""


def login_key(login: str) -> str:
    """The one form of a typed login that is matched and counted: full-width and other
    compatibility characters folded (NFKC), spaces trimmed, lower case."""
    return unicodedata.normalize("NFKC", login).strip().lower()


def account_of(user: User | None, login: str) -> str:
    """What attempts are counted under: the account, or for a login that names nobody its
    normalised text's hash (never the text)."""
    if user is not None:
        return f"user:{user.id}"
    return "login:" + hashlib.sha256(login_key(login).encode()).hexdigest()


def lock_duration(failures: int, free: int = PAIR_FREE) -> timedelta:
    """Nothing for the first ``free`` failures, then 30 s, 1 min, 2 min, ... at most 15 min."""
    if failures < free:
        return timedelta(0)
    doublings = min(failures - free, 16)  # beyond MAX_LOCK anyway; no overflow
    lock: timedelta = FIRST_LOCK * 2**doublings
    return min(lock, MAX_LOCK)


def _address(address: str) -> str:
    """A client address as stored: its hash (the count needs no more of it)."""
    return hashlib.sha256(f"address:{address}".encode()).hexdigest()


def _key(account: str, address: str) -> str:
    return hashlib.sha256(f"{account}\0{address}".encode()).hexdigest()


def _unlocked(now: datetime) -> ColumnElement[bool]:
    locked = col(SignInThrottle.locked_until)
    return or_(locked.is_(None), locked <= now)


def _bump(session: Session, account: str, address: str, step: int, now: datetime) -> int | None:
    """Add ``step`` failures to a count (a new one, or one forgotten, starts at ``step``); the
    count, or None while it is locked (then nothing is added)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    failures = col(SignInThrottle.failed_logins)
    stale = col(SignInThrottle.last_failed_at) < now - FORGET
    statement = (
        insert(SignInThrottle)
        .values(
            key=_key(account, address),
            account=account,
            address=address,
            failed_logins=step,
            last_failed_at=now,
        )
        .on_conflict_do_update(
            index_elements=[col(SignInThrottle.key)],
            set_={
                "failed_logins": case((stale, step), else_=failures + step),
                "last_failed_at": now,
            },
            where=_unlocked(now),
        )
        .returning(failures)
    )
    count: int | None = session.execute(statement).scalar_one_or_none()
    return count


def _lock(session: Session, account: str, address: str, until: datetime) -> None:
    session.execute(
        update(SignInThrottle)
        .where(col(SignInThrottle.key) == _key(account, address))
        .values(locked_until=until)
        .execution_options(synchronize_session=False)
    )


def _refuse(session: Session, account: str, now: datetime) -> TooManyAttempts:
    until = session.execute(
        select(func.max(col(SignInThrottle.locked_until))).where(
            col(SignInThrottle.account) == account
        )
    ).scalar_one()
    session.rollback()
    waited = (as_utc(until) - now).total_seconds() if until is not None else 0
    return TooManyAttempts(seconds=int(waited) + 1)


def count_attempt(session: Session, *, account: str, address: str, now: datetime) -> None:
    """Count one attempt on ``account`` from ``address`` as a failure, in its own write
    transaction, before its password is checked; TooManyAttempts while either count is locked.

    The first statement writes, so SQLite takes its write lock (waiting its turn) instead of
    failing to upgrade a read; PostgreSQL queues parallel attempts on the rows, always in the
    same order (this address, then the account)."""
    pair = _address(address)
    from_here = _bump(session, account, pair, 1, now)
    if from_here is None:
        raise _refuse(session, account, now)
    overall = _bump(session, account, _ANY_ADDRESS, int(from_here <= PAIR_FREE), now)
    if overall is None:
        raise _refuse(session, account, now)
    counts = ((pair, from_here, PAIR_FREE), (_ANY_ADDRESS, overall, ACCOUNT_FREE))
    for address_key, failures, free in counts:
        if lock := lock_duration(failures, free):
            _lock(session, account, address_key, now + lock)
    if from_here == 1:  # a new count: forget stale ones (a purge per new row outpaces new rows)
        purge(session, now)
    session.commit()


def clear(session: Session, *, account: str, address: str) -> None:
    """A right password: this address's count and the account's overall count start again."""
    session.execute(
        delete(SignInThrottle)
        .where(
            col(SignInThrottle.key).in_(
                [_key(account, _address(address)), _key(account, _ANY_ADDRESS)]
            )
        )
        .execution_options(synchronize_session=False)
    )


def purge(session: Session, now: datetime) -> int:
    """Forget up to PURGE_BATCH counts whose last failure is more than FORGET ago (their locks,
    at most MAX_LOCK, have ended by then); how many rows went. Rows another attempt holds are
    skipped (PostgreSQL: SKIP LOCKED), so two purges at once never wait on each other."""
    stale = (
        select(col(SignInThrottle.key))
        .where(col(SignInThrottle.last_failed_at) < now - FORGET)
        .limit(PURGE_BATCH)
        .with_for_update(skip_locked=True)
    )
    result = session.execute(
        delete(SignInThrottle)
        .where(col(SignInThrottle.key).in_(stale.scalar_subquery()))
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def lift(session: Session, *, account: str) -> int:
    """Every count and lock of ``account``, from every address, gone (an admin's decision)."""
    result = session.execute(
        delete(SignInThrottle)
        .where(col(SignInThrottle.account) == account)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def locks(session: Session, now: datetime) -> dict[str, datetime]:
    """Until when each locked account is locked (as a whole, or from some address)."""
    rows = session.execute(
        select(col(SignInThrottle.account), func.max(col(SignInThrottle.locked_until)))
        .where(col(SignInThrottle.locked_until) > now)
        .group_by(col(SignInThrottle.account))
    ).all()
    return {account: as_utc(until) for account, until in rows}
