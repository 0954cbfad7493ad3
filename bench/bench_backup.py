"""How long a backup, its check and a restore take: the recovery time an operator plans with.

Usage: .venv/bin/python bench/bench_backup.py [--posters 120] [--voters 200]

For SQLite + local files and for PostgreSQL 15 + S3 (moto's server over HTTP, in this process):
a contest with ``--posters`` posters uploaded through submit_entry (each three objects) and
three votes by each of ``--voters`` colleagues, then ``backup`` (database snapshot, then the
objects), ``verify`` and ``restore`` onto a fresh database and an empty store. Beside them, the
floor measured in the same run: reading every object once from the store into files (what the
object part of a backup cannot beat), and on PostgreSQL ``pg_dump --format=custom`` alone.
Wall-clock seconds; the machine's load average is printed with them.
"""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlmodel import select  # noqa: E402

from contest.core.models import ImageObject  # noqa: E402
from contest.ops.backup import backup, copy_objects  # noqa: E402
from contest.ops.pgdump import find_pg_dump, libpq_target  # noqa: E402
from contest.ops.restore import restore  # noqa: E402
from contest.ops.verify import verify  # noqa: E402
from contest.runtime import Runtime, build_runtime  # noqa: E402
from contest.voting.votes import cast_vote  # noqa: E402
from tests.conftest import fresh_pg_database  # noqa: E402
from tests.factories import create_contest, create_user, make_settings, submit  # noqa: E402
from tests.support.postgres import postgres_server  # noqa: E402
from tests.support.s3 import s3_server  # noqa: E402


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def seed(runtime: Runtime, posters: int, voters: int) -> None:
    """``posters`` posters by authors of ten each, three votes by each of ``voters``."""
    with runtime.session() as session:
        create_contest(session, entries_per_person=10, votes_per_voter=3)
        authors = [create_user(session) for _ in range((posters + 9) // 10)]
        people = [create_user(session) for _ in range(voters)]
    entry_ids = [
        submit(runtime, authors[n // 10], seed=20_000 + n, title=f"백업 시험 {n + 1}").entry.id or 0
        for n in range(posters)
    ]
    for k, person in enumerate(people):
        for step in range(3):
            with runtime.session() as session:
                cast_vote(session, actor=person, entry_id=entry_ids[(k + step) % posters])


def measure(name: str, make: Callable[[str], Runtime], posters: int, voters: int) -> None:
    source, work = make("source"), Path(tempfile.mkdtemp(prefix="bench-backup-"))
    seed(source, posters, voters)
    with source.session() as session:
        keys = {
            k
            for i in session.exec(select(ImageObject)).all()
            for k in (i.original_key, i.display_key, i.thumb_key)
        }
    floor, _ = timed(lambda: copy_objects(source.store, keys, work / "floor"))
    native = None
    if source.engine.dialect.name == "postgresql":
        target, env = libpq_target(source.engine.url.render_as_string(False), 5)
        dump = [find_pg_dump(), "--format=custom", f"--file={work / 'plain.pgdump'}", target]
        native, _ = timed(lambda: subprocess.run(dump, env={**os.environ, **env}, check=True))
    took, manifest = timed(lambda: backup(source.engine, source.store, work / "b", source={}))
    checked, verdict = timed(lambda: verify(work / "b"))
    assert verdict.ok, verdict.problems
    target = make("target")
    back, done = timed(lambda: restore(target.engine, target.store, work / "b"))
    size = sum(p.stat().st_size for p in (work / "b").rglob("*") if p.is_file())
    print(
        f"{name:16s} rows {manifest.rows:6d}  objects {len(manifest.objects):5d}"
        f" ({size / 2**20:5.1f} MiB)  backup {took:6.2f} s  verify {checked:5.2f} s"
        f"  restore {back:6.2f} s  | floor: objects read {floor:5.2f} s"
        + (f", pg_dump alone {native:5.2f} s" if native is not None else "")
    )
    assert done.rows == manifest.rows


def main() -> None:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's request log
    parser = argparse.ArgumentParser()
    parser.add_argument("--posters", type=int, default=120)
    parser.add_argument("--voters", type=int, default=200)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    base = Path(tempfile.mkdtemp(prefix="bench-backup-data-"))

    def local(role: str) -> Runtime:
        return build_runtime(make_settings(base / role))

    measure("sqlite+local", local, args.posters, args.voters)
    with postgres_server() as server, s3_server() as endpoint:

        def production(role: str) -> Runtime:
            url = fresh_pg_database(server, f"bench_{role}_{uuid.uuid4().hex[:6]}")
            values: dict[str, Any] = {
                "database_url": url,
                "storage": "s3",
                "s3_endpoint_url": endpoint,
                "s3_bucket": f"bench-{role}-{uuid.uuid4().hex[:6]}",
                "s3_create_bucket": True,
            }
            return build_runtime(make_settings(base / f"pg-{role}", **values))

        measure("postgresql+s3", production, args.posters, args.voters)
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
