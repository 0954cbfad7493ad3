"""Vote results: for everyone once voting has closed, for admins live."""

import pandas as pd
import streamlit as st

from contest.core.timeutil import format_local
from contest.voting.views import tallies_view
from ui import page
from ui.i18n import tr

page.header(tr("vote.results_title"))
view = page.load(tallies_view)
if view.hidden:
    page.stop_with(tr("vote.results_hidden", closes=format_local(view.closes_at, view.timezone)))
if view.live:
    st.caption(tr("vote.results_live"))
frame = pd.DataFrame(
    [
        {
            tr("vote.number"): row.number,
            tr("entry.title"): row.title,
            tr("entry.theme"): row.theme,
            tr("vote.department"): row.department or "",
            tr("vote.votes"): row.votes,
        }
        for row in view.rows
    ]
)
if not frame.empty:
    chart = frame.head(30).assign(
        poster=lambda f: f[tr("vote.number")].astype(str) + ". " + f[tr("entry.title")]
    )
    st.bar_chart(chart, x="poster", y=tr("vote.votes"), horizontal=True, x_label="", sort=False)
st.dataframe(frame, hide_index=True, width="stretch")
