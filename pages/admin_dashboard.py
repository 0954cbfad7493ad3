"""Admin: the contest at a glance — submissions, votes and judging progress as charts."""

import streamlit as st

from contest.reports.views import dashboard_view
from ui import page
from ui.i18n import tr

page.header(tr("nav.admin_dashboard"))
board = page.load(dashboard_view)

left, right = st.columns(2)
with left:
    st.subheader(tr("admin.chart.submissions_per_day"))
    st.bar_chart(board.submissions_per_day, x="day", y="submissions", x_label="", y_label="")
    st.subheader(tr("admin.chart.by_theme"))
    st.bar_chart(board.by_theme, x="theme", y="entries", horizontal=True, x_label="", y_label="")
with right:
    st.subheader(tr("admin.chart.votes_per_day"))
    if board.votes_per_day.empty or not board.votes_per_day["votes"].any():
        st.caption(tr("admin.chart.no_votes"))
    else:
        st.bar_chart(board.votes_per_day, x="day", y="votes", x_label="", y_label="")
    st.subheader(tr("admin.chart.by_department"))
    st.bar_chart(
        board.by_department, x="department", y="entries", horizontal=True, x_label="", y_label=""
    )
st.subheader(tr("admin.chart.judging"))
if board.judging.empty:
    st.caption(tr("admin.chart.no_judges"))
else:
    st.bar_chart(board.judging, x="judge", y=["scored", "open"], horizontal=True, stack=True)
