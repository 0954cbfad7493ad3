"""Admin: the exhibition kit (A4 labels with QR codes) and one poster's QR code."""

import streamlit as st

from contest.exhibition.labels import exhibition_pdf
from contest.exhibition.views import qr_view
from ui import page, state
from ui.i18n import lang, tr

page.header(tr("exhibition.title"))
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

st.subheader(tr("exhibition.qr_one"))
entry_id = st.number_input(
    tr("exhibition.entry_id"),
    min_value=1,
    step=1,
    key="exhibition_qr_id",
    help=tr("exhibition.entry_id_help"),
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
