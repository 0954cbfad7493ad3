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
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        if isinstance(connection, sa.Connection) and connection.in_transaction():
            connection.commit()


run_migrations()
