"""Browser tests: one `streamlit run` per session (demo mode, temp data) and headless Chromium.

Reuse in any tests/e2e module:

    def test_x(app_server: str, browser_page: Page) -> None:
        browser_page.goto(app_server)
        sign_in(browser_page, "D1001", DEMO_PASSWORD)
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from contest.core.i18n import t
from contest.demo.seed import DEMO_PASSWORD
from tests.factories import TEST_SECRET
from tests.support.postgres import free_port

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
START_TIMEOUT = 180  # seconds: the first start migrates and draws the demo posters
UI_TIMEOUT = 60_000  # milliseconds for Playwright waits

__all__ = ["DEMO_PASSWORD", "settle", "sign_in"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything under tests/e2e is marked ``e2e`` (deselect with -m "not e2e")."""
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.e2e)


def _wait_healthy(base_url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited early:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"streamlit not healthy in {START_TIMEOUT}s:\n{log.read_text()}")


def _warm_up(base_url: str) -> None:
    """Health answers before the app script ran; the first page load seeds the demo data."""
    with urllib.request.urlopen(base_url, timeout=30) as response:
        response.read()


@dataclass(frozen=True)
class AppSpec:
    """One ``streamlit run app.py``: demo mode in ``data_dir`` unless ``env`` says otherwise."""

    data_dir: Path
    port: int = field(default_factory=free_port)
    env: dict[str, str] = field(default_factory=dict)
    args: tuple[str, ...] = ()
    root: Path = ROOT  # the checkout whose app.py runs (a benchmark may run another's)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _launch(spec: AppSpec) -> tuple[subprocess.Popen[bytes], Path]:
    spec.data_dir.mkdir(parents=True, exist_ok=True)
    log = spec.data_dir / f"streamlit-{spec.port}.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONTEST_")}
    env.update(
        CONTEST_DATA_DIR=str(spec.data_dir),
        CONTEST_DEMO="true",
        CONTEST_SECRET_KEY=TEST_SECRET,
        CONTEST_BASE_URL=spec.base_url,
    )
    env.update(spec.env)
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.port",
        str(spec.port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        *spec.args,
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=spec.root, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    return process, log


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def streamlit_apps(*specs: AppSpec) -> Iterator[list[str]]:
    """Start every app at once (replicas racing at start-up), yield their base URLs once each
    answers, stop them all afterwards."""
    launched: list[tuple[subprocess.Popen[bytes], Path]] = []
    try:
        for spec in specs:
            launched.append(_launch(spec))
        for spec, (process, log) in zip(specs, launched, strict=True):
            _wait_healthy(spec.base_url, process, log)
            _warm_up(spec.base_url)
        yield [spec.base_url for spec in specs]
    finally:
        for process, _log in launched:
            _stop(process)


@contextmanager
def streamlit_app(spec: AppSpec) -> Iterator[str]:
    with streamlit_apps(spec) as (base_url,):
        yield base_url


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of ``streamlit run app.py`` in demo mode on a free loopback port."""
    with streamlit_app(AppSpec(tmp_path_factory.mktemp("e2e-data"))) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def browser_page(browser: Browser) -> Iterator[Page]:
    """A fresh browser context (no cookies, no session) and page per test."""
    context = browser.new_context(locale="ko-KR", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(UI_TIMEOUT)
    page = context.new_page()
    yield page
    context.close()


def settle(page: Page) -> None:
    """Wait until Streamlit has finished its rerun: a click during a rerun can be lost."""
    page.wait_for_timeout(300)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=UI_TIMEOUT)


def sign_in(page: Page, login: str, password: str) -> None:
    """Fill the sign-in form on the current page and wait until it is gone."""
    label = t("auth.login", "ko")
    page.get_by_label(label).fill(login)
    page.get_by_label(t("auth.password", "ko")).fill(password)
    page.get_by_role("button", name=t("auth.sign_in", "ko")).click()
    expect(page.get_by_label(label)).to_have_count(0, timeout=UI_TIMEOUT)
