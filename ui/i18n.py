"""The user's language (Korean unless they switch) and error display.

The choice is kept per user (User.language, saved when a signed-in user switches) and per
browser (a cookie, so the sign-in page and a reload keep it before anyone signs in).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import streamlit as st

from contest.accounts.users import set_language
from contest.core.errors import ContestError
from contest.core.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from contest.core.models import User
from ui import cookies, state
from ui.runtime import get_runtime
from ui.text import md

COOKIE = "contest_lang"
COOKIE_AGE = timedelta(days=365)
SWITCH = "lang_switch"  # the sidebar control's widget key
NAMES = {"ko": "한국어", "en": "English"}


def _chosen() -> str | None:
    """The language this session or browser chose, if any."""
    value = (
        st.session_state.get(state.LANG)
        or st.query_params.get("lang")
        or st.context.cookies.get(COOKIE)
    )
    return value if value in LANGUAGES else None


def lang() -> str:
    return _chosen() or DEFAULT_LANGUAGE


def tr(key: str, **params: Any) -> str:
    return t(key, lang(), **params)


def error_text(error: ContestError) -> str:
    """A refusal from contest/ in the user's language. It is shown as Markdown (an alert, a
    notice), so text it quotes (a slug, a time zone, an e-mail someone typed) is escaped."""
    params = {k: md(v) if isinstance(v, str) else v for k, v in error.params.items()}
    return t(error.key, lang(), **params)


def _use(language: str) -> None:
    """Speak ``language`` in this session and remember it in this browser."""
    st.session_state[state.LANG] = language
    secure = get_runtime().settings.base_url.startswith("https")
    cookies.keep(COOKIE, language, max_age=int(COOKIE_AGE.total_seconds()), secure=secure)


def _save(user: User, language: str) -> None:
    with get_runtime().session() as session:
        set_language(session, actor=user, language=language)


def follow(user: User | None) -> None:
    """Once per signed-in user and session: their saved language wins; a user without one keeps
    the language this browser chose, which becomes theirs."""
    if user is None or st.session_state.get(state.LANG_OF) == user.id:
        return
    st.session_state[state.LANG_OF] = user.id
    if user.language in LANGUAGES:
        if user.language != lang():
            _use(user.language)
            st.session_state[SWITCH] = user.language  # the control is drawn after this
    elif (chosen := _chosen()) is not None:
        _save(user, chosen)


def language_switch(user: User | None) -> None:
    """The sidebar control; a change is saved for the signed-in user and this browser."""
    current = lang()
    if st.session_state.get(SWITCH) not in LANGUAGES:  # first run, or the choice was cleared
        st.session_state[SWITCH] = current
    choice = st.sidebar.segmented_control(
        tr("lang.label"), LANGUAGES, format_func=NAMES.__getitem__, key=SWITCH
    )
    if choice and choice != current:
        _use(choice)
        if user is not None:
            _save(user, choice)
        st.rerun()
