"""Sign-in, lock-out, passwords, admins and roles, and the OIDC e-mail mapping."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest
from sqlmodel import Session, func, select

from contest.accounts import throttle
from contest.accounts import users as accounts
from contest.accounts.passwords import hash_password
from contest.core.errors import AuthFailed, InvalidInput, PermissionDenied, TooManyAttempts
from contest.core.models import AuditEvent, Role, SignInThrottle, User
from contest.core.timeutil import utcnow
from contest.runtime import Runtime
from tests.factories import PASSWORD, create_user

NEW_PASSWORD = "harbour-view-2027"


def _count_users(session: Session) -> int:
    return session.exec(select(func.count()).select_from(User)).one()


def _sign_in(runtime: Runtime, login: str, password: str, **kwargs: object) -> User:
    with runtime.session() as session:
        return accounts.authenticate(session, login=login, password=password, **kwargs)  # type: ignore[arg-type]


def test_passwords_are_argon2_hashes(runtime: Runtime) -> None:
    with runtime.session() as session:
        user = create_user(session)
    assert user.password_hash is not None
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    assert hash_password(PASSWORD) != user.password_hash  # salted


def test_sign_in_by_employee_number_or_email(any_runtime: Runtime) -> None:
    with any_runtime.session() as session:
        user = create_user(session, employee_no="2026123", email="kim.minjun@incheon.go.kr")
    assert _sign_in(any_runtime, "2026123", PASSWORD).id == user.id
    assert _sign_in(any_runtime, " 2026123 ", PASSWORD).id == user.id
    assert _sign_in(any_runtime, "kim.minjun@incheon.go.kr", PASSWORD).id == user.id
    assert _sign_in(any_runtime, "Kim.MinJun@INCHEON.go.kr", PASSWORD).id == user.id


def test_wrong_password_and_unknown_login_fail_alike(runtime: Runtime) -> None:
    with runtime.session() as session:
        create_user(session, employee_no="300300")
    with pytest.raises(AuthFailed) as wrong:
        _sign_in(runtime, "300300", "not-the-password-1")
    with pytest.raises(AuthFailed) as unknown:
        _sign_in(runtime, "999999", PASSWORD)
    assert wrong.value.key == unknown.value.key == "error.auth_failed"
    assert type(wrong.value) is type(unknown.value) is AuthFailed


def test_repeated_failures_lock_with_growing_delay(runtime: Runtime) -> None:
    with runtime.session() as session:
        create_user(session, employee_no="400400")
    now = utcnow()
    for _ in range(throttle.PAIR_FREE - 1):
        with pytest.raises(AuthFailed) as caught:
            _sign_in(runtime, "400400", "wrong-password-1", now=now)
        assert not isinstance(caught.value, TooManyAttempts)
    with pytest.raises(AuthFailed):  # the fifth failure starts a 30 s lock
        _sign_in(runtime, "400400", "wrong-password-1", now=now)
    with pytest.raises(TooManyAttempts) as locked:
        _sign_in(runtime, "400400", PASSWORD, now=now + timedelta(seconds=1))
    assert 25 <= locked.value.params["seconds"] <= 31
    # After the lock, one more failure locks for longer (60 s).
    later = now + timedelta(seconds=31)
    with pytest.raises(AuthFailed):
        _sign_in(runtime, "400400", "wrong-password-1", now=later)
    with pytest.raises(TooManyAttempts) as longer:
        _sign_in(runtime, "400400", PASSWORD, now=later + timedelta(seconds=1))
    assert longer.value.params["seconds"] > locked.value.params["seconds"]
    assert 55 <= longer.value.params["seconds"] <= 61
    assert throttle.lock_duration(50) == throttle.MAX_LOCK
    # Once the lock is over, the right password works and clears the counts.
    _sign_in(runtime, "400400", PASSWORD, now=later + timedelta(seconds=61))
    with runtime.session() as session:
        assert session.exec(select(SignInThrottle)).all() == []


def test_success_resets_the_failure_count(runtime: Runtime) -> None:
    with runtime.session() as session:
        create_user(session, employee_no="500500")
    now = utcnow()
    for _ in range(throttle.PAIR_FREE - 1):
        with pytest.raises(AuthFailed):
            _sign_in(runtime, "500500", "wrong-password-1", now=now)
    _sign_in(runtime, "500500", PASSWORD, now=now)
    for _ in range(throttle.PAIR_FREE - 1):
        with pytest.raises(AuthFailed) as caught:
            _sign_in(runtime, "500500", "wrong-password-1", now=now)
        assert not isinstance(caught.value, TooManyAttempts)


def test_inactive_user_is_refused(runtime: Runtime) -> None:
    with runtime.session() as session:
        create_user(session, employee_no="600600", is_active=False)
    with pytest.raises(AuthFailed) as caught:
        _sign_in(runtime, "600600", PASSWORD)
    assert caught.value.key == "error.auth_failed"


def test_change_password_refuses_weak_ones(runtime: Runtime) -> None:
    with runtime.session() as session:
        user = create_user(session, employee_no="700700", must_change_password=True)
    cases = {
        "short1": "error.password.too_short",
        "abcdefghijkl": "error.password.too_simple",
        "12345678901234": "error.password.too_simple",
        "pw-700700-xyz": "error.password.contains_id",
        PASSWORD: "error.password.same",
    }
    for new, key in cases.items():
        with pytest.raises(InvalidInput) as caught, runtime.session() as session:
            me = accounts.get_user(session, user.id or 0)
            accounts.change_password(session, actor=me, current=PASSWORD, new=new)
        assert caught.value.key == key, new
    with pytest.raises(AuthFailed) as wrong, runtime.session() as session:
        me = accounts.get_user(session, user.id or 0)
        accounts.change_password(session, actor=me, current="not-mine-123", new=NEW_PASSWORD)
    assert wrong.value.key == "error.password.current_wrong"
    with runtime.session() as session:
        assert accounts.get_user(session, user.id or 0).must_change_password


def test_must_change_password_flow(runtime: Runtime) -> None:
    with runtime.session() as session:
        user = create_user(session, employee_no="800800", must_change_password=True)
    assert _sign_in(runtime, "800800", PASSWORD).must_change_password
    with runtime.session() as session:
        me = accounts.get_user(session, user.id or 0)
        accounts.change_password(session, actor=me, current=PASSWORD, new=NEW_PASSWORD)
    signed_in = _sign_in(runtime, "800800", NEW_PASSWORD)
    assert not signed_in.must_change_password
    with pytest.raises(AuthFailed):
        _sign_in(runtime, "800800", PASSWORD)
    with runtime.session() as session:
        actions = session.exec(select(AuditEvent.action)).all()
        assert "password.change" in actions


def test_create_admin(runtime: Runtime) -> None:
    with pytest.raises(InvalidInput) as weak, runtime.session() as session:
        accounts.create_admin(
            session,
            employee_no="A0001",
            name="관리자",
            department="총무과",
            email="admin@incheon.go.kr",
            password="short",
        )
    assert weak.value.key == "error.password.too_short"
    with runtime.session() as session:
        assert _count_users(session) == 0
        admin = accounts.create_admin(
            session,
            employee_no="A0001",
            name="관리자",
            department="총무과",
            email="Admin@Incheon.go.kr",
            password=NEW_PASSWORD,
        )
    assert admin.role == Role.ADMIN.value and not admin.must_change_password
    assert admin.email == "admin@incheon.go.kr"
    assert _sign_in(runtime, "admin@incheon.go.kr", NEW_PASSWORD).id == admin.id
    # Running it again for a known employee promotes, never duplicates.
    with runtime.session() as session:
        staff = create_user(session, employee_no="S0002")
    with runtime.session() as session:
        promoted = accounts.create_admin(
            session,
            employee_no="S0002",
            name=staff.name,
            department=staff.department,
            email=staff.email,
            password="another-pass-99",
        )
        assert promoted.id == staff.id and promoted.role == Role.ADMIN.value
        assert _count_users(session) == 2


def test_set_role_and_no_self_demotion(runtime: Runtime) -> None:
    with runtime.session() as session:
        admin = create_user(session, role=Role.ADMIN)
        staff = create_user(session)
        judge = accounts.set_role(session, actor=admin, user_id=staff.id or 0, role=Role.JUDGE)
        assert judge.role == "judge"
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "user.set_role")).one()
        assert event.details == {"from": "staff", "to": "judge"}
        assert event.actor_id == admin.id and event.target_id == staff.id
        with pytest.raises(PermissionDenied) as caught:
            accounts.set_role(session, actor=admin, user_id=admin.id or 0, role=Role.STAFF)
        assert caught.value.key == "error.user.cannot_demote_self"
        assert admin.role == Role.ADMIN.value
        with pytest.raises(PermissionDenied) as caught:
            accounts.set_active(session, actor=admin, user_id=admin.id or 0, active=False)
        assert caught.value.key == "error.user.cannot_deactivate_self"


def test_reset_password_issues_a_one_time_password(runtime: Runtime) -> None:
    with runtime.session() as session:
        admin = create_user(session, role=Role.ADMIN)
        staff = create_user(session, employee_no="900900")
    now = utcnow()
    for _ in range(throttle.PAIR_FREE):
        with pytest.raises(AuthFailed):
            _sign_in(runtime, "900900", "forgotten-pass-1", now=now)
    with runtime.session() as session:
        one_time = accounts.reset_password(session, actor=admin, user_id=staff.id or 0)
    assert len(one_time) >= 10 and one_time != PASSWORD
    user = _sign_in(runtime, "900900", one_time, now=now)  # the reset also lifts the lock
    assert user.must_change_password
    with pytest.raises(AuthFailed):
        _sign_in(runtime, "900900", PASSWORD, now=now)
    with runtime.session() as session:
        other = accounts.reset_password(session, actor=admin, user_id=staff.id or 0)
    assert other != one_time


def test_oidc_email_maps_to_a_known_user_only(any_runtime: Runtime) -> None:
    with any_runtime.session() as session:
        user = create_user(session, email="lee.seoyeon@incheon.go.kr")
        create_user(session, email="gone@incheon.go.kr", is_active=False)
        before = _count_users(session)
    with any_runtime.session() as session:
        found = accounts.user_for_oidc_email(session, " Lee.SeoYeon@Incheon.GO.KR ")
        assert found.id == user.id
    for email in ("stranger@example.com", "gone@incheon.go.kr"):
        with pytest.raises(AuthFailed) as caught, any_runtime.session() as session:
            accounts.user_for_oidc_email(session, email)
        assert caught.value.key == "error.oidc.unknown_email"
    for email in (None, ""):
        with pytest.raises(AuthFailed) as caught, any_runtime.session() as session:
            accounts.user_for_oidc_email(session, email)
        assert caught.value.key == "error.oidc.no_email"
    with any_runtime.session() as session:
        assert _count_users(session) == before


def test_a_long_attack_stays_capped_and_never_crashes(runtime: Runtime) -> None:
    with runtime.session() as session:
        user = create_user(session, employee_no="110110")
    account, now = throttle.account_of(user, ""), utcnow()
    for _ in range(60):  # each failure once the lock before it is over
        with runtime.session() as session:
            throttle.count_attempt(session, account=account, address="", now=now)
        now += throttle.MAX_LOCK
    with runtime.session() as session:
        rows = session.exec(select(SignInThrottle)).all()
        assert sorted(r.failed_logins for r in rows) == [throttle.PAIR_FREE, 60]
        assert max(r.locked_until for r in rows if r.locked_until) == now
    assert throttle.lock_duration(10**9) == throttle.MAX_LOCK


GUESSES = 30


def _guess(runtime: Runtime, login: str, password: str, now: datetime) -> str:
    """One sign-in attempt's outcome; any other exception fails the test."""
    try:
        _sign_in(runtime, login, password, now=now)
    except TooManyAttempts:
        return "locked"
    except AuthFailed:
        return "failed"
    return "signed_in"


