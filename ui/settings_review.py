"""A settings save on the contest screen: saved at once, or, when it changes settings that are
frozen already (a window extended after it opened, a limit loosened), first a confirmation
that names each change, states its consequences in numbers and asks for the reason."""

from __future__ import annotations

from typing import Any

import streamlit as st

from contest.contests import manage
from contest.contests.manage import SettingsSaved
from contest.contests.rules import TEXT_LIMITS
from contest.contests.views import ContestAdminView
from ui import page, state
from ui.i18n import lang, tr
from ui.text import md


def ask(contest_id: int, values: dict[str, Any]) -> None:
    """The form was sent: review it on the next run (the view reads what it would change)."""
    st.session_state[state.SETTINGS_PENDING] = (contest_id, values)
    st.rerun()


def pending() -> tuple[int, dict[str, Any]] | None:
    found: tuple[int, dict[str, Any]] | None = st.session_state.get(state.SETTINGS_PENDING)
    return found


def _forget() -> None:
    st.session_state.pop(state.SETTINGS_PENDING, None)


def said(saved: SettingsSaved) -> str:
    if not saved.changes:
        return tr("settings.nothing_changed")
    names = ", ".join(tr(f"contest.{change.name}") for change in saved.changes)
    return tr("settings.saved", count=len(saved.changes), names=names)


def save_or_confirm(view: ContestAdminView) -> None:
    """The save asked for: at once when nothing frozen moves (the service still checks, and
    refuses a frozen setting with its reason); else the confirmation."""
    asked = pending()
    if asked is None or view.chosen is None:
        return
    review = view.review
    if review is None or not review.late:
        _forget()
        page.act(manage.update_settings, contest_id=asked[0], changes=asked[1], done=said)
        return
    dialog = st.dialog(tr("settings.review.title"), width="large", on_dismiss=_forget)
    dialog(_confirm)(view, asked)


def _confirm(view: ContestAdminView, asked: tuple[int, dict[str, Any]]) -> None:
    review, contest = view.review, view.chosen
    assert review is not None and contest is not None
    st.markdown(tr("settings.review.intro"))
    st.markdown(
        "\n".join(
            "- "
            + md(change.text(lang(), contest.timezone))
            + (" " + tr("settings.review.late_mark") if change.late else "")
            for change in review.changes
        )
    )
    st.warning(
        "\n".join(f"- {md(p.text(lang()))}" for p in review.consequences),
        icon=":material/warning:",
    )
    st.caption(tr("settings.review.recorded"))
    reason = st.text_input(
        tr("settings.review.reason"), key="settings_reason", max_chars=TEXT_LIMITS["reason"]
    )
    left, right = st.columns(2)
    if left.button(
        tr("settings.review.confirm"), type="primary", key="settings_confirm", width="stretch"
    ):
        saved = page.act(
            manage.update_settings,
            contest_id=asked[0],
            changes=asked[1],
            reason=reason,
            done=said,
            rerun=False,
        )
        if saved is None:  # refused (no reason, say): say why here and keep the question open
            page.notices()
        else:
            _forget()
            st.rerun()
    if right.button(tr("settings.review.cancel"), key="settings_cancel", width="stretch"):
        _forget()
        st.rerun()
