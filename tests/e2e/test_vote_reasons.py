"""In Chromium, on a desktop and a phone: a vote button that cannot work is off and says why
(one's own poster, no votes left, voting closed); the server refuses such votes anyway."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from contest.contests.queries import require_current
from contest.core.dates import moment
from contest.core.i18n import t
from contest.core.models import Entry
from contest.core.timeutil import utcnow
from contest.runtime import Runtime
from tests.e2e.conftest import UI_TIMEOUT, sign_in_at_poster


def ko(key: str, **params: object) -> str:
    return t(key, "ko", **params)


def open_poster(page: Page, base_url: str, runtime: Runtime, title: str, login: str) -> None:
    with runtime.session() as session:
        contest = require_current(session)  # the judging test copies titles to another contest
        entry_id = session.exec(
            select(Entry.id).where(Entry.title == title, Entry.contest_id == contest.id)
        ).one()
    page.goto(f"{base_url}/entry?entry={entry_id}")
    sign_in_at_poster(page, login)
    expect(page.get_by_role("heading", name=title)).to_be_visible(timeout=UI_TIMEOUT)


def expect_off(page: Page, reason: str) -> None:
    expect(page.get_by_role("button", name=ko("vote.button"))).to_be_disabled()
    expect(page.get_by_text(reason)).to_be_visible()


def test_own_poster_and_no_votes_left(
    app_server: str, device_page: Page, server_runtime: Runtime
) -> None:
    page = device_page
    open_poster(page, app_server, server_runtime, "천원 주택", "D1002")  # 이서연's own poster
    expect_off(page, ko("vote.why.own_entry"))

    page.context.clear_cookies()
    open_poster(page, app_server, server_runtime, "천원 주택", "D1003")  # used all 3 votes
    expect_off(page, ko("vote.why.no_votes_left"))


@pytest.fixture
def voting_closed(server_runtime: Runtime) -> Iterator[str]:
    """The demo contest's voting window ended a minute ago; restored afterwards."""
    with server_runtime.session() as session:
        contest = require_current(session)
        was = contest.voting_closes_at
        contest.voting_closes_at = utcnow() - timedelta(minutes=1)
        session.add(contest)
        closes = moment(contest.voting_closes_at, contest.timezone)
    try:
        yield closes
    finally:
        with server_runtime.session() as session:
            contest = require_current(session)
            contest.voting_closes_at = was
            session.add(contest)


def test_voting_closed(
    app_server: str, device_page: Page, server_runtime: Runtime, voting_closed: str
) -> None:
    page = device_page
    open_poster(page, app_server, server_runtime, "모두의 문화 한 걸음", "D1001")
    expect_off(page, ko("vote.why.closed", closes=voting_closed))
