"""Admin: the audit log, filtered by action, actor and date."""

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from contest.core.timeutil import format_local
from contest.reports.views import audit_view
from ui import page
from ui.i18n import tr

page.header(tr("nav.admin_audit"))
cols = st.columns(3)
action = cols[0].text_input(tr("admin.audit_action"), key="audit_action").strip()
today = date.today()
days = cols[2].date_input(
    tr("admin.audit_dates"), (today - timedelta(days=30), today), key="audit_dates"
)
start, end = (days[0], days[-1]) if isinstance(days, tuple) and days else (today, today)
view = page.load(
    audit_view,
    first_day=start,
    last_day=end,
    action=action or None,
    actor_id=st.session_state.get("audit_actor"),
)
people = view.people
cols[1].selectbox(
    tr("admin.audit_actor"),
    [None, *people],
    format_func=lambda u: people.get(u, "—") if u is not None else "—",
    key="audit_actor",
)
st.dataframe(
    pd.DataFrame(
        [
            {
                tr("admin.audit_at"): format_local(e.at, view.timezone),
                tr("admin.audit_actor"): people.get(e.actor_id or 0, "—"),
                tr("admin.audit_action"): e.action,
                tr("admin.audit_target"): f"{e.target_type} {e.target_id or ''}".strip(),
                tr("admin.reason"): e.reason,
                tr("admin.audit_details"): str(e.details) if e.details else "",
            }
            for e in view.events
        ]
    ),
    hide_index=True,
    width="stretch",
)
st.caption(tr("admin.audit_count", count=len(view.events)))
