"""In Chromium: browse and filter the gallery, open a poster from its link, vote, take it back,
find no vote button on one's own poster, and see every filter whole on a desktop."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Locator, Page, expect

from contest.core.i18n import t
from contest.demo.seed import DEMO_PASSWORD
from tests.e2e.conftest import UI_TIMEOUT, new_page, settle, sign_in, sign_in_at_poster


def ko(key: str, **params: object) -> str:
    return t(key, "ko", **params)


def open_gallery(page: Page) -> None:
    page.get_by_role("link", name=ko("nav.gallery")).first.click()
    expect(page.get_by_role("heading", name=ko("gallery.title"))).to_be_visible()
    grid = page.locator(".st-key-gallery_grid")
    expect(grid.locator("img").first).to_be_visible(timeout=UI_TIMEOUT)


def poster_link(page: Page, title: str) -> tuple[int, str]:
    """The entry id and href of a poster's link in the grid."""
    link = page.locator(".st-key-gallery_grid a", has_text=title).first
    expect(link).to_be_visible()
    href = link.get_attribute("href") or ""
    match = re.search(r"[?&]entry=(\d+)", href)
    assert match, href
    return int(match.group(1)), href


def open_by_qr_link(page: Page, base_url: str, entry_id: int, login: str) -> None:
    """As a phone not yet signed in does after scanning: /?entry=ID, its public page's staff
    sign-in, the poster."""
    page.context.clear_cookies()  # no stay-signed-in cookie from an earlier sign-in
    page.goto(f"{base_url}/?entry={entry_id}")
    sign_in_at_poster(page, login)
    expect(page).to_have_url(re.compile(rf"[?&]entry={entry_id}\b"), timeout=UI_TIMEOUT)
    expect(page.get_by_text(ko("poster.link"))).to_be_visible(timeout=UI_TIMEOUT)


def _left_pattern(left: str) -> str:
    """The metric "3표 중 2표" (2 left of 3) with ``left`` as a pattern."""
    said = re.escape(ko("vote.left_value", left="LEFT", budget="BUDGET"))
    return said.replace("LEFT", left).replace("BUDGET", r"\d+")


def votes_left(page: Page) -> int:
    found = re.fullmatch(_left_pattern(r"(\d+)"), _votes_left_value(page).inner_text().strip())
    assert found is not None
    return int(found.group(1))


def _votes_left_value(page: Page) -> Locator:
    metric = page.get_by_test_id("stMetric").filter(has_text=ko("vote.left"))
    return metric.get_by_test_id("stMetricValue")


def expect_votes_left(page: Page, left: int) -> None:
    """Waits: the notice of a rerun can be on screen before the metric below it is redrawn."""
    expect(_votes_left_value(page)).to_have_text(re.compile(rf"^\s*{_left_pattern(str(left))}\s*$"))


def test_filter_open_vote_and_take_back(app_server: str, browser_page: Page) -> None:
    page = browser_page
    page.goto(app_server)
    sign_in(page, "D1001", DEMO_PASSWORD)
    open_gallery(page)
    grid = page.locator(".st-key-gallery_grid")
    everything = grid.locator("img").count()

    settle(page)
    page.get_by_label(ko("gallery.theme")).click()
    page.get_by_role("option", name="균형발전").click()
    expect(grid.get_by_test_id("stCaptionContainer").first).to_contain_text("균형발전")
    expect(grid.locator("img")).to_have_count(2)
    assert everything > 2
    for caption in grid.get_by_test_id("stCaptionContainer").all():
        assert caption.inner_text().startswith("균형발전")
    entry_id, href = poster_link(page, "인천 i-패스")

    page.goto("about:blank")
    open_by_qr_link(page, app_server, entry_id, "D1001")
    expect(page.get_by_role("heading", name="인천 i-패스")).to_be_visible()
    expect(page.get_by_text(f"/?entry={entry_id}")).to_be_visible()
    before = votes_left(page)
    settle(page)
    page.get_by_role("button", name=ko("vote.button")).click()
    expect(page.get_by_text(ko("vote.cast_done", left=before - 1))).to_be_visible()
    expect_votes_left(page, before - 1)
    settle(page)
    page.get_by_role("button", name=ko("vote.retract")).click()
    expect(page.get_by_text(ko("vote.retract_done", left=before))).to_be_visible()
    expect_votes_left(page, before)
    expect(page.get_by_role("button", name=ko("vote.button"))).to_be_visible()
    assert f"entry={entry_id}" in href


# Per filter of the gallery: its label, the label's height and line height, and the text of
# any element inside it cut short (wider than the element shows).
_FILTERS_AS_SHOWN = """() => [...document.querySelectorAll(
    '.st-key-gallery_filters [data-testid=stSelectbox],'
    + ' .st-key-gallery_filters [data-testid=stTextInput]')].map(widget => {
  const label = widget.querySelector('[data-testid=stWidgetLabel]');
  const line = parseFloat(getComputedStyle(label.querySelector('p') || label).lineHeight);
  const cut = [...widget.querySelectorAll('*')].filter(
    e => e.children.length === 0 && e.scrollWidth > e.clientWidth + 1).map(e => e.textContent);
  return [label.innerText, label.getBoundingClientRect().height, line, cut];
})"""


def test_the_filters_show_whole_on_a_desktop(app_server: str, browser_page: Page) -> None:
    """At 1,280 pixels every filter's label stands on one line and every value shows whole (in
    one row of six, the page size's label took three lines and its value and the order's were
    cut short)."""
    page = browser_page
    page.goto(app_server)
    sign_in(page, "D1001", DEMO_PASSWORD)
    open_gallery(page)
    expect(page.get_by_label(ko("gallery.per_page"))).to_be_visible()
    filters = page.evaluate(_FILTERS_AS_SHOWN)
    labels = [label for label, *_ in filters]
    assert {ko("gallery.order"), ko("gallery.per_page"), ko("gallery.search")} <= set(labels)
    for label, height, line, cut in filters:
        assert height < 1.5 * line and cut == [], (label, height, line, cut)


def test_no_vote_for_ones_own_poster(app_server: str, browser: Browser) -> None:
    page = new_page(browser)
    context = page.context
    try:
        page.goto(app_server)
        sign_in(page, "D1002", DEMO_PASSWORD)  # 이서연 wrote "천원 주택"
        open_gallery(page)
        own_id, _ = poster_link(page, "천원 주택")
        open_by_qr_link(page, app_server, own_id, "D1002")
        expect(page.get_by_role("heading", name="천원 주택")).to_be_visible()
        expect(page.get_by_text(ko("vote.why.own_entry"))).to_be_visible()
        expect(page.get_by_role("button", name=ko("vote.button"))).to_be_disabled()
    finally:
        context.close()
