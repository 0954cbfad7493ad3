"""Whether one session uploading in a loop slows its colleagues on the same replica.

Usage: .venv/bin/python bench/bench_upload_load.py [--sessions 40] [--duration 60] [--think 5]

The production shape of bench_load.py (PostgreSQL 15, moto's S3 server, one `streamlit run`
replica with CONTEST_DEMO=false, its seeded contest and colleagues), and its colleagues: each
session browses, filters, opens a poster and votes, one action every ``--think`` seconds on
average. Five measurements, each with colleagues of its own, one after another:

- alone: nobody uploads (the baseline every figure is compared with);
- bombs, one a second: one more session picks upload bombs on the submit page, as a browser
  picks a file (Streamlit's upload URL request, the PUT to /_stcore/upload_file, then the
  uploader's new state), one pick a second (faster than a person picks files): a 40-byte WebP
  declaring 5000x5000, a 350 KB PNG declaring 90 MP of RGBA, a 120 KB progressive JPEG
  repeating a scan 3,000 times (bombs built by tests/contest/test_upload_budget.py);
- 49 MP PNGs, one a second: the same session picks, over and over, the file still accepted
  that costs the most to check, a 97 KB 16-bit PNG of 49 MP (1,060 MB to check before the
  budget);
- bombs, as fast as answered: the bombs again, each pick as soon as the page has answered the
  last (a script);
- gallery reloaded as fast: the control, that session reloading the gallery as fast as it is
  answered: what any page run in a loop costs the replica.

Reported: the colleagues' p50/p95 per action and errors, how many files the uploader had checked
and what the page answered, and the replica's CPU and peak memory (VmHWM) in each.
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
    Replica,
    Voter,
    World,
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
    jpeg_repeating_a_scan,
    png_of_zeros,
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
            ("deep.png", png_of_zeros(9500, 9500, 8, 6)),
            ("scans.jpg", jpeg_repeating_a_scan((4000, 3000), 3000)),
        )
    return (("grey16.png", png_of_zeros(7000, 7000, 16, 0)),)


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


class Uploader:
    """One browser tab on the submit page picking one file after another, a pick every
    ``pace`` seconds (0: as soon as the page has answered); with no ``picks``, reloading the
    gallery instead (what any page costs, run in a loop)."""

    def __init__(
        self, base_url: str, token: str, picks: list[tuple[str, bytes]], pace: float
    ) -> None:
        self.base_url, self.token, self.picks, self.pace = base_url, token, picks, pace
        self.cookies: dict[str, str] = {"contest_auth": token}
        self.ws: websockets.ClientConnection | None = None
        self.session_id = ""
        self.pages: dict[str, str] = {}
        self.widget = ""
        self.times: list[float] = []
        self.answers: Counter[str] = Counter()
        self.stop = asyncio.Event()

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

    async def pick(self, name: str, data: bytes) -> None:
        """What a browser does when a file is chosen: ask for an upload address, PUT the file,
        then rerun the page with the uploader holding it."""
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
        started = time.perf_counter()
        await asyncio.to_thread(self._put, urls.upload_url, name, data)
        rerun = BackMsg()
        rerun.rerun_script.page_script_hash = self.pages.get("submit", "")
        state = WidgetState(
            id=self.widget,
            file_uploader_state_value=FileUploaderState(
                uploaded_file_info=[
                    UploadedFileInfo(
                        file_id=urls.file_id, name=name, size=len(data), file_urls=urls
                    )
                ]
            ),
        )
        rerun.rerun_script.widget_states.widgets.append(state)
        alerts = await self.run(rerun)
        self.times.append((time.perf_counter() - started) * 1000)
        self.answers[f"{name} -> " + (alerts[-1] if alerts else "accepted")] += 1

    async def loop(self) -> None:
        await self.connect()
        await self.run(BackMsg(rerun_script={"page_script_hash": ""}))
        page = BackMsg()
        page.rerun_script.page_script_hash = self.pages["submit" if self.picks else "gallery"]
        await self.run(page)
        n = 0
        while not self.stop.is_set():
            started = time.perf_counter()
            if self.picks:
                name, data = self.picks[n % len(self.picks)]
                await self.pick(name, another(data, n))
            else:
                await self.run(page)
                self.times.append((time.perf_counter() - started) * 1000)
                self.answers["gallery reloaded"] += 1
            n += 1
            await asyncio.sleep(max(0.0, self.pace - (time.perf_counter() - started)))
        assert self.ws is not None
        await self.ws.close()


def peak_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def reset_peak(pid: int) -> None:
    """Start the replica's peak memory afresh (Linux: writing 5 to clear_refs)."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def measured(
    label: str,
    base: str,
    replica: Replica,
    world: World,
    args: argparse.Namespace,
    users: list[Voter],
    uploader_token: str | None = None,
    picks: tuple[tuple[str, bytes], ...] = (),
    pace: float = 0.0,
) -> tuple[str, bench_load.Result, Uploader | None, float, float]:
    """The colleagues ``users`` measured while an uploader (if any) picks ``picks`` in a loop
    on a thread of its own; with the replica's CPU (cores) and peak memory over the window."""
    uploader = Uploader(base, uploader_token, list(picks), pace) if uploader_token else None
    loop = asyncio.new_event_loop()
    task = None
    if uploader is not None:
        task = asyncio.run_coroutine_threadsafe(uploader.loop(), loop)
        threading.Thread(target=loop.run_forever, daemon=True).start()
    reset_peak(replica.pid)
    cpu, started = cpu_seconds(replica.pid), time.perf_counter()
    print(f"{label} ...", flush=True)
    result = measure(label, base, [replica], world, users, args.duration, args.think, {})
    cores = (cpu_seconds(replica.pid) - cpu) / (time.perf_counter() - started)
    peak = peak_mib(replica.pid)
    if uploader is not None and task is not None:
        loop.call_soon_threadsafe(uploader.stop.set)
        task.result(timeout=300)
        loop.call_soon_threadsafe(loop.stop)
    return label, result, uploader, cores, peak


