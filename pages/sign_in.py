"""Sign in with an employee number or e-mail and password, or through the city's OIDC."""

import streamlit as st

from contest.accounts.users import authenticate
from contest.core.errors import ContestError
from contest.demo.seed import DEMO_PASSWORD, SHOWN_ACCOUNTS
from ui import auth, page
from ui.client import this_client
from ui.i18n import error_text, tr
from ui.runtime import get_runtime

st.title(tr("app.title"))
if "entry" in st.query_params:
    st.info(tr("auth.sign_in_to_see_entry"), icon=":material/qr_code:")

if auth.oidc_enabled():
    st.button(tr("auth.oidc_button"), on_click=st.login, type="primary", key="oidc_login")
    st.stop()

runtime = get_runtime()
with st.form("sign_in"):
    st.subheader(tr("auth.sign_in"))
    login = st.text_input(tr("auth.login"), key="login", placeholder="D1001 / name@incheon.go.kr")
    password = st.text_input(tr("auth.password"), type="password", key="password")
    submitted = st.form_submit_button(tr("auth.sign_in"), type="primary")

if submitted:
    try:
        with runtime.session() as session:
            user = authenticate(session, login=login, password=password, address=this_client())
        auth.sign_in(user)
        st.rerun()
    except ContestError as error:
        page.show(error_text(error), "error")

if runtime.settings.demo:
    with st.container(border=True):
        st.markdown(f"**{tr('auth.demo_accounts')}**")
        st.table(
            [
                {
                    tr("auth.login"): a.employee_no,
                    tr("auth.password"): DEMO_PASSWORD,
                    tr("auth.role"): tr(f"role.{a.role.value}"),
                    tr("auth.name"): a.name,
                }
                for a in SHOWN_ACCOUNTS
            ]
        )
