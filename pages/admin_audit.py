"""Admin: the audit log as sentences, filtered by person, action and days (KST), with a CSV."""

from datetime import timedelta

import streamlit as st

from contest.reports import exports
from contest.reports.audit_log import action_label, audit_frame, sentence
from contest.reports.views import audit_view
from ui import page
from ui.i18n import lang, tr
from ui.text import md

SHOWN = 200  # sentences on screen; the table and the CSV hold them all

page.header(tr("nav.admin_audit"))
cols = st.columns(3)
days = st.session_state.get("audit_dates")
first, last = (days[0], days[-1]) if isinstance(days, tuple) and days else (None, None)
view = page.load(
    audit_view,
    first_day=first,
    last_day=last,
    action=st.session_state.get("audit_action"),
    actor_id=st.session_state.get("audit_actor"),
)
cols[0].selectbox(
    tr("admin.audit_actor"),
    list(view.people),
    format_func=view.people.__getitem__,
    index=None,
    placeholder=tr("audit.everyone"),
    key="audit_actor",
)
cols[1].selectbox(
    tr("admin.audit_action"),
    list(view.actions),
    format_func=lambda a: action_label(a, lang()),
    index=None,
    placeholder=tr("audit.every_action"),
    key="audit_action",
)
cols[2].date_input(
    tr("audit.dates"),
    (view.today - timedelta(days=30), view.today),
    max_value=view.today,
    key="audit_dates",
    format="YYYY-MM-DD",
)

if not view.lines:
    st.info(tr("audit.none"))
    st.stop()
frame = audit_frame(view.lines, lang())
st.caption(tr("admin.audit_count", count=len(view.lines)))
st.download_button(
    tr("audit.csv"),
    exports.to_csv(frame),
    "audit-log.csv",
    "text/csv",
    key="audit_csv",
    on_click="ignore",
    icon=":material/download:",
)
st.markdown("\n".join(f"- {md(sentence(line, lang()))}" for line in view.lines[:SHOWN]))
if len(view.lines) > SHOWN:
    st.caption(tr("audit.more", shown=SHOWN, count=len(view.lines)))
with st.expander(tr("audit.table")):
    st.dataframe(frame, hide_index=True, width="stretch")
