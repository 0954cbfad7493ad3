"""Who is signed in: a local account (session_state) or an OIDC identity (st.login)."""

from __future__ import annotations

import secrets

import streamlit as st

from contest.accounts import remember
from contest.accounts import users as accounts
from contest.accounts.remember import LIFETIME, issue_token, session_current, user_for_token
from contest.core.config import check_auth_section, weak_secret
from contest.core.errors import ContestError
from contest.core.models import User
from ui import cookies, state
from ui.i18n import error_text
from ui.notices import notify, show
from ui.runtime import get_runtime

COOKIE = "contest_auth"
# Signs stay-signed-in cookies in demo mode while CONTEST_SECRET_KEY is a placeholder or short
# (outside demo mode Settings refuses those), so nobody can forge one from the source code. Such
# cookies end when the process restarts and hold on this process only: replicas need the real
# key.
_PROCESS_SECRET = secrets.token_hex(32)


def _token_secret() -> str:
    key = get_runtime().settings.secret_key
    return _PROCESS_SECRET if weak_secret(key) else key


def oidc_enabled() -> bool:
    """True when [auth] is configured in secrets.toml; then st.login replaces passwords."""
    try:
        enabled = bool(st.secrets.load_if_toml_exists() and "auth" in st.secrets)
    except (FileNotFoundError, KeyError):
        return False
    if enabled:
        check_auth_section(st.secrets["auth"], demo=get_runtime().settings.demo)
    return enabled


def current_user() -> User | None:
    """The signed-in user, read fresh from the database on every rerun: a session whose user
    has since signed out elsewhere, changed password or role, or been deactivated ends here."""
    runtime = get_runtime()
    if oidc_enabled():
        if not st.user.is_logged_in:
            return None
        try:
            with runtime.session() as session:
                return accounts.user_for_oidc_email(session, st.user.get("email"))
        except ContestError as error:
            show(error_text(error), "error")
            return None
    user_id = st.session_state.get(state.USER_ID)
    if user_id is None:
        return _remembered_user()
    with runtime.session() as session:
        user = accounts.active_user(session, user_id)
    if user is None or not session_current(user, st.session_state.get(state.SIGN_IN_EPOCH)):
        st.session_state.pop(state.USER_ID, None)
        st.session_state.pop(state.SIGN_IN_EPOCH, None)
        return None
    return user


def _remembered_user() -> User | None:
    """A new tab (a scanned QR code, say) signs in from the stay-signed-in cookie."""
    token = st.context.cookies.get(COOKIE)
    if not isinstance(token, str) or not token or st.session_state.get(state.SIGNED_OUT):
        return None
    runtime = get_runtime()
    with runtime.session() as session:
        user = user_for_token(session, token, secret=_token_secret())
    if user is not None:
        st.session_state[state.USER_ID] = user.id
        st.session_state[state.SIGN_IN_EPOCH] = user.session_epoch
    return user


def sign_in(user: User) -> None:
    st.session_state[state.USER_ID] = user.id
    st.session_state[state.SIGN_IN_EPOCH] = user.session_epoch
    st.session_state.pop(state.SIGNED_OUT, None)
    _keep_cookie(issue_token(user, secret=_token_secret()))


def sign_out(user: User) -> None:
    """Sign ``user`` out here and everywhere else (other tabs, devices and cookies). This
    browser is signed out even if the database cannot record it; then the user reads why."""
    try:
        with get_runtime().session() as session:
            remember.sign_out(session, actor=user)
    except ContestError as error:
        notify(error_text(error), "error")
    st.session_state.pop(state.USER_ID, None)
    st.session_state.pop(state.SIGN_IN_EPOCH, None)
    st.session_state[state.SIGNED_OUT] = True
    _keep_cookie("")
    if oidc_enabled() and st.user.is_logged_in:
        st.logout()
        # End this run here: a rerun would drop the queued redirect to the provider's sign-out
        # (Streamlit clears an interrupted run's messages), leaving the identity cookie behind.
        st.stop()


def _keep_cookie(token: str) -> None:
    """The stay-signed-in cookie this browser should hold from now on ("" removes it)."""
    secure = get_runtime().settings.base_url.startswith("https")
    age = int(LIFETIME.total_seconds()) if token else 0
    cookies.keep(COOKIE, token, max_age=age, secure=secure)


def write_cookie() -> None:
    """Put the cookies this session wants into the browser (see ui/cookies.py): on every run,
    so the cookie after a sign-in arrives even when a rerun or page switch cuts a run short."""
    cookies.write()
