"""Sign-in throttling (accounts/throttle.py) on both databases: one form of a login for
matching and counting, a guesser slowed per account and address without locking a colleague
out, a lock an admin sees and lifts, and counts that are forgotten."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest
from sqlmodel import col, func, select

from contest.accounts import throttle
from contest.accounts import users as accounts
from contest.accounts.views import users_view
from contest.core.errors import AuthFailed, PermissionDenied, TooManyAttempts
from contest.core.models import AuditEvent, Role, SignInThrottle, User
from contest.core.timeutil import utcnow
from contest.runtime import Runtime
from tests.factories import PASSWORD, create_user

GUESSER, DESK = "198.51.100.7", "10.20.30.40"


def attempt(runtime: Runtime, login: str, password: str, address: str, now: datetime) -> str:
    """One sign-in: "in", "failed" or "locked"."""
    try:
        with runtime.session() as session:
            accounts.authenticate(session, login=login, password=password, address=address, now=now)
    except TooManyAttempts:
        return "locked"
    except AuthFailed:
        return "failed"
    return "in"


def rows(runtime: Runtime) -> int:
    with runtime.session() as session:
        return session.exec(select(func.count()).select_from(SignInThrottle)).one()


def test_a_login_is_matched_and_counted_in_one_form(any_runtime: Runtime) -> None:
    """Five wrong tries on E12345, then one on e12345: a real number and an unknown one answer
    alike (both locked). Before, unknown logins were counted lower-cased and real ones matched
    case-sensitively, so the sixth answer told which numbers exist."""
    with any_runtime.session() as session:
        create_user(session, employee_no="E12345")
    now = utcnow()
    for number in ("E12345", "E54321"):  # a real one, then one that names nobody
        answers = [
            attempt(any_runtime, number, "wrong-guess-1", GUESSER, now)
            for _ in range(throttle.PAIR_FREE)
        ]
        answers.append(attempt(any_runtime, number.lower(), "wrong-guess-2", GUESSER, now))
        assert answers == ["failed"] * throttle.PAIR_FREE + ["locked"], number
    later = now + timedelta(hours=2)
    for login in ("e12345", " Ｅ１２３４５ ", "E12345"):  # any case, full-width, spaces
        assert attempt(any_runtime, login, PASSWORD, DESK, later) == "in", login


def test_a_guesser_does_not_lock_a_colleague_at_another_address(any_runtime: Runtime) -> None:
    """However long one address guesses (a try each time its lock ends, ten hours long), the
    colleague at their own desk signs in at once: one address adds at most its free tries to
    the account's own count."""
    with any_runtime.session() as session:
        create_user(session, employee_no="200200")
    now = utcnow()
    for _ in range(throttle.PAIR_FREE):
        assert attempt(any_runtime, "200200", "wrong-guess-3", GUESSER, now) == "failed"
    for _ in range(40):
        assert attempt(any_runtime, "200200", "wrong-guess-4", GUESSER, now) == "locked"
        now += throttle.MAX_LOCK
        assert attempt(any_runtime, "200200", "wrong-guess-4", GUESSER, now) == "failed"
    assert attempt(any_runtime, "200200", PASSWORD, DESK, now) == "in"
    assert attempt(any_runtime, "200200", PASSWORD, GUESSER, now) == "locked"


def test_many_addresses_lock_the_account_and_an_admin_sees_and_lifts_it(
    any_runtime: Runtime,
) -> None:
    with any_runtime.session() as session:
        user = create_user(session, employee_no="300301")
        admin = create_user(session, role=Role.ADMIN)
        staff = create_user(session)
    now = utcnow()
    addresses = [f"203.0.113.{n}" for n in range(throttle.ACCOUNT_FREE // throttle.PAIR_FREE)]
    for address in addresses:  # a distributed guesser: each address its free tries
        for _ in range(throttle.PAIR_FREE):
            assert attempt(any_runtime, "300301", "wrong-guess-5", address, now) == "failed"
    assert attempt(any_runtime, "300301", PASSWORD, DESK, now) == "locked"
    with any_runtime.session() as session:
        view = users_view(session, actor=admin, now=now)
        assert view.locked[user.id or 0] == now + throttle.FIRST_LOCK
        assert staff.id not in view.locked
        with pytest.raises(PermissionDenied):
            accounts.lift_lock(session, actor=staff, user_id=user.id or 0)
    with any_runtime.session() as session:
        accounts.lift_lock(session, actor=admin, user_id=user.id or 0)
    with any_runtime.session() as session:
        assert users_view(session, actor=admin, now=now).locked == {}
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "user.unlock")).one()
        assert (event.actor_id, event.target_id) == (admin.id, user.id)
    assert attempt(any_runtime, "300301", PASSWORD, DESK, now) == "in"


