"""Admin: the duplicate review queue, cross-author pairs first; dismiss, or confirm and
disqualify one of the pair, with a reason."""

import streamlit as st

from contest.contests.queries import require_current
from contest.core.errors import ContestError
from contest.dedupe.flags import confirm_flag, dismiss_flag, review_queue
from contest.entries.moderation import moderation_list
from ui import auth
from ui.i18n import show_error, tr
from ui.images import display_source
from ui.runtime import get_runtime

runtime = get_runtime()
user = auth.current_user()
st.title(tr("nav.admin_duplicates"))
try:
    with runtime.session() as session:
        contest = require_current(session)
        flags = list(review_queue(session, actor=user, contest_id=contest.id or 0))
        rows = {
            r.entry.id: r for r in moderation_list(session, actor=user, contest_id=contest.id or 0)
        }
except ContestError as error:
    show_error(error)
    st.stop()
if not flags:
    st.success(tr("admin.duplicates_none"))
    st.stop()
st.caption(tr("admin.duplicates_count", count=len(flags)))

for flag in flags[:20]:
    pair = [rows[flag.entry_id], rows[flag.other_entry_id]]
    with st.container(border=True):
        kind = tr("admin.cross_author" if flag.cross_author else "admin.same_author")
        st.markdown(
            f"**{tr(f'flag.level.{flag.level}')}** · {kind} · "
            f"{tr('admin.distance', distance=round(flag.distance, 3))}"
        )
        cols = st.columns(2)
        for col, row in zip(cols, pair, strict=True):
            col.image(display_source(row.image.display_key))
            col.markdown(f"**#{row.entry.number} {row.entry.title}**")
            col.caption(
                f"{row.author.name} ({row.author.department}) · "
                f"{tr(f'entry.status.{row.entry.status}')}"
            )
        with st.expander(tr("admin.evidence")):
            st.json(flag.evidence)
        with st.form(f"flag_{flag.id}"):
            reason = st.text_input(tr("admin.reason"))
            target = st.radio(
                tr("admin.disqualify_which"),
                [r.entry.id for r in pair],
                format_func=lambda e: f"#{rows[e].entry.number} {rows[e].entry.title}",
                horizontal=True,
            )
            left, right = st.columns(2)
            dismiss = left.form_submit_button(tr("admin.dismiss"))
            confirm = right.form_submit_button(tr("admin.confirm_disqualify"), type="primary")
        if dismiss or confirm:
            try:
                with runtime.session() as session:
                    if dismiss:
                        dismiss_flag(session, actor=user, flag_id=flag.id or 0, reason=reason)
                    else:
                        confirm_flag(
                            session,
                            actor=user,
                            flag_id=flag.id or 0,
                            disqualify_entry_id=target or 0,
                            reason=reason,
                        )
                st.rerun()
            except ContestError as error:
                show_error(error)
