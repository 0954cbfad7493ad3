"""How many colleagues can use the app at once: concurrent sessions over Streamlit's websocket.

Usage: .venv/bin/python bench/bench_load.py [--sessions 100] [--duration 60] [--think 5]
           [--only one|two] [--before DIR]

The production shape, started by the bench: PostgreSQL 15 (tests/support/postgres.py), moto's S3
server in a process of its own, `streamlit run` replicas with CONTEST_DEMO=false, and for the
two-replica case nginx with the configuration printed in docs/deployment.md (TLS taken out, the
listen address and the upstream ports replaced; the bench installs Debian's nginx when it is
missing). Each configuration gets a database and a bucket of its own, seeded through the normal
upload path with 24 posters by 8 authors, and one staff account per session.

A session is what one browser tab does, without a browser: an HTTP GET of the page (through
nginx, which sets its replica cookie), then Streamlit's websocket with its own protobuf messages
(BackMsg rerun_script, widget states), signed in by the stay-signed-in cookie
(contest.accounts.remember.issue_token). Every ``--think`` seconds on average (0.5-1.5x) it takes
the next step of a colleague's round:

  gallery -> filter (a theme) -> open a poster from the filtered grid -> vote for it;
  with the whole budget used, or in three rounds of ten when holding a vote:
  gallery -> filter -> open one of its voted posters -> take the vote back.

An action's time runs from sending the message to the script's finish (the page is complete on
the server). An error is an exception or error box on the page, a missing vote button, an
action without an answer within 30 s, or a dropped connection.

Three measurements in one run:
- baseline: one session alone on one replica (the floor every figure is compared with);
- one replica, ``--sessions`` sessions;
- two replicas behind nginx, ``--sessions`` sessions.
Reported: sessions held, reruns per second, p50/p95 per action, errors, CPU (cores) and memory
per replica, CPU per action and memory per session (the sizing rule of docs/deployment.md), the
load generator's own CPU, the machine's load average, and the votes in the database against
what every session holds (must be exact, and no one above the budget).
``--before DIR`` also runs the one-replica case on another checkout's app (same client).
"""

from __future__ import annotations

import argparse
import asyncio
import http.cookies
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

ROOT = Path(__file__).resolve().parents[1]
# The checkout whose contest package seeds the data and issues the cookies: this one, or the
# one a child process was started for (--before).
CODE = Path(os.environ.get("BENCH_CODE", ROOT))
sys.path.insert(0, str(CODE))

SECRET = "bench-load-secret-key-not-a-placeholder"
AUTHORS, POSTERS_EACH = 8, 3
ACTION_TIMEOUT = 30.0
FINISHED = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
ACTIONS = ("open app", "gallery", "filter", "open poster", "vote", "retract")


# --- the servers ------------------------------------------------------------------------------


def free_port() -> int:
    from tests.support.postgres import free_port as free

    return free()


@contextmanager
def serving(command: list[str], port: int, ready: str) -> Iterator[str]:
    """A server process on ``port``; its base URL once ``ready`` (a path) answers."""
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log)
        try:
            try:
                _wait_for(url + ready)
            except OSError as error:
                log.seek(0)
                said = log.read().decode(errors="replace")[-2000:]
                raise SystemExit(f"{' '.join(command)} did not start:\n{said}") from error
            yield url
        finally:
            process.terminate()
            process.wait(timeout=15)


@contextmanager
def s3_process() -> Iterator[str]:
    """moto's S3 server in a process of its own (its CPU is not the load generator's)."""
    port = free_port()
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    moto = str(Path(sys.executable).with_name("moto_server"))
    with serving([moto, "-H", "127.0.0.1", "-p", str(port)], port, "/moto-api/") as url:
        yield url


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    if found:
        return found
    if os.geteuid() != 0:
        raise SystemExit("nginx is missing: sudo apt-get install -y nginx-light")
    print("installing nginx-light from Debian ...", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "nginx-light"], check=True, env=env)
    return "/usr/sbin/nginx"


