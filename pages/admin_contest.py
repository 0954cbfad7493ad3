"""Admin: contest settings, next year's contest, which contest is current."""

import streamlit as st

from contest.contests import manage
from contest.contests.views import contest_admin_view
from ui import page, settings_review
from ui.contest_form import settings_form
from ui.i18n import lang, tr
from ui.text import md

page.header(tr("nav.admin_contest"))
view = page.load(
    contest_admin_view,
    chosen_id=st.session_state.get("contest_choice"),
    pending=settings_review.pending(),
)
chosen = view.chosen

if chosen is not None:
    labels = {
        c.id: tr(
            "contest.option_current" if c.is_current else "contest.option", name=c.name, slug=c.slug
        )
        for c in view.contests
    }
    st.selectbox(
        tr("contest.choose"),
        list(labels),
        format_func=labels.__getitem__,
        index=list(labels).index(chosen.id),
        key="contest_choice",
        placeholder=tr("common.choose"),
    )
    if not chosen.is_current and st.button(tr("contest.make_current"), key="make_current"):
        page.act(
            manage.set_current,
            contest_id=chosen.id,
            done=tr("contest.made_current", name=md(chosen.name)),
        )
    for warning in view.warnings:
        st.warning(warning.text(lang()), icon=":material/warning:")
    values = settings_form(chosen, view.frozen, view.top_votes)
    if values is not None:
        settings_review.ask(chosen.id or 0, values)
    settings_review.save_or_confirm(view)

with (
    st.expander(tr("contest.create"), expanded=chosen is None),
    st.form("create_contest", enter_to_submit=False),
):
    name = st.text_input(tr("contest.name"), key="new_name")
    cols = st.columns(2)
    year = cols[0].number_input(tr("contest.year"), 2020, 2100, 2027, key="new_year")
    slug = cols[1].text_input(tr("contest.slug"), key="new_slug", help=tr("contest.slug_help"))
    make_current = st.checkbox(tr("contest.make_current"), key="new_current")
    st.caption(tr("contest.defaults_note"))
    if st.form_submit_button(tr("contest.create"), type="primary"):
        page.act(
            manage.create_contest,
            name=name,
            year=int(year),
            slug=slug,
            make_current=make_current,
            done=tr("contest.created", name=md(name)),
        )
