"""Vote results: for everyone once voting has closed, for admins live."""

import pandas as pd
import streamlit as st

from contest.contests.queries import require_current
from contest.core.errors import ContestError
from contest.core.timeutil import format_local
from contest.voting.votes import tallies
from ui import auth
from ui.i18n import show_error, tr
from ui.runtime import get_runtime

user = auth.current_user()
st.title(tr("vote.results_title"))
try:
    with get_runtime().session() as session:
        contest = require_current(session)
        closes = format_local(contest.voting_closes_at, contest.timezone)
        rows = tallies(session, actor=user, contest_id=contest.id or 0)
except ContestError as error:
    if error.key == "error.vote.tallies_hidden":
        st.info(tr("vote.results_hidden", closes=closes), icon=":material/lock_clock:")
    else:
        show_error(error)
    st.stop()

if user is not None and user.role == "admin":
    st.caption(tr("vote.results_live"))
frame = pd.DataFrame(
    [
        {
            tr("vote.number"): row.number,
            tr("entry.title"): row.title,
            tr("entry.theme"): row.theme,
            tr("vote.department"): row.department,
            tr("vote.votes"): row.votes,
        }
        for row in rows
    ]
)
if not frame.empty:
    chart = frame.head(30).assign(
        poster=lambda f: f[tr("vote.number")].astype(str) + ". " + f[tr("entry.title")]
    )
    st.bar_chart(chart, x="poster", y=tr("vote.votes"), horizontal=True, x_label="", sort=False)
st.dataframe(frame, hide_index=True, width="stretch")
