"""In Chromium: after one sign-in, a scanned QR code (a new tab) opens the poster directly;
after signing out, a new tab asks for the password again, and the old cookie replayed in
another browser signs nobody in; a malformed cookie is ignored."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from contest.core.i18n import t
from contest.demo.seed import DEMO_PASSWORD
from tests.e2e.conftest import UI_TIMEOUT, new_context, settle, sign_in


def test_a_new_tab_stays_signed_in_until_sign_out(app_server: str, browser_page: Page) -> None:
    page = browser_page
    page.goto(app_server)
    sign_in(page, "D1001", DEMO_PASSWORD)
    expect(page.get_by_role("button", name=t("auth.sign_out", "ko"))).to_be_visible()

    scan = page.context.new_page()
    scan.goto(f"{app_server}/?entry=3")
    expect(scan).to_have_url(re.compile(r"[?&]entry=3\b"), timeout=UI_TIMEOUT)
    expect(scan.get_by_text(t("poster.link", "ko"))).to_be_visible(timeout=UI_TIMEOUT)
    expect(scan.get_by_label(t("auth.login", "ko"))).to_have_count(0)

    settle(scan)
    scan.get_by_role("button", name=t("auth.sign_out", "ko")).click()
    # Signed out at the poster's address: its public page, with the staff sign-in link.
    staff = scan.get_by_role("link", name=t("visit.staff_sign_in", "ko"))
    expect(staff).to_be_visible(timeout=UI_TIMEOUT)
    expect(scan.get_by_role("button", name=t("auth.sign_out", "ko"))).to_have_count(0)
    settle(scan)
    again = page.context.new_page()
    again.goto(app_server)
    expect(again.get_by_label(t("auth.login", "ko"))).to_be_visible(timeout=UI_TIMEOUT)


def _fresh_browser_with(browser: Browser, app_server: str, cookie: dict) -> Page:  # type: ignore[type-arg]
    context = new_context(browser)
    context.add_cookies([cookie])
    page = context.new_page()
    page.goto(app_server)
    return page


def test_a_cookie_replayed_after_sign_out_signs_nobody_in(
    app_server: str, browser: Browser, browser_page: Page
) -> None:
    page = browser_page
    page.goto(app_server)
    sign_in(page, "D1002", DEMO_PASSWORD)
    page.wait_for_function("document.cookie.includes('contest_auth=')")
    stolen = next(c for c in page.context.cookies() if c["name"] == "contest_auth")
    copy = _fresh_browser_with(browser, app_server, stolen)  # before the sign-out: signed in
    expect(copy.get_by_role("button", name=t("auth.sign_out", "ko"))).to_be_visible()

    settle(page)
    page.get_by_role("button", name=t("auth.sign_out", "ko")).click()
    expect(page.get_by_label(t("auth.login", "ko"))).to_be_visible(timeout=UI_TIMEOUT)
    replay = _fresh_browser_with(browser, app_server, stolen)
    expect(replay.get_by_label(t("auth.login", "ko"))).to_be_visible(timeout=UI_TIMEOUT)
    expect(replay.get_by_role("button", name=t("auth.sign_out", "ko"))).to_have_count(0)
    copy.reload()  # the copy that was open is signed out as well
    expect(copy.get_by_label(t("auth.login", "ko"))).to_be_visible(timeout=UI_TIMEOUT)
    for context in (copy.context, replay.context):
        context.close()


def test_a_malformed_cookie_is_ignored(app_server: str, browser: Browser) -> None:
    base = {"domain": "127.0.0.1", "path": "/", "name": "contest_auth"}
    for value in ("99999999999999999999.1.x", "1.1." + "a" * 64, "%ZZ"):
        page = _fresh_browser_with(browser, app_server, {**base, "value": value})
        expect(page.get_by_label(t("auth.login", "ko"))).to_be_visible(timeout=UI_TIMEOUT)
        expect(page.get_by_test_id("stException")).to_have_count(0)
        page.context.close()
