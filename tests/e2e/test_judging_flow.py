"""Chromium walks the whole lifecycle as the officials do: close voting early (with a reason),
draw the shortlist, fix a shortlisted poster no judge may score by appointing a judge, lock,
open judging, two judges score, close judging, finalise, publish after the preview, read the
winners page, take the publication back, print the certificates and download the workbook.
Every irreversible step goes through its confirmation, and every action answers with a notice.
At each stage the admin and judge screens pass the plain-language and axe checks.

The server is shared with other browser tests, so this runs on its own contest (copies of the
demo entries, same images and authors) made current for this test only; the demo contest and
the appointed judge's role are put back afterwards.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import Page, expect
from sqlmodel import col, select

from contest.contests.queries import require_current
from contest.core.i18n import t
from contest.core.models import DuplicateFlag, Role, User, Vote
from contest.runtime import Runtime
from tests.contest.test_exhibition import page_count
from tests.e2e.conftest import DEMO_PASSWORD, UI_TIMEOUT, demo_copy, settle, sign_in
from tests.e2e.plain import axe_violations, leftovers, open_from_menu, read
from tests.factories import awards

APPOINTED = "D1004"  # 강도윤 (문화예술과): staff, not on the sign-in page
SHOTS = os.environ.get("CONTEST_E2E_SHOTS")  # a folder: save a screenshot of every stage


def ko(key: str, **params: object) -> str:
    return t(key, "ko", **params)


@pytest.fixture
def walk_runtime(app_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    """The server's database with a current contest still open: votes 3, 2, 1 on the first
    three posters (shortlist of 3), the first one made by the only judge, and one possible
    duplicate between posters 5 and 6."""
    with demo_copy(
        tmp_path_factory,
        name="E2E 심사 대회",
        slug="e2e-walk",
        shortlist_size=3,
        award_tiers=awards(1, 2),  # the shortlist holds every award place
        judge_quorum=1,
    ) as (runtime, ids):
        with runtime.session() as session:
            contest_id = require_current(session).id or 0
            voters = session.exec(
                select(User).where(col(User.employee_no).in_(("D1001", "D1002", "D1005")))
            ).all()
            for count, entry_id in zip((3, 2, 1), ids, strict=False):
                for voter in voters[:count]:
                    session.add(
                        Vote(contest_id=contest_id, voter_id=voter.id or 0, entry_id=entry_id)
                    )
            mask = [[0] * 16 for _ in range(16)]
            for row in range(1, 4):
                mask[row][2:9] = [1] * 7  # the title area differs
            session.add(
                DuplicateFlag(
                    contest_id=contest_id,
                    entry_id=ids[5],
                    other_entry_id=ids[4],
                    level="similar",
                    distance=0.18,
                    evidence={
                        "differing_share": 0.08,
                        "overlap_share": 0.97,
                        "correlation": 0.91,
                        "replaced": 0.3,
                        "turn_degrees": 0,
                        "tilt_degrees": 0.0,
                        "scale": 1.0,
                        "crop": {"left": 0.0, "top": 0.05, "right": 0.0, "bottom": 0.0},
                        "mask": mask,
                    },
                    cross_author=True,
                )
            )
        try:
            yield runtime
        finally:
            with runtime.session() as session:
                appointed = session.exec(select(User).where(User.employee_no == APPOINTED)).one()
                appointed.role = Role.STAFF.value
                session.add(appointed)


def require_year(runtime: Runtime) -> int:
    with runtime.session() as session:
        return require_current(session).year


def open_page(page: Page, title: str, heading: str | None = None) -> None:
    settle(page)
    open_from_menu(page, title)
    settle(page)
    expect(page.get_by_role("heading", name=heading or title).first).to_be_visible(
        timeout=UI_TIMEOUT
    )


def check(page: Page, stage: str) -> None:
    """The page reads plainly and passes axe; a screenshot when CONTEST_E2E_SHOTS is set."""
    settle(page)
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{stage}.png"), full_page=True)
    assert leftovers(read(page), "ko") == [], stage
    assert axe_violations(page) == [], stage


def notice(page: Page, text: str) -> None:
    expect(page.get_by_test_id("stAlert").filter(has_text=text).first).to_be_visible()


def step(page: Page, name: str, *, reason: str = "", expect_text: str = "") -> None:
    """Open a lifecycle step's confirmation, read it, and confirm."""
    settle(page)
    page.get_by_role("button", name=ko(f"lifecycle.open.{name}")).click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text(ko(f"lifecycle.consequence.{name}"))).to_be_visible()
    if expect_text:
        expect(dialog.get_by_text(expect_text).first).to_be_visible()
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"confirm-{name}.png"))
    if reason:
        dialog.get_by_label(ko("lifecycle.reason")).fill(reason)
        dialog.get_by_label(ko("lifecycle.reason")).press("Enter")
        settle(page)
    dialog.get_by_role("button", name=ko(f"lifecycle.confirm.{name}")).click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    notice(page, ko(f"lifecycle.done.{name}", name="E2E 심사 대회"))


