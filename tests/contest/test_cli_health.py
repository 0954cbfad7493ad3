"""`python -m contest health`: the readiness probe, as operators run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from contest.runtime import build_runtime
from tests.factories import TEST_SECRET, make_settings
from tests.support.outages import hung_server, refused_url

ROOT = Path(__file__).resolve().parents[2]


def health(data_dir: Path, *args: str, **settings: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONTEST_")}
    env.update(CONTEST_DATA_DIR=str(data_dir), CONTEST_DEMO="false", CONTEST_SECRET_KEY=TEST_SECRET)
    env.update({f"CONTEST_{k.upper()}": v for k, v in settings.items()})
    env.setdefault("AWS_ACCESS_KEY_ID", "testing")
    env.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    return subprocess.run(
        [sys.executable, "-m", "contest", "health", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def checks(done: subprocess.CompletedProcess) -> dict[str, dict]:
    report = json.loads(done.stdout)
    assert report["ok"] is (done.returncode == 0)
    return {c["name"]: c for c in report["checks"]}


def test_healthy_database_and_store_exit_0(tmp_path: Path) -> None:
    build_runtime(make_settings(tmp_path)).engine.dispose()
    done = health(tmp_path / "data")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "database: ok" in done.stdout and "store: ok" in done.stdout
    assert not list((tmp_path / "data" / "objects").rglob("health*/*"))  # cleaned up
    report = checks(health(tmp_path / "data", "--json"))
    assert report["database"]["ok"] and report["store"]["ok"]


def test_a_database_behind_the_code_fails(tmp_path: Path) -> None:
    done = health(tmp_path / "data", "--json")  # nothing migrated yet
    assert done.returncode == 1
    report = checks(done)
    assert not report["database"]["ok"] and "migrate" in report["database"]["detail"]
    assert report["store"]["ok"]


def test_an_unreachable_database_fails(tmp_path: Path) -> None:
    url = refused_url().replace("http://", "postgresql+psycopg://postgres@") + "/contest"
    done = health(tmp_path / "data", "--json", database_url=url)
    assert done.returncode == 1
    assert not checks(done)["database"]["ok"]


def test_a_hung_store_fails_within_the_deadline(tmp_path: Path) -> None:
    build_runtime(make_settings(tmp_path)).engine.dispose()
    with hung_server() as endpoint:
        done = health(
            tmp_path / "data", "--json", "--timeout", "2", storage="s3", s3_endpoint_url=endpoint
        )
    assert done.returncode == 1
    report = checks(done)
    assert report["database"]["ok"]
    assert report["store"] == {
        "name": "store",
        "ok": False,
        "detail": "no answer within 2 s",
        "seconds": 2.0,
    }


def test_a_refused_store_fails_with_the_reason(tmp_path: Path) -> None:
    build_runtime(make_settings(tmp_path)).engine.dispose()
    done = health(tmp_path / "data", storage="s3", s3_endpoint_url=refused_url())
    assert done.returncode == 1
    assert "store: FAILED" in done.stdout and "Could not connect" in done.stdout


def test_a_setting_it_cannot_run_with_is_named_without_a_traceback(tmp_path: Path) -> None:
    for settings, said in (
        ({"secret_key": "change-me"}, "configuration: CONTEST_SECRET_KEY is a placeholder"),
        ({"db_pool_size": "many"}, "configuration: CONTEST_DB_POOL_SIZE: Input should be"),
    ):
        done = health(tmp_path / "data", **settings)
        assert done.returncode == 2, done.stderr
        assert "Traceback" not in done.stderr
        assert done.stderr.startswith(said), done.stderr
