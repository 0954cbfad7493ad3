"""A poster's public page: what a visitor's phone opens from the QR code beside the poster
while the exhibition is public, without signing in. Colleagues sign in from here to vote; while
the exhibition is not public, the QR code leads straight to sign-in."""

import streamlit as st

from contest.core.ids import parse_id
from contest.exhibition.public import visitor_view
from ui import page
from ui.disclosure import show_ai_use
from ui.i18n import tr
from ui.images import display_source
from ui.text import body, caption, heading

# Nothing of the address is shown or passed on but the id it names, if it names one.
entry_id = parse_id(st.query_params.get("entry"))
asked = {"entry": str(entry_id)} if entry_id is not None else {}
# The sign-in page at the staff poster page's address: after sign-in, that page.
staff_sign_in = st.Page("pages/sign_in.py", url_path="entry")
view = page.public(visitor_view, actor=None, entry_id=entry_id or 0)
if not view.public:
    st.switch_page(staff_sign_in, query_params=asked)

poster = view.poster
if poster is None:
    page.header(tr("app.title"))
    page.show(tr("visit.not_found"), "warning")
    page.stop_with(tr("visit.only_posters"))

caption(poster.contest_name)
picture, text = st.columns([3, 2])
picture.image(display_source(poster.display_key), width="stretch")
with text:
    st.caption(tr("poster.number", number=poster.number))
    heading(poster.title)
    body(f"{poster.theme} · {poster.policy}")
    credit = [part for part in (poster.author_name, poster.department) if part]
    if credit:
        body(" · ".join(credit))
    if poster.description:
        body(poster.description)
    show_ai_use(poster)
    with st.container(border=True, key="staff_box"):
        st.markdown(f"**{tr('visit.staff_title')}**")
        st.caption(tr("visit.staff_vote" if poster.voting_open else "visit.staff_closed"))
        st.page_link(
            staff_sign_in,
            label=tr("visit.staff_sign_in"),
            icon=":material/login:",
            query_params={"entry": str(poster.entry_id)},
        )
