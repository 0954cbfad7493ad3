"""Admin: contest settings, next year's contest, which contest is current."""

import streamlit as st

from contest.contests import manage as contests
from contest.contests import queries
from contest.core.errors import ContestError
from ui import auth
from ui.contest_form import settings_form
from ui.i18n import show_error, tr
from ui.runtime import get_runtime

runtime = get_runtime()
user = auth.current_user()
st.title(tr("nav.admin_contest"))

with runtime.session() as session:
    all_contests = list(queries.list_contests(session))

if all_contests:
    labels = {c.id: f"{c.name} ({c.slug}){' ★' if c.is_current else ''}" for c in all_contests}
    current_id = next((c.id for c in all_contests if c.is_current), all_contests[0].id)
    chosen_id = st.selectbox(
        tr("contest.choose"),
        list(labels),
        format_func=labels.__getitem__,
        index=list(labels).index(current_id),
        key="contest_choice",
    )
    chosen = next(c for c in all_contests if c.id == chosen_id)
    if not chosen.is_current and st.button(tr("contest.make_current"), key="make_current"):
        try:
            with runtime.session() as session:
                contests.set_current(session, actor=user, contest_id=chosen.id or 0)
            st.rerun()
        except ContestError as error:
            show_error(error)
    changes = settings_form(chosen)
    if changes is not None:
        try:
            with runtime.session() as session:
                contests.update_settings(
                    session, actor=user, contest_id=chosen.id or 0, changes=changes
                )
            st.success(tr("contest.saved"))
        except ContestError as error:
            show_error(error)

with st.expander(tr("contest.create"), expanded=not all_contests), st.form("create_contest"):
    name = st.text_input(tr("contest.name"), key="new_name")
    cols = st.columns(2)
    year = cols[0].number_input(tr("contest.year"), 2020, 2100, 2027, key="new_year")
    slug = cols[1].text_input(tr("contest.slug"), key="new_slug", help=tr("contest.slug_help"))
    make_current = st.checkbox(tr("contest.make_current"), key="new_current")
    st.caption(tr("contest.defaults_note"))
    if st.form_submit_button(tr("contest.create"), type="primary"):
        try:
            with runtime.session() as session:
                contests.create_contest(
                    session,
                    actor=user,
                    name=name,
                    year=int(year),
                    slug=slug,
                    make_current=make_current,
                )
            st.rerun()
        except ContestError as error:
            show_error(error)
