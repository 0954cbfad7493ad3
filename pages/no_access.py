"""At the address of a page the signed-in user's role may not use (the page itself is never
registered): say so in their language instead of Streamlit's "Page not found"."""

import streamlit as st

from ui import page
from ui.i18n import tr

page.header(tr("nav.no_access"))
st.info(tr("no_access.body"), icon=":material/block:")
st.page_link("pages/home.py", label=tr("nav.home"), icon=":material/home:")
