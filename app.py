"""Entry point and router: page config, sign-in gate, role-based navigation."""

from __future__ import annotations

import streamlit as st

from contest.core.errors import ContestError
from contest.core.models import Role
from ui import auth
from ui.i18n import error_text, language_switch, tr
from ui.nav import pages_for
from ui.notices import show
from ui.runtime import get_runtime
from ui.text import md


def unavailable(error: ContestError) -> None:
    """The database is down: say so on a page of its own; the next rerun tries again."""
    page = st.Page(
        lambda: show(error_text(error), "error"), title=tr("app.title"), url_path="unavailable"
    )
    st.navigation([page], position="hidden").run()
    st.stop()


st.set_page_config(page_title=tr("app.title"), page_icon=":material/palette:", layout="wide")
language_switch()
try:
    runtime = get_runtime()
    user = auth.current_user()
except ContestError as error:
    unavailable(error)
if runtime.settings.demo:
    st.sidebar.caption(tr("app.demo_banner"))
auth.write_cookie()
if user is None:
    pages = [
        st.Page("pages/sign_in.py", title=tr("nav.sign_in"), icon=":material/login:", default=True)
    ]
    st.navigation(pages, position="hidden").run()
elif user.must_change_password and not auth.oidc_enabled():
    pages = [
        st.Page("pages/account.py", title=tr("nav.account"), icon=":material/key:", default=True)
    ]
    st.navigation(pages, position="hidden").run()
else:
    sections: dict[str, list[st.Page]] = {}
    for spec in pages_for(Role(user.role)):
        page = st.Page(
            spec.path,
            title=tr(spec.title_key),
            icon=spec.icon,
            default=spec.path == "pages/home.py",
            visibility="hidden" if spec.hidden else "visible",
        )
        sections.setdefault(tr(spec.section_key), []).append(page)
    with st.sidebar:
        st.caption(f"{md(user.name)} · {md(user.department)} · {tr('role.' + user.role)}")
        if st.button(tr("auth.sign_out"), icon=":material/logout:", key="sign_out"):
            auth.sign_out(user)
            st.rerun()
    st.navigation(sections, expanded=True).run()
