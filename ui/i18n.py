"""The user's language (Korean unless they switch) and error display."""

from __future__ import annotations

from typing import Any

import streamlit as st

from contest.core.errors import ContestError
from contest.core.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from ui import state
from ui.text import md


def lang() -> str:
    value = st.session_state.get(state.LANG) or st.query_params.get("lang", DEFAULT_LANGUAGE)
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def tr(key: str, **params: Any) -> str:
    return t(key, lang(), **params)


def error_text(error: ContestError) -> str:
    """A refusal from contest/ in the user's language. It is shown as Markdown (an alert, a
    notice), so text it quotes (a slug, a time zone, an e-mail someone typed) is escaped."""
    params = {k: md(v) if isinstance(v, str) else v for k, v in error.params.items()}
    return t(error.key, lang(), **params)


def language_switch() -> None:
    names = {"ko": "한국어", "en": "English"}
    current = lang()
    choice = st.sidebar.segmented_control(
        tr("lang.label"),
        LANGUAGES,
        default=current,
        format_func=names.__getitem__,
        key="lang_switch",
    )
    if choice and choice != current:
        st.session_state[state.LANG] = choice
        st.rerun()
