"""A backup: one consistent snapshot of the database, then every object its rows name.

Why this order is consistent: objects are content-addressed and never rewritten with other
bytes, and a row is only ever written after its objects (entries/objects.py). So every object a
row of the snapshot names already existed, with those very bytes, when the snapshot was taken;
copying it afterwards copies what the row meant. Objects uploaded after the snapshot are not
named by it and are simply not copied. The only way an object can go between the snapshot and
its copy is a delete: ``gc --delete`` removes only objects no row names (and none younger than
its grace period), and the purge deletes the pictures of withdrawn and disqualified entries;
do not run the purge during a backup. A key that has gone is listed in the manifest's
``missing`` and the backup ends with an error instead of passing for complete.

The database snapshot: PostgreSQL, one REPEATABLE READ READ ONLY transaction (every table as of
one moment; pg_dump, if asked for, reads the same exported snapshot); SQLite, a copy made with
SQLite's online backup API, read afterwards. Neither blocks the app's writers.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from contest.core.db import current_revision, head_revision
from contest.core.timeutil import utcnow
from contest.ops import archive, pgdump
from contest.ops.archive import FileRecord, Manifest, ObjectRecord, TableRecord
from contest.ops.tables import OBJECT_KEYS, keys_in, tables
from storage import ObjectNotFound, ObjectStore

WORKERS = 8  # objects copied at once (each store call has its own deadline)
Say = Callable[[str], None]


class BackupRefused(Exception):
    """The backup cannot start (a folder in the way, a database at another revision)."""


def _quiet(_message: str) -> None:
    """The default ``say``: a caller that wants progress passes print."""


def prepare_folder(dest: Path) -> Path:
    """``dest`` as an empty folder: a backup never mixes with older files."""
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise BackupRefused(f"{dest} exists and is not an empty folder")
    (dest / archive.TABLES).mkdir(parents=True)
    (dest / archive.OBJECTS).mkdir()
    return dest


@contextmanager
def _snapshot(engine: Engine, scratch: Path) -> Iterator[sa.Connection]:
    """A connection that sees the database as of one moment (see the module doc)."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                conn.exec_driver_sql("SET TRANSACTION READ ONLY")
                yield conn
        return
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        with engine.connect() as conn, conn.begin():
            yield conn
        return
    copy = scratch / ".snapshot.sqlite"
    raw = engine.raw_connection()
    try:
        target = sqlite3.connect(copy)
        try:
            raw.driver_connection.backup(target)  # type: ignore[union-attr]
        finally:
            target.close()
    finally:
        raw.close()
    frozen = sa.create_engine(f"sqlite:///{copy}")
    try:
        with frozen.connect() as conn:
            yield conn
    finally:
        frozen.dispose()
        copy.unlink(missing_ok=True)


def _dump_tables(conn: sa.Connection, root: Path) -> tuple[list[TableRecord], set[str]]:
    records: list[TableRecord] = []
    keys: set[str] = set()
    for table in tables():
        relative = archive.table_path(table.name)
        rows = 0
        query = sa.select(table).order_by(*table.primary_key.columns)
        with (root / relative).open("w", encoding="utf-8") as out:
            result = conn.execution_options(yield_per=1000).execute(query)
            for row in result.mappings():
                record = dict(row)
                out.write(archive.encode_row(record) + "\n")
                rows += 1
                if table.name in OBJECT_KEYS:
                    keys.update(keys_in(table.name, [record]))
        records.append(TableRecord(table.name, rows, archive.record_file(root, relative)))
    return records, keys


def copy_objects(
    store: ObjectStore, keys: set[str], root: Path, *, workers: int = WORKERS
) -> tuple[list[ObjectRecord], list[str]]:
    """Copy every key into the backup: (what was copied, keys the store did not have)."""

    def copy(key: str) -> ObjectRecord | None:
        try:
            data = store.get(key)
        except ObjectNotFound:
            return None
        path = archive.object_path(root, key)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return ObjectRecord(key, len(data), hashlib.sha256(data).hexdigest())

    ordered = sorted(keys)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        copied = list(pool.map(copy, ordered))
    missing = [key for key, record in zip(ordered, copied, strict=True) if record is None]
    return [record for record in copied if record is not None], missing


def backup(
    engine: Engine,
    store: ObjectStore,
    dest: Path,
    *,
    source: dict[str, str],
    pg_dump: str | None = None,
    pg_dump_timeout: float = 3600.0,
    say: Say = _quiet,
) -> Manifest:
    """Write a backup of the database behind ``engine`` and the objects its rows name into the
    empty folder ``dest``. ``pg_dump`` (a binary) adds pg_dump's file of the same snapshot.
    ``source`` describes where it came from, for the manifest."""
    root = prepare_folder(dest)
    head = head_revision()
    with _snapshot(engine, root) as conn:
        revision = current_revision(conn)
        if revision != head:
            raise BackupRefused(f"database at {revision}, this release expects {head}: migrate")
        taken = utcnow().isoformat()
        dumped: FileRecord | None = None
        if pg_dump and engine.dialect.name == "postgresql":
            say("pg_dump of the same snapshot")
            exported = conn.exec_driver_sql("SELECT pg_export_snapshot()").scalar_one()
            pgdump.dump(
                url=engine.url.render_as_string(hide_password=False),
                snapshot=str(exported),
                out=root / archive.PG_DUMP,
                binary=pg_dump,
                timeout=pg_dump_timeout,
            )
            dumped = archive.record_file(root, archive.PG_DUMP)
        say("tables")
        records, keys = _dump_tables(conn, root)
    say(f"objects: {len(keys)}")
    objects, missing = copy_objects(store, keys, root)
    manifest = Manifest(
        created_at=taken,
        schema_revision=str(revision),
        source=source,
        tables=tuple(records),
        objects=tuple(objects),
        missing=tuple(missing),
        pg_dump=dumped,
    )
    (root / archive.MANIFEST).write_text(manifest.to_json(), encoding="utf-8")
    return manifest
