"""In Chromium, on a desktop and a phone: a staff member fills the submit form from empty (each
field checked as it is filled), sends it, gets a receipt card and its PDF, then edits and
withdraws the poster.

The module has a server and demo data of its own: the walk counts the author's remaining
entries and checks the file against theirs, which other modules' posters by the same demo
colleague on the shared server would change. Each run starts with none of the author's own
posters on file (a run that failed halfway, before a second run, leaves one behind)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlmodel import select

from contest.contests.queries import require_current
from contest.core.config import Settings
from contest.core.i18n import t
from contest.core.models import Entry, EntryStatus
from contest.demo.seed import DEMO_PASSWORD, seed_demo
from contest.runtime import Runtime, build_runtime
from tests.conftest import demo_copy_in
from tests.e2e.conftest import UI_TIMEOUT, settle, sign_in, streamlit_server
from tests.factories import TEST_SECRET, poster_bytes, user_id_of

AUTHOR = "D1001"


def ko(key: str, **params: object) -> str:
    return t(key, "ko", **params)


def choose(page: Page, label: str, option: str) -> None:
    """Open a selectbox or multiselect from the keyboard (a click alone may only focus it)."""
    box = page.get_by_role("combobox", name=label)
    box.click()
    if box.get_attribute("aria-expanded") != "true":
        box.press("ArrowDown")
    page.get_by_role("option", name=option, exact=True).click()


def pick(page: Page, label: str, option: str) -> None:
    """Choose ``option`` in a multiselect, close its list and see it chosen.

    The choice is seen before the list is closed, and the list is closed only while it is open
    (Escape on a closed list is a key the widget may act on). On a busy phone a tap can land
    while the list redraws and choose nothing; a person then taps again, as this does."""
    widget = page.get_by_test_id("stMultiSelect").filter(
        has=page.get_by_role("combobox", name=label)
    )
    box = page.get_by_role("combobox", name=label)
    chosen = widget.locator(f"[data-tag][aria-label='{option}']").first
    for _ in range(3):
        choose(page, label, option)
        with suppress(AssertionError):  # not chosen: seen below, and tried again
            expect(chosen).to_be_attached(timeout=5_000)
        if box.get_attribute("aria-expanded") == "true":
            page.keyboard.press("Escape")
        expect(box).not_to_have_attribute("aria-expanded", "true")
        settle(page)
        if chosen.count():
            break
    expect(chosen).to_be_attached()


def fill_and_send(page: Page, *, title: str, theme: str, policy: str) -> None:
    """The submit form (its file already checked) filled field by field, each committed
    before the next, and sent: the walk other tests take to enter a poster."""
    page.get_by_role("textbox", name=ko("entry.title")).fill(title)
    page.get_by_role("textbox", name=ko("entry.title")).press("Tab")
    settle(page)
    choose(page, ko("entry.theme"), theme)
    settle(page)
    page.get_by_role("textbox", name=ko("entry.policy")).fill(policy)
    page.get_by_role("textbox", name=ko("entry.policy")).press("Tab")
    settle(page)
    pick(page, ko("entry.ai_tools"), "Midjourney")
    page.get_by_text(ko("entry.consent_own_work")).click()
    settle(page)
    page.get_by_text(ko("entry.consent_publish")).click()
    expect(page.get_by_text(ko("submit.preview_title"))).to_be_visible(timeout=UI_TIMEOUT)
    settle(page)
    page.get_by_role("button", name=ko("submit.send")).click()


def checklist(page: Page) -> Locator:
    return page.locator(".st-key-submit_checklist")


@pytest.fixture(scope="module")
def own_data(tmp_path_factory: pytest.TempPathFactory, seeded_demo: Path) -> Path:
    """This module's data folder, a copy of the demo contest seeded once per test process."""
    return demo_copy_in(seeded_demo, tmp_path_factory.mktemp("submit-data"))


@pytest.fixture(scope="module")
def app_server(own_data: Path) -> Iterator[str]:
    """This module's own ``streamlit run app.py`` in demo mode (the shared one's is overridden)."""
    with streamlit_server(own_data) as base_url:
        yield base_url


@pytest.fixture
def author_without_entries(app_server: str, own_data: Path) -> Iterator[Runtime]:
    """The author's posters in the demo contest withdrawn before the walk starts."""
    runtime = build_runtime(Settings(data_dir=own_data, demo=True, secret_key=TEST_SECRET))
    seed_demo(runtime)  # unless the server's first visit already did (then this does nothing)
    author_id = user_id_of(runtime, AUTHOR)
    with runtime.session() as session:
        contest = require_current(session)
        for entry in session.exec(
            select(Entry).where(Entry.contest_id == contest.id, Entry.author_id == author_id)
        ).all():
            entry.status = EntryStatus.WITHDRAWN.value
            session.add(entry)
    yield runtime
    runtime.engine.dispose()


