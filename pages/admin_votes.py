"""Admin: live tallies, the vote integrity report, and voiding a vote with a reason."""

import altair as alt
import pandas as pd
import streamlit as st

from contest.contests.rules import TEXT_LIMITS
from contest.voting.views import vote_admin_view
from contest.voting.votes import void_vote
from ui import page
from ui.charts import chart
from ui.format import moment, number, share, yes_no
from ui.i18n import tr
from ui.text import md

SECONDS = "vote_fast_seconds"

page.header(tr("vote.admin_title"))
seconds = int(st.session_state.get(SECONDS, 10))
view = page.load(vote_admin_view, within_seconds=float(seconds))
counts, report, in_force = view.tallies, view.report, view.in_force
tz = view.timezone

live, integrity, void = st.tabs(
    [tr("vote.results_title"), tr("vote.report_title"), tr("vote.void_title")]
)
with live:
    st.caption(tr("vote.results_live"))
    if not counts:
        st.caption(tr("vote.no_entries"))
    else:
        frame = pd.DataFrame(
            [(t.number, t.title, t.department or "", t.votes) for t in counts],
            columns=[tr("vote.number"), tr("entry.title"), tr("vote.department"), tr("vote.votes")],
        )
        st.dataframe(frame, hide_index=True, width="stretch")

with integrity:
    st.subheader(tr("vote.per_hour", tz=tz), anchor=False)
    HOUR, KIND, COUNT = tr("vote.hour"), tr("vote.kind"), tr("vote.count")
    if report.per_hour.empty:
        st.caption(tr("vote.no_votes"))
    else:
        hours = report.per_hour.assign(
            hour=lambda f: f["hour"].map(
                lambda h: tr("vote.hour_label", day=h.strftime("%m-%d"), hour=h.hour)
            )
        ).rename(
            columns={
                "hour": HOUR,
                "cast": tr("vote.col.cast"),
                "retract": tr("vote.col.retract"),
                "void": tr("vote.col.void"),
            }
        )
        long = hours.melt(id_vars=HOUR, var_name=KIND, value_name=COUNT)
        chart(
            alt.Chart(long)
            .mark_bar()
            .encode(
                x=alt.X(f"{HOUR}:O", title=HOUR, sort=None, axis=alt.Axis(labelAngle=-45)),
                y=alt.Y(
                    f"{COUNT}:Q",
                    title=COUNT,
                    stack="zero",
                    axis=alt.Axis(tickMinStep=1, format="d"),
                ),
                color=alt.Color(f"{KIND}:N", title=KIND),
                tooltip=[
                    alt.Tooltip(f"{HOUR}:O", title=HOUR),
                    alt.Tooltip(f"{KIND}:N", title=KIND),
                    alt.Tooltip(f"{COUNT}:Q", title=COUNT),
                ],
            ),
            tr("vote.per_hour_alt"),
        )

    st.subheader(tr("vote.fast_voters", seconds=seconds), anchor=False)
    st.number_input(
        tr("vote.seconds"),
        min_value=1,
        max_value=600,
        value=10,
        step=1,
        key=SECONDS,
        help=tr("vote.seconds_help"),
    )
    if not report.fast_voters:
        st.caption(tr("vote.fast_none"))
    else:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        tr("vote.col.voter"): f"{v.name} ({v.employee_no})",
                        tr("vote.department"): v.department,
                        tr("vote.col.first"): moment(v.first_at, tz),
                        tr("vote.col.last"): moment(v.last_at, tz),
                        tr("vote.col.span"): number(v.seconds, 1),
                        tr("vote.col.casts"): v.casts,
                    }
                    for v in report.fast_voters
                ]
            ),
            hide_index=True,
        )
    st.subheader(tr("vote.blocks"), anchor=False)
    st.caption(tr("vote.blocks_help"))
    if report.departments.empty:
        st.caption(tr("vote.blocks_none"))
    else:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        tr("vote.department"): row.department,
                        tr("vote.col.casts"): row.votes,
                        tr("vote.col.own_votes"): row.own_votes,
                        tr("vote.col.own_share"): share(row.own_share),
                        tr("vote.col.entry_share"): share(row.entry_share),
                        tr("vote.col.flagged"): yes_no(bool(row.flagged)),
                    }
                    for row in report.departments.itertuples()
                ]
            ),
            hide_index=True,
        )

with void:
    if not in_force:
        st.caption(tr("vote.void_none"))
        st.stop()
    labels = {
        v.vote_id: tr(
            "vote.void_option",
            voter=v.voter,
            department=v.department,
            number=v.number,
            title=v.title,
            at=moment(v.at, tz),
        )
        for v in in_force
    }
    with st.form("vote_void", clear_on_submit=True, enter_to_submit=False):
        vote_id = st.selectbox(
            tr("vote.void_entry"),
            list(labels),
            format_func=labels.__getitem__,
            placeholder=tr("common.choose"),
        )
        reason = st.text_input(tr("vote.void_reason"), max_chars=TEXT_LIMITS["reason"])
        submitted = st.form_submit_button(tr("vote.void_button"), type="primary")
    if submitted:
        page.act(
            void_vote,
            vote_id=vote_id,
            reason=reason,
            done=tr("vote.void_done_what", what=md(labels.get(vote_id, ""))),
        )
