"""Alembic environment: the engine comes from contest.db (or alembic.ini's URL on the CLI)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context
from sqlmodel import SQLModel

import contest.core.models  # noqa: F401  (registers the tables on SQLModel.metadata)

config = context.config
target_metadata = SQLModel.metadata


def run_migrations() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        from contest.core.config import Settings
        from contest.core.db import make_engine

        engine = make_engine(Settings().resolved_database_url)
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        # SQLite alters a table by copying it (batch mode): with foreign keys enforced, dropping
        # the old copy of a table other rows refer to (contest, entry) fails on a database that
        # has rows. They are switched off for the migration (outside any transaction, where
        # SQLite honours the pragma) and every reference is checked before it commits.
        if sqlite:
            _foreign_keys(connection, on=False)
        try:
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                render_as_batch=sqlite,
                compare_type=True,
            )
            with context.begin_transaction():
                context.run_migrations()
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"migration broke references: {broken[:5]}")
            if isinstance(connection, sa.Connection) and connection.in_transaction():
                connection.commit()
        finally:
            if sqlite:
                if connection.in_transaction():
                    connection.rollback()
                _foreign_keys(connection, on=True)


def _foreign_keys(connection: sa.Connection, *, on: bool) -> None:
    driver = connection.connection.driver_connection
    assert driver is not None
    driver.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


run_migrations()