@pytest.mark.usefixtures("author_without_entries")
def test_submit_from_empty_to_receipt_then_edit_and_withdraw(
    app_server: str, device_page: Page, tmp_path: Path
) -> None:
    page = device_page
    poster = tmp_path / "내 포스터.png"
    poster.write_bytes(poster_bytes(31337))
    page.goto(f"{app_server}/submit")
    sign_in(page, AUTHOR, DEMO_PASSWORD)
    left = page.get_by_text(re.compile(r"앞으로 (\d)편 더 출품할 수 있습니다"))
    expect(left).to_be_visible(timeout=UI_TIMEOUT)
    before = int(re.search(r"앞으로 (\d)편", left.inner_text()).group(1))  # type: ignore[union-attr]

    # Empty: every requirement is listed, and there is nothing to send yet.
    expect(checklist(page)).to_contain_text(ko("submit.check.no_file"))
    expect(checklist(page)).to_contain_text(ko("error.entry.missing.title"))
    expect(checklist(page)).to_contain_text(ko("error.entry.consent_required"))
    expect(page.get_by_text(ko("submit.check.pending", count=6))).to_be_visible()
    expect(page.get_by_role("button", name=ko("submit.send"))).to_have_count(0)
    expect(page.get_by_text(ko("submit.preview_title"))).to_have_count(0)

    # Each field is checked as it is filled in.
    page.locator("input[type=file]").first.set_input_files(str(poster))
    expect(page.get_by_text(ko("submit.file_ok"))).to_be_visible(timeout=UI_TIMEOUT)
    expect(checklist(page)).not_to_contain_text(ko("submit.check.no_file"))
    page.get_by_role("textbox", name=ko("entry.title")).fill("스마트 버스 정류장")
    page.get_by_role("textbox", name=ko("entry.title")).press("Tab")
    expect(checklist(page)).not_to_contain_text(ko("error.entry.missing.title"))
    expect(page.get_by_text(ko("submit.check.pending", count=4))).to_be_visible()
    settle(page)
    choose(page, ko("entry.theme"), "초일류도시")
    settle(page)
    page.get_by_role("textbox", name=ko("entry.policy")).fill("스마트 교통 정책")
    page.get_by_role("textbox", name=ko("entry.policy")).press("Tab")
    settle(page)
    pick(page, ko("entry.ai_tools"), "Midjourney")
    settle(page)
    page.get_by_text(ko("entry.consent_own_work")).click()
    settle(page)
    expect(page.get_by_role("button", name=ko("submit.send"))).to_have_count(0)
    page.get_by_text(ko("entry.consent_publish")).click()

    # Complete: the preview and the send button appear.
    expect(page.get_by_text(ko("submit.preview_title"))).to_be_visible(timeout=UI_TIMEOUT)
    settle(page)
    page.get_by_role("button", name=ko("submit.send")).click()

    # Sent: a receipt card, a cleared form and a current count.
    receipt = page.locator(".st-key-submit_receipt")
    expect(
        receipt.get_by_text(re.compile(r"출품작이 접수되었습니다 \(출품 번호 \d+번\)"))
    ).to_be_visible(timeout=UI_TIMEOUT)
    expect(
        receipt.get_by_text(re.compile(r"\d{4}\.\s\d{1,2}\.\s\d{1,2}\.\(.\)\s\d\d:\d\d(:\d\d)?"))
    ).to_be_visible()
    expect(receipt.get_by_text("Midjourney")).to_be_visible()
    expect(
        page.get_by_text(re.compile(f"앞으로 {before - 1}편 더 출품할 수 있습니다"))
    ).to_be_visible()
    expect(page.get_by_role("textbox", name=ko("entry.title"))).to_have_value("")
    expect(page.get_by_text(ko("submit.file_ok"))).to_have_count(0)
    number = re.search(r"출품 번호 (\d+)번", receipt.inner_text()).group(1)  # type: ignore[union-attr]
    settle(page)
    with page.expect_download() as download:
        page.get_by_role("button", name=ko("receipt.download")).click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type /Page\b", pdf)) == 1
    assert download.value.suggested_filename == f"receipt-{number}.pdf"

    receipt.get_by_role("link", name=ko("nav.my_entries")).click()
    card = page.get_by_role("heading", name=re.compile(f"{number}번 스마트 버스 정류장"))
    expect(card).to_be_visible()
    settle(page)
    page.go_back()  # the submit page again: the receipt stayed behind
    expect(page.get_by_role("textbox", name=ko("entry.title"))).to_be_visible(timeout=UI_TIMEOUT)
    expect(page.locator(".st-key-submit_receipt")).to_have_count(0)
    page.go_forward()
    expect(card).to_be_visible(timeout=UI_TIMEOUT)

    # The edit panel checks as the submit page does and stays open through a new file.
    settle(page)
    page.get_by_text(ko("my_entries.edit")).first.click()
    title = page.get_by_role("textbox", name=ko("entry.title")).first
    expect(title).to_have_value("스마트 버스 정류장", timeout=UI_TIMEOUT)
    replacement = tmp_path / "새 포스터.png"
    replacement.write_bytes(poster_bytes(4242))
    page.locator("input[type=file]").first.set_input_files(str(replacement))
    expect(page.get_by_text(ko("submit.file_ok"))).to_be_visible(timeout=UI_TIMEOUT)
    expect(title).to_be_visible()  # still open
    title.fill("")
    title.press("Tab")
    pending = ko("my_entries.pending", number=number, count=1)
    expect(page.get_by_text(pending)).to_be_visible(timeout=UI_TIMEOUT)
    missing = page.get_by_text(ko("error.entry.missing.title"))
    expect(missing).to_have_count(2)  # under the title, and in the checklist
    expect(page.get_by_role("button", name=ko("my_entries.save"))).to_have_count(0)
    title.fill("스마트 정류장 2.0")
    title.press("Tab")
    settle(page)
    page.get_by_role("button", name=ko("my_entries.save")).first.click()
    saved = ko("my_entries.saved_which", number=number)
    expect(page.get_by_text(saved)).to_be_visible(timeout=UI_TIMEOUT)

    settle(page)  # the page reran after saving and shows the entry as it is now
    expect(page.get_by_role("heading", name=f"{number}번 스마트 정류장 2.0")).to_be_visible()
    page.get_by_text(ko("my_entries.withdraw_confirm")).first.click()
    page.get_by_role("button", name=ko("my_entries.withdraw")).first.click()
    expect(page.get_by_text(ko("entry.status.withdrawn")).first).to_be_visible(timeout=UI_TIMEOUT)