def documented_nginx_site(port: int, upstreams: list[int]) -> str:
    """The site configuration of docs/deployment.md, served on a loopback port without TLS."""
    text = (ROOT / "docs" / "deployment.md").read_text()
    start = text.index("```nginx\n") + len("```nginx\n")
    site = text[start : text.index("```", start)]
    replacements = {
        "    listen 443 ssl http2;\n": f"    listen 127.0.0.1:{port};\n",
        "HttpOnly; Secure; SameSite=Lax": "HttpOnly; SameSite=Lax",
    }
    for old, new in replacements.items():
        if old not in site:
            raise SystemExit(f"docs/deployment.md's nginx block changed: {old.strip()!r} not found")
        site = site.replace(old, new)
    lines = [
        line
        for line in site.splitlines()
        if not line.strip().startswith(("ssl_certificate", "server 127.0.0.1:85"))
    ]
    site = "\n".join(lines)
    servers = "".join(
        f"    server 127.0.0.1:{p} max_fails=2 fail_timeout=10s;\n" for p in upstreams
    )
    marker = "upstream poster_contest {\n"
    return site.replace(marker, marker + servers)


def documented_snippets(site: str, folder: Path) -> None:
    """The files the site includes (its security headers), from their blocks in the same doc."""
    text = (ROOT / "docs" / "deployment.md").read_text()
    for line in site.splitlines():
        if line.strip().startswith("include "):
            name = line.split()[1].rstrip(";")
            start = text.index("```nginx\n", text.index(f"/etc/nginx/{name}`")) + len("```nginx\n")
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text[start : text.index("```", start)])


@contextmanager
def nginx(upstreams: list[int], folder: Path) -> Iterator[str]:
    port = free_port()
    folder.mkdir(parents=True, exist_ok=True)
    conf = folder / "nginx.conf"
    site = documented_nginx_site(port, upstreams)
    documented_snippets(site, folder)
    conf.write_text(
        "worker_processes 1;\nerror_log error.log warn;\npid nginx.pid;\n"
        "events { worker_connections 4096; }\n"
        "http {\n  access_log off;\n  client_body_temp_path tmp;\n  proxy_temp_path tmp;\n"
        "  fastcgi_temp_path tmp;\n  uwsgi_temp_path tmp;\n  scgi_temp_path tmp;\n"
        f"{site}\n}}\n"
    )
    (folder / "tmp").mkdir(exist_ok=True)
    command = [nginx_binary(), "-p", str(folder), "-c", str(conf), "-g", "daemon off;"]
    with serving(command, port, "/_stcore/health") as url:
        yield url


# --- the data ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Voter:
    id: int
    token: str  # the stay-signed-in cookie's value, issued by the app's own code


@dataclass
class World:
    database_url: str
    env: dict[str, str]
    users: list[Voter]
    entry_ids: list[int]
    themes: list[str]
    budget: int


