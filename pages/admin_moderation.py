"""Admin: hide, disqualify or restore an entry, always with a reason (kept in the audit log)."""

import pandas as pd
import streamlit as st

from contest.contests.queries import require_current
from contest.core.errors import ContestError
from contest.core.models import EntryStatus
from contest.core.timeutil import format_local
from contest.entries import moderation
from ui import auth
from ui.i18n import show_error, tr
from ui.images import thumb_source
from ui.runtime import get_runtime

runtime = get_runtime()
user = auth.current_user()
st.title(tr("nav.admin_moderation"))
status = st.pills(
    tr("admin.status_filter"),
    [s.value for s in EntryStatus],
    format_func=lambda s: tr(f"entry.status.{s}"),
    key="moderation_status",
)
try:
    with runtime.session() as session:
        contest = require_current(session)
        rows = moderation.moderation_list(
            session, actor=user, contest_id=contest.id or 0, status=status
        )
except ContestError as error:
    show_error(error)
    st.stop()

st.dataframe(
    pd.DataFrame(
        [
            {
                tr("results.col.number"): r.entry.number,
                tr("results.col.title"): r.entry.title,
                tr("admin.author"): f"{r.author.name} ({r.author.department})",
                tr("admin.status"): tr(f"entry.status.{r.entry.status}"),
                tr("admin.reason"): r.entry.status_reason,
                tr("admin.updated"): format_local(r.entry.updated_at, contest.timezone),
            }
            for r in rows
        ]
    ),
    hide_index=True,
    width="stretch",
)
if not rows:
    st.stop()
by_id = {r.entry.id or 0: r for r in rows}
entry_id = st.selectbox(
    tr("admin.entry"),
    list(by_id),
    format_func=lambda e: f"#{by_id[e].entry.number} {by_id[e].entry.title}",
    key="moderation_entry",
)
chosen = by_id[entry_id]
left, right = st.columns([1, 2])
left.image(thumb_source(chosen.image.thumb_key))
with right.form("moderate"):
    action = st.radio(
        tr("admin.action"),
        list(moderation.ACTIONS),
        format_func=lambda a: tr(f"admin.action.{a}"),
        horizontal=True,
    )
    reason = st.text_input(tr("admin.reason"))
    if st.form_submit_button(tr("admin.apply"), type="primary"):
        try:
            with runtime.session() as session:
                moderation.moderate(
                    session, actor=user, entry_id=entry_id, action=action, reason=reason
                )
            st.rerun()
        except ContestError as error:
            show_error(error)
