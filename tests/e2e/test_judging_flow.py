"""Chromium: the demo judge scores two shortlisted posters; the admin finalises and downloads
the results workbook.

The server is shared with other browser tests, so the judging state is set up in a separate
contest (copies of the demo entries, same images and authors) made current for this test only;
the demo contest is made current again afterwards.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from contest.contests.queries import require_current
from contest.core.models import Entry, JudgeScore, User
from contest.judging.scoring import judge_queue
from contest.runtime import Runtime
from tests.e2e.conftest import DEMO_PASSWORD, demo_copy, settle, sign_in
from tests.factories import demo_to_judging


@pytest.fixture
def judging_runtime(app_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    """The server's database, with a current contest in phase judging (shortlist of 6+)."""
    with demo_copy(
        tmp_path_factory, name="E2E 심사", slug="e2e-judging", shortlist_size=6, judge_quorum=1
    ) as (runtime, _ids):
        demo_to_judging(runtime)
        yield runtime


def open_page(page: Page, title: str) -> None:
    """Click the sidebar link; a long (admin) menu first needs "View more"."""
    more = page.get_by_role("button", name=re.compile(r"View \d* ?more"))
    if more.count():
        more.click()
    page.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()


def test_judge_scores_two_posters_and_admin_downloads_the_workbook(
    app_server: str, browser_page: Page, judging_runtime: Runtime
) -> None:
    page = browser_page
    page.goto(app_server)
    sign_in(page, "D2001", DEMO_PASSWORD)
    open_page(page, "심사하기")
    with judging_runtime.session() as session:
        judge = session.exec(select(User).where(User.employee_no == "D2001")).one()
        contest_id = require_current(session).id
        own = session.exec(
            select(Entry.title).where(Entry.author_id == judge.id, Entry.contest_id == contest_id)
        ).all()
        queue = judge_queue(session, actor=judge, contest_id=contest_id or 0)
    second = f"#{queue[1].number} {queue[1].title}"
    expect(page.get_by_text("심사 진행: 0 /")).to_be_visible()
    settle(page)
    page.get_by_role("button", name="점수 저장").click()
    expect(page.get_by_text("심사 진행: 1 /")).to_be_visible()
    page.get_by_label("작품 선택").click()
    page.keyboard.type(queue[1].title)
    page.get_by_role("option", name=re.compile(re.escape(second))).click()
    expect(page.get_by_role("heading", name=second)).to_be_visible()
    settle(page)
    page.get_by_role("button", name="점수 저장").click()
    expect(page.get_by_text("심사 진행: 2 / 10")).to_be_visible()  # 12 posters minus own 2
    assert len(own) == 2
    for title in own:
        expect(page.get_by_text(title)).to_have_count(0)
    with judging_runtime.session() as session:
        assert (
            len(session.exec(select(JudgeScore).where(JudgeScore.judge_id == judge.id)).all()) == 2
        )

    settle(page)
    page.get_by_role("button", name="로그아웃").click()
    sign_in(page, "D9001", DEMO_PASSWORD)
    open_page(page, "심사 운영")
    settle(page)
    page.get_by_role("button", name="심사 마감").click()
    expect(page.get_by_text("현재 단계: 심사 마감")).to_be_visible()
    open_page(page, "결과 집계")
    settle(page)
    page.get_by_role("button", name="결과 확정").click()
    expect(page.get_by_role("button", name="결과 다시 확정")).to_be_visible()
    with page.expect_download() as download:
        settle(page)
        page.get_by_role("button", name="전체 엑셀 통합 문서 (XLSX)").click()
    sheets = pd.read_excel(io.BytesIO(Path(download.value.path()).read_bytes()), sheet_name=None)
    assert list(sheets) == ["entries", "votes", "scores", "results"]
    assert len(sheets["scores"]) == 2
    winners = sheets["results"].dropna(subset=["award"])
    assert list(winners["award"]) == ["최우수", "우수"]