def test_an_address_with_no_header_is_counted_apart_from_named_ones(
    any_runtime: Runtime,
) -> None:
    with any_runtime.session() as session:
        create_user(session, employee_no="400401")
    now = utcnow()
    for _ in range(throttle.PAIR_FREE):
        attempt(any_runtime, "400401", "wrong-guess-6", "", now)
    assert attempt(any_runtime, "400401", "wrong-guess-6", "", now) == "locked"
    assert attempt(any_runtime, "400401", PASSWORD, DESK, now) == "in"


def test_counts_are_forgotten_and_purged_alike_for_real_and_unknown_logins(
    any_runtime: Runtime,
) -> None:
    """An hour after its last failure a count is gone, a real account's as an unknown login's
    (answers stay alike), and its row with it: a client trying millions of logins no longer
    leaves a row for each forever."""
    with any_runtime.session() as session:
        create_user(session, employee_no="500501")
    now = utcnow()
    for n in range(200):  # 200 logins that name nobody: two rows each (counted as at sign-in)
        with any_runtime.session() as session:
            account = throttle.account_of(None, f"nobody-{n}")
            throttle.count_attempt(session, account=account, address=GUESSER, now=now)
    for login in ("500501", "nobody-0"):
        for _ in range(throttle.PAIR_FREE - 1):
            attempt(any_runtime, login, "wrong-guess-7", GUESSER, now)
    assert rows(any_runtime) == 2 * 201
    later = now + throttle.FORGET + timedelta(seconds=1)
    for login in ("500501", "nobody-0"):  # free tries again, for both
        answers = [
            attempt(any_runtime, login, "wrong-guess-8", GUESSER, later)
            for _ in range(throttle.PAIR_FREE)
        ]
        assert answers == ["failed"] * throttle.PAIR_FREE, login
    assert rows(any_runtime) == 4  # the rest was purged with the first new count


def test_a_reset_password_clears_the_counts(any_runtime: Runtime) -> None:
    with any_runtime.session() as session:
        user = create_user(session, employee_no="600601")
        admin = create_user(session, role=Role.ADMIN)
    now = utcnow()
    for _ in range(throttle.PAIR_FREE):
        attempt(any_runtime, "600601", "wrong-guess-9", GUESSER, now)
    with any_runtime.session() as session:
        password = accounts.reset_password(session, actor=admin, user_id=user.id or 0)
    assert attempt(any_runtime, "600601", password, GUESSER, now) == "in"
    with any_runtime.session() as session:
        assert session.get(User, user.id) is not None


def test_parallel_new_counts_purge_without_waiting_on_each_other(any_runtime: Runtime) -> None:
    """Twenty logins at once, each a new count that purges stale rows: every purge skips the
    rows another holds (PostgreSQL: SKIP LOCKED), so none deadlocks and all answer alike."""
    long_ago = utcnow() - throttle.FORGET - timedelta(minutes=5)
    for n in range(300):
        with any_runtime.session() as session:
            account = throttle.account_of(None, f"stale-{n}")
            throttle.count_attempt(session, account=account, address=GUESSER, now=long_ago)
    now, start = utcnow(), threading.Barrier(20)

    def one(n: int) -> str:
        start.wait()
        return attempt(any_runtime, f"someone-{n}", "wrong-guess", f"198.51.100.{n}", now)

    with ThreadPoolExecutor(20) as pool:
        answers = list(pool.map(one, range(20)))
    assert answers == ["failed"] * 20
    with any_runtime.session() as session:
        stale = session.exec(
            select(func.count())
            .select_from(SignInThrottle)
            .where(col(SignInThrottle.last_failed_at) < now - throttle.FORGET)
        ).one()
    assert stale == 0 and rows(any_runtime) == 2 * 20