@pytest.mark.parametrize("login", ["130130", "kim.unknown@incheon.go.kr"])
def test_thirty_parallel_guesses_check_five_and_lock(any_runtime: Runtime, login: str) -> None:
    """30 wrong passwords at once for one login (real or not): each is counted or refused as
    locked, none is lost, only the free attempts are checked, and the right password is refused
    once the lock holds. Both databases, no other error."""
    with any_runtime.session() as session:
        create_user(session, employee_no="130130")
    now = utcnow()
    start = threading.Barrier(GUESSES)

    def guess(n: int) -> str:
        start.wait()
        return _guess(any_runtime, login, f"wrong-guess-{n:02d}", now)

    with ThreadPoolExecutor(GUESSES) as pool:
        outcomes = Counter(pool.map(guess, range(GUESSES)))
    assert outcomes == {
        "failed": throttle.PAIR_FREE,
        "locked": GUESSES - throttle.PAIR_FREE,
    }
    assert _guess(any_runtime, login, PASSWORD, now + timedelta(seconds=1)) == "locked"
    with any_runtime.session() as session:
        rows = session.exec(select(SignInThrottle)).all()
    # this address's count and the account's: each counted the checked attempts only
    assert [r.failed_logins for r in rows] == [throttle.PAIR_FREE] * 2
    assert {r.account.split(":")[0] for r in rows} == {"user" if login == "130130" else "login"}


