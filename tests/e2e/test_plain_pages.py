"""Every page, for every role, read in Chromium in Korean: plain words only (no raw keys, None,
booleans, dicts, JSON or English leftovers) and no serious or critical axe-core violation in
markup the project controls (tests/e2e/plain.py says what is excluded as Streamlit's own,
docs/accessibility.md links each to Streamlit's issue). The markup is the same in English, so
the English pages are read through AppTest (tests/pages/test_smoke.py); the
language switch itself is clicked in tests/e2e/test_venue.py. The lifecycle walk
(test_judging_flow.py) runs the same checks on the admin and judge screens at every stage from
shortlist to publication; here the demo contest is as seeded (voting open).

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
from tests.e2e.conftest import UI_TIMEOUT, settle, sign_in
from tests.e2e.plain import axe_violations, leftovers, open_from_menu, read
from ui.nav import pages_for

LOGINS = {Role.STAFF: "D1001", Role.JUDGE: "D2001", Role.ADMIN: "D9001"}


def problems(page: Page) -> list[str]:
    settle(page)
    return leftovers(read(page), "ko") + axe_violations(page)


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


@pytest.mark.parametrize("role", list(LOGINS), ids=[role.value for role in LOGINS])
def test_every_page_reads_plainly_and_passes_axe(
    app_server: str, browser_page: Page, role: Role
) -> None:
    page = browser_page
    outside: set[str] = set()
    own = urlsplit(app_server).netloc
    page.on("request", lambda r: urlsplit(r.url).netloc in ("", own) or outside.add(r.url))
    page.goto(app_server)
    settle(page)
    # Until app.py has run once, Streamlit lists the pages/ folder's file names in the sidebar.
    expect(page.get_by_role("textbox", name=t("auth.login", "ko"))).to_be_visible(
        timeout=UI_TIMEOUT
    )
    found = {"sign_in": problems(page)}
    sign_in(page, LOGINS[role], DEMO_PASSWORD)
    for spec in pages_for(role):
        if spec.hidden:
            continue
        visit(page, t(spec.title_key, "ko"))
        found[spec.path] = problems(page)
        if spec.path == "pages/gallery.py":  # the poster page is reached from a card's link
            page.locator("a[href*='entry=']").first.click()
            expect(page.get_by_role("img").first).to_be_visible(timeout=UI_TIMEOUT)
            found["pages/entry.py"] = problems(page)
    assert {where: said for where, said in found.items() if said} == {}
    assert outside == set()
