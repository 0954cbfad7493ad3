"""Admin: the exhibition. When visitors may open poster pages without sign-in, the A4 labels
with QR codes, a kiosk screen link per zone, and one poster's QR code."""

from datetime import date, datetime, time, timedelta

import streamlit as st

from contest.contests.windows import local_datetime
from contest.core.ids import MAX_ID
from contest.core.models import DisplayLink
from contest.core.timeutil import local
from contest.exhibition.displays import (
    SCREENS_PER_ZONE,
    SECONDS_RANGE,
    NewDisplay,
    create_display,
    revoke_display,
)
from contest.exhibition.labels import exhibition_pdf
from contest.exhibition.public import set_exhibition
from contest.exhibition.views import exhibition_view, qr_view
from ui import page, state
from ui.format import moment
from ui.i18n import error_text, lang, tr
from ui.text import md

page.header(tr("exhibition.title"))
view = page.load(exhibition_view)
tz = view.timezone
if view.address_problem is not None:
    page.stop_with(error_text(view.address_problem), "error")


def _day(on: date, clock: time) -> datetime:
    return local_datetime(on.year, on.month, on.day, clock, tz)


# When visitors may read the posters' pages without signing in.
st.subheader(tr("exhibition.public_title"), anchor=False)
st.caption(tr("exhibition.public_help"))
if view.open_now:
    st.success(tr("exhibition.public_now"), icon=":material/public:")
elif view.public and view.opens_at and view.closes_at:
    st.info(
        tr(
            "exhibition.public_later",
            opens=moment(view.opens_at, tz),
            closes=moment(view.closes_at, tz),
        ),
        icon=":material/schedule:",
    )
else:
    st.info(tr("exhibition.public_off"), icon=":material/lock:")
today = local(view.opens_at, tz).date() if view.opens_at else date.today()
with st.form("exhibition_public", enter_to_submit=False):
    public = st.toggle(tr("exhibition.public_switch"), view.public, key="exhibition_public")
    left, right = st.columns(2)
    opens = left.date_input(tr("exhibition.public_opens"), today, key="exhibition_opens")
    closes = right.date_input(
        tr("exhibition.public_closes"),
        local(view.closes_at, tz).date() if view.closes_at else today + timedelta(days=11),
        key="exhibition_closes",
    )
    if st.form_submit_button(tr("exhibition.public_save"), type="primary"):
        page.act(
            set_exhibition,
            public=public,
            opens_at=_day(opens, time(0, 0)),
            closes_at=_day(closes, time(23, 59, 59)),
            done=tr("exhibition.public_saved_on" if public else "exhibition.public_saved_off"),
        )

# The printed labels.
st.subheader(tr("exhibition.labels_title"), anchor=False)
st.caption(tr("exhibition.help"))
if st.button(tr("exhibition.make"), type="primary", key="exhibition_make"):
    with st.spinner():
        pdf = page.act(exhibition_pdf, lang=lang(), rerun=False, done=tr("exhibition.made"))
    if pdf is not None:
        st.session_state[state.EXHIBITION_PDF] = pdf
    st.rerun()

pdf = st.session_state.get(state.EXHIBITION_PDF)
if pdf:
    st.download_button(
        tr("exhibition.download"),
        pdf,
        "exhibition.pdf",
        "application/pdf",
        key="exhibition_download",
        on_click="ignore",
        icon=":material/download:",
    )

# Kiosk screens, one per zone.
st.subheader(tr("kiosk.admin_title"), anchor=False)
st.caption(tr("kiosk.admin_help"))
st.caption(tr("kiosk.limits", limit=SCREENS_PER_ZONE))
made: NewDisplay | None = st.session_state.pop(state.NEW_DISPLAY, None)
if made is not None:
    with st.container(border=True, key="kiosk_new_link"):
        st.success(tr("kiosk.made", theme=made.display.theme), icon=":material/tv:")
        st.code(made.link, language=None)
        st.warning(tr("kiosk.link_once"), icon=":material/visibility_off:")
with st.form("kiosk_new", enter_to_submit=False):
    cols = st.columns([2, 1, 2])
    theme = cols[0].selectbox(tr("kiosk.theme"), view.themes, key="kiosk_theme")
    low, high = SECONDS_RANGE
    seconds = cols[1].number_input(tr("kiosk.seconds"), low, high, 15, key="kiosk_seconds")
    winners = cols[2].checkbox(tr("kiosk.show_winners"), True, key="kiosk_winners")
    if st.form_submit_button(tr("kiosk.make"), icon=":material/add_link:"):
        new = page.act(
            create_display,
            theme=theme,
            seconds=int(seconds),
            show_winners=winners,
            rerun=False,
        )
        if new is not None:
            st.session_state[state.NEW_DISPLAY] = new
        st.rerun()


def _revoke(display: DisplayLink) -> None:
    page.act(
        revoke_display,
        display_id=display.id,
        done=tr("kiosk.revoked", theme=display.theme),
        rerun=False,
    )


for display in view.displays:
    line = st.columns([2, 3, 2], vertical_alignment="center")
    line[0].markdown(f"**{md(display.theme)}** · {tr('kiosk.every', seconds=display.seconds)}")
    made_at = moment(display.created_at, tz)
    if display.revoked_at is None:
        line[1].caption(tr("kiosk.active", at=made_at))
        with line[2].popover(tr("kiosk.revoke"), icon=":material/link_off:"):
            st.write(tr("kiosk.revoke_confirm", theme=display.theme))
            st.button(
                tr("kiosk.revoke_do"),
                key=f"kiosk_revoke_{display.id}",
                type="primary",
                on_click=_revoke,
                args=(display,),
            )
    else:
        line[1].caption(tr("kiosk.revoked_at", at=moment(display.revoked_at, tz)))

# One poster's code.
st.subheader(tr("exhibition.qr_one"), anchor=False)
entry_id = st.number_input(
    tr("exhibition.qr_id"), min_value=1, max_value=MAX_ID, step=1, key="exhibition_qr_id"
)
qr = page.load(qr_view, entry_id=int(entry_id))
if qr.png is None:
    page.show(tr("error.gallery.entry_not_found", id=qr.entry_id), "error")
else:
    st.image(qr.png, width=240, alt=tr("exhibition.qr_alt", link=qr.link))
    st.text(qr.link)
    st.download_button(
        tr("exhibition.qr_download"),
        qr.png,
        f"entry-{qr.entry_id}-qr.png",
        "image/png",
        key="exhibition_qr_download",
        on_click="ignore",
    )
