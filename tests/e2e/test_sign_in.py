"""A real browser signs in through the form and keeps a QR link's entry parameter."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from contest.core.i18n import t
from contest.demo.seed import DEMO_PASSWORD
from tests.e2e.conftest import UI_TIMEOUT, settle, sign_in


def test_sign_in_shows_the_korean_home_page(app_server: str, browser_page: Page) -> None:
    page = browser_page
    page.goto(app_server)
    expect(page.get_by_text("demo-pass-2026").first).to_be_visible(timeout=UI_TIMEOUT)
    sign_in(page, "D1001", DEMO_PASSWORD)
    heading = page.get_by_role("heading", name=re.compile("AI 혁신 포스터 경진대회"))
    expect(heading.first).to_be_visible(timeout=UI_TIMEOUT)
    expect(page.get_by_text(t("home.submission_window", "ko")).first).to_be_visible()
    expect(page.get_by_text("김민준").first).to_be_visible()


def test_wrong_password_is_refused_in_korean(app_server: str, browser_page: Page) -> None:
    page = browser_page
    page.goto(app_server)
    page.get_by_label(t("auth.login", "ko")).fill("D1002")
    page.get_by_label(t("auth.password", "ko")).fill("not-the-password-1")
    page.get_by_role("button", name=t("auth.sign_in", "ko")).click()
    expect(page.get_by_text(t("error.auth_failed", "ko"))).to_be_visible(timeout=UI_TIMEOUT)


def test_qr_link_keeps_the_entry_parameter_through_sign_in(
    app_server: str, browser_page: Page
) -> None:
    page = browser_page
    page.goto(f"{app_server}/?entry=1")
    page.get_by_role("link", name=t("visit.staff_sign_in", "ko")).click()  # its public page's
    expect(page.get_by_text(t("auth.sign_in_to_see_entry", "ko"))).to_be_visible(timeout=UI_TIMEOUT)
    sign_in(page, "D1001", DEMO_PASSWORD)
    expect(page.get_by_text(t("auth.sign_in_to_see_entry", "ko"))).to_have_count(0)
    expect(page).to_have_url(re.compile(r"[?&]entry=1\b"), timeout=UI_TIMEOUT)


def test_language_switch_turns_home_english(app_server: str, browser_page: Page) -> None:
    page = browser_page
    page.goto(app_server)
    sign_in(page, "D1005", DEMO_PASSWORD)  # the choice is kept for the user: not a shared one
    expect(page.get_by_text(t("home.submission_window", "ko")).first).to_be_visible()
    page.get_by_text("English", exact=True).click()
    expect(page.get_by_text(t("home.submission_window", "en")).first).to_be_visible(
        timeout=UI_TIMEOUT
    )
    expect(page.get_by_role("button", name=t("auth.sign_out", "en"))).to_be_visible()
    settle(page)
    page.get_by_text("한국어", exact=True).click()
    expect(page.get_by_text(t("home.submission_window", "ko")).first).to_be_visible(
        timeout=UI_TIMEOUT
    )
