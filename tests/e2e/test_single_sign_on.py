"""In Chromium against a real OpenID Connect provider: a roster e-mail signs in with its role,
an e-mail not on the roster is refused with a clear message and gets no account, and signing
out ends the session. The [auth] section written here is the one docs/deployment.md shows."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from contest.core.i18n import t
from tests.e2e.conftest import UI_TIMEOUT, AppSpec, settle, streamlit_app
from tests.support.oidc_provider import CLIENT_ID, oidc_provider
from tests.support.postgres import free_port

CLIENT_SECRET = "test-client-secret-for-the-sso-test"
COOKIE_SECRET = "test-cookie-secret-of-at-least-32-characters"
ADMIN_EMAIL = "d9001@demo.incheon.go.kr"  # the demo roster's admin
STRANGER = "stranger@example.com"


def ko(key: str, **params: object) -> str:
    return t(key, "ko", **params)


@pytest.fixture(scope="module")
def sso_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The app (demo roster) with sign-in through the provider; yields its URL and its data."""
    folder = tmp_path_factory.mktemp("sso")
    port = free_port()
    redirect_uri = f"http://127.0.0.1:{port}/oauth2callback"
    with oidc_provider(redirect_uri, CLIENT_SECRET, folder / "oidc.log") as issuer:
        secrets = folder / "secrets.toml"
        secrets.write_text(
            "[auth]\n"
            f'redirect_uri = "{redirect_uri}"\n'
            f'cookie_secret = "{COOKIE_SECRET}"\n'
            f'client_id = "{CLIENT_ID}"\n'
            f'client_secret = "{CLIENT_SECRET}"\n'
            f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n'
            "[auth.client_kwargs]\n"
            'prompt = "login"\n',
            encoding="utf-8",
        )
        data = folder / "data"
        spec = AppSpec(data, port=port, args=("--secrets.files", str(secrets)))
        with streamlit_app(spec) as base_url:
            yield base_url, data


def sign_in_at_provider(page: Page, base_url: str, email: str) -> None:
    page.goto(base_url)
    page.get_by_role("button", name=ko("auth.oidc_button")).click()
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill("any password")
    page.get_by_role("button", name="Sign-in").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(base_url)}"), timeout=UI_TIMEOUT)


def users_with_email(data: Path, email: str) -> int:
    engine = sa.create_engine(f"sqlite:///{data / 'contest.db'}")
    with engine.connect() as conn:
        found = conn.exec_driver_sql(
            'SELECT count(*) FROM "user" WHERE lower(email) = ?', (email,)
        ).scalar()
    engine.dispose()
    return int(found or 0)


def test_roster_email_signs_in_with_its_role_and_signs_out(
    sso_app: tuple[str, Path], browser_page: Page
) -> None:
    base_url, _data = sso_app
    page = browser_page
    sign_in_at_provider(page, base_url, ADMIN_EMAIL)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text(f"최유진 · 행정안전국 총무과 · {ko('role.admin')}")).to_be_visible()
    expect(page.get_by_role("link", name=ko("nav.admin_users"))).to_be_visible()

    settle(page)
    sidebar.get_by_role("button", name=ko("auth.sign_out")).click()
    page.get_by_role("button", name=re.compile("sign me out", re.I)).click()  # the provider asks
    expect(page.get_by_role("button", name=ko("auth.oidc_button"))).to_be_visible(
        timeout=UI_TIMEOUT
    )
    assert not [c for c in page.context.cookies() if c["name"].startswith("_streamlit_user")]
    page.goto(base_url)  # a fresh page load: still signed out
    expect(page.get_by_role("button", name=ko("auth.oidc_button"))).to_be_visible()
    expect(page.get_by_role("link", name=ko("nav.admin_users"))).to_have_count(0)


def test_an_email_not_on_the_roster_is_refused_and_gets_no_account(
    sso_app: tuple[str, Path], browser_page: Page
) -> None:
    base_url, data = sso_app
    page = browser_page
    sign_in_at_provider(page, base_url, STRANGER)
    # The address is shown as text: an invisible word joiner after "@" keeps it from becoming a
    # mailto link (ui.text.md), so the visible text carries it too.
    shown = STRANGER.replace("@", "@\u2060")
    expect(page.get_by_text(ko("error.oidc.unknown_email", email=shown))).to_be_visible(
        timeout=UI_TIMEOUT
    )
    expect(page.get_by_role("button", name=ko("auth.oidc_button"))).to_be_visible()
    expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)
    assert users_with_email(data, STRANGER) == 0
