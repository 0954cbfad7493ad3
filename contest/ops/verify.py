"""Checking a backup without restoring it: every file where the manifest says, with its size and
SHA-256, every table with its number of rows, every object a row names present, and a schema
this release can restore."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from contest.core.db import head_revision
from contest.ops import archive
from contest.ops.archive import FileRecord, Manifest
from contest.ops.tables import OBJECT_KEYS, keys_in


@dataclass(frozen=True)
class Verdict:
    manifest: Manifest | None
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def _file_problems(root: Path, record: FileRecord) -> list[str]:
    path = root / record.path
    if not path.is_file():
        return [f"{record.path}: missing"]
    if path.stat().st_size != record.size:
        return [f"{record.path}: {path.stat().st_size} bytes, the manifest says {record.size}"]
    if archive.sha256_file(path) != record.sha256:
        return [f"{record.path}: SHA-256 differs from the manifest"]
    return []


def _lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for _ in handle)


def verify(root: Path) -> Verdict:
    """Every problem found in the backup folder ``root`` (none: it restores)."""
    try:
        manifest = Manifest.from_json((root / archive.MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Verdict(None, (f"{archive.MANIFEST} missing: the backup did not finish",))
    except (ValueError, KeyError, TypeError) as exc:
        return Verdict(None, (f"{archive.MANIFEST} unreadable: {exc}",))
    problems: list[str] = []
    if manifest.format != archive.FORMAT:
        problems.append(f"format {manifest.format}; this release reads {archive.FORMAT}")
    if manifest.schema_revision != head_revision():
        problems.append(
            f"schema {manifest.schema_revision}; this release restores {head_revision()}:"
            " restore with the release that made the backup, then migrate"
        )
    named: set[str] = set()
    for table in manifest.tables:
        found = _file_problems(root, table.file)
        problems += found
        if found:
            continue
        path = root / table.file.path
        if _lines(path) != table.rows:
            problems.append(
                f"{table.file.path}: {_lines(path)} rows, the manifest says {table.rows}"
            )
        if table.name in OBJECT_KEYS:
            with path.open(encoding="utf-8") as handle:
                named.update(keys_in(table.name, (json.loads(line) for line in handle)))
    stored = {record.key for record in manifest.objects}
    for record in manifest.objects:
        try:
            relative = archive.object_path(root, record.key).relative_to(root.resolve())
        except ValueError as exc:
            problems.append(str(exc))
            continue
        problems += _file_problems(root, FileRecord(str(relative), record.size, record.sha256))
    problems += [f"object {key} was missing from the store at backup" for key in manifest.missing]
    problems += [
        f"object {key} is named by a row but not in the backup"
        for key in sorted(named - stored - set(manifest.missing))
    ]
    if manifest.pg_dump is not None:
        problems += _file_problems(root, manifest.pg_dump)
    return Verdict(manifest, tuple(problems))
