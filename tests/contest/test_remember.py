"""Stay-signed-in tokens: valid until expiry; void after a sign-out, a password change or reset,
a role change or deactivation; malformed ones ignored."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from contest.accounts.passwords import hash_password
from contest.accounts.remember import (
    LIFETIME,
    end_sign_ins,
    issue_token,
    session_current,
    sign_out,
    user_for_token,
)
from contest.accounts.users import change_password, reset_password, set_active, set_role
from contest.core.models import Role, User
from contest.core.timeutil import utcnow
from contest.runtime import Runtime
from tests.factories import PASSWORD, create_user

SECRET = "k" * 40


def test_a_token_names_its_user_until_it_expires(runtime: Runtime) -> None:
    with runtime.session() as session:
        user = create_user(session)
        token = issue_token(user, secret=SECRET)
        assert user_for_token(session, token, secret=SECRET) == user
        later = utcnow() + LIFETIME + timedelta(seconds=1)
        assert user_for_token(session, token, secret=SECRET, now=later) is None


def test_forged_or_foreign_tokens_are_refused(runtime: Runtime) -> None:
    with runtime.session() as session:
        user = create_user(session)
        other = create_user(session)
        token = issue_token(user, secret=SECRET)
        uid, expires, signature = token.split(".")
        assert user_for_token(session, f"{other.id}.{expires}.{signature}", secret=SECRET) is None
        assert (
            user_for_token(session, f"{uid}.{int(expires) + 999}.{signature}", secret=SECRET)
            is None
        )
        assert user_for_token(session, token, secret="another-secret-" * 3) is None
        for junk in ("", "x", "1.2", "a.b.c", "1.2.3.4"):
            assert user_for_token(session, junk, secret=SECRET) is None


def test_a_password_change_or_deactivation_voids_earlier_tokens(runtime: Runtime) -> None:
    with runtime.session() as session:
        user = create_user(session)
        token = issue_token(user, secret=SECRET)
        user.password_hash = hash_password("a-new-password-42")
        assert user_for_token(session, token, secret=SECRET) is None
        fresh = issue_token(user, secret=SECRET)
        user.is_active = False
        assert user_for_token(session, fresh, secret=SECRET) is None


def _check_ended_by(runtime: Runtime, action: str) -> None:
    """One revoking action ends a user's earlier token and open sessions; new ones work."""
    with runtime.session() as session:
        admin = create_user(session, role=Role.ADMIN)
        user = create_user(session)
        token = issue_token(user, secret=SECRET)
        epoch = user.session_epoch
    with runtime.session() as session:
        target = session.get(User, user.id)
        assert target is not None
        match action:
            case "sign_out":
                sign_out(session, actor=target)
            case "change_password":
                change_password(session, actor=target, current=PASSWORD, new="new-harbour-2027")
            case "reset_password":
                reset_password(session, actor=admin, user_id=target.id or 0)
            case "set_role":
                set_role(session, actor=admin, user_id=target.id or 0, role=Role.JUDGE)
            case "deactivate_and_activate":
                set_active(session, actor=admin, user_id=target.id or 0, active=False)
                set_active(session, actor=admin, user_id=target.id or 0, active=True)
        assert target.session_epoch > epoch  # what the caller signs in again with
    with runtime.session() as session:
        fresh = session.get(User, user.id)
        assert fresh is not None
        assert not session_current(fresh, epoch)  # every open session ends on its next rerun
        assert user_for_token(session, token, secret=SECRET) is None  # and every cookie
        again = issue_token(fresh, secret=SECRET)
        assert user_for_token(session, again, secret=SECRET) == fresh
        assert session_current(fresh, fresh.session_epoch)


@pytest.mark.parametrize(
    "action",
    ["sign_out", "change_password", "reset_password", "set_role", "deactivate_and_activate"],
)
def test_sign_out_and_account_changes_end_every_sign_in(any_runtime: Runtime, action: str) -> None:
    _check_ended_by(any_runtime, action)


def test_revocations_at_once_all_count(any_runtime: Runtime) -> None:
    with any_runtime.session() as session:
        user = create_user(session)
    start = threading.Barrier(8)

    def revoke(_n: int) -> None:
        start.wait()
        with any_runtime.session() as session:
            end_sign_ins(session, user)

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(revoke, range(8)))
    with any_runtime.session() as session:
        assert (session.get(User, user.id) or user).session_epoch == 8


@pytest.mark.parametrize(
    "cookie",
    [
        "99999999999999999999.1.x",
        "99999999999999999999.1." + "a" * 64,
        "1.99999999999999999999." + "a" * 64,
        "-1.1." + "a" * 64,
        "0.1." + "a" * 64,
        "١.1." + "a" * 64,  # Arabic-Indic digit one: int() accepts it
        "1.1." + "A" * 64,
        "1.1." + "a" * 64 + "\n",
        "1" * 5000,
        "%00.1.2",
        "1.2.3",
    ],
)
def test_malformed_cookies_are_ignored(any_runtime: Runtime, cookie: str) -> None:
    with any_runtime.session() as session:
        create_user(session)
        assert user_for_token(session, cookie, secret=SECRET) is None
