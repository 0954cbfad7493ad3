"""In Chromium: a colleague uploads a poster signed with C2PA by "Adobe Firefly" while declaring
Midjourney; the admin's moderation screen and the judge's page read the file's record beside the
declaration (with the gentle note that they differ); a visitor's phone reads that the poster
was made with generative AI; the "AI 활용 현황" page reads in Korean and in English.

It runs on its own contest (a copy of the demo contest, its exhibition public) made current for
this test only; the demo contest is current again afterwards.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import select

from contest.contests.queries import require_current
from contest.core.i18n import t
from contest.core.models import Entry, User, Vote
from contest.core.timeutil import utcnow
from contest.judging import lifecycle
from contest.runtime import Runtime
from tests import provenance_samples as samples
from tests.e2e.conftest import (
    DEMO_PASSWORD,
    UI_TIMEOUT,
    demo_copy,
    new_page,
    settle,
    sign_in,
)
from tests.e2e.test_submit import choose, fill_and_send
from tests.factories import awards, user_id_of

SHOTS = os.environ.get("CONTEST_E2E_SHOTS")  # a folder: save a screenshot of every screen
TITLE = "파일 기록 시험 포스터"
FILE_SAYS = "파일 기록: Adobe Firefly로 생성 (C2PA 서명 확인됨)"


def ko(key: str, **params: object) -> str:
    return t(key, "ko", **params)


@pytest.fixture
def scene(app_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    now = utcnow()
    with demo_copy(
        tmp_path_factory,
        name="E2E 파일 기록 대회",
        slug="e2e-provenance",
        entries_per_person=20,
        shortlist_size=1,
        award_tiers=awards(1),  # the shortlist holds every award place
        judge_quorum=1,
        exhibition_public=True,
        exhibition_opens_at=now - timedelta(days=1),
        exhibition_closes_at=now + timedelta(days=1),
    ) as (runtime, _ids):
        yield runtime


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"provenance-{name}.png"), full_page=True)


def _upload(page: Page, app_server: str, poster: Path, theme: str) -> None:
    page.goto(f"{app_server}/submit")
    sign_in(page, "D1001", DEMO_PASSWORD)
    page.locator("input[type=file]").first.set_input_files(str(poster))
    expect(page.get_by_text(ko("submit.file_ok"))).to_be_visible(timeout=UI_TIMEOUT)
    fill_and_send(page, title=TITLE, theme=theme, policy="시민 안전 정책")
    expect(page.locator(".st-key-submit_receipt")).to_be_visible(timeout=UI_TIMEOUT)


def _to_judging(runtime: Runtime, entry_id: int) -> None:
    """Three votes for the new poster, then voting closed and a shortlist of one: it."""
    admin_id = user_id_of(runtime, "D9001")
    with runtime.session() as session:
        contest_id = require_current(session).id or 0
        for login in ("D1002", "D1005", "D9001"):
            voter = user_id_of(runtime, login)
            session.add(Vote(contest_id=contest_id, voter_id=voter, entry_id=entry_id))
        admin = session.get(User, admin_id)
    for step in (
        lambda s: lifecycle.close_voting(s, actor=admin, contest_id=contest_id, reason="시험"),
        lambda s: lifecycle.build_shortlist(s, actor=admin, contest_id=contest_id),
        lambda s: lifecycle.lock_shortlist(s, actor=admin, contest_id=contest_id),
        lambda s: lifecycle.open_judging(s, actor=admin, contest_id=contest_id),
    ):
        with runtime.session() as session:
            step(session)


def test_file_record_for_officials_label_for_citizens_and_usage_page(
    app_server: str, browser: Browser, scene: Runtime, tmp_path: Path
) -> None:
    poster = tmp_path / "firefly.jpg"
    poster.write_bytes(samples.c2pa_signed(samples.test_chain(), seed=2121))
    with scene.session() as session:
        theme = require_current(session).themes[0]
    staff = new_page(browser)
    _upload(staff, app_server, poster, theme)
    with scene.session() as session:
        entry = session.exec(select(Entry).where(Entry.title == TITLE)).one()
        entry_id, number = entry.id or 0, entry.number

    # The admin's moderation screen: the file's record beside the declaration.
    admin = new_page(browser)
    admin.goto(f"{app_server}/admin_moderation")
    sign_in(admin, "D9001", DEMO_PASSWORD)
    choose(admin, ko("admin.entry"), ko("entry.heading", number=number, title=TITLE))
    expect(admin.get_by_text(FILE_SAYS)).to_be_visible(timeout=UI_TIMEOUT)
    expect(admin.get_by_text("C2PA 서명: Adobe")).to_be_visible()
    note = "출품자가 밝힌 도구(Midjourney)와 파일 기록(Adobe Firefly)이 다릅니다."
    expect(admin.get_by_text(note, exact=False)).to_be_visible()
    _shot(admin, "moderation")
    admin.context.close()

    # A visitor's phone, without signing in: the poster says it was made with generative AI.
    visitor = new_page(browser)
    visitor.goto(f"{app_server}/?entry={entry_id}")
    label = (
        "생성형 AI로 만든 출품작입니다 (사용 도구:\u2060 Midjourney)"  # md() joins ":" to its word
    )
    expect(visitor.get_by_text(label)).to_be_visible(timeout=UI_TIMEOUT)
    expect(visitor.get_by_text(FILE_SAYS)).to_have_count(0)  # the record is for officials
    _shot(visitor, "visitor")
    visitor.context.close()

    # The judge, blind to the author, reads the same record.
    _to_judging(scene, entry_id)
    judge = new_page(browser)
    judge.goto(f"{app_server}/judging")
    sign_in(judge, "D2001", DEMO_PASSWORD)
    expect(judge.get_by_text(FILE_SAYS)).to_be_visible(timeout=UI_TIMEOUT)
    expect(judge.get_by_text("D1001")).to_have_count(0)
    _shot(judge, "judge")
    judge.context.close()

    # AI 활용 현황, in Korean and then in English.
    staff.goto(f"{app_server}/ai_usage")
    expect(staff.get_by_role("heading", name=ko("nav.ai_usage"))).to_be_visible(timeout=UI_TIMEOUT)
    expect(staff.get_by_role("heading", name=ko("usage.by_tool"))).to_be_visible()
    expect(staff.get_by_text(ko("usage.download_csv"))).to_be_visible()
    _shot(staff, "usage-ko")
    settle(staff)
    staff.get_by_text("English", exact=True).click()
    try:
        expect(staff.get_by_role("heading", name=t("nav.ai_usage", "en"))).to_be_visible(
            timeout=UI_TIMEOUT
        )
        expect(staff.get_by_role("heading", name=t("usage.by_tool", "en"))).to_be_visible()
        expect(staff.get_by_text(t("usage.download_xlsx", "en"))).to_be_visible()
        _shot(staff, "usage-en")
    finally:  # the switch is saved for the account: give the demo account Korean back
        settle(staff)
        staff.get_by_text("한국어", exact=True).click()
        expect(staff.get_by_role("heading", name=ko("nav.ai_usage"))).to_be_visible(
            timeout=UI_TIMEOUT
        )
        staff.context.close()
