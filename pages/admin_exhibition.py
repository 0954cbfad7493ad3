"""Admin: the exhibition kit (A4 labels with QR codes) and one poster's QR code."""

import streamlit as st

from contest.core.errors import ContestError
from contest.exhibition.labels import entry_qr, exhibition_pdf
from ui import auth, state
from ui.i18n import lang, show_error, tr
from ui.runtime import get_runtime

runtime = get_runtime()
user = auth.current_user()
st.title(tr("exhibition.title"))
st.caption(tr("exhibition.help"))

if st.button(tr("exhibition.make"), type="primary", key="exhibition_make"):
    try:
        with st.spinner(), runtime.session() as session:
            pdf = exhibition_pdf(session, runtime.store, runtime.settings, actor=user, lang=lang())
        st.session_state[state.EXHIBITION_PDF] = pdf
    except ContestError as error:
        show_error(error)

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
entry_id = st.number_input("ID", min_value=1, step=1, key="exhibition_qr_id")
try:
    with runtime.session() as session:
        png = entry_qr(session, runtime.settings, actor=user, entry_id=int(entry_id))
    st.image(png, caption=runtime.settings.entry_link(int(entry_id)), width=240)
    st.download_button(
        tr("exhibition.qr_download"),
        png,
        f"entry-{int(entry_id)}-qr.png",
        "image/png",
        key="exhibition_qr_download",
        on_click="ignore",
    )
except ContestError as error:
    show_error(error)
