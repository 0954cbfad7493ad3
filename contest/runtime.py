"""Wires settings to one engine and one object store per process."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from contest.core.config import Settings
from contest.core.db import database_errors, make_engine, migrate, session_scope
from contest.core.store import GuardedStore, storage_errors
from storage import LocalStore, ObjectStore, S3Store, make_s3_client

if TYPE_CHECKING:
    from contest.dedupe.indexes import DedupeIndexes


def _dedupe_indexes() -> DedupeIndexes:
    """Imported when a runtime is made, not with this module: the duplicate check loads
    OpenCV and SciPy (half a second), which commands that never compare images do without."""
    from contest.dedupe.indexes import DedupeIndexes

    return DedupeIndexes()


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    engine: Engine
    store: ObjectStore
    indexes: DedupeIndexes = field(default_factory=_dedupe_indexes)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work; DatabaseUnavailable when the database cannot be reached."""
        with session_scope(self.engine) as session:
            yield session


def engine_for(settings: Settings) -> Engine:
    return make_engine(
        settings.resolved_database_url,
        connect_timeout=settings.db_connect_timeout,
        statement_timeout=settings.db_statement_timeout,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
    )


def build_store(settings: Settings) -> ObjectStore:
    """The configured store; its failures arrive as StorageFailed / StorageUnavailable."""
    if settings.storage == "s3":

        def client(endpoint_url: str | None) -> Any:
            return make_s3_client(
                endpoint_url=endpoint_url,
                region=settings.s3_region,
                connect_timeout=settings.s3_connect_timeout,
                read_timeout=settings.s3_read_timeout,
                max_attempts=settings.s3_max_attempts,
            )

        public = settings.s3_public_url
        with storage_errors():  # create_bucket asks the store at once
            store = S3Store(
                client(settings.s3_endpoint_url),
                settings.s3_bucket,
                presign_ttl=settings.s3_presign_ttl,
                create_bucket=settings.s3_create_bucket,
                presign_client=client(public) if public else None,
            )
        return GuardedStore(store)
    return GuardedStore(LocalStore(settings.objects_dir))


def build_runtime(settings: Settings | None = None, *, upgrade: bool = True) -> Runtime:
    """Create engine and store; ``upgrade`` applies pending migrations first (under the schema
    lock, so replicas starting together wait for each other)."""
    settings = settings or Settings()
    engine = engine_for(settings)
    if upgrade:
        with database_errors():
            migrate(engine)
    return Runtime(settings=settings, engine=engine, store=build_store(settings))
