"""Vote results: for everyone once voting has closed, for admins live."""

import altair as alt
import pandas as pd
import streamlit as st

from contest.voting.views import tallies_view
from ui import page
from ui.charts import chart
from ui.format import moment
from ui.i18n import tr

page.header(tr("vote.results_title"))
view = page.load(tallies_view)
if view.hidden:
    page.stop_with(
        tr("vote.results_hidden", closes=moment(view.closes_at, view.timezone, seconds=True))
    )
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
    poster, votes = tr("vote.poster"), tr("vote.votes")
    named = [tr("gallery.open", number=row.number, title=row.title) for row in view.rows[:30]]
    top = frame.head(30).assign(**{poster: named})
    chart(
        alt.Chart(top)
        .mark_bar()
        .encode(
            y=alt.Y(f"{poster}:N", title=None, sort=None),
            x=alt.X(f"{votes}:Q", title=votes, axis=alt.Axis(tickMinStep=1, format="d")),
            tooltip=[
                alt.Tooltip(f"{poster}:N", title=poster),
                alt.Tooltip(f"{votes}:Q", title=votes),
            ],
        ),
        tr("vote.chart_alt"),
    )
st.dataframe(frame, hide_index=True, width="stretch")
