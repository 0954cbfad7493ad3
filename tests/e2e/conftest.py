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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright
from sqlmodel import col, select

from contest.contests.manage import new_contest
from contest.contests.queries import require_current
from contest.core.config import Settings
from contest.core.i18n import t
from contest.core.models import Contest, Entry
from contest.demo.seed import DEMO_PASSWORD, seed_demo
from contest.runtime import Runtime, build_runtime
from tests.conftest import demo_copy_in
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
# ... and for every expect(...): its own default, 5 s, is shorter than a rerun of a page on a
# busy machine, and a check written without a timeout (most are) failed then, now and again
expect.set_options(timeout=UI_TIMEOUT)

DESKTOP: dict[str, Any] = {"viewport": {"width": 1280, "height": 900}}
# A phone as the venue's visitors hold it: small screen, touch, a mobile browser's user agent.
PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "user_agent": (
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36"
    ),
}
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}

__all__ = [
    "DEMO_PASSWORD",
    "PHONE",
    "VIEWPORTS",
    "new_context",
    "new_page",
    "settle",
    "sign_in",
    "sign_in_at_poster",
    "streamlit_app",
    "streamlit_apps",
    "streamlit_server",
]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Everything under tests/e2e is marked ``e2e`` (deselect with -m "not e2e").

    With pytest-rerunfailures loaded (``make test``), a browser test that fails is run once more
    and the summary counts it as "rerun": one stall of a shared CI machine does not throw a
    submission away, and a test that fails twice still fails. ``make test-stress`` runs without
    the plugin, where the bar is no failure at all."""
    retry = config.pluginmanager.has_plugin("rerunfailures")
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.e2e)
            if retry:
                item.add_marker(pytest.mark.flaky(reruns=1))


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
def streamlit_apps(*specs: AppSpec, warm_up: bool = True) -> Iterator[list[str]]:
    """Start every app at once (replicas racing at start-up), yield their base URLs once each
    answers (``warm_up``: after loading ``/`` once), stop them all afterwards."""
    launched: list[tuple[subprocess.Popen[bytes], Path]] = []
    try:
        for spec in specs:
            launched.append(_launch(spec))
        for spec, (process, log) in zip(specs, launched, strict=True):
            _wait_healthy(spec.base_url, process, log)
            if warm_up:
                _warm_up(spec.base_url)
        yield [spec.base_url for spec in specs]
    finally:
        for process, _log in launched:
            _stop(process)


@contextmanager
def streamlit_app(spec: AppSpec) -> Iterator[str]:
    with streamlit_apps(spec) as (base_url,):
        yield base_url


@contextmanager
def streamlit_server(data_dir: Path, *, warm_up: bool = True) -> Iterator[str]:
    """``streamlit run app.py`` in demo mode on ``data_dir``; ``warm_up`` loads ``/`` once."""
    with streamlit_apps(AppSpec(data_dir), warm_up=warm_up) as (base_url,):
        yield base_url


@pytest.fixture(scope="session")
def e2e_data_dir(tmp_path_factory: pytest.TempPathFactory, seeded_demo: Path) -> Path:
    """The shared server's data folder, the demo contest in it already (seeded once per test
    process, as its first visit would)."""
    return demo_copy_in(seeded_demo, tmp_path_factory.mktemp("e2e-data"))


@pytest.fixture(scope="session")
def app_server(e2e_data_dir: Path) -> Iterator[str]:
    """Base URL of ``streamlit run app.py`` in demo mode on a free loopback port."""
    with streamlit_server(e2e_data_dir) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def server_runtime(app_server: str, e2e_data_dir: Path) -> Iterator[Runtime]:
    """The browser tests' server's database and objects, for setting a scene and checking it."""
    runtime = build_runtime(Settings(data_dir=e2e_data_dir, demo=True, secret_key=TEST_SECRET))
    seed_demo(runtime)  # unless a browser session already did (then this does nothing)
    yield runtime
    runtime.engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


RUNS = ROOT / "tests" / "e2e" / "runs.js"
# Every run a page asked for has finished and Streamlit shows none running (see runs.js).
RUNS_FINISHED = """() => {
  const runs = window.__streamlitRuns;
  const app = document.querySelector("[data-testid=stApp]");
  return runs.done > runs.asked && app !== null
    && app.getAttribute("data-test-script-state") === "notRunning"
    && document.querySelector("[data-testid=stStatusWidget]") === null;
}"""


def new_context(browser: Browser, device: dict[str, Any] = DESKTOP) -> BrowserContext:
    """A fresh browser context (no cookies, no session) whose pages ``settle`` can wait on."""
    context = browser.new_context(locale="ko-KR", **device)
    context.set_default_timeout(UI_TIMEOUT)
    context.add_init_script(path=RUNS)
    return context


def new_page(browser: Browser, device: dict[str, Any] = DESKTOP) -> Page:
    """A page in a fresh browser context (no cookies, no session); close its context after."""
    return new_context(browser, device).new_page()


@pytest.fixture
def browser_page(browser: Browser) -> Iterator[Page]:
    """A fresh browser context (no cookies, no session) and desktop page per test."""
    page = new_page(browser)
    yield page
    page.context.close()


@pytest.fixture(params=list(VIEWPORTS))
def device_page(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    """Like ``browser_page``, once on a desktop and once on a 390x844 phone."""
    page = new_page(browser, VIEWPORTS[request.param])
    yield page
    page.context.close()


def settle(page: Page) -> None:
    """Wait until every script run the page asked for has finished: a click during a rerun
    can be lost. A condition the page's own websocket shows, not a time."""
    counted = page.evaluate("window.__streamlitRuns !== undefined")
    assert counted, "a page settle() waits on comes from new_context()/new_page()"
    page.wait_for_function(RUNS_FINISHED, timeout=UI_TIMEOUT, polling=50)


