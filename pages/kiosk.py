"""A kiosk screen for one exhibition zone (a TV at 1920x1080): the zone's posters one after
another, each with its title, credit as the contest allows and a large QR code to its page;
the published winners instead once the admin's link asks for them. No sign-in: the link's token
(kept in a cookie, ui/screen_token.py) is checked on every change of poster, so a revoked link,
or one past the exhibition's dates, goes dark at the next one."""

from datetime import timedelta

import streamlit as st

from contest.exhibition.displays import KioskMode, kiosk_view
from ui import page, state
from ui.i18n import lang, tr
from ui.images import display_source, qr_image
from ui.provenance import show_ai_label
from ui.screen_token import screen_token
from ui.text import md

st.html(
    "<style>"
    "[data-testid='stHeader'], [data-testid='stSidebar'],"
    " [data-testid='stSidebarCollapsedControl'], [data-testid='stToolbar'] {display: none;}"
    ".block-container, [data-testid='stMainBlockContainer']"
    " {padding: 1.5rem 2.5rem; max-width: 100%;}"
    ".st-key-kiosk_poster img {max-height: 86vh !important; width: auto !important;"
    " max-width: 100% !important; object-fit: contain; margin: 0 auto; display: block;}"
    ".st-key-kiosk_text h1 {font-size: 4.2rem; line-height: 1.15;}"
    ".st-key-kiosk_text p {font-size: 1.9rem;}"
    ".st-key-kiosk_zone p {font-size: 2.2rem; font-weight: 700;}"
    # Read from 3 m: the award as large as a heading, the QR code at least a quarter of the
    # screen's height (30vh), every message and caption at TV size.
    ".st-key-kiosk_award p {font-size: 3.2rem; font-weight: 800;}"
    ".st-key-kiosk_qr img {height: 30vh !important; width: auto !important;}"
    "[data-testid='stCaption'], [data-testid='stCaptionContainer'],"
    " .st-key-kiosk_text [data-testid='stCaptionContainer'] p {font-size: 1.7rem !important;}"
    "[data-testid='stAlert'] p {font-size: 2.2rem;}"
    "</style>"
)
token = screen_token()
first = page.public(kiosk_view, token=token)


@st.fragment(run_every=timedelta(seconds=first.seconds))
def screen() -> None:
    view = page.public(kiosk_view, token=token)
    with st.container(key="kiosk_zone"):
        if view.mode == KioskMode.WINNERS:
            st.markdown(md(tr("kiosk.winners_zone", contest=view.contest_name, theme=view.theme)))
        else:
            st.markdown(md(tr("kiosk.zone", theme=view.theme)))
    if not view.posters:
        page.stop_with(tr("kiosk.no_winners" if view.mode == KioskMode.WINNERS else "kiosk.empty"))
    shown = st.session_state.get(state.KIOSK_SHOWN, -1) + 1
    st.session_state[state.KIOSK_SHOWN] = shown
    poster = view.posters[shown % len(view.posters)]
    picture, text = st.columns([3, 2], gap="large", vertical_alignment="center")
    with picture.container(key="kiosk_poster"):
        st.image(
            display_source(poster.display_key),
            alt=tr("image.alt", title=poster.title, theme=poster.theme),
        )
    with text.container(key="kiosk_text"):
        if poster.award:
            st.container(key="kiosk_award").markdown(md(tr("kiosk.award", award=poster.award)))
        st.title(md(poster.title), anchor=False)
        st.markdown(md(poster.policy))
        if poster.credit:
            st.markdown(md(poster.credit))
        show_ai_label(poster.ai_label)
        st.container(key="kiosk_qr").image(
            qr_image(poster.link), alt=tr("exhibition.qr_alt", link=poster.link)
        )
        st.caption(view.scan.text(lang()))
        st.caption(
            tr(
                "kiosk.position",
                number=poster.number,
                at=shown % len(view.posters) + 1,
                of=len(view.posters),
            )
        )


screen()
