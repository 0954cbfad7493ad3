"""Admin: the contest at a glance: submissions and votes per day (KST), participation by
department against the roster, entries by theme, judging progress per judge, and the AI
tools entries were made with, as declared and as their files say."""

import altair as alt
import pandas as pd
import streamlit as st

from contest.reports.views import dashboard_view
from ui import page
from ui.charts import chart
from ui.format import share
from ui.i18n import tr
from ui.provenance import say

page.header(tr("nav.admin_dashboard"))
view = page.load(dashboard_view)
board, totals = view.board, view.board.totals

a, b, c, d = st.columns(4)
a.metric(tr("dash.entries"), f"{totals.entries:,}")
b.metric(tr("dash.votes"), f"{totals.votes:,}")
c.metric(
    tr("dash.participants"),
    tr("dash.participants_value", count=f"{totals.participants:,}", staff=f"{totals.staff:,}"),
)
d.metric(tr("dash.share"), share(totals.share))

DAY, COUNT, KIND = tr("dash.day"), tr("dash.count"), tr("dash.kind")
st.subheader(tr("dash.per_day"), anchor=False)
if board.per_day.empty:
    st.caption(tr("dash.no_days"))
else:
    daily = board.per_day.rename(
        columns={"day": DAY, "submissions": tr("dash.submissions"), "votes": tr("dash.votes")}
    ).melt(id_vars=DAY, var_name=KIND, value_name=COUNT)
    daily[DAY] = daily[DAY].map(lambda day: day.strftime("%m-%d"))
    chart(
        alt.Chart(daily)
        .mark_bar()
        .encode(
            x=alt.X(f"{DAY}:O", title=DAY, axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset(f"{KIND}:N"),
            y=alt.Y(f"{COUNT}:Q", title=COUNT, axis=alt.Axis(tickMinStep=1, format="d")),
            color=alt.Color(f"{KIND}:N", title=KIND),
            tooltip=[
                alt.Tooltip(f"{DAY}:O", title=DAY),
                alt.Tooltip(f"{KIND}:N", title=KIND),
                alt.Tooltip(f"{COUNT}:Q", title=COUNT),
            ],
        ),
        tr("dash.per_day_alt"),
    )

DEPT, SHARE = tr("dash.department"), tr("dash.share")
st.subheader(tr("dash.by_department"), anchor=False)
departments = board.departments
if departments.empty:
    st.caption(tr("dash.no_departments"))
else:
    named = {
        "department": DEPT,
        "staff": tr("dash.staff"),
        "entries": tr("dash.entries"),
        "authors": tr("dash.authors"),
        "voters": tr("dash.voters"),
        "participants": tr("dash.participants"),
        "share": SHARE,
    }
    named_frame = departments.rename(columns=named)
    chart(
        alt.Chart(named_frame)
        .mark_bar()
        .encode(
            y=alt.Y(f"{DEPT}:N", title=DEPT, sort="-x"),
            x=alt.X(
                f"{SHARE}:Q", title=SHARE, axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])
            ),
            tooltip=[
                alt.Tooltip(f"{DEPT}:N", title=DEPT),
                alt.Tooltip(f"{tr('dash.participants')}:Q", title=tr("dash.participants")),
                alt.Tooltip(f"{tr('dash.staff')}:Q", title=tr("dash.staff")),
                alt.Tooltip(f"{SHARE}:Q", title=SHARE, format=".0%"),
            ],
        ),
        tr("dash.by_department_alt"),
    )
    table = named_frame.assign(**{SHARE: departments["share"].map(share)})
    st.dataframe(table, hide_index=True, width="stretch")

THEME, ENTRIES = tr("dash.theme"), tr("dash.entries")
left, right = st.columns(2)
with left:
    st.subheader(tr("dash.by_theme"), anchor=False)
    themes = board.by_theme.rename(columns={"theme": THEME, "entries": ENTRIES})
    chart(
        alt.Chart(themes)
        .mark_bar()
        .encode(
            y=alt.Y(f"{THEME}:N", title=THEME, sort=None),
            x=alt.X(f"{ENTRIES}:Q", title=ENTRIES, axis=alt.Axis(tickMinStep=1, format="d")),
            tooltip=[
                alt.Tooltip(f"{THEME}:N", title=THEME),
                alt.Tooltip(f"{ENTRIES}:Q", title=ENTRIES),
            ],
        ),
        tr("dash.by_theme_alt"),
    )
with right:
    st.subheader(tr("dash.judging"), anchor=False)
    if board.judging.empty:
        st.caption(tr("admin.chart.no_judges"))
    elif not (board.judging[["scored", "remaining", "conflicts"]].to_numpy().sum()):
        st.caption(tr("dash.judging_not_started"))
    else:
        JUDGE, STATE = tr("dash.judge"), tr("dash.state")
        progress = board.judging.rename(
            columns={
                "judge": JUDGE,
                "scored": tr("dash.scored"),
                "remaining": tr("dash.remaining"),
                "conflicts": tr("dash.conflicts"),
            }
        ).melt(id_vars=JUDGE, var_name=STATE, value_name=COUNT)
        chart(
            alt.Chart(progress)
            .mark_bar()
            .encode(
                y=alt.Y(f"{JUDGE}:N", title=JUDGE),
                x=alt.X(
                    f"{COUNT}:Q",
                    title=COUNT,
                    stack="zero",
                    axis=alt.Axis(tickMinStep=1, format="d"),
                ),
                color=alt.Color(
                    f"{STATE}:N",
                    title=STATE,
                    sort=[tr("dash.scored"), tr("dash.remaining"), tr("dash.conflicts")],
                ),
                tooltip=[
                    alt.Tooltip(f"{JUDGE}:N", title=JUDGE),
                    alt.Tooltip(f"{STATE}:N", title=STATE),
                    alt.Tooltip(f"{COUNT}:Q", title=COUNT),
                ],
            ),
            tr("dash.judging_alt"),
        )

declared, files = st.columns(2)
declared.subheader(tr("dash.ai_declared"), anchor=False)
declared.dataframe(
    pd.DataFrame(
        [
            {tr("usage.col.tool"): use.tool or tr("usage.other"), ENTRIES: use.entries}
            for use in view.ai.tools
        ],
        columns=[tr("usage.col.tool"), ENTRIES],
    ),
    hide_index=True,
    width="stretch",
)
files.subheader(tr("dash.ai_files"), anchor=False)
files.dataframe(
    pd.DataFrame(
        [{tr("usage.col.file"): say(use.says), ENTRIES: use.entries} for use in view.ai.files],
        columns=[tr("usage.col.file"), ENTRIES],
    ),
    hide_index=True,
    width="stretch",
)
st.page_link("pages/ai_usage.py", label=tr("nav.ai_usage"), icon=":material/auto_awesome:")
