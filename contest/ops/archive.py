"""The backup's own format: a folder any database and any store can be restored from.

```
DEST/
  manifest.json          written last: a folder without it is an unfinished backup
  tables/<table>.jsonl   one JSON object per row, every column by name, in primary key order
  objects/<key>          every object a row names, byte for byte
  database.pgdump        optional: pg_dump's custom format of the same snapshot (PostgreSQL)
```

Rows are neutral JSON (times as ISO 8601 UTC, JSON columns as JSON), so a SQLite backup restores
onto PostgreSQL and back. The manifest holds the schema revision, each table's row count, size
and SHA-256, and each object's size and SHA-256: ``verify`` checks a backup with nothing else.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

FORMAT = 1
MANIFEST = "manifest.json"
TABLES = "tables"
OBJECTS = "objects"
PG_DUMP = "database.pgdump"
CHUNK = 1 << 20


@dataclass(frozen=True)
class FileRecord:
    """A file of the backup: its path inside the folder, size and SHA-256."""

    path: str
    size: int
    sha256: str


@dataclass(frozen=True)
class TableRecord:
    name: str
    rows: int
    file: FileRecord


@dataclass(frozen=True)
class ObjectRecord:
    key: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    created_at: str  # ISO 8601 UTC, when the database snapshot was taken
    schema_revision: str
    source: dict[str, str]  # {"database": dialect, "store": kind}
    tables: tuple[TableRecord, ...]
    objects: tuple[ObjectRecord, ...]
    missing: tuple[str, ...] = ()  # keys a row names that the store did not have
    pg_dump: FileRecord | None = None
    format: int = FORMAT
    notes: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data = json.loads(text)
        return cls(
            created_at=data["created_at"],
            schema_revision=data["schema_revision"],
            source=dict(data["source"]),
            tables=tuple(
                TableRecord(t["name"], t["rows"], FileRecord(**t["file"])) for t in data["tables"]
            ),
            objects=tuple(ObjectRecord(**o) for o in data["objects"]),
            missing=tuple(data.get("missing", ())),
            pg_dump=FileRecord(**data["pg_dump"]) if data.get("pg_dump") else None,
            format=data["format"],
            notes=dict(data.get("notes", {})),
        )

    @property
    def rows(self) -> int:
        return sum(table.rows for table in self.tables)

    @property
    def object_bytes(self) -> int:
        return sum(record.size for record in self.objects)


def table_path(name: str) -> str:
    return f"{TABLES}/{name}.jsonl"


def object_path(root: Path, key: str) -> Path:
    """Where an object lies in the backup; keys are validated by the store, but a manifest read
    from disk is checked again so that no key can leave the folder."""
    path = (root / OBJECTS / key).resolve()
    if not path.is_relative_to((root / OBJECTS).resolve()):
        raise ValueError(f"object key escapes the backup: {key!r}")
    return path


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def record_file(root: Path, relative: str) -> FileRecord:
    path = root / relative
    return FileRecord(relative, path.stat().st_size, sha256_file(path))


def _is_time(column: sa.Column[Any]) -> bool:
    """A timestamp column, plain or decorated (timeutil.UTCDateTime)."""
    kind = column.type
    return isinstance(getattr(kind, "impl_instance", kind), sa.DateTime)


def encode_row(row: dict[str, Any]) -> str:
    def value(v: Any) -> Any:
        if isinstance(v, datetime):
            return v.isoformat()
        if v is None or isinstance(v, str | int | float | bool | list | dict):
            return v
        raise TypeError(f"no backup encoding for {type(v).__name__}: add one in ops/archive.py")

    return json.dumps({k: value(v) for k, v in row.items()}, ensure_ascii=False)


def decode_rows(table: sa.Table, path: Path) -> Iterator[dict[str, Any]]:
    """The rows of a table file, with times back as aware datetimes."""
    times = [c.name for c in table.columns if _is_time(c)]
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            for name in times:
                if row.get(name) is not None:
                    row[name] = datetime.fromisoformat(row[name])
            yield row
