"""Admin: import the staff roster, hand out initial passwords, manage roles."""

import pandas as pd
import streamlit as st

from contest.accounts import users as accounts
from contest.accounts.roster import import_roster
from contest.core.errors import ContestError
from contest.core.models import Role
from ui import auth, state
from ui.i18n import show_error, tr
from ui.runtime import get_runtime

runtime = get_runtime()
user = auth.current_user()
st.title(tr("nav.admin_users"))

with st.container(border=True):
    st.subheader(tr("roster.import_title"))
    st.caption(tr("roster.import_help"))
    upload = st.file_uploader(tr("roster.file"), type=["csv"], key="roster_file")
    if upload is not None and st.button(tr("roster.import"), type="primary", key="roster_go"):
        try:
            with runtime.session() as session:
                result = import_roster(session, actor=user, data=upload.getvalue())
            if result.ok:
                st.success(tr("roster.imported", created=result.created, updated=result.updated))
                st.session_state[state.SHOW_PASSWORDS] = result.passwords_csv()
            else:
                st.error(tr("roster.nothing_imported"))
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
        except ContestError as error:
            show_error(error)
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

search = st.text_input(tr("users.search"), key="user_search")
try:
    with runtime.session() as session:
        users = list(accounts.list_users(session, actor=user, search=search))
except ContestError as error:
    show_error(error)
    st.stop()

st.dataframe(
    pd.DataFrame(
        [
            {
                "ID": u.id,
                tr("auth.login"): u.employee_no,
                tr("auth.name"): u.name,
                tr("users.department"): u.department,
                "e-mail": u.email,
                tr("auth.role"): tr(f"role.{u.role}"),
                tr("users.active"): u.is_active,
            }
            for u in users
        ]
    ),
    hide_index=True,
    use_container_width=True,
)

if users:
    labels = {u.id: f"{u.name} ({u.employee_no}, {u.department})" for u in users}
    target_id = st.selectbox(
        tr("users.choose"), list(labels), format_func=labels.__getitem__, key="user_choice"
    )
    target = next(u for u in users if u.id == target_id)
    cols = st.columns(3)
    role = cols[0].selectbox(
        tr("auth.role"),
        list(Role),
        index=list(Role).index(Role(target.role)),
        format_func=lambda r: tr(f"role.{r.value}"),
        key="user_role",
    )
    try:
        if cols[0].button(tr("users.set_role"), key="user_set_role"):
            with runtime.session() as session:
                accounts.set_role(session, actor=user, user_id=target.id or 0, role=role)
            st.rerun()
        label = tr("users.deactivate") if target.is_active else tr("users.activate")
        if cols[1].button(label, key="user_toggle"):
            with runtime.session() as session:
                accounts.set_active(
                    session, actor=user, user_id=target.id or 0, active=not target.is_active
                )
            st.rerun()
        if cols[2].button(tr("users.reset_password"), key="user_reset"):
            with runtime.session() as session:
                password = accounts.reset_password(session, actor=user, user_id=target.id or 0)
            st.info(tr("users.new_password", password=password), icon=":material/key:")
    except ContestError as error:
        show_error(error)
