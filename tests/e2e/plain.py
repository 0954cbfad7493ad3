"""What a page says, read from the browser, and the two checks every page must pass:

- plain language: no raw keys, None, booleans, dicts, JSON or long raw decimals anywhere, and in
  Korean mode no English leftovers (in English mode, no Korean interface strings);
- accessibility: axe-core finds no serious or critical violation in markup the project controls.

Streamlit's own English and its own accessibility faults are excluded narrowly here, each with
the reason (docs/accessibility.md lists them with links to Streamlit's issues).
"""

from __future__ import annotations

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from contest.core.i18n import t
from tests.e2e.conftest import settle
from tests.plain_words import leftovers

__all__ = ["EVERY_LEVEL", "axe_violations", "go", "leftovers", "open_from_menu", "read"]

# Every text node a person can see or hear, with the attributes screen readers read out. Icons
# are Material Symbols ligatures ("shield"): their text is the icon's name, never read as text.
_READ = """
() => {
  const skip = 'script, style, noscript, [aria-hidden="true"], [data-testid="stIconMaterial"]';
  const seen = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, parent = node.parentElement;
    if (!parent || parent.closest(skip)) continue;
    const text = node.textContent.trim();
    if (!text) continue;
    const grid = parent.closest('[role="grid"], [role="gridcell"], [role="columnheader"]');
    if (!grid && !parent.checkVisibility({visibilityProperty: true})) continue;
    seen.push(text);
  }
  for (const el of document.querySelectorAll('[aria-label], [alt], [title]')) {
    for (const name of ['aria-label', 'alt', 'title']) {
      const value = (el.getAttribute(name) || '').trim();
      if (value) seen.push('@' + name + ' ' + value);
    }
  }
  // A placeholder shows only in an empty field (a select box draws its own as text).
  for (const el of document.querySelectorAll('input[placeholder], textarea[placeholder]')) {
    if (el.value === '' && !el.closest('[data-baseweb="select"]')) {
      seen.push('@placeholder ' + el.getAttribute('placeholder').trim());
    }
  }
  return seen;
}
"""

# Streamlit's own words, which a page cannot translate (docs/accessibility.md):
STREAMLIT_TEXT = {
    "Skip to main content",  # the skip link at the top of every page
    "English",  # the language switch names each language in itself
    "Upload",  # st.file_uploader's button
    "Drag and drop file here",
    "empty",  # an empty st.dataframe (pages show a caption instead; kept for safety)
}
STREAMLIT_TEXT_PATTERNS = (
    re.compile(r"^\d+MB per file( • [A-Z, ]+)?$"),  # st.file_uploader's limit line
    re.compile(r"^View (\d+ )?(more|less)$"),  # st.navigation's long menu toggle
    # What a select box announces to screen readers after it was used (BaseWeb, in English).
    re.compile(r"^(\d+ options? available|No results)\.?$"),
    re.compile(r"^Press Enter to (apply|submit form)$"),  # under a text field being typed in
)
# aria-labels and titles Streamlit writes in English on its own controls.
STREAMLIT_LABELS = {
    "Sidebar", "Collapse sidebar", "Expand sidebar", "App pages", "Main menu",
    "Link to heading",  # every heading's anchor
    "Show/hide columns", "Download as CSV", "Search", "Fullscreen", "Close fullscreen",
    "Add row",  # st.dataframe and st.data_editor toolbars
    "Show data", "Download as PNG", "Copy Vega-Lite spec", "Vega visualization",  # charts
    "Open", "Close", "Clear all", "Clear value",  # select boxes, dialogs
    "Choose date range", "Choose date", "Previous month", "Next month", "Calendar",
    "Show password", "Hide password", "file upload", "progress", "Decrement", "Increment",
    "Copy to clipboard",  # st.code
    "Selected values",  # st.multiselect's chosen options
}  # fmt: skip
STREAMLIT_ATTRIBUTES = (
    re.compile(
        r"^@aria-label (Help for .*"  # the (?) beside a label
        r"|Remove .*"  # the x on an option chosen in st.multiselect
        r"|(year|month|day), .*|.* (start|end) date"  # the segments of st.date_input
        r"|(Fullscreen|Show data|Download as PNG|Copy Vega-Lite spec): .*)$"  # on a chart's alt
    ),
    re.compile(r"^@title (Show data|Download as PNG|Fullscreen|View fullscreen)$"),
)


def read(page: Page) -> list[str]:
    """Every visible text and read-out attribute of the page, Streamlit's own removed."""
    texts: list[str] = page.evaluate(_READ)
    return [
        text
        for text in texts
        if text not in STREAMLIT_TEXT
        and not any(p.match(text) for p in STREAMLIT_TEXT_PATTERNS)
        and text.removeprefix("@aria-label ") not in STREAMLIT_LABELS
        and not any(p.match(text) for p in STREAMLIT_ATTRIBUTES)
    ]


# Violations inside Streamlit's own components, which a page cannot change
# (docs/accessibility.md links each to Streamlit's issue). Matched by rule and by target.
STREAMLIT_AXE = (
    # The page menu renders <li> items not directly inside its <ul>.
    ("list", re.compile(r"stSidebarNavItems")),
    ("listitem", re.compile(r"st-emotion-cache|stSidebarNav")),
    # A disabled field's label is drawn faded (an inactive control, which WCAG 1.4.3 exempts);
    # a date or time field's label sits outside the field, so axe cannot tell it is inactive.
    (
        "color-contrast",
        re.compile(r'data-testid="st(Date|Time)Input"\].*span\[aria-hidden="true"\]'),
    ),
)


SERIOUS = ("serious", "critical")
EVERY_LEVEL = ("minor", "moderate", *SERIOUS)  # the pages citizens see (docs/accessibility.md)


def axe_violations(page: Page, impacts: tuple[str, ...] = SERIOUS) -> list[str]:
    """axe-core violations of ``impacts`` (serious and critical unless asked for more) outside
    Streamlit's own known faults."""
    found = []
    response = Axe().run(page).response
    for violation in response["violations"]:
        if violation["impact"] not in impacts:
            continue
        for node in violation["nodes"]:
            where = " ".join(node["target"]) + " " + node["html"]
            if any(rule == violation["id"] and p.search(where) for rule, p in STREAMLIT_AXE):
                continue
            found.append(f"{violation['id']} ({violation['impact']}): {node['html'][:160]}")
    return found


def open_from_menu(page: Page, title: str) -> None:
    """Click a page's link in the sidebar menu; a long (admin) menu may first need "View more".
    Waits until one of the two is drawn: right after a sign-in the menu can still be coming."""
    menu = page.get_by_test_id("stSidebarNav")
    link = menu.get_by_role("link", name=title, exact=True)
    more = menu.get_by_role("button", name=re.compile(r"View \d* ?more"))
    expect(link.or_(more).first).to_be_visible(timeout=60_000)
    if not link.is_visible():
        more.click()
    link.click()


def go(page: Page, title_key: str) -> None:
    """Open a page from the menu by its title's key, in the same browser session (an address
    typed in opens a new session, which needs the stay-signed-in cookie the first one may not
    have written yet)."""
    settle(page)
    open_from_menu(page, t(title_key, "ko"))
    settle(page)
