"""A poster at display size, fitted to the screen it is viewed on: whole within the first
screen, never drawn larger than its file (a 1920 px screen used to stretch it 1.74x), and at
its file's own size one click away."""

from __future__ import annotations

import streamlit as st

from ui.i18n import tr

# The poster's height leaves room for the page's top (header, padding, the line above it) and
# the zoom button below it; on a phone the vote box comes first, so the poster may be shorter.
_FIT = (
    "<style>"
    ".st-key-{key} img {{width: auto !important; max-width: 100% !important; height: auto;"
    " max-height: calc(100dvh - 15rem); object-fit: contain;}}"
    "@media (max-width: 640px) {{.st-key-{key} img {{max-height: 60dvh;}}}}"
    "</style>"
)


def show_poster(source: str | bytes, *, alt: str, key: str) -> None:
    """The display copy, fitted, with a button that opens it at its own size."""
    st.html(_FIT.format(key=key))
    with st.container(key=key):
        st.image(source, width="content", alt=alt)
    if st.button(tr("poster.zoom"), key=f"{key}_zoom", icon=":material/zoom_in:", type="tertiary"):
        _zoom(source, alt)


def _zoom(source: str | bytes, alt: str) -> None:
    @st.dialog(tr("poster.zoom"), width="large")
    def full_size() -> None:
        st.image(source, width="content", alt=alt)

    full_size()
