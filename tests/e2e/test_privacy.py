"""The purge in Chromium: a published contest past its retention date is purged by an admin
on the privacy page (the numbers first, then a confirmation that states them), and afterwards a
colleague still finds the winners, with their names, on the winners page, while the gallery
names no one else. The sign-in page tells staff how long their records are kept."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from contest.core.config import Settings
from contest.core.i18n import t
from contest.core.models import Contest
from contest.runtime import Runtime, build_runtime
from tests.e2e.conftest import UI_TIMEOUT, AppSpec, new_page, settle, sign_in, streamlit_app
from tests.e2e.plain import go
from tests.factories import (
    PASSWORD,
    TEST_SECRET,
    PublishedContest,
    age_objects,
    published_contest,
)


def ko(key: str, **params: object) -> str:
    return t(key, "ko", **params)


@dataclass(frozen=True)
class Purgeable:
    base_url: str
    scene: PublishedContest
    runtime: Runtime


@pytest.fixture(scope="module")
def purgeable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Purgeable]:
    """A contest published 400 days ago (kept for 365): due for purging."""
    spec = AppSpec(tmp_path_factory.mktemp("privacy"), env={"CONTEST_DEMO": "false"})
    runtime = build_runtime(Settings(data_dir=spec.data_dir, demo=False, secret_key=TEST_SECRET))
    scene = published_contest(runtime)
    with runtime.session() as session:
        contest = session.get(Contest, scene.contest_id)
        assert contest is not None and contest.published_at is not None
        contest.published_at -= timedelta(days=400)
        session.add(contest)
    age_objects(runtime.settings.objects_dir)  # written long ago, as in a year-old contest
    with streamlit_app(spec) as base_url:
        yield Purgeable(base_url, scene, runtime)
    runtime.engine.dispose()


def contest_name(app: Purgeable) -> str:
    with app.runtime.session() as session:
        contest = session.get(Contest, app.scene.contest_id)
        assert contest is not None
        return contest.name


def signed_in(browser: Browser, app: Purgeable, login: str) -> Page:
    page = new_page(browser)
    page.goto(app.base_url)
    sign_in(page, login, PASSWORD)
    return page


def test_sign_in_page_says_how_long_records_are_kept(
    purgeable: Purgeable, browser: Browser
) -> None:
    page = new_page(browser)
    try:
        page.goto(purgeable.base_url)
        expect(page.get_by_text(ko("privacy.notice_title"))).to_be_visible(timeout=UI_TIMEOUT)
        expect(page.get_by_text(ko("privacy.notice_public"), exact=False)).to_be_visible(
            timeout=UI_TIMEOUT
        )
    finally:
        page.context.close()


def test_an_admin_purges_and_the_winners_stay(purgeable: Purgeable, browser: Browser) -> None:
    scene = purgeable.scene
    admin = signed_in(browser, purgeable, scene.admin.employee_no)
    try:
        go(admin, "nav.admin_privacy")
        votes = ko("privacy.fact.votes", votes=9, voters=3)
        expect(admin.get_by_text(votes)).to_be_visible(timeout=UI_TIMEOUT)
        admin.get_by_role("button", name=ko("privacy.purge")).click()
        dialog = admin.get_by_role("dialog")
        expect(dialog.get_by_text(ko("privacy.ask"))).to_be_visible(timeout=UI_TIMEOUT)
        expect(dialog.get_by_text(votes)).to_be_visible(timeout=UI_TIMEOUT)
        expect(dialog.get_by_text(ko("privacy.fact.pictures", pictures=2))).to_be_visible(
            timeout=UI_TIMEOUT
        )
        expect(dialog.get_by_text(ko("privacy.fact.winners", winners=2))).to_be_visible(
            timeout=UI_TIMEOUT
        )
        dialog.get_by_role("button", name=ko("privacy.confirm")).click()
        expect(admin.get_by_text(ko("privacy.done", name=contest_name(purgeable)))).to_be_visible(
            timeout=UI_TIMEOUT
        )
        before, after = ko("privacy.purged_on", at="\0").split("\0")
        purged = re.compile(f"^{re.escape(before)}.+{re.escape(after)}$")
        expect(admin.get_by_text(purged)).to_be_visible(timeout=UI_TIMEOUT)
        settle(admin)
    finally:
        admin.context.close()

    colleague = signed_in(browser, purgeable, scene.voters[0].employee_no)
    try:
        go(colleague, "nav.results_published")
        expect(colleague.get_by_text("1번 보존 포스터 1")).to_be_visible(timeout=UI_TIMEOUT)
        expect(colleague.get_by_text("2번 보존 포스터 2")).to_be_visible(timeout=UI_TIMEOUT)
        for winner in scene.authors[:2]:
            expect(colleague.get_by_text(winner.name, exact=False).first).to_be_visible(
                timeout=UI_TIMEOUT
            )
        go(colleague, "nav.gallery")
        expect(colleague.get_by_text(ko("gallery.total", total=4, page=1, pages=1))).to_be_visible(
            timeout=UI_TIMEOUT
        )
        for loser in scene.authors[2:]:
            expect(colleague.get_by_text(loser.name, exact=False)).to_have_count(
                0, timeout=UI_TIMEOUT
            )
    finally:
        colleague.context.close()