def seed(
    server_url: str, s3_url: str, sessions: int, folder: Path, code: Path | None = None
) -> World:
    """A fresh database and bucket: one open contest, 24 posters uploaded through submit_entry
    by 8 authors, and one staff account per session (no password: the cookie signs them in).
    Another checkout's app is seeded by its own code, in a child process."""
    if code is not None and code.resolve() != CODE.resolve():
        script = (
            "import dataclasses, importlib.util, json, sys\n"
            f"spec = importlib.util.spec_from_file_location('bench_load', {__file__!r})\n"
            "bench = sys.modules['bench_load'] = importlib.util.module_from_spec(spec)\n"
            "spec.loader.exec_module(bench)\n"
            f"world = bench.seed({server_url!r}, {s3_url!r}, {sessions}, "
            f"bench.Path({str(folder)!r}))\n"
            "print(json.dumps(dataclasses.asdict(world)))\n"
        )
        out = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "BENCH_CODE": str(code)},
        )
        if out.returncode:
            raise SystemExit(f"seeding with {code} failed:\n{out.stderr}")
        data = json.loads(out.stdout.strip().splitlines()[-1])
        data["users"] = [Voter(**u) for u in data["users"]]
        return World(**data)
    import sqlalchemy as sa
    from sqlmodel import select

    from contest.accounts.remember import issue_token
    from contest.core.config import Settings
    from contest.core.models import Contest, User
    from contest.entries.submissions import submit_entry
    from contest.runtime import build_runtime
    from tests.factories import create_contest, draft, poster_bytes

    name = f"load_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    admin.dispose()
    database_url = sa.make_url(server_url).set(database=name).render_as_string(False)
    env = {
        "CONTEST_DEMO": "false",
        "CONTEST_SECRET_KEY": SECRET,
        "CONTEST_DATABASE_URL": database_url,
        "CONTEST_STORAGE": "s3",
        "CONTEST_S3_ENDPOINT_URL": s3_url,
        "CONTEST_S3_BUCKET": f"load-{uuid.uuid4().hex[:12]}",
        "CONTEST_S3_CREATE_BUCKET": "true",
    }
    settings = Settings(
        data_dir=folder,
        demo=False,
        secret_key=SECRET,
        database_url=database_url,
        storage="s3",
        s3_endpoint_url=s3_url,
        s3_bucket=env["CONTEST_S3_BUCKET"],
        s3_create_bucket=True,
    )
    runtime = build_runtime(settings)
    with runtime.session() as session:
        contest = create_contest(session, entries_per_person=POSTERS_EACH)
        people = [
            User(
                employee_no=f"L{n:05d}",
                name=f"직원{n}",
                department=f"부서{n % 12:02d}",
                email=f"load{n}@incheon.go.kr",
                must_change_password=False,
            )
            for n in range(AUTHORS + sessions)
        ]
        session.add_all(people)
        session.flush()
        themes, budget = list(contest.themes), contest.votes_per_voter
        voters = [Voter(u.id or 0, issue_token(u, secret=SECRET)) for u in people[AUTHORS:]]
    entry_ids = []
    for n in range(AUTHORS * POSTERS_EACH):
        with runtime.session() as session:
            contest = session.exec(select(Contest).where(Contest.is_current)).one()
            receipt = submit_entry(
                session,
                store=runtime.store,
                indexes=runtime.indexes,
                actor=people[n % AUTHORS],
                draft=draft(contest, title=f"부하 시험 포스터 {n + 1}", theme=themes[n % 5]),
                data=poster_bytes(9000 + n),
            )
            entry_ids.append(receipt.entry.id or 0)
    runtime.engine.dispose()
    return World(database_url, env, voters, entry_ids, themes, budget)


def votes_check(world: World, held: dict[int, set[int]], uncertain: list[int]) -> str:
    """The votes in the database against what the sessions hold: must be exactly equal. A
    session that lost its connection may have voted without hearing the answer: left out."""
    import sqlalchemy as sa
    from sqlmodel import col, func, select

    from contest.core.models import Entry, Vote

    engine = sa.create_engine(world.database_url)
    with engine.connect() as conn:
        rows = conn.execute(
            select(Vote.voter_id, Vote.entry_id).where(
                col(Vote.voter_id).in_(list(held) + uncertain)
            )
        ).all()
        over = conn.execute(
            select(func.count()).select_from(
                select(Vote.voter_id)
                .group_by(Vote.voter_id)
                .having(func.count() > world.budget)
                .subquery()
            )
        ).scalar_one()
        entries = conn.execute(select(func.count()).select_from(Entry)).scalar_one()
    engine.dispose()
    in_db: dict[int, set[int]] = defaultdict(set)
    for voter, entry in rows:
        if voter not in uncertain:
            in_db[voter].add(entry)
    expected = {voter: entries for voter, entries in held.items() if entries}
    exact = dict(in_db) == expected
    total = sum(len(v) for v in expected.values())
    verdict = "exact" if exact and not over else "NOT EXACT"
    return (
        f"votes: {len(rows)} in the database, {total} held by the sessions ({verdict}); "
        f"voters above the budget of {world.budget}: {over}; posters: {entries}"
        + (f"; {len(uncertain)} dropped sessions left out" if uncertain else "")
    )


# --- one session ------------------------------------------------------------------------------


@dataclass
class Page:
    """What one script run drew that a colleague would click or read."""

    widgets: dict[str, str] = field(default_factory=dict)  # key suffix -> widget id
    posters: list[int] = field(default_factory=list)  # entry ids of the page's poster links
    pages: dict[str, str] = field(default_factory=dict)  # url path -> page script hash
    errors: list[str] = field(default_factory=list)
    messages: int = 0  # websocket messages the run sent


