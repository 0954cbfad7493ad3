"""Who is signed in: a local account (session_state) or an OIDC identity (st.login)."""

from __future__ import annotations

import streamlit as st

from contest import accounts
from contest.config import check_auth_section
from contest.errors import ContestError
from contest.models import User
from ui import state
from ui.i18n import show_error
from ui.runtime import get_runtime


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
    """The signed-in user, read fresh from the database on every rerun."""
    runtime = get_runtime()
    if oidc_enabled():
        if not st.user.is_logged_in:
            return None
        try:
            with runtime.session() as session:
                return accounts.user_for_oidc_email(session, st.user.get("email"))
        except ContestError as error:
            show_error(error)
            return None
    user_id = st.session_state.get(state.USER_ID)
    if user_id is None:
        return None
    with runtime.session() as session:
        user = session.get(User, user_id)
    if user is None or not user.is_active:
        st.session_state.pop(state.USER_ID, None)
        return None
    return user


def sign_in(user: User) -> None:
    st.session_state[state.USER_ID] = user.id


def sign_out() -> None:
    st.session_state.pop(state.USER_ID, None)
    if oidc_enabled() and st.user.is_logged_in:
        st.logout()