def test_unknown_logins_answer_like_real_ones(
    any_runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real account with a wrong password, an unknown login, an inactive account and one
    without a password get the same answers, lock at the same try and cost the same argon2
    verifications (one per checked attempt, none while locked)."""
    with any_runtime.session() as session:
        create_user(session, employee_no="140140")
        create_user(session, employee_no="140141", is_active=False)
        create_user(session, employee_no="140142", password_hash=None)
    verifies: list[str] = []
    real_verify = accounts.verify_password

    def counted_verify(stored: str | None, password: str) -> bool:
        verifies.append(password)
        return real_verify(stored, password)

    monkeypatch.setattr(accounts, "verify_password", counted_verify)
    now = utcnow()

    def answers(login: str, password: str) -> list[tuple[str, dict[str, object], int]]:
        seen = []
        for attempt in range(throttle.PAIR_FREE + 3):
            verifies.clear()
            with pytest.raises(AuthFailed) as caught:
                _sign_in(any_runtime, login, password, now=now + timedelta(seconds=attempt))
            seen.append((caught.value.key, caught.value.params, len(verifies)))
        return seen

    real = answers("140140", "wrong-password-9")
    assert real == [("error.auth_failed", {}, 1)] * throttle.PAIR_FREE + [
        ("error.too_many_attempts", {"seconds": seconds}, 0) for seconds in (30, 29, 28)
    ]
    assert answers("140141", PASSWORD) == real  # inactive, with its right password
    assert answers("140142", PASSWORD) == real  # no password set
    assert answers("no-such-person", PASSWORD) == real
    assert answers("nobody@incheon.go.kr", PASSWORD) == real
