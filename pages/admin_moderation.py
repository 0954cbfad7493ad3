"""Admin: hide, disqualify or restore an entry, always with a reason (kept in the audit log)."""

import pandas as pd
import streamlit as st

from contest.contests.rules import TEXT_LIMITS
from contest.core.models import EntryStatus
from contest.entries import moderation
from contest.entries.views import moderation_view
from ui import page
from ui.format import moment
from ui.i18n import tr
from ui.images import thumb_source
from ui.provenance import show_file_record
from ui.text import body

page.header(tr("nav.admin_moderation"))
status = st.pills(
    tr("admin.status_filter"),
    [s.value for s in EntryStatus],
    format_func=lambda s: tr(f"entry.status.{s}"),
    key="moderation_status",
)
view = page.load(moderation_view, status=status)
rows = view.rows
st.dataframe(
    pd.DataFrame(
        [
            {
                tr("results.col.number"): r.entry.number,
                tr("results.col.title"): r.entry.title,
                tr("admin.author"): f"{r.author.name} ({r.author.department})",
                tr("admin.status"): tr(f"entry.status.{r.entry.status}"),
                tr("admin.reason"): r.entry.status_reason,
                tr("admin.updated"): moment(r.entry.updated_at, view.timezone),
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
    format_func=lambda e: tr(
        "entry.heading", number=by_id[e].entry.number, title=by_id[e].entry.title
    ),
    key="moderation_entry",
    placeholder=tr("common.choose"),
)
chosen = by_id[entry_id]
left, right = st.columns([1, 2])
left.image(
    thumb_source(chosen.image.thumb_key),
    alt=tr("image.alt", title=chosen.entry.title, theme=chosen.entry.theme),
)
with left:
    st.markdown(f"**{tr('poster.disclosure')}**")
    body(chosen.declared)
    show_file_record(chosen.file_record)
with right.form("moderate", enter_to_submit=False):
    action = st.radio(
        tr("admin.action"),
        list(moderation.ACTIONS),
        format_func=lambda a: tr(f"admin.action.{a}"),
        horizontal=True,
    )
    reason = st.text_input(tr("admin.reason"), max_chars=TEXT_LIMITS["reason"])
    if st.form_submit_button(tr("admin.apply"), type="primary"):
        page.act(
            moderation.moderate,
            entry_id=entry_id,
            action=action,
            reason=reason,
            done=tr(f"admin.action_done.{action}", number=chosen.entry.number),
        )
