"""Admin: the audit log, filtered by action, actor and date."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from contest.accounts import users as accounts
from contest.contests.queries import require_current
from contest.core.audit import list_events
from contest.core.errors import ContestError
from contest.core.timeutil import format_local, local, utcnow
from ui import auth
from ui.i18n import show_error, tr
from ui.runtime import get_runtime

runtime = get_runtime()
user = auth.current_user()
st.title(tr("nav.admin_audit"))
try:
    with runtime.session() as session:
        contest = require_current(session)
        people = {
            u.id: f"{u.name} ({u.employee_no})" for u in accounts.list_users(session, actor=user)
        }
except ContestError as error:
    show_error(error)
    st.stop()

tz = contest.timezone
cols = st.columns(3)
action = cols[0].text_input(tr("admin.audit_action"), key="audit_action").strip()
actor_id = cols[1].selectbox(
    tr("admin.audit_actor"),
    [None, *people],
    format_func=lambda u: people.get(u, "—"),
    key="audit_actor",
)
today = local(utcnow(), tz).date()
days = cols[2].date_input(
    tr("admin.audit_dates"), (today - timedelta(days=30), today), key="audit_dates"
)
start, end = (days[0], days[-1]) if isinstance(days, tuple) and days else (today, today)
since = datetime.combine(start, time(0), tzinfo=ZoneInfo(tz))
until = datetime.combine(end + timedelta(days=1), time(0), tzinfo=ZoneInfo(tz))
with runtime.session() as session:
    events = list_events(
        session, actor=user, action=action or None, actor_id=actor_id, since=since, limit=2000
    )
events = [e for e in events if e.at < until]
st.dataframe(
    pd.DataFrame(
        [
            {
                tr("admin.audit_at"): format_local(e.at, tz),
                tr("admin.audit_actor"): people.get(e.actor_id, "—"),
                tr("admin.audit_action"): e.action,
                tr("admin.audit_target"): f"{e.target_type} {e.target_id or ''}".strip(),
                tr("admin.reason"): e.reason,
                tr("admin.audit_details"): str(e.details) if e.details else "",
            }
            for e in events
        ]
    ),
    hide_index=True,
    width="stretch",
)
st.caption(tr("admin.audit_count", count=len(events)))