def main() -> None:
    from tests.e2e.conftest import AppSpec, streamlit_apps
    from tests.support.postgres import running_postgres

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=40)
    parser.add_argument("--duration", type=float, default=60, help="seconds measured each")
    parser.add_argument("--think", type=float, default=5, help="mean seconds between actions")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    bombs, large = files("bombs"), files("large")
    rows = []
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-upload-")))
        server = stack.enter_context(running_postgres())
        s3_url = stack.enter_context(bench_load.s3_process())
        n = args.sessions
        world = seed(server.url, s3_url, len(PHASES) * n + 1, folder / "data")
        spec = AppSpec(folder / "replica", env=world.env)
        (url,) = stack.enter_context(streamlit_apps(spec))
        asyncio.run(warm_up(url, world))
        (replica,) = replicas_of([url])
        token = world.users[-1].token
        for k, (label, kind, pace) in enumerate(PHASES):
            picks = {"bombs": bombs, "large": large}.get(kind, ())
            users = world.users[k * n : (k + 1) * n]  # no one votes twice
            uploader = token if kind else None
            rows.append(measured(label, url, replica, world, args, users, uploader, picks, pace))
    report(rows)


def report(rows: list[tuple[str, bench_load.Result, Uploader | None, float, float]]) -> None:
    print()
    cells = "  ".join(f"{a:>11s}" for a in ACTIONS[1:])
    print(f"{'colleagues: p50/p95 ms per action':36s} {'errors':>6s}  {cells}   replica")
    base = rows[0][1].stats
    for label, result, _uploader, cores, peak in rows:
        errors = sum(result.stats.errors.values())
        cells = "  ".join(f"{percentiles(result.stats.times[a]):>11s}" for a in ACTIONS[1:])
        print(f"{label:36s} {errors:6d}  {cells}   CPU {cores:.2f} cores, peak {peak:.0f} MiB")
    for label, result, _uploader, _cores, _peak in rows[1:]:
        ratios = []
        for action in ACTIONS[1:]:
            now, before = result.stats.times[action], base.times[action]
            if now and before:
                ratio = _p95(now) / _p95(before)
                ratios.append(f"{action} {ratio:.2f}x")
        print(f"  p95 against alone, {label}: " + ", ".join(ratios))
    for label, _result, uploader, _cores, _peak in rows:
        if uploader is None:
            continue
        print(
            f"\n{label}: {len(uploader.times)} picks or reloads, median"
            f" {statistics.median(uploader.times):.0f} ms from pick to answer"
        )
        for answer, count in uploader.answers.most_common():
            print(f"  x{count}: {answer}")


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(0.95 * len(ordered)) - 1)]


if __name__ == "__main__":
    main()
