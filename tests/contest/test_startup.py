"""Replicas starting together on an empty database: one migrates and seeds, the others wait."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from contest.demo.seed import DEMO_ACCOUNTS
from tests.factories import TEST_SECRET

ROOT = Path(__file__).resolve().parents[2]
REPLICAS = 3


def test_replicas_starting_at_once_on_an_empty_database_do_not_race(
    db_url: str, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONTEST_")}
    env.update(
        CONTEST_DATABASE_URL=db_url,
        CONTEST_DATA_DIR=str(tmp_path / "data"),
        CONTEST_DEMO="true",
        CONTEST_SECRET_KEY=TEST_SECRET,
    )
    command = [sys.executable, "-m", "contest", "prepare"]
    starts = [
        subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        for _ in range(REPLICAS)
    ]
    outputs = [process.communicate(timeout=240)[0].decode() for process in starts]
    assert [p.returncode for p in starts] == [0] * REPLICAS, "\n".join(outputs)
    assert sum("demo contest seeded" in out for out in outputs) == 1
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM alembic_version").scalar() == 1
        assert conn.exec_driver_sql("SELECT count(*) FROM contest").scalar() == 1
        assert conn.exec_driver_sql('SELECT count(*) FROM "user"').scalar() == len(DEMO_ACCOUNTS)
    engine.dispose()