def sign_in(page: Page, login: str, password: str) -> None:
    """Fill the sign-in form on the current page and wait until it is gone."""
    label = t("auth.login", "ko")
    page.get_by_label(label).fill(login)
    page.get_by_label(t("auth.password", "ko")).fill(password)
    page.get_by_role("button", name=t("auth.sign_in", "ko")).click()
    expect(page.get_by_label(label)).to_have_count(0, timeout=UI_TIMEOUT)


def sign_in_at_poster(page: Page, login: str, password: str = DEMO_PASSWORD) -> None:
    """Signed out at a poster's address (a QR scan): its public page (or when it is public)
    links colleagues to the sign-in; follow it and sign in, to land on the poster."""
    page.get_by_role("link", name=t("visit.staff_sign_in", "ko")).click()
    sign_in(page, login, password)


WINDOWS = ("submission_opens_at", "submission_closes_at", "voting_opens_at", "voting_closes_at")


@contextmanager
def demo_copy(
    tmp_path_factory: pytest.TempPathFactory,
    *,
    name: str,
    slug: str,
    entry_texts: Callable[[Entry], dict[str, str]] = lambda _entry: {},
    **settings: Any,
) -> Iterator[tuple[Runtime, list[int]]]:
    """The shared server's database with a copy of the demo contest (its windows, its rule for
    judges who enter, its entries' images and authors, ``entry_texts`` replacing texts) made
    current; the demo contest is current again afterwards. Yields the runtime and the copy's
    entry ids by number."""
    data_dir = next(Path(tmp_path_factory.getbasetemp()).glob("e2e-data*"))
    runtime = build_runtime(Settings(data_dir=data_dir, demo=True, secret_key=TEST_SECRET))
    seed_demo(runtime)  # unless a browser session already did (then this does nothing)
    with runtime.session() as session:
        demo = require_current(session)
        demo_id = demo.id
        windows = {k: getattr(demo, k) for k in WINDOWS}
        rule = {"officials_entering": demo.officials_entering}  # the demo judge entered too
        copy = new_contest(name=name, year=demo.year, slug=slug, **windows, **(rule | settings))
        session.add(copy)
        session.flush()
        ids = []
        for entry in session.exec(
            select(Entry).where(Entry.contest_id == demo.id).order_by(col(Entry.number))
        ).all():
            data = entry.model_dump(exclude={"id", "contest_id"}) | entry_texts(entry)
            copied = Entry(**data, contest_id=copy.id or 0)
            session.add(copied)
            session.flush()
            ids.append(copied.id or 0)
        demo.is_current, copy.is_current = False, True
        session.add_all([demo, copy])
    try:
        yield runtime, ids
    finally:
        with runtime.session() as session:
            for contest in session.exec(select(Contest)).all():
                contest.is_current = contest.id == demo_id
                session.add(contest)
        runtime.engine.dispose()
