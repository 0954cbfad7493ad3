"""Vote throughput and latency with 100 voters clicking at once, on SQLite and PostgreSQL.

Usage: .venv/bin/python bench/bench_votes.py [sqlite|postgresql|all]

100 threads (one per voter, each with its own session per call, as Streamlit sessions are)
start together behind a barrier; each casts its whole budget of 3 votes over 30 posters, then
takes one back. Latency is one cast_vote/retract_vote call including its commit.

Two patterns: "burst" (all 100 voters click at the same instant, then again at once: the worst
case, where latency is mostly waiting in line for the single writer / the row locks) and
"paced" (each voter starts within 2 s and pauses 0.5-1.5 s between clicks, as people do).
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlmodel import func, select  # noqa: E402

from contest.core.config import Settings  # noqa: E402
from contest.core.db import make_engine  # noqa: E402
from contest.core.models import User, Vote  # noqa: E402
from contest.runtime import Runtime, build_runtime  # noqa: E402
from contest.voting.votes import cast_vote, retract_vote  # noqa: E402
from tests.factories import add_entry, create_contest, create_user  # noqa: E402
from tests.support.postgres import postgres_server  # noqa: E402

VOTERS = 100
ENTRIES = 30
BUDGET = 3


def seed(runtime: Runtime) -> tuple[int, list[User], list[int]]:
    with runtime.session() as session:
        contest = create_contest(session, votes_per_voter=BUDGET)
        author = create_user(session, department="도시계획과")
        entry_ids = [
            add_entry(session, contest=contest, author=author).id or 0 for _ in range(ENTRIES)
        ]
        voters = [create_user(session, department=f"부서{n % 10}") for n in range(VOTERS)]
    return contest.id or 0, voters, entry_ids


def run(runtime: Runtime, paced: bool) -> dict[str, float]:
    contest_id, voters, entry_ids = seed(runtime)
    barrier = threading.Barrier(VOTERS)
    latencies: list[float] = []
    lock = threading.Lock()

    def timed(call: object, voter: User, entry_id: int) -> None:
        started = time.perf_counter()
        with runtime.session() as session:
            call(session, actor=voter, entry_id=entry_id)  # type: ignore[operator]
        with lock:
            latencies.append((time.perf_counter() - started) * 1000)

    def voter_clicks(n: int) -> None:
        voter = voters[n]
        picks = [entry_ids[(n * 7 + k * 11) % ENTRIES] for k in range(BUDGET)]
        pause = random.Random(n).uniform
        barrier.wait()
        if paced:
            time.sleep(pause(0, 2))
        for entry_id in picks:
            timed(cast_vote, voter, entry_id)
            if paced:
                time.sleep(pause(0.5, 1.5))
        timed(retract_vote, voter, picks[0])

    started = time.perf_counter()
    with ThreadPoolExecutor(VOTERS) as pool:
        list(pool.map(voter_clicks, range(VOTERS)))
    wall = time.perf_counter() - started
    with runtime.session() as session:
        kept = session.exec(
            select(func.count()).select_from(Vote).where(Vote.contest_id == contest_id)
        ).one()
    assert kept == VOTERS * (BUDGET - 1), kept
    latencies.sort()
    return {
        "calls": len(latencies),
        "wall_s": wall,
        "per_s": len(latencies) / wall,
        "p50": statistics.median(latencies),
        "p95": latencies[int(0.95 * len(latencies)) - 1],
        "max": latencies[-1],
    }


def main() -> None:
    mode = sys.argv[1] if len(sys.argv) > 1 else "all"
    with ExitStack() as stack:
        urls = {}
        if mode in ("sqlite", "all"):
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
            urls["sqlite"] = f"sqlite:///{folder / 'votes.db'}"
        if mode in ("postgresql", "all"):
            urls["postgresql"] = stack.enter_context(postgres_server())
        if "sqlite" in urls:  # baseline: SQLite's own busy handler, no in-process writer queue
            urls = {"sqlite (baseline, no writer queue)": urls["sqlite"], **urls}
        for name, url in urls.items():
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
            settings = Settings(data_dir=folder, database_url=url, demo=False, secret_key="x" * 32)
            for pattern in ("burst", "paced"):
                runtime = build_runtime(settings)
                if "baseline" in name:
                    engine = make_engine(url, writer_queue=False)
                    runtime = Runtime(settings, engine, runtime.store)
                figures = run(runtime, paced=pattern == "paced")
                runtime.engine.dispose()
                print(
                    f"{name} {pattern}: {figures['calls']:.0f} calls by {VOTERS} voters in "
                    f"{figures['wall_s']:.2f} s = {figures['per_s']:.0f} calls/s; latency p50 "
                    f"{figures['p50']:.1f} ms, p95 {figures['p95']:.1f} ms, "
                    f"max {figures['max']:.1f} ms"
                )


if __name__ == "__main__":
    main()
