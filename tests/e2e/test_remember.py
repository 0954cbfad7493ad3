"""In Chromium: after one sign-in, a scanned QR code (a new tab) opens the poster directly;
after signing out, a new tab asks for the password again."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from contest.core.i18n import t
from contest.demo.seed import DEMO_PASSWORD
from tests.e2e.conftest import UI_TIMEOUT, settle, sign_in


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
    expect(scan.get_by_label(t("auth.login", "ko"))).to_be_visible(timeout=UI_TIMEOUT)
    settle(scan)
    again = page.context.new_page()
    again.goto(app_server)
    expect(again.get_by_label(t("auth.login", "ko"))).to_be_visible(timeout=UI_TIMEOUT)
