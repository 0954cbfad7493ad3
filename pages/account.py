"""The signed-in user's profile and password change (required at first sign-in)."""

import streamlit as st

from contest.accounts import users as accounts
from contest.core.errors import ContestError
from ui import auth
from ui.i18n import show_error, tr
from ui.runtime import get_runtime

user = auth.current_user()
assert user is not None  # app.py only routes signed-in users here
st.title(tr("account.title"))
st.write(f"**{user.name}** · {user.department} · {user.employee_no} · {user.email}")
st.caption(tr(f"role.{user.role}"))

if auth.oidc_enabled():
    st.info(tr("account.oidc_managed"))
    st.stop()

if user.must_change_password:
    st.warning(tr("account.must_change"), icon=":material/key:")

with st.form("change_password", clear_on_submit=True):
    st.subheader(tr("account.change_password"))
    current = st.text_input(tr("account.current_password"), type="password", key="pw_current")
    new = st.text_input(tr("account.new_password"), type="password", key="pw_new")
    again = st.text_input(tr("account.new_password_again"), type="password", key="pw_again")
    st.caption(tr("account.password_rule"))
    submitted = st.form_submit_button(tr("account.save_password"), type="primary")

if submitted:
    if new != again:
        st.error(tr("account.passwords_differ"))
    else:
        try:
            with get_runtime().session() as session:
                me = accounts.get_user(session, user.id or 0)
                accounts.change_password(session, actor=me, current=current, new=new)
            auth.sign_in(me)  # the old stay-signed-in cookie died with the old password
            st.success(tr("account.password_changed"))
            if user.must_change_password:
                st.rerun()
        except ContestError as error:
            show_error(error)
