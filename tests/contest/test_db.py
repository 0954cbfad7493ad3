"""The schema on SQLite and on a real PostgreSQL 15: migrations, UTC times, constraints, JSON."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.exc import IntegrityError, StatementError
from sqlmodel import Session, SQLModel, select

from contest.core.db import alembic_config, migrate
from contest.core.models import AuditEvent, Contest, Entry, ImageObject, User, Vote
from contest.judging import publication, results
from contest.runtime import Runtime
from tests.factories import awards, create_contest, create_user, flat_scores, judged

KST = ZoneInfo("Asia/Seoul")


def _tables(runtime: Runtime) -> set[str]:
    return set(sa.inspect(runtime.engine).get_table_names())


def test_migrations_create_every_table(any_runtime: Runtime) -> None:
    assert set(SQLModel.metadata.tables) | {"alembic_version"} <= _tables(any_runtime)


def test_migrations_match_the_models(any_runtime: Runtime) -> None:
    with any_runtime.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": False})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []


def test_migrate_twice_is_a_no_op_and_keeps_data(any_runtime: Runtime) -> None:
    with any_runtime.session() as session:
        contest = create_contest(session)
        contest.name = "2026 포스터 대회"
        session.add(contest)
        contest_id = contest.id
    before = _tables(any_runtime)
    migrate(any_runtime.engine)
    migrate(any_runtime.engine)
    assert _tables(any_runtime) == before
    with any_runtime.session() as session:
        kept = session.get(Contest, contest_id)
        assert kept is not None and kept.name == "2026 포스터 대회"
    with any_runtime.engine.connect() as conn:
        versions = conn.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    assert len(versions) == 1


def test_a_populated_database_migrates_down_to_the_last_release_and_back(
    any_runtime: Runtime,
) -> None:
    """Last year's database (entries, votes, a finalised and published result) goes down to the
    schema this release started from and up again with every row kept: on SQLite a batch
    migration copies tables others refer to, which must not trip the foreign keys."""
    s = judged(any_runtime, (2, 1), (flat_scores(8), flat_scores(6)), award_tiers=awards(1, 1))
    with any_runtime.session() as session:
        snapshot = results.finalise(session, actor=s.admin, contest_id=s.contest.id or 0)
        publication.publish(
            session, actor=s.admin, contest_id=s.contest.id or 0, snapshot_id=snapshot.id or 0
        )
    before = _counts(any_runtime)
    config = alembic_config(any_runtime.engine)
    command.downgrade(config, "0006")
    command.upgrade(config, "head")
    assert _counts(any_runtime) == before
    with any_runtime.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM vote").scalar() == 3
        if conn.dialect.name == "sqlite":  # the pool's connections enforce references again
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def _counts(runtime: Runtime) -> dict[str, int]:
    with runtime.engine.connect() as conn:
        return {
            name: int(conn.exec_driver_sql(f'SELECT count(*) FROM "{name}"').scalar() or 0)
            for name in ("contest", "user", "entry", "vote", "judge_score", "result_snapshot")
        }


def test_utc_datetime_round_trip_is_aware_utc(any_runtime: Runtime) -> None:
    local_open = datetime(2026, 10, 13, 0, 0, tzinfo=KST)
    with any_runtime.session() as session:
        contest = create_contest(session, submission_opens_at=local_open)
        contest_id = contest.id
    with Session(any_runtime.engine) as session:
        loaded = session.get(Contest, contest_id)
        assert loaded is not None
        assert loaded.submission_opens_at.tzinfo is not None
        assert loaded.submission_opens_at.utcoffset().total_seconds() == 0  # type: ignore[union-attr]
        assert loaded.submission_opens_at == datetime(2026, 10, 12, 15, 0, tzinfo=UTC)
        assert loaded.created_at.tzinfo is not None


def test_naive_datetime_is_refused(any_runtime: Runtime) -> None:
    with pytest.raises(StatementError, match="naive datetime refused"):  # noqa: SIM117
        with any_runtime.session() as session:
            contest = create_contest(session)
            contest.exhibition_opens_at = datetime(2026, 10, 13, 9, 0)  # no tzinfo
            session.add(contest)
            session.flush()


def test_employee_no_is_unique(any_runtime: Runtime) -> None:
    with any_runtime.session() as session:
        create_user(session, employee_no="100200")
    with pytest.raises(IntegrityError), any_runtime.session() as session:
        create_user(session, employee_no="100200")
    with any_runtime.session() as session:
        rows = session.exec(select(User).where(User.employee_no == "100200")).all()
        assert len(rows) == 1


def _entry(session: Session, contest: Contest, author: User) -> Entry:
    image = ImageObject(
        sha256="a" * 64,
        original_key="originals/aa/a.png",
        display_key="display/aa/a.jpg",
        thumb_key="thumbs/aa/a.webp",
        source_format="PNG",
        width=800,
        height=1100,
        size_bytes=1234,
        pixel_sha256="b" * 64,
    )
    session.add(image)
    session.flush()
    entry = Entry(
        contest_id=contest.id or 0,
        author_id=author.id or 0,
        number=1,
        title="바다",
        theme=contest.themes[0],
        policy="정책",
        image_id=image.id or 0,
    )
    session.add(entry)
    session.flush()
    return entry


def test_one_vote_per_voter_and_entry(any_runtime: Runtime) -> None:
    with any_runtime.session() as session:
        contest = create_contest(session)
        author, voter = create_user(session), create_user(session)
        entry = _entry(session, contest, author)
        ids = {"contest_id": contest.id, "voter_id": voter.id, "entry_id": entry.id}
        session.add(Vote(**ids))
    with pytest.raises(IntegrityError), any_runtime.session() as session:
        session.add(Vote(**ids))
    with any_runtime.session() as session:
        assert len(session.exec(select(Vote)).all()) == 1


def test_json_columns_round_trip_korean_text(any_runtime: Runtime) -> None:
    themes = ["시민행복", "균형발전", "초일류도시"]
    rubric = [{"key": "creativity", "label": "창의성·혁신성", "weight": 30, "min": 1, "max": 10}]
    with any_runtime.session() as session:
        contest = create_contest(session, themes=themes, rubric=rubric)
        session.add(
            AuditEvent(action="test.json", details={"사유": "중복 출품 😀", "목록": ["가", "나"]})
        )
        contest_id = contest.id
    with Session(any_runtime.engine) as session:
        loaded = session.get(Contest, contest_id)
        assert loaded is not None
        assert loaded.themes == themes
        assert loaded.rubric == rubric
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "test.json")).one()
        assert event.details == {"사유": "중복 출품 😀", "목록": ["가", "나"]}
