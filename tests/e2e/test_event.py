"""In Chromium, on a desktop and on a 390x844 phone, the staff journeys at the event: the gallery
keeps its place through a poster and back (the browser's back button too) and a tap anywhere on
a card opens its poster; after a QR scan the vote button is on the phone's first screen and the
side menu starts closed; a file over the limit is explained in Korean; Enter in the kiosk form
makes nothing; and the walk from sign-in to a vote needs nothing but the keyboard."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from sqlmodel import func, select

from contest.contests.queries import require_current
from contest.core.i18n import t
from contest.core.models import DisplayLink
from contest.runtime import Runtime
from tests.e2e.conftest import (
    DEMO_PASSWORD,
    PHONE,
    UI_TIMEOUT,
    new_page,
    settle,
    sign_in,
    sign_in_at_poster,
)
from tests.e2e.test_submit import choose
from tests.e2e.test_venue import entry_id_of
from tests.factories import poster_bytes


def ko(key: str, **params: object) -> str:
    return t(key, "ko", **params)


def cards(page: Page) -> Locator:
    return page.locator(".st-key-gallery_grid [class*='st-key-card_']")


def search(page: Page, term: str) -> None:
    box = page.get_by_label(ko("gallery.search"))
    box.fill(term)
    box.press("Enter")


def test_the_gallery_keeps_its_place_and_a_card_opens_its_poster(
    app_server: str, device_page: Page
) -> None:
    page = device_page
    page.goto(f"{app_server}/gallery")
    sign_in(page, "D1001", DEMO_PASSWORD)
    expect(cards(page)).to_have_count(12, timeout=UI_TIMEOUT)
    settle(page)
    if page.viewport_size and page.viewport_size["width"] < 640:
        expect(cards(page).nth(1)).to_be_visible()
        first, second = (cards(page).nth(i).bounding_box() or {} for i in (0, 1))
        assert first["height"] < 844 / 2 and first["y"] == second["y"]  # two cards a row
        page.get_by_text(ko("gallery.filters_none")).click()  # folded on a phone

    search(page, "3번")  # as the labels print it
    expect(cards(page)).to_have_count(1)
    expect(cards(page).get_by_role("link")).to_have_text(re.compile(r"^3번 · "))
    search(page, "어디에도 없는 제목")
    expect(page.get_by_text(ko("gallery.empty"))).to_be_visible()
    settle(page)
    page.get_by_role("button", name=ko("gallery.reset")).click()
    expect(cards(page)).to_have_count(12)
    settle(page)
    choose(page, ko("gallery.theme"), "시민행복")
    expect(cards(page)).to_have_count(4)
    settle(page)
    choose(page, ko("gallery.order"), ko("gallery.order.newest"))
    expect(cards(page).first.get_by_role("link")).to_have_text(re.compile(r"^12번 · "))  # newest
    settle(page)  # the grid drawn whole before it is read (mid-run it may hold old cards)
    titles = cards(page).get_by_role("link").all_inner_texts()

    # A tap on the picture, not on the title, opens the poster.
    cards(page).nth(1).locator("img").click(force=True)  # force: the card's link covers it
    expect(page.get_by_text(ko("poster.link"))).to_be_visible(timeout=UI_TIMEOUT)
    expect(page).to_have_url(re.compile(r"/entry\?entry=\d+$"))
    settle(page)
    for way_back in ("the browser's back button", "the poster's back link"):
        if way_back.startswith("the browser"):
            page.go_back()
        else:
            cards(page).nth(0).click()
            expect(page.get_by_text(ko("poster.link"))).to_be_visible(timeout=UI_TIMEOUT)
            settle(page)
            page.get_by_role("link", name=ko("poster.back")).click()
        expect(cards(page)).to_have_count(4, timeout=UI_TIMEOUT)
        expect(cards(page).get_by_role("link")).to_have_text(titles)  # same order, same page
        expect(page).to_have_url(re.compile(r"/gallery\?.*gallery_theme="))
        expect(page).to_have_url(re.compile(r"/gallery\?.*gallery_order="))
        settle(page)


def test_after_a_scan_the_phone_shows_the_vote_button_first_and_no_menu(
    app_server: str, browser: Browser, server_runtime: Runtime
) -> None:
    page = new_page(browser, PHONE)
    try:
        entry_id = entry_id_of(server_runtime, "천원 주택")  # 이서연's (D1002)
        page.goto(f"{app_server}/?entry={entry_id}")
        sign_in_at_poster(page, "D1001")
        vote = page.get_by_role("button", name=ko("vote.button"))
        expect(vote).to_be_visible(timeout=UI_TIMEOUT)
        box = vote.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 844  # was at y = 1003

        settle(page)  # the menu, once opened, covers no later scan
        opener = page.get_by_test_id("stExpandSidebarButton")
        opener.click()
        expect(page.get_by_test_id("stSidebarCollapseButton")).to_be_visible()
        page.goto(f"{app_server}/?entry={entry_id}")
        expect(vote).to_be_visible(timeout=UI_TIMEOUT)
        settle(page)
        expect(opener).to_have_attribute("aria-expanded", "false")
        expect(page.get_by_test_id("stSidebarCollapseButton")).to_have_count(0)

        page.context.clear_cookies()  # the author's own poster: the reason is in view too
        page.goto(f"{app_server}/?entry={entry_id}")
        sign_in_at_poster(page, "D1002")
        reason = page.get_by_text(ko("vote.why.own_entry"))
        expect(reason).to_be_visible(timeout=UI_TIMEOUT)
        box = reason.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 844
    finally:
        page.context.close()


def test_on_a_desktop_the_poster_fits_the_first_screen_at_its_size_at_most(
    app_server: str, browser_page: Page, server_runtime: Runtime
) -> None:
    page = browser_page
    entry_id = entry_id_of(server_runtime, "인천 i-패스")
    page.goto(f"{app_server}/entry?entry={entry_id}")
    sign_in_at_poster(page, "D1001")
    picture = page.locator(".st-key-entry_poster img")
    expect(picture).to_be_visible(timeout=UI_TIMEOUT)
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=picture.element_handle()
    )
    drawn = picture.evaluate(
        "img => ({bottom: img.getBoundingClientRect().bottom, width: img.width,"
        " natural: img.naturalWidth, screen: window.innerHeight})"
    )
    assert drawn["bottom"] <= drawn["screen"] and drawn["width"] <= drawn["natural"]
    settle(page)
    page.get_by_role("button", name=ko("poster.zoom")).click()  # its own size, a click away
    full = page.get_by_role("dialog").get_by_role("img")
    expect(full).to_be_visible()
    assert full.evaluate("img => img.width") > drawn["width"]


@pytest.fixture
def one_megabyte_limit(server_runtime: Runtime) -> Iterator[None]:
    with server_runtime.session() as session:
        contest = require_current(session)
        before, contest.max_upload_mb = contest.max_upload_mb, 1
        session.add(contest)
    try:
        yield
    finally:
        with server_runtime.session() as session:
            contest = require_current(session)
            contest.max_upload_mb = before
            session.add(contest)


def test_a_file_over_the_limit_is_explained_in_korean(
    app_server: str, device_page: Page, tmp_path: Path, one_megabyte_limit: None
) -> None:
    page = device_page
    fine, large = tmp_path / "포스터.png", tmp_path / "큰 포스터.png"
    fine.write_bytes(poster_bytes(7))
    large.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(1_600_000))  # 1.5 MB: over the contest's 1
    page.goto(f"{app_server}/submit")
    sign_in(page, "D1001", DEMO_PASSWORD)
    expect(page.get_by_text(re.compile(r"최대 1MB"))).to_be_visible(timeout=UI_TIMEOUT)  # said
    chooser = page.locator("input[type=file]").first
    chooser.set_input_files(str(fine))
    expect(page.get_by_text(ko("submit.file_ok"))).to_be_visible(timeout=UI_TIMEOUT)
    settle(page)
    chooser.set_input_files(str(large))
    message = ko("error.image.too_large", size_mb=1.5, limit_mb=1.0)
    expect(page.get_by_text(message).first).to_be_visible(timeout=UI_TIMEOUT)  # not a tooltip
    expect(page.get_by_text(ko("submit.file_ok"))).to_have_count(0)  # the old file's is gone
    expect(page.get_by_text(re.compile("must be|MB or smaller"))).to_have_count(0)


def test_enter_in_the_kiosk_form_makes_no_link(
    app_server: str, browser_page: Page, server_runtime: Runtime
) -> None:
    def links() -> int:
        with server_runtime.session() as session:
            return session.exec(select(func.count()).select_from(DisplayLink)).one()

    page, before = browser_page, links()
    page.goto(f"{app_server}/admin_exhibition")
    sign_in(page, "D9001", DEMO_PASSWORD)
    seconds = page.get_by_label(ko("kiosk.seconds"))
    expect(seconds).to_be_visible(timeout=UI_TIMEOUT)
    seconds.fill("7")
    seconds.press("Enter")
    settle(page)
    expect(page.locator(".st-key-kiosk_new_link")).to_have_count(0)
    assert links() == before
    expect(seconds).to_have_value("7")  # kept for the button, which alone makes the link


def tab_to(page: Page, target: Locator, most: int = 80) -> None:
    """Press Tab until ``target`` has the focus, which must be visible there (an outline or a
    ring; a text field shows its focus by its border, Streamlit's own)."""
    handle = target.element_handle()
    for _ in range(most):
        if page.evaluate("el => document.activeElement === el", handle):
            break
        page.keyboard.press("Tab")
    else:
        raise AssertionError(f"Tab never reached {target}")
    visible = target.evaluate(
        "el => { const s = getComputedStyle(el); return el.tagName === 'INPUT'"
        " || s.outlineStyle !== 'none' && s.outlineWidth !== '0px' || s.boxShadow !== 'none'; }"
    )
    assert visible, f"no visible focus on {target}"


def test_the_walk_from_sign_in_to_a_vote_needs_only_the_keyboard(
    app_server: str, browser_page: Page
) -> None:
    page = browser_page
    page.goto(app_server)
    login = page.get_by_label(ko("auth.login"))
    expect(login).to_be_visible(timeout=UI_TIMEOUT)
    settle(page)
    tab_to(page, login)
    page.keyboard.type("D1001")
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    gallery = page.get_by_test_id("stSidebarNav").get_by_role("link", name=ko("nav.gallery"))
    expect(gallery).to_be_visible(timeout=UI_TIMEOUT)
    settle(page)
    tab_to(page, gallery)
    page.keyboard.press("Enter")
    link = cards(page).first.get_by_role("link")
    expect(link).to_be_visible(timeout=UI_TIMEOUT)
    settle(page)
    tab_to(page, link)
    page.keyboard.press("Enter")
    vote = page.get_by_role("button", name=ko("vote.button"))
    expect(vote).to_be_visible(timeout=UI_TIMEOUT)
    settle(page)
    tab_to(page, vote)
    page.keyboard.press("Enter")
    retract = page.get_by_role("button", name=ko("vote.retract"))
    expect(retract).to_be_visible(timeout=UI_TIMEOUT)
    settle(page)
    tab_to(page, retract)  # and back, leaving the demo's votes as they were
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name=ko("vote.button"))).to_be_visible(timeout=UI_TIMEOUT)
