"""Sign in with an employee number or e-mail and password, or through the city's OIDC."""

import streamlit as st

from contest.accounts.users import authenticate
from contest.core.errors import ContestError
from contest.demo.seed import DEMO_PASSWORD, SHOWN_ACCOUNTS
from contest.privacy.views import privacy_notice as privacy_view_notice
from ui import auth, page
from ui.client import this_client
from ui.format import moment
from ui.i18n import error_text, tr
from ui.runtime import get_runtime
from ui.telemetry import measured
from ui.text import md

st.title(tr("app.title"))
if "entry" in st.query_params:
    st.info(tr("auth.sign_in_to_see_entry"), icon=":material/qr_code:")


def privacy_notice() -> None:
    """How long the current contest keeps staff's records (privacy/retention.py)."""
    try:
        with measured("view", "privacy_notice"), runtime.session() as session:
            notice = privacy_view_notice(session, actor=None)
    except ContestError:  # the database is away: the form says so when it is used
        return
    if notice is None:
        return
    if notice.purged:
        kept = tr("privacy.notice_purged")
    elif notice.until is not None:
        kept = tr("privacy.notice_until", until=moment(notice.until, notice.timezone))
    else:
        kept = tr("privacy.notice_days", days=notice.days)
    with st.container(border=True):
        st.markdown(f"**{tr('privacy.notice_title')}**")
        said = (tr("privacy.notice", contest=md(notice.contest_name)), kept)
        st.caption(" ".join((*said, tr("privacy.notice_public"))))


runtime = get_runtime()
if auth.oidc_enabled():
    st.button(tr("auth.oidc_button"), on_click=st.login, type="primary", key="oidc_login")
    privacy_notice()
    st.stop()

with st.form("sign_in"):
    st.subheader(tr("auth.sign_in"))
    login = st.text_input(tr("auth.login"), key="login", placeholder=tr("auth.login_example"))
    password = st.text_input(tr("auth.password"), type="password", key="password")
    submitted = st.form_submit_button(tr("auth.sign_in"), type="primary")

if submitted:
    try:
        with measured("action", "authenticate"), runtime.session() as session:
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
privacy_notice()
