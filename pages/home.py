"""The current contest at a glance; a QR link (?entry=ID) is forwarded to the poster."""

import streamlit as st

from contest.contests.overview import overview
from contest.core.errors import ContestError
from contest.core.timeutil import format_local
from ui import auth
from ui.i18n import show_error, tr
from ui.nav import PAGES
from ui.runtime import get_runtime

entry_page = "pages/entry.py"
if "entry" in st.query_params and any(p.path == entry_page for p in PAGES):
    st.switch_page(entry_page, query_params={"entry": st.query_params["entry"]})

user = auth.current_user()
try:
    with get_runtime().session() as session:
        info = overview(session, actor=user)
except ContestError as error:
    show_error(error)
    st.stop()

if info is None:
    st.title(tr("app.title"))
    st.info(tr("home.no_contest"))
    st.stop()

contest = info.contest
st.title(contest.name)

tz = contest.timezone
cols = st.columns(3)
cols[0].metric(tr("home.entries_total"), info.entries_total)
cols[1].metric(tr("home.my_entries"), f"{info.my_entries} / {contest.entries_per_person}")
cols[2].metric(tr("home.votes_per_voter"), contest.votes_per_voter)

with st.container(border=True):
    state = tr("home.open") if info.submission_open else tr("home.closed")
    st.markdown(f"**{tr('home.submission_window')}** · {state}")
    st.write(
        f"{format_local(contest.submission_opens_at, tz)} ~ "
        f"{format_local(contest.submission_closes_at, tz)}"
    )
    state = tr("home.open") if info.voting_open else tr("home.closed")
    st.markdown(f"**{tr('home.voting_window')}** · {state}")
    st.write(
        f"{format_local(contest.voting_opens_at, tz)} ~ "
        f"{format_local(contest.voting_closes_at, tz)}"
    )

st.subheader(tr("home.themes"))
st.write(" · ".join(contest.themes))
st.caption(tr("home.rules", entries=contest.entries_per_person, votes=contest.votes_per_voter))
