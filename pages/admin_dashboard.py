"""Admin: the contest at a glance — submissions, votes and judging progress as charts."""

import streamlit as st

from contest.contests.queries import require_current
from contest.core.errors import ContestError
from contest.reports.dashboard import dashboard
from ui import auth
from ui.i18n import show_error, tr
from ui.runtime import get_runtime

user = auth.current_user()
st.title(tr("nav.admin_dashboard"))
try:
    with get_runtime().session() as session:
        contest = require_current(session)
        board = dashboard(session, actor=user, contest_id=contest.id or 0)
except ContestError as error:
    show_error(error)
    st.stop()

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
