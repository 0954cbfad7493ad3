"""Shared fixtures: a runtime on SQLite or PostgreSQL, an S3 server, the demo app's settings."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from contest.core.config import Settings
from contest.core.db import make_engine, migrate
from contest.demo.seed import seed_demo
from contest.runtime import Runtime, build_runtime
from tests.factories import TEST_SECRET, make_settings
from tests.support.postgres import postgres_server
from tests.support.s3 import s3_server


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    with postgres_server() as url:
        yield url


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """A moto server of the module's own (about a second to start). With one per test process,
    replicas late in a full run met S3 calls past their deadline ("파일을 저장하지 못했습니다")
    after the earlier modules had filled it; each module now starts from an empty one."""
    with s3_server() as url:
        yield url


@pytest.fixture
def aws_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fake credentials boto3 signs with against test servers (moto accepts any)."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", os.environ.get("AWS_ACCESS_KEY_ID", "testing"))
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", os.environ.get("AWS_SECRET_ACCESS_KEY", "testing"))


def fresh_pg_database(server_url: str, name: str, *, template: str | None = None) -> str:
    """An empty database ``name`` on the server (or a copy of the database ``template``)."""
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    copy = f' TEMPLATE "{template}"' if template else ""
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"{copy}')
    admin.dispose()
    return server_url.rsplit("/", 1)[0] + f"/{name}"


DATABASES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
TEMPLATE = "contest_template"  # the migrated PostgreSQL database each test's is copied from


@pytest.fixture(params=DATABASES)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same test on SQLite and on a real PostgreSQL 15: an empty database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'contest.db'}"
    server = request.getfixturevalue("pg_server")
    return fresh_pg_database(server, _database_name(request))


def _database_name(request: pytest.FixtureRequest) -> str:
    return f"t{abs(hash(request.node.nodeid)) % 10**12}"


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database file the migrations brought to head once per test run: each test that
    wants a migrated database gets a copy (migrating one from scratch costs ~0.5 s)."""
    path = tmp_path_factory.mktemp("template") / "contest.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    engine.dispose()  # the last connection checkpoints the WAL into the file
    return path


@pytest.fixture(scope="session")
def migrated_postgres(pg_server: str) -> str:
    """The name of a PostgreSQL database the migrations brought to head once per test run, a
    template each test's database is created from."""
    url = fresh_pg_database(pg_server, TEMPLATE)
    engine = make_engine(url)
    migrate(engine)
    engine.dispose()  # a template may have no connections while it is copied
    return TEMPLATE


def migrated_copy(request: pytest.FixtureRequest, settings: Settings, database: str) -> str:
    """A migrated database of its own for this test: ``database`` "sqlite" (a copy of the
    template file where ``settings`` keeps its database) or "postgresql" (created from the
    template database); its URL."""
    if database == "sqlite":
        path = Path(sa.engine.make_url(settings.resolved_database_url).database or "")
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(request.getfixturevalue("migrated_sqlite"), path)
        return settings.resolved_database_url
    template = request.getfixturevalue("migrated_postgres")
    server = request.getfixturevalue("pg_server")
    return fresh_pg_database(server, _database_name(request), template=template)


@pytest.fixture
def runtime(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Runtime]:
    """SQLite and local storage in a temporary folder, migrated, empty."""
    settings = make_settings(tmp_path)
    migrated_copy(request, settings, "sqlite")
    rt = build_runtime(settings)
    yield rt
    rt.engine.dispose()


@pytest.fixture(params=DATABASES)
def any_runtime(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Runtime]:
    """Like ``runtime`` but parametrised over SQLite and PostgreSQL."""
    settings = make_settings(tmp_path)
    url = migrated_copy(request, settings, request.param)
    rt = build_runtime(make_settings(tmp_path, database_url=url))
    yield rt
    rt.engine.dispose()


@pytest.fixture(scope="session")
def seeded_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder (SQLite file and objects) with the demo contest seeded once per test
    process: seeding draws and checks twelve posters (several seconds), so each test that wants
    the demo gets a copy of this one."""
    folder = tmp_path_factory.mktemp("demo-template") / "appdata"
    runtime = build_runtime(Settings(data_dir=folder, demo=True, database_url=None))
    seed_demo(runtime)
    runtime.engine.dispose()  # the last connection checkpoints the WAL into the file
    return folder


def demo_copy_in(seeded_demo: Path, folder: Path) -> Path:
    """``folder`` holding a copy of the seeded demo (``seeded_demo``'s data folder); ``folder``."""
    shutil.copytree(seeded_demo, folder, dirs_exist_ok=True)
    return folder


@pytest.fixture
def app_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seeded_demo: Path) -> Path:
    """Environment for AppTest / streamlit run: demo mode in a temporary data folder that holds
    the seeded demo contest already (as after the app's first run, which seeds it)."""
    data = demo_copy_in(seeded_demo, tmp_path / "appdata")
    monkeypatch.setenv("CONTEST_DATA_DIR", str(data))
    monkeypatch.setenv("CONTEST_DEMO", "true")
    monkeypatch.delenv("CONTEST_DATABASE_URL", raising=False)
    monkeypatch.chdir(Path(__file__).resolve().parents[1])
    return data


os.environ.setdefault("CONTEST_SECRET_KEY", TEST_SECRET)
