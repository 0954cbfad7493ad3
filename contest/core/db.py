"""Engine creation, schema migration and the unit-of-work session."""

from __future__ import annotations

import fcntl
import threading
import weakref
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from contest.core.errors import DatabaseUnavailable

MIGRATIONS_DIR = Path(__file__).parents[1] / "migrations"
# What a database that is down, restarting, unreachable or too slow raises (not: a refused row).
UNAVAILABLE = (
    sa.exc.OperationalError,
    sa.exc.InterfaceError,
    sa.exc.DisconnectionError,
    sa.exc.TimeoutError,
)
SCHEMA_LOCK_ID = 7_261_001  # PostgreSQL advisory lock key: migrations and the demo seed


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


WRITE_OPTION = "contest_write"
WRITER_LOCK, WRITER_HELD = "contest_writer_lock", "contest_writer_held"
# One lock per SQLite engine: this process's writers queue here (see begin_write).
_writer_locks: weakref.WeakKeyDictionary[Engine, threading.RLock] = weakref.WeakKeyDictionary()
T = TypeVar("T")


def _sqlite_begin(conn: sa.Connection) -> None:
    # Readers use a plain (deferred) BEGIN and run side by side under WAL. A unit of work that
    # reads then writes (a budget check, say) asks for BEGIN IMMEDIATE via begin_write(), which
    # takes the write lock up front so no other writer can interleave.
    immediate = conn.get_execution_options().get(WRITE_OPTION)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(
    url: str,
    *,
    writer_queue: bool = True,
    connect_timeout: int = 5,
    statement_timeout: int = 30,
    pool_size: int = 10,
    max_overflow: int = 20,
) -> Engine:
    """One engine per process; SQLite gets WAL, foreign keys and serialised writers.

    ``writer_queue=False`` leaves SQLite writers to its busy handler alone (a benchmark baseline).
    On PostgreSQL every network wait has a deadline: ``connect_timeout`` seconds to connect,
    ``statement_timeout`` seconds per statement, and TCP keepalives notice a vanished server.
    """
    if url.startswith("sqlite"):
        path = sa.engine.make_url(url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        # Let SQLAlchemy, not pysqlite, emit BEGIN so that it can be IMMEDIATE.
        sa.event.listen(engine, "connect", lambda c, _r: setattr(c, "isolation_level", None))
        sa.event.listen(engine, "begin", _sqlite_begin)
        if writer_queue:
            _writer_locks[engine] = threading.RLock()
        return engine
    return sa.create_engine(
        url,
        pool_pre_ping=True,  # a connection broken by a database restart is replaced, not used
        pool_size=pool_size,
        max_overflow=max_overflow,
        connect_args={
            "connect_timeout": connect_timeout,
            "options": f"-c statement_timeout={statement_timeout * 1000}",
            "keepalives": 1,
            # Prepared from the first use on each connection: the server parses and plans a
            # statement once per connection, not per call (a vote's server time fell by a
            # quarter, its p95 when paced from 15-36 ms to 4-5 ms; docs/benchmarks.md, Voting).
            "prepare_threshold": 0,
            "keepalives_idle": 10,
            "keepalives_interval": 5,
            "keepalives_count": 3,
        },
    )


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


@contextmanager
def database_errors() -> Iterator[None]:
    """A database that cannot be reached becomes DatabaseUnavailable, which pages show."""
    try:
        yield
    except UNAVAILABLE as exc:
        raise DatabaseUnavailable() from exc


@contextmanager
def schema_lock(engine: Engine) -> Iterator[None]:
    """One process at a time changes the schema or seeds: replicas starting together on an
    empty database wait for each other instead of racing (PostgreSQL: an advisory lock held by
    one connection; SQLite: a lock on a file beside the database). Not re-entrant."""
    if engine.dialect.name == "postgresql":
        with database_errors(), engine.connect() as conn:
            with conn.begin():  # waiting for another replica's migration is no statement timeout
                conn.exec_driver_sql("SET LOCAL statement_timeout = 0")
                conn.exec_driver_sql(f"SELECT pg_advisory_lock({SCHEMA_LOCK_ID})")
            try:
                yield
            finally:
                conn.exec_driver_sql(f"SELECT pg_advisory_unlock({SCHEMA_LOCK_ID})")
                conn.commit()
        return
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    with Path(f"{database}.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision under the schema lock; existing data is kept."""
    with schema_lock(engine):
        command.upgrade(alembic_config(engine), "head")


def head_revision() -> str | None:
    """The newest migration revision this code knows."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return ScriptDirectory.from_config(config).get_current_head()


def current_revision(conn: sa.Connection) -> str | None:
    """The revision the database behind ``conn`` is at (None: not migrated)."""
    return MigrationContext.configure(conn).get_current_revision()


def schema_revisions(engine: Engine) -> tuple[str | None, str | None]:
    """(the database's migration revision, the newest one this code knows)."""
    with engine.connect() as conn:
        current = current_revision(conn)
    return current, head_revision()


def begin_write(session: Session) -> None:
    """Start the session's transaction as a writer: call before the first query of a service
    whose checks must hold until commit. On SQLite this serialises writers (BEGIN IMMEDIATE);
    on PostgreSQL, services lock the rows they depend on with ``lock_row``.

    Under session_scope on SQLite, writers of this process first queue on a Python lock: SQLite's
    own busy handler sleeps in steps of up to 100 ms, which made a burst of votes wait seconds;
    a lock hands over at once. BEGIN IMMEDIATE still guards against other processes.
    """
    lock = session.info.get(WRITER_LOCK)
    if lock is not None and not session.info.get(WRITER_HELD):
        lock.acquire()
        session.info[WRITER_HELD] = True
    if not session.in_transaction():
        session.connection(execution_options={WRITE_OPTION: True})


def finish_reading(session: Session) -> None:
    """End a unit of work's read-only part, so that the next ``begin_write`` opens a fresh writer
    transaction (SQLite cannot turn an old read snapshot into a writer) and no connection
    sits idle in a transaction during the slow work in between."""
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("finish_reading after a write: the write would be committed early")
    session.commit()


def end_write(session: Session) -> None:
    """Commit what was written and leave this process's writer queue (SQLite), so that the work
    that follows in the same unit of work keeps no other writer waiting."""
    session.commit()
    lock = session.info.get(WRITER_LOCK)
    if lock is not None and session.info.pop(WRITER_HELD, False):
        lock.release()


@contextmanager
def all_or_nothing(session: Session) -> Iterator[None]:
    """Rows written inside are rolled back if anything raises, even when the caller catches it
    inside its own unit of work."""
    try:
        yield
    except BaseException:
        session.rollback()
        raise


def lock_names(session: Session, names: Iterable[str]) -> None:
    """Lock each of ``names`` (any strings, an object key say) until the transaction ends.

    PostgreSQL: transaction-scoped advisory locks, taken in one order so two holders never wait
    on each other. SQLite: the writer transaction (begin_write) already excludes every other
    writer."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for name in sorted(set(names)):
        session.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext(:name))"), {"name": name})


def lock_row(session: Session, model: type[T], row_id: int) -> T | None:
    """The row, fresh and locked against other writers until commit.

    PostgreSQL: SELECT ... FOR NO KEY UPDATE, which does not block inserts that merely refer to
    the row (a vote's foreign-key check on its contest or entry). SQLite: the IMMEDIATE
    transaction already holds.
    """
    pk = sa.inspect(model).primary_key[0]
    query = select(model).where(pk == row_id).with_for_update(key_share=True)
    return session.exec(query.execution_options(populate_existing=True)).first()


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One short transaction: commit on success, roll back on any error. A database that cannot
    be reached raises DatabaseUnavailable (a ContestError pages show)."""
    lock = _writer_locks.get(engine)
    with (
        database_errors(),
        Session(engine, expire_on_commit=False, info={WRITER_LOCK: lock}) as session,
    ):
        try:
            yield session
            session.commit()
        except BaseException:
            with suppress(*UNAVAILABLE):  # a lost connection took its transaction with it
                session.rollback()
            raise
        finally:
            if session.info.pop(WRITER_HELD, False) and lock is not None:
                lock.release()
