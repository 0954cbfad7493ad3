"""In Chromium: an admin makes a kiosk link for a zone; a TV (1920x1080, never signed in) shows
the zone's posters one after another with their QR codes, and goes dark once the link is
revoked. The link's token travels after '#': no request the TV makes carries it in its address
(so no access log can hold it); the page moves it into a cookie."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, Page, Request, expect

from contest.contests.queries import require_current
from contest.core.i18n import t
from contest.core.timeutil import utcnow
from contest.demo.seed import SAMPLE_POSTERS
from contest.runtime import Runtime
from tests.e2e.conftest import DEMO_PASSWORD, UI_TIMEOUT, new_page, settle, sign_in
from tests.e2e.plain import EVERY_LEVEL, axe_violations, leftovers, read

TV = {"viewport": {"width": 1920, "height": 1080}}
SHOTS = os.environ.get("CONTEST_E2E_SHOTS")  # a folder: save what the TV shows
ZONE = "시민행복"


def ko(key: str, **params: object) -> str:
    return t(key, "ko", **params)


@pytest.fixture
def open_exhibition(server_runtime: Runtime) -> Iterator[None]:
    """The demo contest's exhibition is public today: kiosk links hold only then."""
    now = utcnow()
    with server_runtime.session() as session:
        contest = require_current(session)
        contest.exhibition_public = True
        contest.exhibition_opens_at = now - timedelta(days=1)
        contest.exhibition_closes_at = now + timedelta(days=1)
        session.add(contest)
    try:
        yield
    finally:
        with server_runtime.session() as session:
            contest = require_current(session)
            contest.exhibition_public = False
            session.add(contest)


def test_a_kiosk_link_rotates_posters_until_revoked(
    app_server: str, browser_page: Page, browser: Browser, open_exhibition: None
) -> None:
    admin = browser_page
    admin.goto(f"{app_server}/admin_exhibition")
    sign_in(admin, "D9001", DEMO_PASSWORD)
    expect(admin.get_by_text(ko("kiosk.admin_title"))).to_be_visible(timeout=UI_TIMEOUT)
    seconds = admin.get_by_label(ko("kiosk.seconds"))
    seconds.fill("5")
    seconds.press("Tab")
    settle(admin)
    admin.get_by_role("button", name=ko("kiosk.make")).click()
    code = admin.locator(".st-key-kiosk_new_link code")
    expect(code).to_contain_text("/kiosk#screen=", timeout=UI_TIMEOUT)
    link = code.inner_text().strip()
    token = link.split("#screen=", 1)[1]

    tv = new_page(browser, TV)
    addresses: list[str] = []

    def seen(request: Request) -> None:
        addresses.append(request.url)

    tv.on("request", seen)
    try:
        tv.goto(link)
        expect(tv.get_by_text(ko("kiosk.zone", theme=ZONE))).to_be_visible(timeout=UI_TIMEOUT)
        titles = {title for _, title, _, theme, _ in SAMPLE_POSTERS if theme == 0}
        title = tv.locator(".st-key-kiosk_text h1")
        expect(title).to_have_text(re.compile("|".join(map(re.escape, titles))))
        first = title.inner_text()
        expect(title).not_to_have_text(first, timeout=30_000)  # the next poster, unattended
        qr = tv.locator(".st-key-kiosk_qr img")  # its QR code, legible from 3 m
        expect(qr).to_be_visible()
        box = qr.bounding_box()
        assert box is not None and box["height"] >= TV["viewport"]["height"] / 4, box
        expect(tv.get_by_label(ko("auth.login"))).to_have_count(0)
        # What a scan opens, as the labels say it: the public page, and colleagues sign in to vote.
        promise = re.escape(ko("scan.public_vote", opens="@", closes="@")).replace("@", ".+")
        expect(tv.get_by_text(re.compile(promise))).to_be_visible()
        settle(tv)
        if SHOTS:
            tv.screenshot(path=f"{SHOTS}/kiosk-zone.png")
        assert leftovers(read(tv), "ko") + axe_violations(tv, EVERY_LEVEL) == []
        assert addresses and not [a for a in addresses if token in a.split("#")[0]]
        assert "#" not in tv.url  # moved into a cookie, off the screen's address too

        settle(admin)
        admin.get_by_role("button", name=ko("kiosk.revoke")).first.click()
        admin.get_by_role("button", name=ko("kiosk.revoke_do")).first.click()
        expect(admin.get_by_text(ko("kiosk.revoked", theme=ZONE))).to_be_visible(timeout=UI_TIMEOUT)
        expect(tv.get_by_text(ko("error.display.invalid"))).to_be_visible(timeout=30_000)
        expect(tv.locator(".st-key-kiosk_text h1")).to_have_count(0)
    finally:
        tv.context.close()