def switch_user(page: Page, login: str) -> None:
    settle(page)
    page.get_by_role("button", name=ko("auth.sign_out")).click()
    sign_in(page, login, DEMO_PASSWORD)


def score_all(page: Page, count: int) -> None:
    """Save the poster on screen ``count`` times; saving moves on to the next unscored one."""
    for done in range(1, count + 1):
        settle(page)
        page.get_by_role("button", name=ko("judging.save")).click()
        scored = re.escape(ko("judging.progress", scored=done, total="@")).replace("@", r"\d+")
        expect(page.get_by_text(re.compile(f"^{scored}$"))).to_be_visible()


def test_officials_walk_the_lifecycle(
    app_server: str, browser_page: Page, walk_runtime: Runtime
) -> None:
    page = browser_page
    page.goto(app_server)
    sign_in(page, "D9001", DEMO_PASSWORD)
    open_page(page, ko("nav.admin_judging"))
    expect(page.get_by_text(ko("lifecycle.where", phase=ko("phase.open")))).to_be_visible()
    expect(page.get_by_role("button", name=ko("lifecycle.open.build_shortlist"))).to_have_count(0)
    check(page, "1-open")

    # A possible duplicate, read in words with the differing area marked, then dismissed.
    open_page(page, ko("nav.admin_duplicates"))
    expect(page.get_by_text(ko("dup.find.similar"))).to_be_visible()
    expect(page.get_by_text(ko("dup.find.cropped", percent=5))).to_be_visible()
    expect(page.get_by_text(ko("dup.find.areas", count=1))).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("6번 포스터"))).to_be_visible()
    check(page, "1-duplicates")
    page.get_by_label(ko("admin.reason")).fill("다른 작가의 같은 틀 사용, 문제 없음")
    page.get_by_role("button", name=ko("admin.dismiss")).click()
    notice(page, ko("dup.dismissed", first=5, second=6))
    expect(page.get_by_text(ko("admin.duplicates_none"))).to_be_visible()
    open_page(page, ko("nav.admin_judging"))

    step(page, "close_voting", reason="심사 일정 단축", expect_text="사유가 필요합니다")
    step(
        page, "build_shortlist", expect_text=ko("lifecycle.fact.shortlist", count=3, size=3, cut=1)
    )

    # The judge made poster 1: nobody may score it until another judge is appointed.
    expect(page.get_by_text(ko("panel.title", count=1))).to_be_visible()
    own = ko("panel.barrier.own", judge="박지훈").replace(":", ":\u2060")  # ui.text.md
    expect(page.get_by_text(own)).to_be_visible()
    check(page, "2-shortlisted")
    page.get_by_label(ko("panel.appoint_who")).click()
    page.keyboard.type("강도윤")
    page.get_by_role("option", name=re.compile("강도윤")).click()
    settle(page)
    page.get_by_role("button", name=ko("panel.appoint")).click()
    notice(page, "강도윤 (문화예술과) 님을 심사위원으로 지정했습니다")
    expect(page.get_by_text(ko("panel.all_covered", judges=2))).to_be_visible()

    step(page, "lock_shortlist", expect_text=ko("lifecycle.fact.lock", count=3))
    step(page, "open_judging", expect_text=ko("lifecycle.fact.open", judges=2, count=3))

    switch_user(page, "D2001")
    open_page(page, ko("nav.judging"))
    expect(page.get_by_text(ko("judging.not_saved"))).to_be_visible()
    check(page, "3-judge")
    score_all(page, 2)  # posters 2 and 3: poster 1 is the judge's own
    expect(page.get_by_text(ko("judging.saved_at", at=""), exact=False).first).to_be_visible()

    switch_user(page, APPOINTED)
    open_page(page, ko("nav.judging"))
    expect(page.get_by_text(ko("judging.progress", scored=0, total=3))).to_be_visible()
    score_all(page, 1)

    switch_user(page, "D9001")
    open_page(page, ko("nav.admin_judging"))
    check(page, "4-judging")
    step(
        page,
        "close_judging",
        expect_text=ko("lifecycle.fact.unfinished", count=1, total=2),
    )
    step(page, "finalise", expect_text=ko("lifecycle.fact.ranked", ranked=3, total=3))

    # Publishing shows its preview: every tier the contest defines, then the public page.
    settle(page)
    page.get_by_role("button", name=ko("lifecycle.open.publish")).click()
    dialog = page.get_by_role("dialog")
    for tier, places in (("최우수", 1), ("우수", 2)):
        expect(dialog.get_by_text(ko("winners.tier", award=tier, places=places))).to_be_visible()
    assert axe_violations(page) == []
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / "confirm-publish.png"), full_page=True)
    dialog.get_by_role("button", name=ko("lifecycle.confirm.publish")).click()
    notice(page, ko("lifecycle.done.publish", name="E2E 심사 대회"))
    check(page, "5-published")

    open_page(page, ko("nav.results_published"), ko("results.winners_title", name="E2E 심사 대회"))
    expect(
        page.get_by_role("heading", name=ko("winners.tier", award="최우수", places=1))
    ).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("포스터 ‘")).first).to_be_visible()
    check(page, "6-winners")
    open_page(page, ko("nav.home"), "E2E 심사 대회")
    expect(page.get_by_role("link", name=ko("home.go_winners"))).to_be_visible()

    open_page(page, ko("nav.admin_judging"))
    step(page, "unpublish", reason="수상작 재검토")
    with walk_runtime.session() as session:
        assert require_current(session).published_snapshot_id is None
    open_page(page, ko("nav.results_published"))
    expect(page.get_by_text(ko("results.not_published"))).to_be_visible()

    open_page(page, ko("nav.admin_results"))
    check(page, "7-results")
    page.get_by_role("button", name=ko("certificates.make")).click()
    notice(page, ko("certificates.ready"))
    with page.expect_download() as download:
        settle(page)
        page.get_by_role("button", name=ko("certificates.download")).click()
    pdf = Path(download.value.path()).read_bytes()
    assert page_count(pdf) == 3  # one certificate per award winner
    with page.expect_download() as download:
        settle(page)
        page.get_by_role("button", name=ko("results.export_xlsx")).click()
    sheets = pd.read_excel(io.BytesIO(Path(download.value.path()).read_bytes()), sheet_name=None)
    assert list(sheets) == [
        ko(f"export.sheet.{n}")
        for n in ("entries", "votes", "scores", "results", "winners", "certificates")
    ]
    results = sheets[ko("export.sheet.results")]
    assert list(results[ko("export.col.award")]) == ["최우수", "우수", "우수"]
    assert len(sheets[ko("export.sheet.scores")]) == 3
    winners = sheets[ko("export.sheet.winners")]
    assert list(winners[ko("export.col.certificate")]) == [
        ko("certificates.serial", year=require_year(walk_runtime), serial=n) for n in (1, 2, 3)
    ]
    with walk_runtime.session() as session:
        assert require_current(session).published_snapshot_id is None
