"""Streamlit glue shared by app.py and pages/: cached runtime, signed-in user, language.

Importing it also closes a gap in how Streamlit starts. A process that finds a ``pages/``
folder begins in the old multipage mode, and until some session has run ``st.navigation``, a
first visit to ``/gallery`` runs ``pages/gallery.py`` directly, never app.py: no router, no
sign-in gate, and a sidebar listing every file name. Every page imports this package, so the
first script a process runs ends that mode (as ``st.navigation`` itself does) and runs again,
this time through app.py.

The same first run would list those files by name in the sidebar (in English, admin pages
included) until app.py's ``st.navigation`` replaced the list, after the first start's database
work. So .streamlit/config.toml starts with ``client.showSidebarNavigation`` off, which hides
that list, and it is turned on here once the router is in charge.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

if PagesManager.uses_pages_directory:
    PagesManager.uses_pages_directory = False
    st.set_option("client.showSidebarNavigation", True)
    if get_script_run_ctx() is not None:
        st.rerun()
