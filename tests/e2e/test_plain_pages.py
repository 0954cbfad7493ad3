"""Every page, for every role, in both languages, read in Chromium: plain words only (no raw
keys, None, booleans, dicts, JSON or the other language's strings) and no serious or critical
axe-core violation in markup the project controls (tests/e2e/plain.py says what is excluded
as Streamlit's own, docs/accessibility.md links each to Streamlit's issue).

A user's language switch is saved with the account, so the English runs switch the demo
accounts back to Korean at the end. The lifecycle walk (test_judging_flow.py) runs the same
checks on the admin and judge screens at every stage from shortlist to publication; here the
demo contest is as seeded (voting open).

The city's network is closed: the browser asks nothing of any address but the app's own
(a Material icon as the tab's icon was fetched from fonts.gstatic.com).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from contest.core.i18n import t
from contest.core.models import Role
from contest.demo.seed import DEMO_PASSWORD
from tests.e2e.conftest import UI_TIMEOUT, settle
from tests.e2e.plain import axe_violations, leftovers, open_from_menu, read
from ui.nav import pages_for

LOGINS = {Role.STAFF: "D1001", Role.JUDGE: "D2001", Role.ADMIN: "D9001"}
CASES = [(role, lang) for role in LOGINS for lang in ("ko", "en")]


def problems(page: Page, lang: str) -> list[str]:
    settle(page)
    return leftovers(read(page), lang) + axe_violations(page)


def sign_in(page: Page, login: str, lang: str) -> None:
    field = t("auth.login", lang)
    page.get_by_role("textbox", name=field).fill(login)
    page.get_by_role("textbox", name=t("auth.password", lang)).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=t("auth.sign_in", lang)).click()
    expect(page.get_by_role("textbox", name=field)).to_have_count(0, timeout=UI_TIMEOUT)


# Every chart and table shown on the page has drawn itself (a canvas or an SVG inside it).
DRAWN = """() => [...document.querySelectorAll(
  "[data-testid=stVegaLiteChart], [data-testid=stDataFrame]"
)].every((shown) => shown.checkVisibility() === false
  || shown.querySelector("canvas, svg") !== null)"""


def visit(page: Page, title: str) -> None:
    settle(page)
    open_from_menu(page, title)
    settle(page)
    expect(page.get_by_test_id("stSidebarNav").locator("a[aria-current='page']")).to_have_text(
        re.compile(re.escape(title)), timeout=UI_TIMEOUT
    )
    settle(page)
    page.wait_for_function(DRAWN, timeout=UI_TIMEOUT)  # they draw after the script has finished


@pytest.mark.parametrize(("role", "lang"), CASES, ids=[f"{r.value}-{lang}" for r, lang in CASES])
def test_every_page_reads_plainly_and_passes_axe(
    app_server: str, browser_page: Page, role: Role, lang: str
) -> None:
    page = browser_page
    outside: set[str] = set()
    own = urlsplit(app_server).netloc
    page.on("request", lambda r: urlsplit(r.url).netloc in ("", own) or outside.add(r.url))
    page.goto(app_server)
    settle(page)
    if lang == "en":
        page.get_by_text("English", exact=True).click()
    # Until app.py has run once, Streamlit lists the pages/ folder's file names in the sidebar.
    login = page.get_by_role("textbox", name=t("auth.login", lang))
    expect(login).to_be_visible(timeout=UI_TIMEOUT)
    found = {"sign_in": problems(page, lang)}
    sign_in(page, LOGINS[role], lang)
    try:
        for spec in pages_for(role):
            if spec.hidden:
                continue
            visit(page, t(spec.title_key, lang))
            found[spec.path] = problems(page, lang)
            if spec.path == "pages/gallery.py":  # the poster page is reached from a card's link
                page.locator("a[href*='entry=']").first.click()
                expect(page.get_by_role("img").first).to_be_visible(timeout=UI_TIMEOUT)
                found["pages/entry.py"] = problems(page, lang)
    finally:
        if lang == "en":  # a signed-in user's switch is saved: give the demo account Korean back
            settle(page)
            page.get_by_text("한국어", exact=True).click()
            expect(page.get_by_role("button", name=t("auth.sign_out", "ko"))).to_be_visible(
                timeout=UI_TIMEOUT
            )
    assert {where: said for where, said in found.items() if said} == {}
    assert outside == set()
