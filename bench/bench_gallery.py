"""Gallery cost at 2,000 entries: server time of one rerun, and what the browser receives.

Usage: .venv/bin/python bench/bench_gallery.py [server|live|browser|all] [--before DIR]

Seeds a SQLite database and a LocalStore in a temporary folder with 2,000 active entries whose
ImageObject rows reuse 50 real pictures (drawn posters run through the upload pipeline).

server:  median time of one gallery rerun, three ways, in one process:
         - service: the page's data work (filters, vote state, one page of cards) plus the
           thumbnails from a warm by-key cache, as pages/gallery.py does;
         - AppTest: a real rerun of pages/gallery.py (widgets, st.image, caching);
         - naive: the same query, then every entry's display copy read from the store.
live:    `streamlit run` on the seeded folder, the gallery rerun over Streamlit's websocket
         (bench/bench_load.py's client): the replica's CPU time per rerun and its messages.
browser: `streamlit run` on the seeded folder; headless Chromium signs in, opens the gallery
         and waits until every <img> in the grid has naturalWidth > 0. Prints the time from the
         click (first view, then the median of 5 returns to the gallery), where it goes by the
         browser's clock (until the rerun request leaves, until the first answer, until the
         script's finish message, until the 24 <img> are in the page, until they have decoded),
         the thumbnail bytes and the websocket bytes of that page.
--before DIR: live and browser also for another checkout's app, on a folder its own bench seeded.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlmodel import select  # noqa: E402

from contest.accounts.passwords import hash_password  # noqa: E402
from contest.contests.manage import new_contest  # noqa: E402
from contest.core.config import Settings  # noqa: E402
from contest.core.models import Entry, ImageObject, User  # noqa: E402
from contest.core.timeutil import utcnow  # noqa: E402
from contest.demo.posters import draw_poster  # noqa: E402
from contest.entries.ingest import process_upload  # noqa: E402
from contest.entries.objects import keys_for  # noqa: E402
from contest.runtime import build_runtime  # noqa: E402
from contest.voting.gallery import GalleryQuery, filters, gallery_page  # noqa: E402
from contest.voting.votes import my_votes, vote_state  # noqa: E402

ENTRIES = 2000
PICTURES = 50
RUNS = 15
SECRET = "bench-secret-key-not-a-placeholder"
PASSWORD = "bench-pass-2026"


def settings_for(data_dir: Path) -> Settings:
    return Settings(data_dir=data_dir, demo=False, secret_key=SECRET)


def seed(data_dir: Path) -> None:
    runtime = build_runtime(settings_for(data_dir))
    with runtime.session() as session:
        if session.exec(select(Entry.id)).first():
            return
    images = []
    for n in range(PICTURES):
        processed = process_upload(draw_poster(n, f"포스터 {n}", "벤치마크", "시민행복"))
        keys = keys_for(processed)
        runtime.store.put(keys["display_key"], processed.display, "image/jpeg")
        runtime.store.put(keys["thumb_key"], processed.thumbnail, "image/webp")
        images.append((processed, keys))
    now = utcnow()
    with runtime.session() as session:
        contest = new_contest(name="벤치마크 대회", year=now.year, slug="bench", is_current=True)
        contest.voting_opens_at = contest.submission_opens_at = now.replace(year=now.year - 1)
        contest.voting_closes_at = contest.submission_closes_at = now.replace(year=now.year + 1)
        session.add(contest)
        users = [
            User(
                employee_no=f"B{n:04d}",
                name=f"직원{n}",
                department=f"부서{n % 20:02d}",
                email=f"b{n}@bench.incheon.go.kr",
                password_hash=hash_password(PASSWORD) if n == 0 else None,
                must_change_password=False,
            )
            for n in range(300)
        ]
        session.add_all(users)
        session.flush()
        for n in range(ENTRIES):
            processed, keys = images[n % PICTURES]
            image = ImageObject(
                sha256=f"{n:064x}",
                source_format="PNG",
                width=processed.width,
                height=processed.height,
                size_bytes=processed.size_bytes,
                pixel_sha256=processed.pixel_sha256,
                hashes={},
                **keys,
            )
            session.add(image)
            session.flush()
            session.add(
                Entry(
                    contest_id=contest.id or 0,
                    author_id=users[1 + n % 299].id or 0,
                    number=n + 1,
                    title=f"인천 정책 포스터 {n}",
                    theme=contest.themes[n % len(contest.themes)],
                    policy=f"정책 {n % 40}",
                    image_id=image.id or 0,
                    consent_own_work=True,
                    consent_publish=True,
                )
            )
    runtime.engine.dispose()


def median_ms(fn: Any) -> float:
    fn()  # warm
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def server(data_dir: Path) -> None:
    runtime = build_runtime(settings_for(data_dir))
    with runtime.session() as session:
        viewer = session.exec(select(User).where(User.employee_no == "B0000")).one()
    thumbs: dict[str, bytes] = {}

    def page_cards() -> Any:
        with runtime.session() as session:
            choices = filters(session, actor=viewer)
            vote_state(session, actor=viewer, contest_id=choices.contest_id)
            my_votes(session, actor=viewer, contest_id=choices.contest_id)
            return gallery_page(session, actor=viewer, secret_key=SECRET, query=GalleryQuery())

    def service() -> None:
        for card in page_cards().cards:
            if card.thumb_key not in thumbs:
                thumbs[card.thumb_key] = runtime.store.get(card.thumb_key)

    def naive() -> None:
        page_cards()
        with runtime.session() as session:
            keys = session.exec(select(ImageObject.display_key)).all()
        sum(len(runtime.store.get(key)) for key in keys)

    service_ms, naive_ms = median_ms(service), median_ms(naive)
    apptest_ms = apptest_rerun_ms(data_dir, viewer.id or 0)
    print(f"entries: {ENTRIES}, page: 24 cards, median of {RUNS} runs")
    print(f"service (query + cached thumbnail refs): {service_ms:.1f} ms")
    print(f"AppTest rerun of pages/gallery.py:       {apptest_ms:.1f} ms")
    print(f"naive (every display copy's bytes):      {naive_ms:.1f} ms")
    print(f"naive / AppTest rerun: {naive_ms / apptest_ms:.1f}x")


def apptest_rerun_ms(data_dir: Path, user_id: int) -> float:
    from streamlit.testing.v1 import AppTest

    os.environ.update(
        CONTEST_DATA_DIR=str(data_dir), CONTEST_DEMO="false", CONTEST_SECRET_KEY=SECRET
    )
    os.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["user_id"] = user_id
    at.run()
    at.switch_page("pages/gallery.py").run()
    assert not at.exception and len(at.get("image")) == 24, at.exception
    return median_ms(at.run)


# Browser-side clocks: when each websocket message left or arrived (performance.now()).
TIMING_SCRIPT = """
(() => {
  window.__ws = [];
  const Native = window.WebSocket;
  window.WebSocket = function (...args) {
    const socket = new Native(...args);
    socket.addEventListener("message", (e) =>
      window.__ws.push(["in", performance.now(), e.data.byteLength || e.data.size || 0]));
    const send = socket.send.bind(socket);
    socket.send = (data) => { window.__ws.push(["out", performance.now(), 0]); send(data); };
    return socket;
  };
  window.WebSocket.prototype = Native.prototype;
  Object.assign(window.WebSocket, Native);
})();
"""
# Polled on every animation frame: when the 24 <img> are in the page, when all have decoded.
GRID_READY = """
() => {
  const imgs = [...document.querySelectorAll('.st-key-gallery_grid img')];
  if (imgs.length === 24 && !window.__inDom) window.__inDom = performance.now();
  return imgs.length === 24 && imgs.every(i => i.complete && i.naturalWidth > 0);
}
"""


@contextmanager
def app(data_dir: Path, root: Path = ROOT) -> Iterator[tuple[str, int]]:
    """`streamlit run` of ``root``'s app on the seeded folder: its address and pid."""
    from tests.support.postgres import free_port

    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONTEST_")}
    env.update(CONTEST_DATA_DIR=str(data_dir), CONTEST_DEMO="false", CONTEST_SECRET_KEY=SECRET)
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true"]
    process = subprocess.Popen(
        command, cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(f"{base}/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        yield base, process.pid
    finally:
        process.terminate()
        process.wait(timeout=15)


def live(data_dir: Path, root: Path = ROOT) -> None:
    """The replica's CPU time per gallery rerun, driven over the websocket (no browser)."""
    import asyncio

    from bench.bench_load import Session, Stats, Voter, cpu_seconds

    # The app's own code reads the user (no migration: the folder may hold another checkout's
    # schema) and issues the stay-signed-in cookie in the form that code checks.
    script = (
        f"import sys; sys.path.insert(0, {str(root)!r})\n"
        "from sqlmodel import Session, create_engine, select\n"
        "from contest.accounts.remember import issue_token\n"
        "from contest.core.models import User\n"
        f"engine = create_engine({settings_for(data_dir).resolved_database_url!r})\n"
        "with Session(engine) as session:\n"
        "    user = session.exec(select(User).where(User.employee_no == 'B0001')).one()\n"
        f"    print(user.id, issue_token(user, secret={SECRET!r}))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    user_id, token = out.stdout.split()
    voter = Voter(int(user_id), token)

    async def reruns(base: str, pid: int) -> tuple[float, int]:
        client = Session(base, voter, Stats([], [], 0))
        await client.connect()
        await client.act("open app")
        for _ in range(5):
            await client.act("gallery", "gallery")
        used = cpu_seconds(pid)
        for _ in range(RUNS * 4):
            drawn = await client.act("gallery", "gallery")
        assert client.ws is not None
        await client.ws.close()
        return (cpu_seconds(pid) - used) / (RUNS * 4) * 1000, drawn.messages

    with app(data_dir, root) as (base, pid):
        cpu_ms, messages = asyncio.run(reruns(base, pid))
    print(
        f"live rerun over the websocket: {cpu_ms:.1f} ms of the replica's CPU, {messages} "
        f"messages (mean of {RUNS * 4})"
    )


def browser(data_dir: Path, root: Path = ROOT) -> None:
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, sign_in

    with app(data_dir, root) as (base, _pid), sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = chromium.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(60_000)
        page.add_init_script(TIMING_SCRIPT)
        frames: list[bytes] = []
        page.on(
            "websocket",
            lambda ws: ws.on(
                "framereceived", lambda f: frames.append(f if isinstance(f, bytes) else b"")
            ),
        )
        page.goto(base)
        sign_in(page, "B0000", PASSWORD)
        page.evaluate("performance.clearResourceTimings()")
        cold = show_gallery(page, frames)
        page.wait_for_timeout(1000)  # lets Playwright deliver the last websocket frames
        media = page.evaluate(
            "performance.getEntriesByType('resource')"
            ".filter(e => e.name.includes('/media/')).map(e => e.encodedBodySize)"
        )
        first_view_ws = cold.pop("bytes")
        warm = []
        for _ in range(RUNS // 3):
            page.get_by_role("link", name="홈").first.click()
            page.wait_for_timeout(1000)
            warm.append(show_gallery(page, frames))
        chromium.close()
    total = sum(media) + first_view_ws
    print(f"browser: all 24 thumbnails shown {cold['total']:.0f} ms after the click (first view)")
    median = {key: statistics.median(w[key] for w in warm) for key in warm[0]}
    print(
        f"browser: {median['total']:.0f} ms when the gallery is opened again (caches warm, "
        f"median of {len(warm)})"
    )
    for name, phases in (("first view", cold), ("warm", median)):
        print(
            f"  where the time goes, {name} (ms):",
            ", ".join(f"{label} {phases[key]:.0f}" for key, label in PHASES),
        )
    print(
        f"bytes: {len(media)} thumbnail files {sum(media) / 1024:.0f} KiB"
        f" + websocket {first_view_ws / 1024:.0f} KiB = {total / 1024 / 1024:.2f} MiB"
    )


PHASES = (
    ("click", "click to rerun request"),
    ("server_start", "request to first answer"),
    ("server_run", "first answer to script finished"),
    ("render", "to all 24 <img> in the page"),
    ("images", "to all decoded"),
    ("messages", "messages"),
)


def show_gallery(page: Any, frames: list[bytes]) -> dict[str, float]:
    """Milliseconds from clicking the gallery link until every grid image has decoded, and the
    phases in between by the browser's clock."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    page.evaluate("window.__ws = []; window.__inDom = 0")
    first_frame = len(frames)
    link = page.get_by_role("link", name="작품 갤러리").first
    clicked = link.evaluate("a => { const t = performance.now(); a.click(); return t; }")
    page.wait_for_function(GRID_READY)
    done = page.evaluate("performance.now()")
    in_dom = page.evaluate("window.__inDom")
    events = page.evaluate("window.__ws")
    page.wait_for_timeout(300)  # Playwright's copies of the frames arrive after the page's
    arrived = [e for e in events if e[0] == "in"]
    sent = next(e[1] for e in events if e[0] == "out")
    finished = sent
    for (_, at, _size), data in zip(arrived, frames[first_frame:], strict=False):
        message = ForwardMsg()
        message.ParseFromString(data)
        if message.WhichOneof("type") == "script_finished":
            finished = at
    return {
        "total": done - clicked,
        "click": sent - clicked,
        "server_start": arrived[0][1] - sent if arrived else 0,
        "server_run": finished - arrived[0][1] if arrived else 0,
        "render": max(in_dom - finished, 0),
        "images": done - max(in_dom, finished),
        "messages": len(arrived),
        "bytes": sum(e[2] for e in arrived),
    }


def before_arg() -> str | None:
    return sys.argv[sys.argv.index("--before") + 1] if "--before" in sys.argv else None


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--") and a != before_arg()]
    mode = args[0] if args else "all"
    before = Path(before_arg() or "") if before_arg() else None
    data_dir = Path(os.environ.get("BENCH_DATA_DIR") or tempfile.mkdtemp(prefix="bench-gallery-"))
    seed(data_dir)
    theirs = data_dir.with_name(data_dir.name + "-before")
    if before is not None and mode in ("live", "browser", "all"):
        # That checkout's schema differs: its own bench seeds its folder (mode "seed").
        subprocess.run(
            [sys.executable, str(before / "bench" / "bench_gallery.py"), "seed"],
            env={**os.environ, "BENCH_DATA_DIR": str(theirs)},
            cwd=before,
            check=True,
            capture_output=True,
        )
    for name, run in (("server", server), ("live", live), ("browser", browser)):
        if mode not in (name, "all"):
            continue
        if before is not None and name != "server":
            print(f"{before}:")
            run(theirs, root=before.resolve())
            print("this checkout:")
        run(data_dir)


if __name__ == "__main__":
    main()
