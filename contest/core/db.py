"""Engine creation, schema migration and the unit-of-work session."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

MIGRATIONS_DIR = Path(__file__).parents[1] / "migrations"


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


def make_engine(url: str, *, writer_queue: bool = True) -> Engine:
    """One engine per process; SQLite gets WAL, foreign keys and serialised writers.

    ``writer_queue=False`` leaves SQLite writers to its busy handler alone (a benchmark baseline).
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
    return sa.create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision; existing data is kept."""
    command.upgrade(alembic_config(engine), "head")


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


def lock_row(session: Session, model: type[T], row_id: int) -> T | None:
    """SELECT ... FOR UPDATE on PostgreSQL; on SQLite the IMMEDIATE transaction already holds."""
    pk = sa.inspect(model).primary_key[0]
    return session.exec(select(model).where(pk == row_id).with_for_update()).first()


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One short transaction: commit on success, roll back on any error."""
    lock = _writer_locks.get(engine)
    with Session(engine, expire_on_commit=False, info={WRITER_LOCK: lock}) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            if session.info.pop(WRITER_HELD, False) and lock is not None:
                lock.release()
