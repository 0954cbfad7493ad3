"""What a user waits for, and reads, when S3 or PostgreSQL fail: measured, not assumed.

Usage: .venv/bin/python bench/bench_outages.py [s3|postgresql|all]

s3: an upload (submit_entry, the service the submit page calls) against an S3 endpoint that
    refuses connections, and one that accepts them and never answers (a hung S3), with the
    default CONTEST_S3_* timeouts; and a colleague's vote while that upload waits, next to the
    same vote with nothing else going on (SQLite, one process, as one replica).
postgresql: a vote against a stopped server, against an address that accepts connections and
    never answers, and votes every 50 ms through `pg_ctl restart -m fast` with one runtime
    (no app restart): how many fail, for how long, and what the first one after reads.

Times are wall clock (waiting is what a user feels); the machine's load is printed with them.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from contest.core.config import Settings  # noqa: E402
from contest.core.errors import ContestError  # noqa: E402
from contest.core.i18n import error_message  # noqa: E402
from contest.entries.submissions import submit_entry  # noqa: E402
from contest.runtime import Runtime, build_runtime  # noqa: E402
from contest.voting.votes import cast_vote, retract_vote  # noqa: E402
from tests.factories import (  # noqa: E402
    TEST_SECRET,
    create_contest,
    create_user,
    draft,
    poster_bytes,
    submit,
)
from tests.support.outages import hung_server, refused_url  # noqa: E402
from tests.support.postgres import running_postgres  # noqa: E402


def settings(folder: Path, **values: Any) -> Settings:
    return Settings(data_dir=folder, demo=False, secret_key=TEST_SECRET, **values)  # type: ignore[arg-type]


def timed(call: Callable[[], object]) -> tuple[float, str]:
    """Seconds the call took and what the user reads (Korean / English), or "ok"."""
    start = time.monotonic()
    try:
        call()
        outcome = "ok"
    except ContestError as error:
        outcome = f"{error_message(error, 'ko')} / {error_message(error, 'en')}"
    return time.monotonic() - start, outcome


def world(runtime: Runtime) -> dict[str, Any]:
    """A contest with one poster, its author, a voter and an uploader."""
    with runtime.session() as session:
        contest = create_contest(session)
        author, voter, uploader = create_user(session), create_user(session), create_user(session)
    entry_id = submit(runtime, author, seed=1).entry.id
    return {"contest": contest, "voter": voter, "uploader": uploader, "entry_id": entry_id}


def upload(runtime: Runtime, w: dict[str, Any], store: Any) -> None:
    with runtime.session() as session:
        submit_entry(
            session,
            store=store,
            indexes=runtime.indexes,
            actor=w["uploader"],
            draft=draft(w["contest"]),
            data=poster_bytes(7),
        )


def vote_and_back(runtime: Runtime, w: dict[str, Any]) -> float:
    start = time.monotonic()
    with runtime.session() as session:
        cast_vote(session, actor=w["voter"], entry_id=w["entry_id"])
    took = time.monotonic() - start
    with runtime.session() as session:
        retract_vote(session, actor=w["voter"], entry_id=w["entry_id"])
    return took


def bench_s3() -> None:
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    defaults = Settings(secret_key=TEST_SECRET)
    print(
        f"S3 settings: connect {defaults.s3_connect_timeout:g} s, read "
        f"{defaults.s3_read_timeout:g} s, {defaults.s3_max_attempts} attempts per call"
    )
    with tempfile.TemporaryDirectory() as tmp, hung_server() as hung:
        local = build_runtime(settings(Path(tmp) / "local"))
        w = world(local)
        idle = statistics.median(vote_and_back(local, w) for _ in range(9))
        for name, endpoint in (("refused", refused_url()), ("hung", hung)):
            s3 = build_runtime(
                settings(Path(tmp) / name, storage="s3", s3_endpoint_url=endpoint)
            ).store
            if name == "hung":
                with ThreadPoolExecutor(1) as pool:
                    waiting = pool.submit(timed, lambda s3=s3: upload(local, w, s3))
                    time.sleep(1.0)  # the upload is now inside its first S3 call
                    during = statistics.median(vote_and_back(local, w) for _ in range(9))
                    took, outcome = waiting.result()
                print(
                    f"  a vote while that upload waits: median {during * 1000:.1f} ms "
                    f"(idle {idle * 1000:.1f} ms, ratio {during / idle:.2f})"
                )
            else:
                took, outcome = timed(lambda s3=s3: upload(local, w, s3))
            print(f"upload, S3 {name}: {took:.1f} s, then: {outcome}")
        local.engine.dispose()


def bench_postgresql() -> None:
    with tempfile.TemporaryDirectory() as tmp, running_postgres() as server:
        runtime = build_runtime(settings(Path(tmp), database_url=server.url))
        w = world(runtime)

        def vote() -> None:
            vote_and_back(runtime, w)

        server.stop()
        took, outcome = timed(vote)
        print(f"vote, PostgreSQL stopped: {took * 1000:.0f} ms, then: {outcome}")
        server.start()
        took, outcome = timed(vote)
        print(f"vote, first after start (same runtime): {took * 1000:.0f} ms, {outcome}")

        with hung_server() as hung:
            url = hung.replace("http://", "postgresql+psycopg://postgres@") + "/contest"
            silent = build_runtime(settings(Path(tmp) / "silent", database_url=url), upgrade=False)

            def connect() -> None:
                with silent.session() as session:
                    session.connection()

            took, outcome = timed(connect)
            print(f"vote, PostgreSQL address not answering: {took:.1f} s, then: {outcome}")

        results: list[tuple[float, float, str]] = []
        stop = threading.Event()

        def keep_voting() -> None:
            while not stop.is_set():
                start = time.monotonic()
                took, outcome = timed(vote)
                results.append((start, took, outcome))
                time.sleep(0.05)

        voter = threading.Thread(target=keep_voting)
        voter.start()
        time.sleep(1.0)
        restart_at = time.monotonic()
        server.stop("fast")
        server.start()
        restarted = time.monotonic() - restart_at
        time.sleep(2.0)
        stop.set()
        voter.join()
        failed = [(s, t, o) for s, t, o in results if o != "ok"]
        print(f"restart (pg_ctl stop -m fast + start): {restarted:.1f} s")
        print(f"  votes tried every 50 ms: {len(results)}, failed: {len(failed)}")
        if failed:
            window = failed[-1][0] + failed[-1][1] - failed[0][0]
            slowest = max(t for _, t, _ in failed)
            print(f"  failures span {window:.1f} s; slowest failure {slowest * 1000:.0f} ms")
            print(f"  a failed vote reads: {failed[0][2]}")
        after = [t for s, t, o in results if o == "ok" and failed and s > failed[-1][0]]
        if after:
            print(f"  first vote after the restart: {after[0] * 1000:.0f} ms, ok")
        runtime.engine.dispose()


def main() -> None:
    which = sys.argv[1] if len(sys.argv) > 1 else "all"
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    if which in ("s3", "all"):
        bench_s3()
    if which in ("postgresql", "all"):
        bench_postgresql()


if __name__ == "__main__":
    main()
