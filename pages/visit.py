"""A poster's public page: what a visitor's phone opens from the QR code beside the poster
while the exhibition is public, without signing in. Colleagues sign in from here to vote; while
the exhibition is not public, the QR code leads straight to sign-in."""

import streamlit as st

from contest.exhibition.public import visitor_view
from ui import page
from ui.disclosure import show_ai_use
from ui.i18n import tr
from ui.images import display_source
from ui.provenance import show_ai_label
from ui.text import body, caption, heading

raw_id = st.query_params.get("entry", "")
entry_id = int(raw_id) if raw_id.isdigit() else 0
# The sign-in page at the staff poster page's address: after sign-in, that page.
staff_sign_in = st.Page("pages/sign_in.py", url_path="entry")
view = page.public(visitor_view, actor=None, entry_id=entry_id)
if not view.public:
    st.switch_page(staff_sign_in, query_params={"entry": raw_id})

poster = view.poster
if poster is None:
    page.header(tr("app.title"))
    page.show(tr("error.gallery.entry_not_found", id=raw_id), "warning")
    page.stop_with(tr("visit.only_posters"))

caption(poster.contest_name)
picture, text = st.columns([3, 2])
picture.image(display_source(poster.display_key), width="stretch")
with text:
    st.caption(tr("poster.number", number=poster.number))
    if poster.award:
        st.badge(tr("visit.award", award=poster.award), icon=":material/emoji_events:")
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
    with st.container(border=True, key="staff_box"):
        st.markdown(f"**{tr('visit.staff_title')}**")
        st.caption(tr("visit.staff_vote" if poster.voting_open else "visit.staff_closed"))
        st.page_link(
            staff_sign_in,
            label=tr("visit.staff_sign_in"),
            icon=":material/login:",
            query_params={"entry": str(poster.entry_id)},
        )
