"""The signed-in user's profile and password change (required at first sign-in)."""

import streamlit as st

from contest.accounts.users import change_password
from contest.accounts.views import account_view
from ui import auth, page
from ui.i18n import tr
from ui.text import md

page.header(tr("account.title"))
me = page.load(account_view)
st.write(f"**{md(me.name)}** · {md(me.department)} · {md(me.employee_no)} · {md(me.email)}")
st.caption(tr(f"role.{me.role}"))

if auth.oidc_enabled():
    page.stop_with(tr("account.oidc_managed"))

if me.must_change_password:
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
        page.show(tr("account.passwords_differ"), "error")
    else:
        changed = page.act(
            change_password,
            current=current,
            new=new,
            done=tr("account.password_changed"),
            rerun=False,
        )
        if changed is not None:
            auth.sign_in(changed)  # the old stay-signed-in cookie died with the old password
        st.rerun()
