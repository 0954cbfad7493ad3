"""Streamlit glue shared by app.py and pages/: cached runtime, signed-in user, language.

Importing it also closes a gap in how Streamlit starts. A process that finds a ``pages/``
folder begins in the old multipage mode, and until some session has run ``st.navigation``, a
first visit to ``/gallery`` runs ``pages/gallery.py`` directly, never app.py: no router, no
sign-in gate, and a sidebar listing every file name. Every page imports this package, so the
first script a process runs ends that mode (as ``st.navigation`` itself does) and runs again,
this time through app.py.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

if PagesManager.uses_pages_directory:
    PagesManager.uses_pages_directory = False
    if get_script_run_ctx() is not None:
        st.rerun()
