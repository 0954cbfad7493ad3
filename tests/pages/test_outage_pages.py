"""The app in a browser session while PostgreSQL goes down and comes back: a plain message in
Korean instead of a crash, and the same session carries on afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from contest.core.i18n import t
from contest.runtime import build_runtime
from tests.factories import create_user, make_settings
from tests.support.postgres import PostgresServer, running_postgres

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[PostgresServer, int]]:
    """A production-like app (demo off) on a PostgreSQL of its own; yields it and a staff id."""
    with running_postgres() as server:
        runtime = build_runtime(make_settings(tmp_path, database_url=server.url))
        with runtime.session() as session:
            user_id = create_user(session, name="김직원").id or 0
        runtime.engine.dispose()
        monkeypatch.setenv("CONTEST_DATABASE_URL", server.url)
        monkeypatch.setenv("CONTEST_DATA_DIR", str(tmp_path / "data"))
        monkeypatch.setenv("CONTEST_DEMO", "false")
        monkeypatch.chdir(ROOT)
        yield server, user_id


def signed_in(user_id: int) -> AppTest:
    """A browser session of the signed-in user, run once (in this process, as on a replica)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["user_id"] = user_id
    at.session_state["sign_in_epoch"] = 0  # as it signed in: the user never signed out
    return at.run()


def _errors(at: AppTest) -> list[str]:
    return [str(e.value) for e in at.error]


def test_the_database_going_down_and_up_again(pg_app: tuple[PostgresServer, int]) -> None:
    server, user_id = pg_app
    at = signed_in(user_id)
    assert not at.exception
    assert any("김직원" in str(c.value) for c in at.sidebar.caption)

    server.stop()
    at = signed_in(user_id)
    assert not at.exception
    assert _errors(at) == [t("error.database_unavailable", "ko")]

    server.start()  # the same process and runtime, no restart
    at = signed_in(user_id)
    assert not at.exception and _errors(at) == []
    assert any("김직원" in str(c.value) for c in at.sidebar.caption)