class Session:
    def __init__(self, base_url: str, user: Voter, stats: Stats) -> None:
        self.base_url, self.user, self.stats = base_url, user, stats
        self.ws: websockets.ClientConnection | None = None
        self.pages: dict[str, str] = {}
        self.held: set[int] = set()
        self.stop = asyncio.Event()  # set when the measurement is over

    async def connect(self) -> None:
        cookies = {"contest_auth": self.user.token}
        cookies.update(await asyncio.to_thread(self._page_cookies))
        header = "; ".join(f"{k}={v}" for k, v in cookies.items())
        self.ws = await websockets.connect(
            self.base_url.replace("http", "ws", 1) + "/_stcore/stream",
            subprotocols=[websockets.Subprotocol("streamlit")],
            additional_headers={"Cookie": header, "Origin": self.base_url},
            max_size=None,
            open_timeout=ACTION_TIMEOUT,
        )

    def _page_cookies(self) -> dict[str, str]:
        """GET the page as a browser does first; keep the cookies it sets (nginx's replica)."""
        with urllib.request.urlopen(self.base_url + "/", timeout=ACTION_TIMEOUT) as response:
            response.read()
            jar = http.cookies.SimpleCookie()
            for value in response.headers.get_all("Set-Cookie") or []:
                jar.load(value)
        return {name: morsel.value for name, morsel in jar.items()}

    async def act(
        self, action: str, page: str = "", query: str = "", widget: WidgetState | None = None
    ) -> Page:
        assert self.ws is not None
        message = BackMsg()
        message.rerun_script.page_script_hash = self.pages.get(page, "")
        message.rerun_script.query_string = query
        if widget is not None:
            message.rerun_script.widget_states.widgets.append(widget)
        started = time.perf_counter()
        await self.ws.send(message.SerializeToString())
        drawn = Page()
        while True:
            data = await asyncio.wait_for(self.ws.recv(), ACTION_TIMEOUT)
            forward = ForwardMsg()
            forward.ParseFromString(data)
            drawn.messages += 1
            kind = forward.WhichOneof("type")
            if kind == "delta":
                _read_delta(forward, drawn)
            elif kind == "navigation":
                for app_page in forward.navigation.app_pages:
                    self.pages[app_page.url_pathname] = app_page.page_script_hash
            elif kind == "script_finished":
                self.stats.reruns += self.stats.measuring
                if forward.script_finished in FINISHED:
                    break
        self.stats.record(action, (time.perf_counter() - started) * 1000, drawn.errors)
        return drawn

    async def round(self, rng: random.Random, think: float) -> None:
        """One colleague's round: gallery, filter, a poster, a vote (or taking one back)."""
        await self.pause(rng, think)
        gallery = await self.act("gallery", "gallery")
        await self.pause(rng, think)
        theme = rng.choice(self.stats.themes)
        filtered = await self.act(
            "filter", "gallery", widget=_choose(gallery.widgets.get("gallery_theme"), theme)
        )
        await self.pause(rng, think)
        # A colleague changes their mind now and then, and must once the budget is used.
        retracting = len(self.held) >= self.stats.budget or (self.held and rng.random() < 0.3)
        choices = (
            sorted(self.held)
            if retracting
            else [e for e in filtered.posters or self.stats.entry_ids if e not in self.held]
        )
        entry_id = rng.choice(choices or self.stats.entry_ids)
        poster = await self.act("open poster", "entry", query=f"entry={entry_id}")
        await self.pause(rng, think)
        button = "vote_retract" if entry_id in self.held else "vote_cast"
        if button not in poster.widgets:
            self.stats.record("open poster", None, [f"no {button} button on poster {entry_id}"])
            return
        trigger = WidgetState(id=poster.widgets[button], trigger_value=True)
        after = await self.act(
            "retract" if button == "vote_retract" else "vote",
            "entry",
            query=f"entry={entry_id}",
            widget=trigger,
        )
        expected = "vote_cast" if button == "vote_retract" else "vote_retract"
        if expected not in after.widgets:
            self.stats.record("vote", None, [f"after {button} no {expected} on {entry_id}"])
            return
        (self.held.discard if button == "vote_retract" else self.held.add)(entry_id)

    async def pause(self, rng: random.Random, think: float) -> None:
        """A colleague's think time; the end of the measurement ends the session here."""
        try:
            await asyncio.wait_for(self.stop.wait(), think * rng.uniform(0.5, 1.5))
        except TimeoutError:
            return
        raise Stop


