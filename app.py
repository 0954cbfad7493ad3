"""Entry point and router: who is signed in, their language, page config, and which script
serves each page address (ui/nav.py)."""

from __future__ import annotations

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from contest.core.errors import ContestError
from contest.core.models import Role
from ui import auth, state, telemetry
from ui.browser import habits
from ui.i18n import error_text, follow, lang, language_switch, tr
from ui.nav import (
    CONTEST,
    HOME,
    Route,
    forget_unknown_address,
    is_poster_visit,
    pages_for,
    password_routes,
    signed_in_extras,
    signed_out_routes,
)
from ui.notices import show
from ui.page import FAVICON
from ui.runtime import get_runtime
from ui.text import md


def _pages(routes: list[Route]) -> list[st.Page]:
    return [
        st.Page(
            r.script,
            title=tr(r.title_key),
            icon=r.icon,
            url_path=r.url_path,
            default=r.default,
            visibility="hidden",
        )
        for r in routes
    ]


def configure_page() -> None:
    """Title, icon and layout; the icon is the app's own file (a Material icon name would make
    every browser fetch it from fonts.gstatic.com, outside the city's network)."""
    st.set_page_config(page_title=tr("app.title"), page_icon=FAVICON, layout="wide")


def run(page: StreamlitPage, root: str) -> None:
    """Run the page the address chose, timed as one rerun of it (``root``: the default page's
    name, whose address is empty)."""
    with telemetry.page_run(page.url_path or root):
        page.run()


def unavailable(error: ContestError) -> None:
    """The database is down: say so on a page of its own; the next rerun tries again."""
    page = st.Page(
        lambda: show(error_text(error), "error"), title=tr("app.title"), url_path="unavailable"
    )
    st.navigation([page], position="hidden").run()
    st.stop()


try:
    runtime = get_runtime()
    user = auth.current_user()
except ContestError as error:
    configure_page()
    unavailable(error)
follow(user)
configure_page()
habits(lang())
auth.write_cookie()
language_switch(user)
if runtime.settings.demo:
    st.sidebar.caption(tr("app.demo_banner"))

if forget_unknown_address():
    show(tr("nav.unknown_address"), "info")
if user is None:
    routes = signed_out_routes(qr_scan=is_poster_visit(st.query_params))
    run(st.navigation(_pages(routes), position="hidden"), "sign_in")
elif user.must_change_password and not auth.oidc_enabled():
    run(st.navigation(_pages(password_routes()), position="hidden"), "password")
else:
    sections: dict[str, list[st.Page]] = {}
    for spec in pages_for(Role(user.role)):
        page = st.Page(
            spec.path,
            title=tr(spec.title_key),
            icon=spec.icon,
            default=spec.path == HOME,
            visibility="hidden" if spec.hidden else "visible",
        )
        sections.setdefault(tr(spec.section_key), []).append(page)
    sections.setdefault(tr(CONTEST), []).extend(_pages(signed_in_extras(Role(user.role))))
    with st.sidebar:
        st.caption(f"{md(user.name)} · {md(user.department)} · {tr('role.' + user.role)}")
        if st.button(tr("auth.sign_out"), icon=":material/logout:", key="sign_out"):
            auth.sign_out(user)
            st.rerun()
    current = st.navigation(sections, expanded=True)
    if current.url_path != "submit":
        st.session_state.pop(state.SUBMIT_RECEIPT, None)  # seen: it stays behind on leaving
    run(current, "home")
