"""Admin: the lifecycle steps, the shortlist (with manual changes) and judging progress."""

import pandas as pd
import streamlit as st

from contest.contests.rules import TEXT_LIMITS
from contest.judging import lifecycle
from contest.judging.views import judging_admin_view
from ui import page
from ui.i18n import tr

page.header(tr("nav.admin_judging"))
view = page.load(judging_admin_view)

st.subheader(tr("admin.phase", phase=tr(f"phase.{view.phase.value}")))
reason = st.text_input(
    tr("admin.step_reason"),
    key="step_reason",
    help=tr("admin.step_reason_help"),
    max_chars=TEXT_LIMITS["reason"],
)
steps = {
    "close_voting": (lifecycle.close_voting, {"reason": reason}),
    "build_shortlist": (lifecycle.build_shortlist, {}),
    "lock_shortlist": (lifecycle.lock_shortlist, {}),
    "open_judging": (lifecycle.open_judging, {}),
    "close_judging": (lifecycle.close_judging, {}),
}
cols = st.columns(len(view.steps))
for col, name in zip(cols, view.steps, strict=True):
    if col.button(tr(f"admin.step.{name}"), key=f"step_{name}", width="stretch"):
        step, extra = steps[name]
        page.act(step, contest_id=view.contest_id, done=tr(f"admin.step_done.{name}"), **extra)

st.subheader(tr("admin.shortlist"))
st.dataframe(
    pd.DataFrame(
        [
            {
                tr("results.col.number"): row.number,
                tr("results.col.title"): row.title,
                tr("results.col.votes"): row.votes,
                tr("admin.shortlisted"): row.item is not None,
                tr("admin.source"): row.item.source if row.item else "",
                tr("admin.reason"): row.item.reason if row.item else "",
            }
            for row in view.entries
        ]
    ),
    hide_index=True,
    width="stretch",
)
by_id = {row.entry_id: row for row in view.entries}
if by_id:
    with st.form("shortlist_change"):
        entry_id = st.selectbox(
            tr("admin.entry"),
            list(by_id),
            format_func=lambda e: f"#{by_id[e].number} {by_id[e].title}",
        )
        change_reason = st.text_input(tr("admin.reason"), max_chars=TEXT_LIMITS["reason"])
        left, right = st.columns(2)
        add = left.form_submit_button(tr("admin.shortlist_add"))
        remove = right.form_submit_button(tr("admin.shortlist_remove"))
    if add or remove:
        page.act(
            lifecycle.add_to_shortlist if add else lifecycle.remove_from_shortlist,
            contest_id=view.contest_id,
            entry_id=entry_id,
            reason=change_reason,
            done=tr("admin.shortlist_added" if add else "admin.shortlist_removed"),
        )

st.subheader(tr("admin.progress_judges"))
st.dataframe(
    pd.DataFrame([vars(r) for r in view.progress.judges]), hide_index=True, width="stretch"
)
st.subheader(tr("admin.progress_entries"))
st.dataframe(
    pd.DataFrame([vars(r) for r in view.progress.entries]), hide_index=True, width="stretch"
)
