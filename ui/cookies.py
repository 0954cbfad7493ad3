"""Cookies the browser keeps for us (stay signed in, the language before sign-in).

Streamlit cannot set a cookie from the server, so a script in the page does it. A script drawn
once can be lost: the run that drew it may be cut short by the rerun after sign-in or by a page
switch (a QR link's ``?entry=`` forwards to the poster), and the browser never runs it; signing
in from a QR link on a phone used to keep the cookie in only a few of six tries. So the cookies
a session wants stay in session_state and every run draws the script again, first in the page:
the run that completes leaves it there, and the browser runs it. Each change has its own nonce
and is applied once per tab, so a later redraw never brings back a cookie changed elsewhere.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass

import streamlit as st

from ui import state

_KEY = "browser_cookies"
_SAFE = re.compile(r"[A-Za-z0-9._-]*")  # tokens and language codes; nothing to escape


@dataclass(frozen=True)
class Wanted:
    value: str  # "" with max_age 0 removes the cookie
    max_age: int  # seconds
    secure: bool
    nonce: str


def keep(name: str, value: str, *, max_age: int, secure: bool) -> None:
    """Have the browser hold ``name=value`` for ``max_age`` seconds (0 removes it)."""
    if not _SAFE.fullmatch(name) or not _SAFE.fullmatch(value):
        raise ValueError(f"cookie {name!r} holds characters a cookie cannot carry")
    wanted = dict(st.session_state.get(state.COOKIES, {}))
    wanted[name] = Wanted(value, max(max_age, 0), secure, secrets.token_hex(8))
    st.session_state[state.COOKIES] = wanted


def _line(name: str, cookie: Wanted) -> str:
    secure = "; Secure" if cookie.secure else ""
    return f"{name}={cookie.value}; path=/; max-age={cookie.max_age}; SameSite=Lax{secure}"


def write() -> None:
    """Draw the script that sets every wanted cookie; call it on every run, before the page."""
    wanted: dict[str, Wanted] = st.session_state.get(state.COOKIES, {})
    if not wanted:
        return
    changes = [{"nonce": c.nonce, "line": _line(name, c)} for name, c in sorted(wanted.items())]
    data = json.dumps(changes).replace("</", "<\\/")
    script = (
        "<script>(() => {"
        f"for (const change of {data}) {{"
        "  const done = 'contest-cookie-' + change.nonce;"
        "  try { if (window.sessionStorage.getItem(done)) continue; } catch (e) {}"
        "  document.cookie = change.line;"
        "  try { window.sessionStorage.setItem(done, '1'); } catch (e) {}"
        "}})();</script>"
    )
    st.html(f"<style>.st-key-{_KEY} {{display: none;}}</style>")
    with st.container(key=_KEY):
        st.html(script, unsafe_allow_javascript=True)
