"""Whether one session uploading in a loop slows its colleagues on the same replica.

Usage: .venv/bin/python bench/bench_upload_load.py [--sessions 40] [--window 20] [--rounds 3]
           [--think 5]

The production shape of bench_load.py (PostgreSQL 15, moto's S3 server, one `streamlit run`
replica with CONTEST_DEMO=false, its seeded contest and colleagues), and its colleagues: each
session browses, filters, opens a poster and votes, one action every ``--think`` seconds on
average, all through the run. Meanwhile the run goes through windows of ``--window`` seconds,
``--rounds`` times over, each "alone" window followed by one of:

- bombs, one a second: one more session picks upload bombs on the submit page, as a browser
  picks a file (Streamlit's upload URL request, the PUT to /_stcore/upload_file, then the
  uploader's new state), a pick a second (faster than a person picks files): a 40-byte WebP
  declaring 5000x5000, a 350 KB PNG declaring 90 MP of RGBA, a 120 KB progressive JPEG
  repeating a scan 3,000 times (built by tests/contest/test_upload_budget.py);
- bombs, as fast as answered: the same, each pick as soon as the page has answered (a script);
- 49 MP PNGs, one a second: the file still accepted that costs the most to check, a 97 KB
  16-bit PNG of 49 MP (it took 1,060 MB to check before the decode budget);
- gallery reloaded as fast: the control, a session reloading the gallery as fast as it is
  answered: what any page run in a loop costs the replica.

Windows alternate so that the machine's own load, which drifts (other work shares its cores),
weighs on every condition alike. Each colleague action counts for the window it ends in.
Reported per condition: the colleagues' p50/p95 per action and their p95 against the "alone"
windows, errors, the replica's CPU and peak memory (VmHWM), and what the looping session did.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import struct
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
import zlib
from collections import Counter
from contextlib import ExitStack
from pathlib import Path

import websockets
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Common_pb2 import FileUploaderState, UploadedFileInfo
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_load
from bench_load import (
    ACTIONS,
    FINISHED,
    Stats,
    cpu_seconds,
    measure,
    percentiles,
    replicas_of,
    seed,
    warm_up,
)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.contest.test_upload_budget import (  # noqa: E402
    flat_png,
    jpeg_repeating_a_scan,
    webp_of_one_colour,
)

# (label, what the extra session does, seconds between its picks)
PHASES = (
    ("alone", "", 0.0),
    ("bombs, one a second", "bombs", 1.0),
    ("49 MP PNGs, one a second", "large", 1.0),
    ("bombs, as fast as answered", "bombs", 0.0),
    ("gallery reloaded as fast", "gallery", 0.0),
)


def files(kind: str) -> tuple[tuple[str, bytes], ...]:
    if kind == "bombs":
        return (
            ("flat.webp", webp_of_one_colour((5000, 5000))),
            ("deep.png", flat_png(9500, 9500, 8, 6)),
            ("scans.jpg", jpeg_repeating_a_scan((4000, 3000), 3000)),
        )
    return (("grey16.png", flat_png(7000, 7000, 16, 0, fill=0x9C)),)


def another(data: bytes, n: int) -> bytes:
    """A PNG made different by a text chunk (the same pixels): the submit page keeps the answer
    for a file it has checked, and this file must be checked each time."""
    if not data.startswith(b"\x89PNG"):
        return data
    body = b"Comment\x00" + str(n).encode()
    chunk = (
        struct.pack(">I", len(body))
        + b"tEXt"
        + body
        + struct.pack(">I", zlib.crc32(b"tEXt" + body))
    )
    return data[:33] + chunk + data[33:]  # after the signature and IHDR


class Looper:
    """One browser tab doing one thing over and over while its condition holds: picking files
    on the submit page (a pick every ``pace`` seconds, 0: as soon as the page has answered), or
    reloading the gallery."""

    def __init__(self, base_url: str, token: str) -> None:
        self.base_url, self.token = base_url, token
        self.cookies: dict[str, str] = {"contest_auth": token}
        self.ws: websockets.ClientConnection | None = None
        self.session_id = ""
        self.pages: dict[str, str] = {}
        self.widget = ""
        self.doing: tuple[str, tuple[tuple[str, bytes], ...], float] | None = None
        self.times: dict[str, list[float]] = {}
        self.answers: dict[str, Counter[str]] = {}
        self.stop = False

    def _page_cookies(self) -> None:
        """The page, then the health check that sets the XSRF cookie, as a browser loads them;
        uploads send that cookie back in a header."""
        for path in ("/", "/_stcore/health"):
            with urllib.request.urlopen(self.base_url + path, timeout=30) as response:
                response.read()
                for value in response.headers.get_all("Set-Cookie") or []:
                    name, _, rest = value.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]

    async def connect(self) -> None:
        await asyncio.to_thread(self._page_cookies)
        header = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self.ws = await websockets.connect(
            self.base_url.replace("http", "ws", 1) + "/_stcore/stream",
            subprotocols=[websockets.Subprotocol("streamlit")],
            additional_headers={"Cookie": header, "Origin": self.base_url},
            max_size=None,
        )

    async def run(self, message: BackMsg) -> list[str]:
        """Send ``message`` and read until the script run ends; the page's alerts."""
        assert self.ws is not None
        await self.ws.send(message.SerializeToString())
        alerts = []
        while True:
            forward = ForwardMsg()
            forward.ParseFromString(await asyncio.wait_for(self.ws.recv(), 120))
            kind = forward.WhichOneof("type")
            if kind == "new_session":
                self.session_id = forward.new_session.initialize.session_id
            elif kind == "navigation":
                for page in forward.navigation.app_pages:
                    self.pages[page.url_pathname] = page.page_script_hash
            elif kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                element = forward.delta.new_element
                if element.WhichOneof("type") == "file_uploader":
                    self.widget = element.file_uploader.id
                elif element.WhichOneof("type") == "alert":
                    level = Alert.Format.Name(element.alert.format).lower()
                    alerts.append(f"{level}: {element.alert.body[:60]}")
            elif kind == "script_finished" and forward.script_finished in FINISHED:
                return alerts

    async def open(self, page: str) -> None:
        message = BackMsg()
        message.rerun_script.page_script_hash = self.pages[page]
        await self.run(message)

    def _put(self, upload_url: str, name: str, data: bytes) -> None:
        boundary = uuid.uuid4().hex
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"'
        body = (
            (head + "\r\nContent-Type: application/octet-stream\r\n\r\n").encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        request = urllib.request.Request(
            self.base_url + upload_url,
            data=body,
            method="PUT",
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
                "X-Xsrftoken": self.cookies.get("_streamlit_xsrf", ""),
            },
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()

    async def pick(self, name: str, data: bytes) -> str:
        """What a browser does when a file is chosen: ask for an upload address, PUT the file,
        then rerun the page with the uploader holding it; what the page answered."""
        assert self.ws is not None
        asking = BackMsg()
        asking.file_urls_request.request_id = uuid.uuid4().hex
        asking.file_urls_request.session_id = self.session_id
        asking.file_urls_request.file_names.append(name)
        await self.ws.send(asking.SerializeToString())
        while True:
            forward = ForwardMsg()
            forward.ParseFromString(await asyncio.wait_for(self.ws.recv(), 120))
            if forward.WhichOneof("type") == "file_urls_response":
                urls = forward.file_urls_response.file_urls[0]
                break
        await asyncio.to_thread(self._put, urls.upload_url, name, data)
        rerun = BackMsg()
        rerun.rerun_script.page_script_hash = self.pages["submit"]
        info = UploadedFileInfo(file_id=urls.file_id, name=name, size=len(data), file_urls=urls)
        state = WidgetState(
            id=self.widget,
            file_uploader_state_value=FileUploaderState(uploaded_file_info=[info]),
        )
        rerun.rerun_script.widget_states.widgets.append(state)
        alerts = await self.run(rerun)
        return f"{name} -> " + (alerts[-1] if alerts else "accepted")

    async def loop(self) -> None:
        await self.connect()
        await self.run(BackMsg(rerun_script={"page_script_hash": ""}))
        at, n = "", 0
        while not self.stop:
            if self.doing is None:
                await asyncio.sleep(0.1)
                continue
            label, picks, pace = self.doing
            page = "submit" if picks else "gallery"
            if page != at:
                await self.open(page)
                at = page
            started = time.perf_counter()
            if picks:
                name, data = picks[n % len(picks)]
                answer = await self.pick(name, another(data, n))
            else:
                await self.open("gallery")
                answer = "gallery reloaded"
            self.times.setdefault(label, []).append((time.perf_counter() - started) * 1000)
            self.answers.setdefault(label, Counter())[answer] += 1
            n += 1
            await asyncio.sleep(max(0.0, pace - (time.perf_counter() - started)))
        assert self.ws is not None
        await self.ws.close()


class ByCondition(Stats):
    """The colleagues' figures, each action under the condition of the window it ended in."""

    condition = "alone"

    def record(self, action: str, ms: float | None, errors: list[str]) -> None:
        super().record(f"{self.condition}|{action}", ms, errors)


def peak_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def reset_peak(pid: int) -> None:
    """Start the replica's peak memory afresh (Linux: writing 5 to clear_refs)."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


# (label, what the looping session does, seconds between its picks)
CONDITIONS = (
    ("bombs, one a second", "bombs", 1.0),
    ("bombs, as fast as answered", "bombs", 0.0),
    ("49 MP PNGs, one a second", "large", 1.0),
    ("gallery reloaded as fast", "gallery", 0.0),
)


def main() -> None:
    from tests.e2e.conftest import AppSpec, streamlit_apps
    from tests.support.postgres import running_postgres

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=40)
    parser.add_argument("--window", type=float, default=20, help="seconds of each window")
    parser.add_argument("--rounds", type=int, default=3, help="times through every condition")
    parser.add_argument("--think", type=float, default=5, help="mean seconds between actions")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    picks = {"bombs": files("bombs"), "large": files("large"), "gallery": ()}
    plan = [
        window
        for _ in range(args.rounds)
        for condition in CONDITIONS
        for window in (("alone", "", 0.0), condition)
    ]
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-upload-")))
        server = stack.enter_context(running_postgres())
        s3_url = stack.enter_context(bench_load.s3_process())
        world = seed(server.url, s3_url, args.sessions + 1, folder / "data")
        spec = AppSpec(folder / "replica", env=world.env)
        (url,) = stack.enter_context(streamlit_apps(spec))
        asyncio.run(warm_up(url, world))
        (replica,) = replicas_of([url])
        looper = Looper(url, world.users[-1].token)
        loop = asyncio.new_event_loop()
        threading.Thread(target=loop.run_forever, daemon=True).start()
        looping = asyncio.run_coroutine_threadsafe(looper.loop(), loop)
        stats = ByCondition(world.themes, world.entry_ids, world.budget)
        usage: dict[str, list[tuple[float, float]]] = {}

        def conduct() -> None:
            """Walk through the windows, switching the looping session and the condition."""
            time.sleep(args.think * 1.5)  # measure() starts counting after this
            for label, kind, pace in plan:
                stats.condition = label
                looper.doing = (label, picks[kind], pace) if kind else None
                reset_peak(replica.pid)
                cpu, started = cpu_seconds(replica.pid), time.perf_counter()
                time.sleep(args.window)
                cores = (cpu_seconds(replica.pid) - cpu) / (time.perf_counter() - started)
                usage.setdefault(label, []).append((cores, peak_mib(replica.pid)))
            looper.doing = None

        conductor = threading.Thread(target=conduct)
        conductor.start()
        duration = len(plan) * args.window
        print(f"{len(plan)} windows of {args.window:g} s ...", flush=True)
        users = world.users[: args.sessions]
        measure("colleagues", url, [replica], world, users, duration, args.think, {}, stats)
        conductor.join()
        looper.stop = True
        looping.result(timeout=300)
        loop.call_soon_threadsafe(loop.stop)
    report(stats, usage, looper)
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end")


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(0.95 * len(ordered)) - 1)]


def report(stats: ByCondition, usage: dict[str, list[tuple[float, float]]], looper: Looper) -> None:
    labels = ["alone", *(label for label, _, _ in CONDITIONS)]
    print()
    cells = "  ".join(f"{a:>11s}" for a in ACTIONS[1:])
    print(f"{'colleagues: p50/p95 ms per action':30s} {'n':>5s} {'errors':>6s}  {cells}   replica")
    for label in labels:
        times = {a: stats.times.get(f"{label}|{a}", []) for a in ACTIONS[1:]}
        count = sum(len(v) for v in times.values())
        errors = sum(n for key, n in stats.errors.items() if key.startswith(f"{label}|"))
        cells = "  ".join(f"{percentiles(times[a]):>11s}" for a in ACTIONS[1:])
        cores = statistics.mean(c for c, _ in usage[label])
        peak = max(p for _, p in usage[label])
        print(
            f"{label:30s} {count:5d} {errors:6d}  {cells}   CPU {cores:.2f} cores,"
            f" peak {peak:.0f} MiB"
        )
    alone = [t for a in ACTIONS[1:] for t in stats.times.get(f"alone|{a}", [])]
    for label in labels[1:]:
        mine = [t for a in ACTIONS[1:] for t in stats.times.get(f"{label}|{a}", [])]
        print(
            f"  every action's p95 against alone, {label}: {_p95(mine):.0f} / {_p95(alone):.0f}"
            f" ms = {_p95(mine) / _p95(alone):.2f}x"
        )
    for label, times in looper.times.items():
        print(
            f"\n{label}: {len(times)} picks or reloads, median {statistics.median(times):.0f} ms"
            " from pick to answer"
        )
        for answer, count in looper.answers[label].most_common():
            print(f"  x{count}: {answer}")


if __name__ == "__main__":
    main()
