"""Chromium: what users typed is shown as text on every screen that shows it. A title like
``**bold** ![p](http://evil.example/t.png)`` stays literal and makes no browser load anything.

The server is shared with other browser tests, so the posters live in a separate contest
(copies of the demo entries with hostile texts, a duplicate flag, a hostile rubric label)
made current for this test only; the demo contest is made current again afterwards.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, Request, expect
from sqlmodel import select

from contest.contests.queries import require_current
from contest.contests.settings import DEFAULT_RUBRIC
from contest.core.i18n import t
from contest.core.models import (
    DuplicateFlag,
    Entry,
    FlagLevel,
    User,
)
from contest.judging import lifecycle, publication, results
from contest.runtime import Runtime
from tests.e2e.conftest import (
    DEMO_PASSWORD,
    demo_copy,
    new_context,
    settle,
    sign_in,
)
from tests.factories import demo_to_judging
from tests.pages.test_admin_pages import judge_scores_two

EVIL = "evil.example"
# Markdown, Streamlit's extensions, HTML and the things GFM turns into links, all in one text.
HOSTILE = (
    f"**bold** ![p](http://{EVIL}/t.png) <img src=http://{EVIL}/i.png> :red[red] $x^2$ "
    f"[link](http://{EVIL}/l) www.{EVIL} kim@{EVIL} http://{EVIL}/u"
)
LITERAL = "**bold** ![p]("  # what a viewer must read, as typed


def ko(key: str) -> str:
    return t(key, "ko")


def _hostile(entry: Entry) -> dict[str, str]:
    return {
        "title": f"{HOSTILE} {entry.number}",
        "policy": HOSTILE,
        "description": HOSTILE,
        "prompt": HOSTILE,
        "human_part": HOSTILE,
    }


@pytest.fixture(scope="module")
def hostile_runtime(
    app_server: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Runtime, list[int]]]:
    """The server's database with a current contest of hostile texts in phase judging (a
    hostile rubric label, a duplicate flag), and the ids of its entries."""
    rubric = [dict(c) for c in DEFAULT_RUBRIC]
    rubric[0]["label"] = f"**bold** ![r](http://{EVIL}/r.png)"
    with demo_copy(
        tmp_path_factory,
        name=f"E2E {HOSTILE}"[:200],
        slug="e2e-plain-text",
        shortlist_size=12,
        judge_quorum=1,
        rubric=rubric,
        entry_texts=_hostile,
    ) as (runtime, ids):
        with runtime.session() as session:
            contest_id = require_current(session).id or 0
            session.add(
                DuplicateFlag(
                    contest_id=contest_id,
                    entry_id=ids[1],
                    other_entry_id=ids[0],
                    level=FlagLevel.DUPLICATE.value,
                    distance=0.01,
                    cross_author=True,
                )
            )
        demo_to_judging(runtime)
        yield runtime, ids


class Visitor:
    """One person's browser: every request to another host is recorded and refused."""

    def __init__(self, browser: Browser, app_server: str, login: str) -> None:
        self.app_server = app_server
        self.outside: list[str] = []
        context = new_context(browser)
        context.route(re.compile(r"^(?!https?://127\.0\.0\.1[:/]).*"), self._refuse)
        self.page = context.new_page()
        self.page.goto(app_server)
        sign_in(self.page, login, DEMO_PASSWORD)
        self.page.wait_for_function("document.cookie.includes('contest_auth=')")

    def _refuse(self, route: object, request: Request) -> None:
        self.outside.append(request.url)
        route.abort()  # type: ignore[attr-defined]

    def open(self, path: str) -> Page:
        self.page.goto(f"{self.app_server}/{path}")
        settle(self.page)
        return self.page

    def close(self) -> None:
        """Nothing was fetched from elsewhere but Streamlit's own favicon (the page icon is a
        Material symbol, which Streamlit loads from fonts.gstatic.com)."""
        assert [url for url in self.outside if "//fonts.gstatic.com/" not in url] == []
        self.page.context.close()


def expect_plain(page: Page, *, literal: bool = True) -> None:
    """The hostile text is on screen as typed (``literal``) and none of it became markup."""
    if literal:
        expect(page.get_by_text(LITERAL).first).to_be_visible()
    expect(page.locator("strong", has_text=re.compile(r"^\s*bold\s*$"))).to_have_count(0)
    expect(page.locator(f"img[src*='{EVIL}']")).to_have_count(0)
    expect(page.locator(f"a[href*='{EVIL}'], a[href^='mailto:']")).to_have_count(0)
    expect(page.locator(".katex")).to_have_count(0)
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_typed_text_stays_text_on_every_screen(
    app_server: str, browser: Browser, hostile_runtime: tuple[Runtime, list[int]]
) -> None:
    runtime, ids = hostile_runtime

    staff = Visitor(browser, app_server, "D1001")
    for path in ("", "gallery", f"?entry={ids[0]}", "results_public"):
        page = staff.open(path)
        expect_plain(page, literal=path != "results_public")  # a chart and a data grid
    staff.close()

    author = Visitor(browser, app_server, "D1002")
    expect_plain(author.open("my_entries"))
    author.close()

    judge = Visitor(browser, app_server, "D2001")
    page = judge.open("judging")
    expect_plain(page)
    page.get_by_label(ko("judging.choose")).click()  # the queue's options are plain text too
    expect(page.get_by_role("option").filter(has_text=LITERAL).first).to_be_visible()
    expect_plain(page)
    page.keyboard.press("Escape")
    judge.close()

    admin = Visitor(browser, app_server, "D9001")
    page = admin.open("admin_duplicates")
    expect_plain(page)
    expect(page.get_by_test_id("stRadio").get_by_text(LITERAL).first).to_be_visible()
    page.get_by_label(ko("admin.reason")).first.fill("같은 포스터")
    settle(page)
    page.get_by_role("button", name=ko("admin.confirm_disqualify")).first.click()
    expect(page.get_by_test_id("stAlert").filter(has_text=LITERAL)).to_be_visible()
    expect_plain(page)  # the notice that quotes the title
    for path in ("admin_moderation", "admin_judging", "admin_votes", "admin_dashboard"):
        expect_plain(admin.open(path), literal=False)  # data grids and charts draw text

    judge_scores_two(runtime)
    with runtime.session() as session:
        admin_user = session.exec(select(User).where(User.employee_no == "D9001")).one()
        cid = require_current(session).id or 0
        lifecycle.close_judging(session, actor=admin_user, contest_id=cid)
    with runtime.session() as session:
        snapshot = results.finalise(session, actor=admin_user, contest_id=cid)
    with runtime.session() as session:  # publishing is its own step after finalising
        publication.publish(session, actor=admin_user, contest_id=cid, snapshot_id=snapshot.id or 0)
    expect_plain(admin.open("results_published"))
    admin.close()
