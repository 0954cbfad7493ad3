"""Which tables a backup holds and which of their columns name stored objects.

Tables are discovered from the models (``SQLModel.metadata``), in the order their foreign keys
allow rows to be written back; a table added to the models is backed up and restored without
a change here. A column that names an object in the store must be listed in OBJECT_KEYS, so
that the backup copies the object (tests/contest/test_backup.py fails for a column ending in
``_key`` that is not listed either way).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import sqlalchemy as sa
from sqlmodel import SQLModel

import contest.core.models  # noqa: F401  (registers every table in SQLModel.metadata)

# table -> columns whose value is an object key in the store
OBJECT_KEYS: dict[str, tuple[str, ...]] = {
    "image_object": ("original_key", "display_key", "thumb_key"),
}
# Columns ending in "_key" that name no object (none yet): listed so the test knows.
NOT_OBJECT_KEYS: frozenset[tuple[str, str]] = frozenset()


def tables() -> list[sa.Table]:
    """Every table of the models, parents before the tables that refer to them."""
    return list(SQLModel.metadata.sorted_tables)


def by_name() -> dict[str, sa.Table]:
    return {table.name: table for table in tables()}


def keys_in(table: str, rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """The object keys ``rows`` of ``table`` name."""
    columns = OBJECT_KEYS.get(table, ())
    for row in rows:
        for column in columns:
            if row.get(column):
                yield str(row[column])
