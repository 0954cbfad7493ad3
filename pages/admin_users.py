"""Admin: import the staff roster, hand out initial passwords, manage roles."""

import pandas as pd
import streamlit as st

from contest.accounts import users
from contest.accounts.roster import MAX_BYTES, RosterImport, import_roster
from contest.accounts.views import users_view
from contest.contests.rules import TEXT_LIMITS
from contest.contests.settings import DEFAULT_TIMEZONE
from contest.core.models import Role
from contest.judging.entrants import change_role
from ui import page, state
from ui.format import moment, yes_no
from ui.i18n import tr
from ui.text import md
from ui.uploads import uploader_texts

ROSTER_MB = MAX_BYTES // (1024 * 1024)

page.header(tr("nav.admin_users"))

with st.container(border=True):
    st.subheader(tr("roster.import_title"))
    st.caption(tr("roster.import_help"))
    uploader_texts(tr("upload.limit_csv", mb=ROSTER_MB))
    upload = st.file_uploader(tr("roster.file"), type=["csv"], key="roster_file")
    if upload is not None and st.button(tr("roster.import"), type="primary", key="roster_go"):
        result: RosterImport | None = page.act(import_roster, data=upload.getvalue(), rerun=False)
        if result is not None and result.ok:
            said = f"roster.imported.{result.outcome}"
            page.show(tr(said, created=result.created, updated=result.updated), "success")
            st.session_state[state.SHOW_PASSWORDS] = result.passwords_csv()
        elif result is not None:
            page.show(tr("roster.nothing_imported"), "error")
            st.dataframe(
                pd.DataFrame(
                    [
                        {
                            tr("roster.line"): p.line,
                            tr("roster.problem"): tr(p.key),
                            tr("roster.value"): p.value,
                        }
                        for p in result.problems
                    ]
                ),
                hide_index=True,
            )
        else:
            page.notices()
    passwords = st.session_state.get(state.SHOW_PASSWORDS)
    if passwords:
        st.warning(tr("roster.passwords_once"), icon=":material/key:")
        if st.download_button(
            tr("roster.download_passwords"),
            passwords,
            "initial_passwords.csv",
            "text/csv",
            key="roster_passwords",
            on_click="ignore",
        ):
            st.session_state.pop(state.SHOW_PASSWORDS, None)

search = st.text_input(tr("users.search"), key="user_search", max_chars=TEXT_LIMITS["search"])
view = page.load(users_view, search=search)
st.dataframe(
    pd.DataFrame(
        [
            {
                tr("users.employee_no"): u.employee_no,
                tr("auth.name"): u.name,
                tr("users.department"): u.department,
                tr("users.email"): u.email,
                tr("auth.role"): tr(f"role.{u.role}"),
                tr("users.active"): yes_no(u.is_active),
                tr("users.locked"): moment(view.locked.get(u.id or 0), DEFAULT_TIMEZONE),
            }
            for u in view.users
        ]
    ),
    hide_index=True,
    width="stretch",
)

if view.users:
    labels = {u.id: f"{u.name} ({u.employee_no}, {u.department})" for u in view.users}
    target_id = st.selectbox(
        tr("users.choose"),
        list(labels),
        format_func=labels.__getitem__,
        key="user_choice",
        placeholder=tr("common.choose"),
    )
    target = next(u for u in view.users if u.id == target_id)
    who = md(target.name)
    cols = st.columns(4)
    role = cols[0].selectbox(
        tr("auth.role"),
        list(Role),
        index=list(Role).index(Role(target.role)),
        format_func=lambda r: tr(f"role.{r.value}"),
        key="user_role",
        placeholder=tr("common.choose"),
    )
    role_reason = cols[0].text_input(
        tr("users.role_reason"),
        key="user_role_reason",
        max_chars=TEXT_LIMITS["reason"],
        help=tr("users.role_reason_help"),
    )
    if cols[0].button(tr("users.set_role"), key="user_set_role"):
        page.act(
            change_role,
            user_id=target.id,
            role=role,
            reason=role_reason,
            done=tr("users.role_set", name=who, role=tr(f"role.{role.value}")),
        )
    label = tr("users.deactivate") if target.is_active else tr("users.activate")
    if cols[1].button(label, key="user_toggle"):
        page.act(
            users.set_active,
            user_id=target.id,
            active=not target.is_active,
            done=tr("users.deactivated" if target.is_active else "users.activated", name=who),
        )
    locked = target.id in view.locked
    if cols[3].button(tr("users.unlock"), key="user_unlock", disabled=not locked):
        page.act(users.lift_lock, user_id=target.id, done=tr("users.unlocked", name=who))
    if cols[2].button(tr("users.reset_password"), key="user_reset"):
        password = page.act(users.reset_password, user_id=target.id, rerun=False)
        if password is not None:
            page.show(tr("users.new_password", password=password), "info")
        else:
            page.notices()
