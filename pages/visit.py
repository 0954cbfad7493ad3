"""A poster's public page: what a visitor's phone opens from the QR code beside the poster (or
the staff page's address) without signing in. While the exhibition is public it shows the
poster; outside its dates it says when they are. Either way colleagues find a link to sign in
(and vote)."""

import streamlit as st

from contest.core.ids import parse_id
from contest.exhibition.public import viewing_dates, visitor_view
from ui import page
from ui.disclosure import show_ai_use
from ui.i18n import lang, tr
from ui.images import display_source
from ui.nav import ENTRY_PARAM, SIGN_IN_PARAM, VISIT
from ui.poster import show_poster
from ui.provenance import show_ai_label
from ui.text import body, caption, heading, md

# Nothing of the address is shown or passed on but the id it names, if it names one.
entry_id = parse_id(st.query_params.get(ENTRY_PARAM))
asked = {ENTRY_PARAM: str(entry_id)} if entry_id is not None else {}
view = page.public(visitor_view, actor=None, entry_id=entry_id or 0)


def staff_box() -> None:
    """Colleagues sign in at the staff page's address, and land on the poster."""
    with st.container(border=True, key="staff_box"):
        st.markdown(f"**{tr('visit.staff_title')}**")
        st.caption(tr("visit.staff_vote" if view.voting_open else "visit.staff_closed"))
        st.page_link(
            st.Page(VISIT, url_path="entry"),  # this page's address there, for the router
            label=tr("visit.staff_sign_in"),
            icon=":material/login:",
            query_params={**asked, SIGN_IN_PARAM: "1"},
        )


if view.viewing is None:  # no contest at all
    page.header(tr("app.title"))
    page.stop_with(tr("home.no_contest"))
if not view.public:
    status = view.viewing.status.value
    page.header(tr("app.title"))
    st.info(
        f"**{tr(f'visit.viewing.{status}')}**  \n"
        + tr(f"visit.viewing.{status}.body", **viewing_dates(view.viewing, lang())),
        icon=":material/schedule:",
    )
    staff_box()
    st.stop()

poster = view.poster
if poster is None:
    page.header(tr("app.title"))
    page.show(tr("visit.not_found"), "warning")
    page.stop_with(tr("visit.only_posters"))

caption(poster.contest_name)
picture, text = st.columns([3, 2])
with picture:
    show_poster(
        display_source(poster.display_key),
        alt=tr("image.alt", title=poster.title, theme=poster.theme),
        key="visit_poster",
    )
with text:
    st.caption(tr("poster.number", number=poster.number))
    if poster.award:
        st.badge(tr("visit.award", award=md(poster.award)), icon=":material/emoji_events:")
    heading(poster.title)
    body(f"{poster.theme} · {poster.policy}")
    credit = [part for part in (poster.author_name, poster.department) if part]
    if credit:
        body(" · ".join(credit))
    if poster.description:
        body(poster.description)
    show_ai_label(poster.ai_label)
    if poster.prompt or poster.human_part:  # shared by the author (making_visible)
        show_ai_use(poster, "making.heading")
    staff_box()
