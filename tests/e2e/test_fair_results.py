"""Chromium walks issue 19's fair result as the officials meet it: a tie at the top that the
tie-break order cannot settle is decided in the finalise confirmation (order and reason); after
publishing, a late disqualification of a winner is refused with what to do; the publication is
taken back, the poster disqualified, the outdated record finalised again and published; the
winners page names the winners, and the results page shows the certificate ledger.

Runs on its own contest (copies of the demo posters), made current for this test only.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import col, select

from contest.contests.queries import require_current
from contest.core.i18n import t
from contest.core.models import User, Vote
from contest.judging import lifecycle
from contest.judging.scoring import save_score
from contest.runtime import Runtime
from tests.e2e.conftest import DEMO_PASSWORD, demo_copy, settle, sign_in
from tests.e2e.plain import axe_violations, leftovers, read
from tests.e2e.test_judging_flow import notice, open_page
from tests.factories import awards, flat_scores

CONTEST = "E2E 동점 대회"
SHOTS = os.environ.get("CONTEST_E2E_SHOTS")
# Posters 3 and 5 get the same votes and the same score: a tie for 최우수 nothing settles.
# (Poster 3 "인천 i-패스" and 5 "하늘길 세계로" are 정하은's, 도시계획과; 7 윤지아's; 8 이서연's.)
VOTES = {3: 2, 5: 2, 7: 1, 8: 1}
SCORES = {3: 8, 5: 8, 7: 6, 8: 5}


def ko(key: str, **params: object) -> str:
    return t(key, "ko", **params)


@pytest.fixture
def tied_runtime(app_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    """The copy in judging_closed: shortlist 3, 5, 7, 8 scored by the demo judge."""
    with demo_copy(
        tmp_path_factory,
        name=CONTEST,
        slug="e2e-ties",
        shortlist_size=4,
        judge_quorum=1,
        award_tiers=awards(1, 1, 2),  # the shortlist holds every award place
    ) as (runtime, ids):
        with runtime.session() as session:
            cid = require_current(session).id or 0
            people = {
                u.employee_no: u
                for u in session.exec(
                    select(User).where(
                        col(User.employee_no).in_(("D1001", "D1002", "D1005", "D2001", "D9001"))
                    )
                ).all()
            }
            voters = [people[no] for no in ("D1001", "D1002", "D1005")]
            for number, count in VOTES.items():
                for voter in voters[:count]:
                    session.add(
                        Vote(contest_id=cid, voter_id=voter.id or 0, entry_id=ids[number - 1])
                    )
        admin, judge = people["D9001"], people["D2001"]
        steps = (
            lambda s: lifecycle.close_voting(s, actor=admin, contest_id=cid, reason="일정"),
            lambda s: lifecycle.build_shortlist(s, actor=admin, contest_id=cid),
            lambda s: lifecycle.lock_shortlist(s, actor=admin, contest_id=cid),
            lambda s: lifecycle.open_judging(s, actor=admin, contest_id=cid),
        )
        for step in steps:
            with runtime.session() as session:
                step(session)
        for number, mark in SCORES.items():
            with runtime.session() as session:
                save_score(session, actor=judge, entry_id=ids[number - 1], scores=flat_scores(mark))
        with runtime.session() as session:
            lifecycle.close_judging(session, actor=admin, contest_id=cid)
        yield runtime


def check(page: Page, stage: str) -> None:
    settle(page)
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"fair-{stage}.png"), full_page=True)
    assert leftovers(read(page), "ko") == [], stage
    assert axe_violations(page) == [], stage


def confirm(page: Page, step: str, *, reason: str = "") -> None:
    dialog = page.get_by_role("dialog")
    if reason:
        dialog.get_by_label(ko("lifecycle.reason")).fill(reason)
        dialog.get_by_label(ko("lifecycle.reason")).press("Tab")
        settle(page)
    dialog.get_by_role("button", name=ko(f"lifecycle.confirm.{step}")).click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    notice(page, ko(f"lifecycle.done.{step}", name=CONTEST))


def open_step(page: Page, step: str) -> None:
    settle(page)
    page.get_by_role("button", name=ko(f"lifecycle.open.{step}")).click()
    expect(page.get_by_role("dialog")).to_be_visible()


def moderate(page: Page, number: int, title: str, reason: str) -> None:
    open_page(page, ko("nav.admin_moderation"))
    page.get_by_role("combobox", name=ko("admin.entry"), exact=True).click()
    page.get_by_role("option", name=ko("entry.heading", number=number, title=title)).click()
    settle(page)
    page.get_by_text(ko("admin.action.disqualify"), exact=True).click()
    page.get_by_label(ko("admin.reason")).fill(reason)
    page.get_by_role("button", name=ko("admin.apply")).click()
    settle(page)


def test_a_tie_decided_a_late_change_refused_then_finalised_again(
    app_server: str, browser_page: Page, tied_runtime: Runtime
) -> None:
    page = browser_page
    page.goto(app_server)
    sign_in(page, "D9001", DEMO_PASSWORD)
    open_page(page, ko("nav.admin_judging"))

    # The confirmation names the tier and the tied posters, and asks for an order.
    open_step(page, "finalise")
    dialog = page.get_by_role("dialog")
    tie = ko("lifecycle.fact.tie", tier="최우수", count=2, final="7.8000")
    expect(dialog.get_by_text(tie)).to_be_visible()
    for poster in ("3번 ‘인천 i-패스’", "5번 ‘하늘길 세계로’"):
        expect(dialog.get_by_text(re.compile(re.escape(poster) + ".*결정 필요"))).to_be_visible()
    check(page, "1-tie")
    dialog.get_by_role("button", name=ko("lifecycle.confirm.finalise")).click()
    expect(dialog.get_by_text(re.compile("최우수 자리의 동점\\(3, 5번\\)"))).to_be_visible()

    order = ko("lifecycle.decide_order", tier="최우수", count=2)
    dialog.get_by_label(order).click()
    page.get_by_role("option", name="5번 ‘하늘길 세계로’").click()
    settle(page)
    dialog.get_by_label(order).click()
    page.get_by_role("option", name="3번 ‘인천 i-패스’").click()
    settle(page)
    dialog.get_by_label(ko("lifecycle.decide_reason")).fill("심사위원 협의: 정책 전달력 우선")
    dialog.get_by_label(ko("lifecycle.decide_reason")).press("Tab")
    settle(page)
    confirm(page, "finalise")
    with tied_runtime.session() as session:
        contest = require_current(session)
        assert contest.phase == "finalised"

    open_step(page, "publish")
    confirm(page, "publish")

    # A winner disqualified after publication: refused, saying what to do first.
    moderate(page, 5, "하늘길 세계로", "타인 저작물 확인")
    expect(page.get_by_text(ko("error.results.published_input"))).to_be_visible()
    check(page, "2-refused")

    open_page(page, ko("nav.admin_judging"))
    open_step(page, "unpublish")
    confirm(page, "unpublish", reason="수상작 재검토")
    moderate(page, 5, "하늘길 세계로", "타인 저작물 확인")
    notice(page, ko("admin.action_done.disqualify", number=5))

    # The record is outdated: the screen says what changed and offers finalising again only.
    open_page(page, ko("nav.admin_judging"))
    gone = re.compile("5번 ‘하늘길 세계로’:\u2060? 본선에서 빠졌습니다")  # ui.text.md
    expect(page.get_by_text(gone).first).to_be_visible()
    expect(page.get_by_role("button", name=ko("lifecycle.open.publish"))).to_have_count(0)
    check(page, "3-outdated")
    open_step(page, "refinalise")
    confirm(page, "refinalise", reason="실격 반영")
    open_step(page, "publish")
    confirm(page, "publish")

    # The winners page names the winners and shows how each score was made.
    open_page(page, ko("nav.results_published"), ko("results.winners_title", name=CONTEST))
    expect(page.get_by_text("정하은 · 도시계획과").first).to_be_visible()
    expect(page.get_by_text(re.compile("^최종 7.80점 = 심사 8.00점")).first).to_be_visible()
    check(page, "4-winners")

    # The certificate ledger: the disqualified winner's number is void, with why.
    open_page(page, ko("nav.admin_results"))
    expect(page.get_by_text(ko("ledger.title"), exact=True)).to_be_visible()
    check(page, "5-results")
