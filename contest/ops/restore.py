"""Restoring a backup into an empty database and an empty store, of either kind.

The backup is verified first (nothing is written from a damaged one), the target database is
migrated to the backup's revision (which must be this release's), then the objects are written
and only then the rows, in one transaction, parents first: as during an upload, a row never
names an object that is not there. On PostgreSQL each id sequence then continues after the
highest id restored. A target that holds rows or objects is refused unless ``force``: then its
rows are deleted first and objects under the same keys overwritten (other objects stay).
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from contest.core.db import migrate
from contest.core.health import HEALTH_PREFIX
from contest.ops import archive
from contest.ops.archive import Manifest, ObjectRecord
from contest.ops.tables import by_name, tables
from contest.ops.verify import verify
from storage import ObjectStore

BATCH = 500  # rows per INSERT
WORKERS = 8
CONTENT_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".webp": "image/webp"}
Say = Callable[[str], None]


class RestoreRefused(Exception):
    """The backup does not verify, or the target is not empty (and ``force`` was not given)."""


@dataclass(frozen=True)
class Restored:
    tables: int
    rows: int
    objects: int
    bytes: int


def _quiet(_message: str) -> None:
    """The default ``say``: a caller that wants progress passes print."""


def rows_in(engine: Engine) -> dict[str, int]:
    """Tables of the target that hold rows, with their counts."""
    with engine.connect() as conn:
        counts = {
            table.name: conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            for table in tables()
        }
    return {name: count for name, count in counts.items() if count}


def store_is_empty(store: ObjectStore) -> bool:
    """No object but the health probe's."""
    return all(key.startswith(HEALTH_PREFIX) for key in store.list(""))


def _content_type(key: str) -> str:
    suffix = Path(key).suffix.lower()
    return CONTENT_TYPES.get(suffix) or mimetypes.guess_type(key)[0] or "application/octet-stream"


def _put_objects(store: ObjectStore, root: Path, records: tuple[ObjectRecord, ...]) -> None:
    def put(record: ObjectRecord) -> None:
        store.put(
            record.key,
            archive.object_path(root, record.key).read_bytes(),
            _content_type(record.key),
        )

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        list(pool.map(put, records))


def _reset_sequences(conn: sa.Connection) -> None:
    """PostgreSQL: each serial id continues after the highest one restored."""
    quote = conn.dialect.identifier_preparer.quote
    for table in tables():
        key = list(table.primary_key.columns)
        if len(key) != 1 or not isinstance(key[0].type, sa.Integer):
            continue
        name, column = quote(table.name), quote(key[0].name)
        conn.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{name}', '{key[0].name}'),"
            f" COALESCE((SELECT MAX({column}) FROM {name}), 0) + 1, false)"
        )


def _load_rows(engine: Engine, root: Path, manifest: Manifest, *, force: bool) -> int:
    known = by_name()
    total = 0
    with engine.begin() as conn:
        if force:
            for table in reversed(tables()):
                conn.execute(table.delete())
        for record in manifest.tables:
            table = known[record.name]
            batch: list[dict[str, Any]] = []
            for row in archive.decode_rows(table, root / record.file.path):
                batch.append(row)
                if len(batch) >= BATCH:
                    conn.execute(table.insert(), batch)
                    batch = []
            if batch:
                conn.execute(table.insert(), batch)
            total += record.rows
        if engine.dialect.name == "postgresql":
            _reset_sequences(conn)
    return total


def restore(
    engine: Engine, store: ObjectStore, root: Path, *, force: bool = False, say: Say = _quiet
) -> Restored:
    """Restore the backup in ``root`` into the database behind ``engine`` and ``store``."""
    verdict = verify(root)
    if verdict.manifest is None or verdict.problems:
        raise RestoreRefused("the backup does not verify: " + "; ".join(verdict.problems[:5]))
    manifest = verdict.manifest
    unknown = {t.name for t in manifest.tables} - set(by_name())
    if unknown:
        raise RestoreRefused(f"tables this release does not know: {', '.join(sorted(unknown))}")
    say("migrating the target database")
    migrate(engine)
    if not force:
        filled = rows_in(engine)
        if filled:
            listed = ", ".join(f"{name} ({count})" for name, count in sorted(filled.items()))
            raise RestoreRefused(f"the target database is not empty: {listed}; --force replaces")
        if not store_is_empty(store):
            raise RestoreRefused("the target store holds objects; --force writes over them")
    say(f"objects: {len(manifest.objects)}")
    _put_objects(store, root, manifest.objects)
    say(f"rows: {manifest.rows}")
    rows = _load_rows(engine, root, manifest, force=force)
    return Restored(len(manifest.tables), rows, len(manifest.objects), manifest.object_bytes)
