"""Stay-signed-in tokens: valid until expiry, void after a password change or deactivation."""

from __future__ import annotations

from datetime import timedelta

from contest.accounts.passwords import hash_password
from contest.accounts.remember import LIFETIME, issue_token, user_for_token
from contest.core.timeutil import utcnow
from contest.runtime import Runtime
from tests.factories import create_user

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
