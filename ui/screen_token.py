"""A kiosk screen's token reaches the server in a cookie, never in an address.

The admin's link carries the token after '#' (contest/exhibition/links.kiosk_link), which a
browser never sends; a script on the kiosk page moves it into a cookie and opens the page again
without it. So no access log, proxy or Referer header ever holds a working kiosk link (nginx's
default log format records the request line, not cookies; see docs/deployment.md).
"""

from __future__ import annotations

import streamlit as st

from ui.runtime import get_runtime

COOKIE = "contest_screen"
AGE = 60 * 60 * 24 * 60  # seconds; the server decides whether the link still holds
_KEY = "screen_token"


def screen_token() -> str:
    """This TV's kiosk token ("" when it has none), after moving one from the address."""
    secure = "; Secure" if get_runtime().settings.base_url.startswith("https") else ""
    script = (
        "<script>(() => {"
        "const found = /(?:^#|&)screen=([A-Za-z0-9_-]{20,100})(?:&|$)/"
        ".exec(window.location.hash);"
        "if (!found) return;"
        f"document.cookie = '{COOKIE}=' + found[1] + '; path=/; max-age={AGE};"
        f" SameSite=Strict{secure}';"
        "window.location.replace(window.location.pathname + window.location.search);"
        "})();</script>"
    )
    st.html(f"<style>.st-key-{_KEY} {{display: none;}}</style>")
    with st.container(key=_KEY):
        st.html(script, unsafe_allow_javascript=True)
    token = st.context.cookies.get(COOKIE)
    return token if isinstance(token, str) else ""
