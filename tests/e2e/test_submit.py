"""In Chromium: a staff member submits a poster, sees it, edits it and withdraws it."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from contest.core.i18n import t
from contest.demo.seed import DEMO_PASSWORD
from tests.e2e.conftest import UI_TIMEOUT, settle, sign_in
from tests.factories import poster_bytes


def ko(key: str, **params: object) -> str:
    return t(key, "ko", **params)


def choose(page: Page, label: str, option: str) -> None:
    """Open a selectbox or multiselect from the keyboard (a click alone may only focus it)."""
    box = page.get_by_role("combobox", name=label)
    box.click()
    if box.get_attribute("aria-expanded") != "true":
        box.press("ArrowDown")
    page.get_by_role("option", name=option, exact=True).click()


def test_submit_see_edit_and_withdraw(app_server: str, browser_page: Page, tmp_path: Path) -> None:
    page = browser_page
    poster = tmp_path / "내 포스터.png"
    poster.write_bytes(poster_bytes(31337))
    page.goto(app_server)
    sign_in(page, "D1001", DEMO_PASSWORD)

    page.get_by_role("link", name=ko("nav.submit")).first.click()
    page.locator("input[type=file]").first.set_input_files(str(poster))
    expect(page.get_by_text(ko("submit.file_ok"))).to_be_visible(timeout=UI_TIMEOUT)
    page.get_by_role("textbox", name=ko("entry.title")).fill("스마트 버스 정류장")
    choose(page, ko("entry.theme"), "초일류도시")
    page.get_by_role("textbox", name=ko("entry.policy")).fill("스마트 교통 정책")
    choose(page, ko("entry.ai_tools"), "Midjourney")
    page.keyboard.press("Escape")
    page.get_by_text(ko("entry.consent_own_work")).click()
    page.get_by_text(ko("entry.consent_publish")).click()
    page.get_by_role("button", name=ko("submit.preview")).click()
    expect(page.get_by_text(ko("submit.preview_title"))).to_be_visible()
    page.get_by_role("button", name=ko("submit.send")).click()
    expect(page.get_by_text("접수되었습니다")).to_be_visible(timeout=UI_TIMEOUT)

    page.get_by_role("link", name=ko("nav.my_entries")).first.click()
    card = page.get_by_role("heading", name="스마트 버스 정류장")
    expect(card).to_be_visible()
    settle(page)
    page.get_by_text(ko("my_entries.edit")).first.click()
    title = page.get_by_role("textbox", name=ko("entry.title")).first
    title.fill("스마트 정류장 2.0")
    settle(page)
    page.get_by_role("button", name=ko("my_entries.save")).first.click()
    expect(page.get_by_text(ko("my_entries.saved"))).to_be_visible(timeout=UI_TIMEOUT)

    settle(page)  # the page reran after saving and shows the entry as it is now
    expect(page.get_by_role("heading", name="스마트 정류장 2.0")).to_be_visible()
    page.get_by_text(ko("my_entries.withdraw_confirm")).first.click()
    page.get_by_role("button", name=ko("my_entries.withdraw")).first.click()
    expect(page.get_by_text(ko("entry.status.withdrawn"))).to_be_visible(timeout=UI_TIMEOUT)
