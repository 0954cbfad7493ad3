"""Wires settings to one engine and one object store per process."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine
from sqlmodel import Session

from contest.core.config import Settings
from contest.core.db import make_engine, migrate, session_scope
from contest.dedupe.indexes import DedupeIndexes
from storage import LocalStore, ObjectStore, S3Store, make_s3_client


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    engine: Engine
    store: ObjectStore
    indexes: DedupeIndexes = field(default_factory=DedupeIndexes)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with session_scope(self.engine) as session:
            yield session


def build_store(settings: Settings) -> ObjectStore:
    if settings.storage == "s3":
        client = make_s3_client(endpoint_url=settings.s3_endpoint_url, region=settings.s3_region)
        return S3Store(
            client,
            settings.s3_bucket,
            presign_ttl=settings.s3_presign_ttl,
            create_bucket=settings.s3_create_bucket,
        )
    return LocalStore(settings.objects_dir)


def build_runtime(settings: Settings | None = None, *, upgrade: bool = True) -> Runtime:
    """Create engine and store; ``upgrade`` applies pending migrations first."""
    settings = settings or Settings()
    engine = make_engine(settings.resolved_database_url)
    if upgrade:
        migrate(engine)
    return Runtime(settings=settings, engine=engine, store=build_store(settings))