def _read_delta(forward: ForwardMsg, drawn: Page) -> None:
    delta = forward.delta
    if delta.WhichOneof("type") != "new_element":
        return
    element = delta.new_element
    kind = element.WhichOneof("type")
    if kind in ("selectbox", "button"):
        widget_id = getattr(element, kind).id
        drawn.widgets[widget_id.rsplit("-", 1)[-1]] = widget_id
    elif kind == "page_link" and element.page_link.query_string.startswith("entry="):
        drawn.posters.append(int(element.page_link.query_string.split("=")[1]))
    elif kind == "exception":
        drawn.errors.append(f"exception: {element.exception.message[:120]}")
    elif kind == "alert" and element.alert.format == Alert.ERROR:
        drawn.errors.append(f"error box: {element.alert.body[:120]}")


def _choose(widget_id: str | None, value: str) -> WidgetState | None:
    if widget_id is None:
        return None
    return WidgetState(id=widget_id, string_value=value)


# --- statistics -------------------------------------------------------------------------------


@dataclass
class Stats:
    themes: list[str]
    entry_ids: list[int]
    budget: int
    measuring: bool = False
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter[str] = field(default_factory=Counter)
    finished: int = 0  # actions answered while measuring
    reruns: int = 0  # script runs finished while measuring (an action may cause two)

    def record(self, action: str, ms: float | None, errors: list[str]) -> None:
        if ms is not None:
            self.finished += self.measuring
            if self.measuring:
                self.times[action].append(ms)
        for error in errors:
            self.errors[f"{action}: {error}"] += 1


def percentiles(values: list[float]) -> str:
    if not values:
        return "-"
    ordered = sorted(values)
    p95 = ordered[max(0, int(0.95 * len(ordered)) - 1)]
    return f"{statistics.median(ordered):.0f}/{p95:.0f}"


# --- processes: CPU and memory ----------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tree_cpu(root: int) -> dict[int, float]:
    """CPU seconds of a process and its children (PostgreSQL's backends, nginx's worker)."""
    found = {}
    for proc in Path("/proc").iterdir():
        try:
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, ValueError):
            continue
        if proc.name.isdigit() and root in (int(proc.name), int(fields[1])):
            found[int(proc.name)] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return found


