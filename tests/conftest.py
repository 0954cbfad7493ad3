"""Shared fixtures: a runtime on SQLite or PostgreSQL, an S3 server, the demo app's settings."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from contest.runtime import Runtime, build_runtime
from tests.factories import TEST_SECRET, make_settings
from tests.support.postgres import postgres_server
from tests.support.s3 import s3_server


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    with postgres_server() as url:
        yield url


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    with s3_server() as url:
        yield url


@pytest.fixture
def aws_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fake credentials boto3 signs with against test servers (moto accepts any)."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", os.environ.get("AWS_ACCESS_KEY_ID", "testing"))
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", os.environ.get("AWS_SECRET_ACCESS_KEY", "testing"))


def fresh_pg_database(server_url: str, name: str) -> str:
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return server_url.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same test on SQLite and on a real PostgreSQL 15."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'contest.db'}"
    server = request.getfixturevalue("pg_server")
    return fresh_pg_database(server, f"t{abs(hash(request.node.nodeid)) % 10**12}")


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[Runtime]:
    """SQLite and local storage in a temporary folder, migrated, empty."""
    rt = build_runtime(make_settings(tmp_path))
    yield rt
    rt.engine.dispose()


@pytest.fixture
def any_runtime(tmp_path: Path, db_url: str) -> Iterator[Runtime]:
    """Like ``runtime`` but parametrised over SQLite and PostgreSQL."""
    rt = build_runtime(make_settings(tmp_path, database_url=db_url))
    yield rt
    rt.engine.dispose()


@pytest.fixture
def app_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Environment for AppTest / streamlit run: demo mode in a temporary data folder."""
    data = tmp_path / "appdata"
    monkeypatch.setenv("CONTEST_DATA_DIR", str(data))
    monkeypatch.setenv("CONTEST_DEMO", "true")
    monkeypatch.delenv("CONTEST_DATABASE_URL", raising=False)
    monkeypatch.chdir(Path(__file__).resolve().parents[1])
    return data


os.environ.setdefault("CONTEST_SECRET_KEY", TEST_SECRET)
