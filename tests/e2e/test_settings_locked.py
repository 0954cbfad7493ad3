"""Chromium: during judging the contest settings that decide the ranking are locked, and the
screen says why in words; a setting that does not decide it still saves, and a save with no
change says so.

Runs on its own contest (a copy of the demo's entries) made current for this test only, in
phase judging; the demo contest is current again afterwards.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from contest.contests.queries import require_current
from contest.core.i18n import t
from contest.core.models import ContestPhase
from contest.runtime import Runtime
from tests.e2e.conftest import DEMO_PASSWORD, UI_TIMEOUT, demo_copy, settle, sign_in
from tests.e2e.plain import axe_violations, leftovers, open_from_menu, read
from tests.factories import awards

SHOTS = os.environ.get("CONTEST_E2E_SHOTS")  # a folder: save a screenshot of the screen
LOCKED = (
    t("freeze.since.judging", "ko") + " " + t("freeze.allowed.nothing", "ko")
)  # the words under each setting frozen at the shortlist's lock


@pytest.fixture
def judging_contest(app_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    with demo_copy(
        tmp_path_factory,
        name="E2E 설정 잠금",
        slug="e2e-settings-locked",
        shortlist_size=3,
        award_tiers=awards(1, 2),
        judge_quorum=1,
    ) as (runtime, _ids):
        with runtime.session() as session:
            contest = require_current(session)
            contest.phase = ContestPhase.JUDGING.value
            session.add(contest)
        yield runtime


def test_settings_are_locked_during_judging_with_the_reason_shown(
    app_server: str, browser_page: Page, judging_contest: Runtime
) -> None:
    page = browser_page
    page.goto(app_server)
    sign_in(page, "D9001", DEMO_PASSWORD)
    open_from_menu(page, t("nav.admin_contest", "ko"))
    settle(page)
    weight = page.get_by_role("slider", name=t("contest.jury_weight", "ko"))
    expect(weight).to_be_visible(timeout=UI_TIMEOUT)
    expect(weight).to_be_disabled()
    expect(page.get_by_text(LOCKED).first).to_be_visible()
    expect(page.get_by_label(t("contest.judge_quorum", "ko"))).to_be_disabled()
    expect(page.get_by_text(t("freeze.since.vote_closed", "ko"), exact=False).first).to_be_visible()
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / "settings-locked.png"), full_page=True)
    assert leftovers(read(page), "ko") == []
    assert axe_violations(page) == []

    # What does not decide the ranking still saves; saving again changes nothing and says so.
    page.get_by_text(t("contest.show_author_names", "ko")).click()
    page.get_by_role("button", name=t("contest.save", "ko")).click()
    saved = t("settings.saved", "ko", count=1, names=t("contest.show_author_names", "ko"))
    expect(page.get_by_text(saved)).to_be_visible(timeout=UI_TIMEOUT)
    settle(page)
    page.get_by_role("button", name=t("contest.save", "ko")).click()
    expect(page.get_by_text(t("settings.nothing_changed", "ko"))).to_be_visible(timeout=UI_TIMEOUT)
    with judging_contest.session() as session:
        contest = require_current(session)
        assert contest.show_author_names and contest.jury_weight == 0.8
