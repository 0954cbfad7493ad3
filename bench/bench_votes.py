"""Vote latency with 100 voters clicking at once or at a human pace, on SQLite and PostgreSQL.

Usage: .venv/bin/python bench/bench_votes.py [sqlite|postgresql|all] [--before DIR]

100 threads (one per voter, each with its own session per call, as Streamlit sessions are)
start together behind a barrier; each casts its whole budget of 3 votes over 30 posters, then
takes one back. Latency is one cast_vote/retract_vote call including its commit; afterwards the
votes kept must be exactly 2 per voter and no voter above the budget.

Two patterns: "burst" (all 100 voters click at the same instant, then again at once: the worst
case, where latency is mostly waiting in line for the writer, the connections and Python's
interpreter lock) and "paced" (each voter starts within 2 s and pauses 0.5-1.5 s between clicks,
as people do).

Baselines in the same run, so that a loaded machine shows in both:
- floor: the same threads and pattern, each click one bare INSERT of a row and its commit in
  a writer transaction of its own (the least a recorded click can cost here);
- SQLite without the in-process writer queue (writers wait in SQLite's busy handler);
- ``--before DIR``: the same measurements with the contest package of another checkout (for
  example the commit before this work, in ``git worktree add /tmp/before cf5c47e``).
CPU time per call (the process's CPU time over the run / calls) does not grow with the load of
other processes the way wall time does.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
VOTERS = 100
ENTRIES = 30
BUDGET = 3
PATTERNS = ("burst", "paced")


def _figures(latencies: list[float], wall: float, cpu: float) -> dict[str, float]:
    latencies.sort()
    return {
        "calls": len(latencies),
        "per_s": len(latencies) / wall,
        "p50": statistics.median(latencies),
        "p95": latencies[int(0.95 * len(latencies)) - 1],
        "max": latencies[-1],
        "cpu_ms": cpu * 1000 / len(latencies),
    }


def fresh_database(url: str, folder: Path) -> str:
    """An empty database for one run: a new SQLite file, or a new database on the server."""
    if url.startswith("sqlite"):
        return f"sqlite:///{folder / 'votes.db'}"
    import sqlalchemy as sa

    name = f"bench_{folder.name.replace('-', '_').lower()}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    admin.dispose()
    return sa.make_url(url).set(database=name).render_as_string(hide_password=False)


def measure(url: str, which: str) -> dict[str, dict[str, float]]:
    """Figures of every pattern for one implementation (``which``: votes | floor | busy)."""
    return {pattern: run(url, which, pattern) for pattern in PATTERNS}


def run(url: str, which: str, pattern: str) -> dict[str, float]:
    from sqlmodel import func, select

    from contest.core.config import Settings
    from contest.core.db import begin_write, make_engine
    from contest.core.models import User, Vote, VoteEvent
    from contest.runtime import Runtime, build_runtime
    from contest.voting.votes import cast_vote, retract_vote
    from tests.factories import add_entry, create_contest, create_user

    folder = Path(tempfile.mkdtemp(prefix="bench-votes-"))
    url = fresh_database(url, folder)
    settings = Settings(
        data_dir=folder, database_url=url, demo=False, secret_key=secrets.token_urlsafe(32)
    )
    runtime = build_runtime(settings)
    if which == "busy":
        runtime = Runtime(settings, make_engine(url, writer_queue=False), runtime.store)
    with runtime.session() as session:
        contest = create_contest(session, votes_per_voter=BUDGET)
        author = create_user(session, department="도시계획과")
        entry_ids = [
            add_entry(session, contest=contest, author=author).id or 0 for _ in range(ENTRIES)
        ]
        voters = [create_user(session, department=f"부서{n % 10}") for n in range(VOTERS)]

    def floor(session: Any, *, actor: User, entry_id: int) -> None:
        begin_write(session)
        session.add(
            VoteEvent(contest_id=contest.id, voter_id=actor.id, entry_id=entry_id, kind="cast")
        )

    cast: Callable[..., Any] = floor if which == "floor" else cast_vote
    retract: Callable[..., Any] = floor if which == "floor" else retract_vote
    barrier = threading.Barrier(VOTERS)
    latencies: list[float] = []
    lock = threading.Lock()

    def timed(call: Callable[..., Any], voter: User, entry_id: int) -> None:
        started = time.perf_counter()
        with runtime.session() as session:
            call(session, actor=voter, entry_id=entry_id)
        with lock:
            latencies.append((time.perf_counter() - started) * 1000)

    def voter_clicks(n: int) -> None:
        voter = voters[n]
        picks = [entry_ids[(n * 7 + k * 11) % ENTRIES] for k in range(BUDGET)]
        pause = random.Random(n).uniform
        barrier.wait()
        if pattern == "paced":
            time.sleep(pause(0, 2))
        for entry_id in picks:
            timed(cast, voter, entry_id)
            if pattern == "paced":
                time.sleep(pause(0.5, 1.5))
        timed(retract, voter, picks[0])

    cpu, started = time.process_time(), time.perf_counter()
    with ThreadPoolExecutor(VOTERS) as pool:
        list(pool.map(voter_clicks, range(VOTERS)))
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    if which != "floor":
        with runtime.session() as session:
            per_voter = session.exec(
                select(Vote.voter_id, func.count())
                .where(Vote.contest_id == contest.id)
                .group_by(Vote.voter_id)
            ).all()
        counts = sorted(n for _, n in per_voter)
        assert counts == [BUDGET - 1] * VOTERS, counts  # exact: 2 kept by every voter
    runtime.engine.dispose()
    shutil.rmtree(folder, ignore_errors=True)
    return _figures(latencies, wall, cpu)


def measure_elsewhere(code: Path, url: str, which: str) -> dict[str, dict[str, float]]:
    """The same measurement in a child process that imports another checkout's code."""
    script = (
        "import importlib.util, json, sys\n"
        f"sys.path.insert(0, {str(code)!r})\n"
        f"spec = importlib.util.spec_from_file_location('bench_votes', {__file__!r})\n"
        "bench = importlib.util.module_from_spec(spec)\n"
        "spec.loader.exec_module(bench)\n"
        f"print(json.dumps(bench.measure({url!r}, {which!r})))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=code
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "database", nargs="?", default="all", choices=["sqlite", "postgresql", "all"]
    )
    parser.add_argument("--before", type=Path, help="another checkout to measure beside this one")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from tests.support.postgres import postgres_server

    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with ExitStack() as stack:
        urls = {}
        if args.database in ("sqlite", "all"):
            urls["SQLite"] = "sqlite://"  # each run makes its own file
        if args.database in ("postgresql", "all"):
            urls["PostgreSQL"] = stack.enter_context(postgres_server())
        for name, url in urls.items():
            rows: list[tuple[str, dict[str, dict[str, float]]]] = [
                ("floor: bare insert + commit", measure(url, "floor"))
            ]
            if name == "SQLite":
                rows.append(("votes, no writer queue", measure(url, "busy")))
            if args.before:
                rows.append((f"votes, {args.before}", measure_elsewhere(args.before, url, "votes")))
            rows.append(("votes, this checkout", measure(url, "votes")))
            print(
                f"\n{name}, {VOTERS} voters x {BUDGET} casts + 1 retraction (load "
                f"{os.getloadavg()[0]:.1f})"
            )
            print(
                f"  {'':34s} {'pattern':7s} {'calls/s':>8s} {'p50 ms':>8s} {'p95 ms':>8s} "
                f"{'max ms':>8s} {'CPU ms/call':>12s}"
            )
            for label, figures in rows:
                for pattern in PATTERNS:
                    f = figures[pattern]
                    print(
                        f"  {label:34s} {pattern:7s} {f['per_s']:8.0f} {f['p50']:8.1f} "
                        f"{f['p95']:8.1f} {f['max']:8.1f} {f['cpu_ms']:12.2f}"
                    )
            ours, floor = rows[-1][1], rows[0][1]
            for pattern in PATTERNS:
                print(
                    f"  {pattern}: votes p95 / floor p95 = "
                    f"{ours[pattern]['p95'] / floor[pattern]['p95']:.1f}x, CPU per call "
                    f"{ours[pattern]['cpu_ms'] / floor[pattern]['cpu_ms']:.1f}x the floor's"
                )
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
