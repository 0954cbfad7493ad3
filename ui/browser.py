"""Habits every page has in the browser, drawn by app.py on every run (the script installs
itself once per page load):

- Korean lines break between words, never inside one (``word-break: keep-all``), and the focus
  of the keyboard is always visible.
- A page link with a query string (a gallery card, the way back to the gallery) adds one entry
  to the browser's history. Streamlit's own link adds two, the first at the old page's address
  with the new query (``/gallery?entry=5``), so the back button landed on a gallery that had
  lost its filters. The link is followed as a history step instead: the address is pushed
  and Streamlit told, as the back button tells it.
- On a phone the side menu starts closed on every page load: Streamlit remembers an opened
  menu in the browser, and a menu opened once covered every later QR scan's page.
- The page says which language it is in (``<html lang="ko">``), for screen readers.
"""

from __future__ import annotations

import streamlit as st

_KEY = "browser_habits"
PHONE_WIDTH = 640  # px: below this Streamlit stacks columns and the menu covers the page

_STYLE = (
    "<style>"
    # Streamlit sets word-break on a caption's own paragraph, so the rule names the text too.
    ".stApp, .stApp :is(p, li, span, label, h1, h2, h3, h4, h5, h6, td, th)"
    " {word-break: keep-all; overflow-wrap: break-word;}"
    ".stApp a:focus-visible, .stApp button:focus-visible, .stApp [role='button']:focus-visible,"
    " .stApp [role='tab']:focus-visible, .stApp summary:focus-visible"
    " {outline: 3px solid #0055A4; outline-offset: 2px;}"
    f".st-key-{_KEY} {{display: none;}}"
    "</style>"
)
_SCRIPT = (
    "<script>(() => {"
    "document.documentElement.lang = '{lang}';"
    "if (window.contestHabits) return;"
    "window.contestHabits = true;"
    "window.addEventListener('click', (event) => {"
    "  const link = event.target.closest && event.target.closest("
    "    'a[data-testid=\"stPageLink-NavLink\"]');"
    "  if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey"
    "      || event.altKey) return;"
    "  const url = new URL(link.href, document.baseURI);"
    "  if (url.origin !== location.origin || !url.search) return;"
    "  event.preventDefault();"
    "  event.stopPropagation();"
    "  history.pushState({}, '', url);"
    "  window.dispatchEvent(new PopStateEvent('popstate'));"
    "}, true);"
    f"const phone = window.matchMedia('(max-width: {PHONE_WIDTH}px)');"
    "const fold = () => {"
    "  if (!phone.matches) return;"
    "  try {"
    "    for (const key of Object.keys(localStorage)) {"
    "      if (key.startsWith('stSidebarCollapsed-')) localStorage.setItem(key, 'true');"
    "    }"
    "  } catch (e) {}"
    "};"
    "fold();"
    "window.addEventListener('pagehide', fold);"
    "document.addEventListener('visibilitychange', () => {"
    "  if (document.visibilityState === 'hidden') fold();"
    "});"
    "if (phone.matches) {"
    "  const until = Date.now() + 5000;"
    "  const close = () => {"
    "    const open = document.querySelector("
    '      \'[data-testid="stSidebarCollapseButton"] button[aria-expanded="true"]\');'
    "    if (open) open.click();"
    "    else if (!document.querySelector('[data-testid=\"stExpandSidebarButton\"]')"
    "             && Date.now() < until) window.requestAnimationFrame(close);"
    "  };"
    "  close();"
    "}"
    "})();</script>"
)


def habits(lang: str) -> None:
    """Draw the page's habits; call on every run, before the page. The page's language is
    ``lang`` (Streamlit's own markup says "en"; screen readers pronounce by it)."""
    st.html(_STYLE)
    with st.container(key=_KEY):
        st.html(
            _SCRIPT.replace("{lang}", lang if lang.isalpha() else "ko"),
            unsafe_allow_javascript=True,
        )
