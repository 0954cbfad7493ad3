"""When the database or the object store fail, services raise ContestErrors a page can show,
nothing half-done is kept, and the same process recovers once the service is back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import func, select

from contest.core.errors import DatabaseUnavailable, StorageUnavailable
from contest.core.i18n import error_message
from contest.core.models import Entry, ImageObject, Vote
from contest.entries.submissions import submit_entry
from contest.runtime import Runtime, build_runtime
from contest.voting.votes import cast_vote
from tests.contest.test_submissions import setup
from tests.factories import create_user, draft, make_settings, poster_bytes, submit
from tests.support.outages import hung_server, refused_url
from tests.support.postgres import PostgresServer, running_postgres

FAST_S3 = {"s3_connect_timeout": 0.5, "s3_read_timeout": 0.5, "s3_max_attempts": 2}


@pytest.fixture
def pg() -> Iterator[PostgresServer]:
    """A PostgreSQL of this test's own, so it can be stopped and started."""
    with running_postgres() as server:
        yield server


def _count(runtime: Runtime, model: type) -> int:
    with runtime.session() as session:
        return session.exec(select(func.count()).select_from(model)).one()


@pytest.mark.postgres
def test_database_down_is_a_message_and_the_process_recovers(
    pg: PostgresServer, tmp_path: Path
) -> None:
    runtime = build_runtime(make_settings(tmp_path, database_url=pg.url))
    _contest, author = setup(runtime)
    entry_id = submit(runtime, author, seed=1).entry.id
    with runtime.session() as session:
        voter = create_user(session)

    pg.stop()
    with pytest.raises(DatabaseUnavailable) as caught, runtime.session() as session:
        cast_vote(session, actor=voter, entry_id=entry_id)
    assert "데이터베이스에 연결할 수 없습니다" in error_message(caught.value, "ko")
    assert "cannot be reached" in error_message(caught.value, "en")

    pg.start()  # the same runtime, no restart: pooled connections are checked before use
    with runtime.session() as session:
        assert cast_vote(session, actor=voter, entry_id=entry_id).used == 1
    assert _count(runtime, Vote) == 1
    runtime.engine.dispose()


@pytest.mark.postgres
def test_a_database_restart_between_two_requests_goes_unnoticed(
    pg: PostgresServer, tmp_path: Path
) -> None:
    runtime = build_runtime(make_settings(tmp_path, database_url=pg.url))
    _contest, author = setup(runtime)
    pg.stop()
    pg.start()
    assert submit(runtime, author, seed=2).entry.number == 1
    runtime.engine.dispose()


def test_a_runtime_on_an_unreachable_database_says_so(tmp_path: Path) -> None:
    url = refused_url().replace("http://", "postgresql+psycopg://postgres@") + "/contest"
    with pytest.raises(DatabaseUnavailable):
        build_runtime(make_settings(tmp_path, database_url=url))


def _s3_runtime(tmp_path: Path, endpoint: str) -> Runtime:
    return build_runtime(make_settings(tmp_path, storage="s3", s3_endpoint_url=endpoint, **FAST_S3))


@pytest.mark.usefixtures("aws_credentials")
@pytest.mark.parametrize("failure", ["refused", "hung"])
def test_an_upload_to_an_unreachable_store_is_a_message_and_leaves_no_row(
    tmp_path: Path, failure: str
) -> None:
    with hung_server() as hung:
        endpoint = refused_url() if failure == "refused" else hung
        runtime = _s3_runtime(tmp_path, endpoint)
        contest, author = setup(runtime)
        with pytest.raises(StorageUnavailable) as caught, runtime.session() as session:
            submit_entry(
                session,
                store=runtime.store,
                indexes=runtime.indexes,
                actor=author,
                draft=draft(contest),
                data=poster_bytes(1),
            )
    message = error_message(caught.value, "ko")
    assert "포스터를 저장하지 못했습니다" in message and "다시 제출해 주세요" in message
    assert _count(runtime, Entry) == 0 and _count(runtime, ImageObject) == 0
    runtime.engine.dispose()