def pid_in(path: Path) -> int:
    """The pid a server wrote to its pid file (postmaster.pid, nginx.pid)."""
    return int(path.read_text().split()[0])


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def established(port: int) -> int:
    """TCP connections into ``port`` (a replica's sessions: nginx keeps one per websocket)."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            count += state == "01" and int(local.rsplit(":", 1)[1], 16) == port
    return count


@dataclass
class Replica:
    port: int
    pid: int


def replicas_of(urls: list[str]) -> list[Replica]:
    """The `streamlit run` processes serving ``urls`` (found by their --server.port)."""
    found = []
    for url in urls:
        port = url.rsplit(":", 1)[1]
        for proc in Path("/proc").iterdir():
            try:
                argv = (proc / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"streamlit" in argv and port.encode() in argv and b"--server.port" in argv:
                found.append(Replica(int(port), int(proc.name)))
                break
        else:
            raise RuntimeError(f"no streamlit process on port {port}")
    return found


def watch_connections(world: World, stats: Stats) -> tuple[list[int], list[int]]:
    """The app's connections to its database, twice a second while measuring: (open, busy)."""
    import sqlalchemy as sa

    engine = sa.create_engine(world.database_url, poolclass=sa.pool.NullPool)
    query = sa.text(
        "SELECT count(*), count(*) FILTER (WHERE state <> 'idle') FROM pg_stat_activity"
        " WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )
    opened, busy = [], []
    with engine.connect() as conn:
        while stats.measuring:
            total, active = conn.execute(query).one()
            conn.rollback()
            opened.append(total)
            busy.append(active)
            time.sleep(0.5)
    engine.dispose()
    return opened, busy


async def warm_up(base_url: str, world: World) -> None:
    """Every page a session visits, once per replica, so that 'idle' memory has the app loaded."""
    stats = Stats(world.themes, world.entry_ids, world.budget)
    for user in world.users[-3:]:
        client = Session(base_url, user, stats)
        await client.connect()
        await client.act("open app")
        await client.act("gallery", "gallery")
        await client.act("open poster", "entry", query=f"entry={world.entry_ids[0]}")
        assert client.ws is not None
        await client.ws.close()


# --- one measurement --------------------------------------------------------------------------


class Stop(Exception):
    """The measurement is over: a session ends at its next pause, never inside an action."""


@dataclass
class Window:
    """What the processes did while the actions were being measured."""

    cores: list[float]  # CPU time per second of each replica
    rss: list[float]  # MiB of each replica at the end
    sessions: list[int]  # websockets open on each replica at the end
    generator: float  # the bench process's own CPU (it shares the machine)
    load: float
    connections: tuple[int, int]  # most database connections open / busy at once, all replicas
    services: dict[str, float]  # CPU time per second of PostgreSQL and nginx (with children)


@dataclass
class Result:
    name: str
    sessions: int
    held: int
    duration: float
    stats: Stats
    ports: list[int]
    idle: list[float]  # MiB of each replica before the sessions
    window: Window
    votes: str


def measure(
    name: str,
    base_url: str,
    replicas: list[Replica],
    world: World,
    users: list[Voter],
    duration: float,
    think: float,
    services: dict[str, int],
    stats: Stats | None = None,
) -> Result:
    """One session per user in ``users``, started over one think time, measured for
    ``duration`` seconds once every session is past its first page (into ``stats``, a fresh
    Stats unless given)."""
    stats = stats or Stats(world.themes, world.entry_ids, world.budget)
    clients = [Session(base_url, user, stats) for user in users]
    idle = [rss_mib(r.pid) for r in replicas]
    dropped: list[Session] = []

    async def live(n: int, client: Session) -> None:
        rng = random.Random(n)
        await asyncio.sleep(think * n / len(clients))
        try:
            await client.connect()
            await client.act("open app")
            while True:
                await client.round(rng, think)
        except Stop:
            pass
        except (TimeoutError, websockets.ConnectionClosed, OSError) as error:
            dropped.append(client)
            stats.record("session", None, [type(error).__name__])
        finally:
            if client.ws is not None:
                await client.ws.close()

    async def run() -> Window:
        tasks = [asyncio.create_task(live(n, c)) for n, c in enumerate(clients)]
        await asyncio.sleep(think * 1.5)
        cpu = [cpu_seconds(r.pid) for r in replicas]
        served = {name: tree_cpu(pid) for name, pid in services.items()}
        own, started = time.process_time(), time.perf_counter()
        stats.measuring = True
        sampling = asyncio.create_task(asyncio.to_thread(watch_connections, world, stats))
        await asyncio.sleep(duration)
        stats.measuring = False
        opened, busy = await sampling
        elapsed = time.perf_counter() - started
        window = Window(
            cores=[(cpu_seconds(r.pid) - c) / elapsed for r, c in zip(replicas, cpu, strict=True)],
            rss=[rss_mib(r.pid) for r in replicas],
            sessions=[established(r.port) for r in replicas],
            generator=(time.process_time() - own) / elapsed,
            load=os.getloadavg()[0],
            connections=(max(opened, default=0), max(busy, default=0)),
            services={
                name: sum(t - served[name].get(p, 0.0) for p, t in tree_cpu(pid).items()) / elapsed
                for name, pid in services.items()
            },
        )
        for client in clients:
            client.stop.set()
        await asyncio.gather(*tasks)
        return window

    window = asyncio.run(run())
    holdings = {c.user.id: c.held for c in clients if c not in dropped}
    uncertain = [c.user.id for c in dropped]
    return Result(
        name,
        len(clients),
        len(clients) - len(dropped),
        duration,
        stats,
        [r.port for r in replicas],
        idle,
        window,
        votes_check(world, holdings, uncertain),
    )


def report(results: list[Result], think: float) -> None:
    print()
    cells = "  ".join(f"{a:>11s}" for a in ACTIONS[1:])
    print(f"{'p50/p95 ms per action':36s} {'held':>9s} {'reruns/s':>8s} {'errors':>6s}  {cells}")
    for r in results:
        reruns = r.stats.reruns / r.duration
        errors = sum(r.stats.errors.values())
        cells = "  ".join(f"{percentiles(r.stats.times[a]):>11s}" for a in ACTIONS[1:])
        print(f"{r.name:36s} {r.held:>4d}/{r.sessions:<4d} {reruns:8.1f} {errors:6d}  {cells}")
    for r in results:
        w = r.window
        print(
            f"\n{r.name} (load average {w.load:.1f}; the bench itself used {w.generator:.2f} cores)"
        )
        actions = r.stats.finished / r.duration
        for port, cores, idle, end, n in zip(
            r.ports, w.cores, r.idle, w.rss, w.sessions, strict=True
        ):
            per_session = f"{(end - idle) / n:.1f} MiB per session" if n else "no sessions"
            print(
                f"  replica :{port}: {n} sessions, CPU {cores:.2f} cores, memory {idle:.0f} MiB"
                f" idle -> {end:.0f} MiB ({per_session})"
            )
        if actions:
            cpu_ms = sum(w.cores) / actions * 1000
            print(
                f"  server CPU per action {cpu_ms:.0f} ms ({actions:.1f} actions/s): one core"
                f" serves about {0.6 * think / (cpu_ms / 1000):.0f} sessions acting every"
                f" {think:g} s at 60% use"
            )
        if w.services:
            print("  " + ", ".join(f"{k} CPU {v:.2f} cores" for k, v in w.services.items()))
        print(
            f"  database connections, all replicas: at most {w.connections[0]} open, "
            f"{w.connections[1]} busy at once"
        )
        print(f"  {r.votes}")
        for error, count in r.stats.errors.most_common(8):
            print(f"  error x{count}: {error}")


def main() -> None:
    from tests.e2e.conftest import AppSpec, streamlit_apps
    from tests.support.postgres import running_postgres

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--duration", type=float, default=60, help="seconds measured")
    parser.add_argument("--think", type=float, default=5, help="mean seconds between actions")
    parser.add_argument("--only", choices=["one", "two"], help="one configuration only")
    parser.add_argument("--before", type=Path, help="also run the app of another checkout")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    n = args.sessions
    results = []
    with ExitStack() as outer:
        folder = Path(outer.enter_context(tempfile.TemporaryDirectory(prefix="bench-load-")))
        server = outer.enter_context(running_postgres())
        s3_url = outer.enter_context(s3_process())

        @contextmanager
        def replicas(
            name: str, count: int, code: Path = ROOT
        ) -> Iterator[tuple[World, str, list[Replica], dict[str, int]]]:
            """Fresh data, ``count`` replicas of ``code``'s app and, for two, nginx in front;
            with the pids of the servers whose CPU is reported."""
            world = seed(server.url, s3_url, n + 4, folder / name, code)
            specs = [
                AppSpec(folder / f"{name}-{i}", env=world.env, root=code) for i in range(count)
            ]
            with streamlit_apps(*specs) as urls, ExitStack() as front:
                ports = [int(url.rsplit(":", 1)[1]) for url in urls]
                base = (
                    front.enter_context(nginx(ports, folder / f"{name}-nginx"))
                    if count > 1
                    else urls[0]
                )
                for url in urls:
                    asyncio.run(warm_up(url, world))
                services = {"PostgreSQL": pid_in(server.data / "postmaster.pid")}
                if count > 1:
                    services["nginx"] = pid_in(folder / f"{name}-nginx" / "nginx.pid")
                yield world, base, replicas_of(urls), services

        def run(
            label: str,
            where: tuple[World, str, list[Replica], dict[str, int]],
            users: slice = slice(0, n),
            think: float = args.think,
        ) -> None:
            print(f"{label} ...", flush=True)
            world, base, procs, services = where
            users_now = world.users[users]
            results.append(
                measure(label, base, procs, world, users_now, args.duration, think, services)
            )

        if args.only in (None, "one"):
            with replicas("one", 1) as one:
                run(
                    "baseline: 1 session, 1 replica",
                    one,
                    users=slice(n, n + 1),
                    think=1,  # alone, its times do not depend on the pace: more of them
                )
                run(f"1 replica, {n} sessions", one)
        if args.before:
            with replicas("before", 1, args.before.resolve()) as before:
                run(f"1 replica of {args.before.name}, {n} sessions", before)
        if args.only in (None, "two"):
            with replicas("two", 2) as two:
                run(f"2 replicas + nginx, {n} sessions", two)
    report(results, args.think)
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
