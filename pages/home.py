"""The current contest at a glance; a QR link (?entry=ID) is forwarded to the poster."""

import streamlit as st

from contest.core.timeutil import format_local
from contest.entries.views import home_view
from ui import page
from ui.i18n import tr
from ui.nav import PAGES
from ui.text import md

entry_page = "pages/entry.py"
if "entry" in st.query_params and any(p.path == entry_page for p in PAGES):
    st.switch_page(entry_page, query_params={"entry": st.query_params["entry"]})

view = page.load(home_view)
contest = view.contest
if contest is None:
    page.header(tr("app.title"))
    page.stop_with(tr("home.no_contest"))

page.header(md(contest.name))
tz = contest.timezone
if view.results_published:
    st.page_link(
        "pages/results_published.py", label=tr("home.winners"), icon=":material/emoji_events:"
    )
cols = st.columns(3)
cols[0].metric(tr("home.entries_total"), view.entries_total)
cols[1].metric(tr("home.my_entries"), f"{view.my_entries} / {view.entry_limit}")
cols[2].metric(tr("home.votes_per_voter"), view.vote_budget)

with st.container(border=True):
    for label, is_open, opens, closes in (
        (
            "home.submission_window",
            view.submission_open,
            contest.submission_opens_at,
            contest.submission_closes_at,
        ),
        ("home.voting_window", view.voting_open, contest.voting_opens_at, contest.voting_closes_at),
    ):
        status = tr("home.open") if is_open else tr("home.closed")
        st.markdown(f"**{tr(label)}** · {status}")
        st.write(f"{format_local(opens, tz)} ~ {format_local(closes, tz)}")

st.subheader(tr("home.themes"))
st.text(" · ".join(contest.themes))
st.caption(tr("home.rules", entries=view.entry_limit, votes=view.vote_budget))
