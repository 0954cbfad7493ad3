"""Admin: the lifecycle steps, the shortlist (with manual changes) and judging progress."""

import pandas as pd
import streamlit as st

from contest.contests.queries import require_current
from contest.core.errors import ContestError
from contest.entries.moderation import moderation_list
from contest.judging import lifecycle
from contest.judging import scoring as judging
from contest.judging.queries import shortlist_items
from contest.voting.queries import vote_counts
from ui import auth
from ui.i18n import show_error, tr
from ui.runtime import get_runtime

runtime = get_runtime()
user = auth.current_user()
st.title(tr("nav.admin_judging"))
try:
    with runtime.session() as session:
        contest = require_current(session)
        cid = contest.id or 0
        progress = judging.judging_progress(session, actor=user, contest_id=cid)
        entries = moderation_list(session, actor=user, contest_id=cid, status="active")
        listed = {item.entry_id: item for item in shortlist_items(session, cid)}
        votes = vote_counts(session, contest_id=cid)
except ContestError as error:
    show_error(error)
    st.stop()

st.subheader(tr("admin.phase", phase=tr(f"phase.{contest.phase}")))
reason = st.text_input(
    tr("admin.step_reason"), key="step_reason", help=tr("admin.step_reason_help")
)
steps = {
    "close_voting": lambda s: lifecycle.close_voting(s, actor=user, contest_id=cid, reason=reason),
    "build_shortlist": lambda s: lifecycle.build_shortlist(s, actor=user, contest_id=cid),
    "lock_shortlist": lambda s: lifecycle.lock_shortlist(s, actor=user, contest_id=cid),
    "open_judging": lambda s: lifecycle.open_judging(s, actor=user, contest_id=cid),
    "close_judging": lambda s: lifecycle.close_judging(s, actor=user, contest_id=cid),
}
cols = st.columns(len(steps))
for col, (name, step) in zip(cols, steps.items(), strict=True):
    if col.button(tr(f"admin.step.{name}"), key=f"step_{name}", width="stretch"):
        try:
            with runtime.session() as session:
                step(session)
            st.rerun()
        except ContestError as error:
            show_error(error)

st.subheader(tr("admin.shortlist"))
by_id = {row.entry.id: row for row in entries}
st.dataframe(
    pd.DataFrame(
        [
            {
                tr("results.col.number"): row.entry.number,
                tr("results.col.title"): row.entry.title,
                tr("results.col.votes"): votes.get(row.entry.id or 0, 0),
                tr("admin.shortlisted"): row.entry.id in listed,
                tr("admin.source"): listed[row.entry.id].source if row.entry.id in listed else "",
                tr("admin.reason"): listed[row.entry.id].reason if row.entry.id in listed else "",
            }
            for row in sorted(entries, key=lambda r: -votes.get(r.entry.id or 0, 0))
        ]
    ),
    hide_index=True,
    width="stretch",
)
if by_id:
    with st.form("shortlist_change"):
        entry_id = st.selectbox(
            tr("admin.entry"),
            list(by_id),
            format_func=lambda e: f"#{by_id[e].entry.number} {by_id[e].entry.title}",
        )
        change_reason = st.text_input(tr("admin.reason"))
        left, right = st.columns(2)
        add = left.form_submit_button(tr("admin.shortlist_add"))
        remove = right.form_submit_button(tr("admin.shortlist_remove"))
    if add or remove:
        change = lifecycle.add_to_shortlist if add else lifecycle.remove_from_shortlist
        try:
            with runtime.session() as session:
                change(session, actor=user, contest_id=cid, entry_id=entry_id, reason=change_reason)
            st.rerun()
        except ContestError as error:
            show_error(error)

st.subheader(tr("admin.progress_judges"))
st.dataframe(pd.DataFrame([vars(r) for r in progress.judges]), hide_index=True, width="stretch")
st.subheader(tr("admin.progress_entries"))
st.dataframe(pd.DataFrame([vars(r) for r in progress.entries]), hide_index=True, width="stretch")
