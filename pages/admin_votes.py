"""Admin: live tallies, the vote integrity report, and voiding a vote with a reason."""

import pandas as pd
import streamlit as st

from contest.contests.rules import TEXT_LIMITS
from contest.core.timeutil import format_local
from contest.voting.views import vote_admin_view
from contest.voting.votes import void_vote
from ui import page
from ui.i18n import tr

page.header(tr("vote.admin_title"))
seconds = st.number_input(tr("vote.seconds"), 1, 600, 10, key="vote_fast_seconds")
view = page.load(vote_admin_view, within_seconds=float(seconds))
counts, report, in_force = view.tallies, view.report, view.in_force

tz = view.timezone
live, integrity, void = st.tabs(
    [tr("vote.results_title"), tr("vote.report_title"), tr("vote.void_title")]
)
with live:
    st.caption(tr("vote.results_live"))
    frame = pd.DataFrame(
        [(t.number, t.title, t.department, t.votes) for t in counts],
        columns=[tr("vote.number"), tr("entry.title"), tr("vote.department"), tr("vote.votes")],
    )
    st.dataframe(frame, hide_index=True, width="stretch")

with integrity:
    st.subheader(tr("vote.per_hour", tz=tz))
    hours = report.per_hour.assign(
        hour=lambda f: f["hour"].map(lambda h: h.strftime("%m-%d %H:00"))
    )
    st.bar_chart(hours.set_index("hour")[["cast", "retract", "void"]], x_label=tr("vote.hour"))
    st.subheader(tr("vote.fast_voters", seconds=seconds))
    if not report.fast_voters:
        st.caption(tr("vote.fast_none"))
    else:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        tr("vote.col.voter"): f"{v.name} ({v.employee_no})",
                        tr("vote.department"): v.department,
                        tr("vote.col.first"): format_local(v.first_at, tz),
                        tr("vote.col.last"): format_local(v.last_at, tz),
                        tr("vote.col.span"): v.seconds,
                        tr("vote.col.casts"): v.casts,
                    }
                    for v in report.fast_voters
                ]
            ),
            hide_index=True,
        )
    st.subheader(tr("vote.blocks"))
    if report.departments.empty:
        st.caption(tr("vote.blocks_none"))
    else:
        st.dataframe(
            report.departments.rename(
                columns={
                    "department": tr("vote.department"),
                    "votes": tr("vote.col.casts"),
                    "own_votes": tr("vote.col.own_votes"),
                    "own_share": tr("vote.col.own_share"),
                    "entry_share": tr("vote.col.entry_share"),
                    "flagged": tr("vote.col.flagged"),
                }
            ),
            hide_index=True,
        )

with void:
    if not in_force:
        st.caption(tr("vote.void_none"))
        st.stop()
    labels = {
        v.vote_id: f"{v.voter} · {v.department} → {v.number}. {v.title} · {format_local(v.at, tz)}"
        for v in in_force
    }
    with st.form("vote_void", clear_on_submit=True):
        vote_id = st.selectbox(tr("vote.void_entry"), list(labels), format_func=labels.__getitem__)
        reason = st.text_input(tr("vote.void_reason"), max_chars=TEXT_LIMITS["reason"])
        submitted = st.form_submit_button(tr("vote.void_button"), type="primary")
    if submitted:
        page.act(void_vote, vote_id=vote_id, reason=reason, done=tr("vote.void_done"))
