"""The current contest at a glance, following its stage (before, during and after the vote, and
once the winners are published); a QR link (?entry=ID) is forwarded to the poster."""

import streamlit as st

from contest.contests.windows import WindowStatus
from contest.core.ids import parse_id
from contest.entries.views import Stage, home_view
from ui import page
from ui.format import moment
from ui.i18n import tr
from ui.nav import PAGES
from ui.text import md

entry_page = "pages/entry.py"
if "entry" in st.query_params and any(p.path == entry_page for p in PAGES):
    entry_id = parse_id(st.query_params["entry"])
    st.switch_page(entry_page, query_params={"entry": str(entry_id)} if entry_id else {})

view = page.load(home_view)
contest = view.contest
if contest is None:
    page.header(tr("app.title"))
    page.stop_with(tr("home.no_contest"))

page.header(md(contest.name))
tz = contest.timezone
when = {  # a window's bounds to the second where it has them (23:59:59)
    "submission_opens": moment(contest.submission_opens_at, tz, seconds=True),
    "submission_closes": moment(contest.submission_closes_at, tz, seconds=True),
    "voting_opens": moment(contest.voting_opens_at, tz, seconds=True),
    "voting_closes": moment(contest.voting_closes_at, tz, seconds=True),
}
# What a colleague can do now, and where to do it.
LINKS = {
    Stage.BEFORE: [],
    Stage.SUBMITTING: [("pages/submit.py", "home.go_submit", ":material/upload:")],
    Stage.VOTING: [("pages/gallery.py", "home.go_vote", ":material/how_to_vote:")],
    Stage.COUNTING: [("pages/results_public.py", "home.go_tallies", ":material/bar_chart:")],
    Stage.PUBLISHED: [("pages/results_published.py", "home.go_winners", ":material/emoji_events:")],
}
with st.container(border=True, key="home_stage"):
    st.markdown(f"**{tr(f'home.stage.{view.stage.value}')}**")
    said = f"home.stage.{view.stage.value}.body"
    if view.stage == Stage.VOTING and not view.votes_left:
        said = "home.stage.voting.spent"  # not "0 votes left": all of them are used
    st.write(tr(said, left=view.votes_left, budget=view.vote_budget, **when))
    links = list(LINKS[view.stage])
    if view.stage == Stage.VOTING and view.submission == WindowStatus.OPEN and view.entries_left:
        links.append(("pages/submit.py", "home.go_submit", ":material/upload:"))
    for path, label, icon in links:
        st.page_link(path, label=tr(label), icon=icon)

cols = st.columns(3)
cols[0].metric(tr("home.entries_total"), view.entries_total)
cols[1].metric(
    tr("home.my_entries"),
    tr("home.my_entries_value", count=view.my_entries, limit=view.entry_limit),
)
cols[2].metric(
    tr("vote.left"), tr("vote.left_value", left=view.votes_left, budget=view.vote_budget)
)

with st.container(border=True):
    for label, status, opens, closes in (
        ("home.submission_window", view.submission, "submission_opens", "submission_closes"),
        ("home.voting_window", view.voting, "voting_opens", "voting_closes"),
    ):
        st.markdown(f"**{tr(label)}** · {tr(f'window.{status.value}')}")
        st.write(f"{when[opens]} ~ {when[closes]}")

st.subheader(tr("home.themes"), anchor=False)
st.text(" · ".join(contest.themes))
st.caption(tr("home.rules", entries=view.entry_limit, votes=view.vote_budget))
