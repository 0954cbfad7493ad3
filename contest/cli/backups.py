"""``backup``, ``restore`` and ``verify-backup``: the database and its objects together."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from contest.core.config import Settings
from contest.core.errors import ContestError
from contest.core.i18n import error_message
from contest.ops.backup import BackupRefused, backup
from contest.ops.pgdump import PgDumpFailed, find_pg_dump
from contest.ops.restore import RestoreRefused, restore
from contest.ops.verify import verify
from contest.runtime import build_store, engine_for


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "backup", help="write the database snapshot and every object it names into a new folder"
    )
    p.add_argument("dest", type=Path, metavar="DEST", help="a folder that does not exist yet")
    p.add_argument(
        "--pg-dump",
        action="store_true",
        help="PostgreSQL: also pg_dump's custom format of the same snapshot (for pg_restore)",
    )
    p.add_argument("--pg-dump-path", help="the pg_dump binary (default: PostgreSQL 15's, PATH)")
    p.add_argument("--pg-dump-timeout", type=float, default=3600.0, help="seconds pg_dump may take")
    p.set_defaults(handler=_backup)

    p = subparsers.add_parser(
        "restore", help="restore a backup into this configuration's empty database and store"
    )
    p.add_argument("src", type=Path, metavar="SRC")
    p.add_argument(
        "--force", action="store_true", help="replace the rows of a non-empty target database"
    )
    p.set_defaults(handler=_restore)

    p = subparsers.add_parser(
        "verify-backup", help="check a backup (files, sizes, SHA-256, rows, objects) offline"
    )
    p.add_argument("src", type=Path, metavar="SRC")
    p.set_defaults(handler=_verify)


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def _backup(args: argparse.Namespace) -> int:
    settings = Settings()
    engine = engine_for(settings)
    try:
        binary = find_pg_dump(args.pg_dump_path) if args.pg_dump else None
        manifest = backup(
            engine,
            build_store(settings),
            args.dest,
            source={"database": engine.dialect.name, "store": settings.storage},
            pg_dump=binary,
            pg_dump_timeout=args.pg_dump_timeout,
            say=_say,
        )
    except (BackupRefused, PgDumpFailed) as exc:
        print(f"backup refused: {exc}", file=sys.stderr)
        return 2
    except ContestError as exc:
        print(error_message(exc, "en"), file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    print(
        f"{args.dest}: schema {manifest.schema_revision}, {manifest.rows} rows in"
        f" {len(manifest.tables)} tables, {len(manifest.objects)} objects"
        f" ({manifest.object_bytes:,} bytes)"
    )
    for key in manifest.missing:
        print(f"missing from the store: {key}", file=sys.stderr)
    return 1 if manifest.missing else 0


def _restore(args: argparse.Namespace) -> int:
    settings = Settings()
    engine = engine_for(settings)
    try:
        done = restore(engine, build_store(settings), args.src, force=args.force, say=_say)
    except RestoreRefused as exc:
        print(f"restore refused: {exc}", file=sys.stderr)
        return 2
    except ContestError as exc:
        print(error_message(exc, "en"), file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    print(
        f"restored {done.rows} rows in {done.tables} tables and {done.objects} objects"
        f" ({done.bytes:,} bytes)"
    )
    return 0


def _verify(args: argparse.Namespace) -> int:
    verdict = verify(args.src)
    for problem in verdict.problems:
        print(problem, file=sys.stderr)
    if verdict.manifest is not None and verdict.ok:
        m = verdict.manifest
        print(
            f"{args.src}: ok, taken {m.created_at}, schema {m.schema_revision},"
            f" {m.rows} rows in {len(m.tables)} tables, {len(m.objects)} objects"
            f" ({m.object_bytes:,} bytes){', with pg_dump file' if m.pg_dump else ''}"
        )
    return 0 if verdict.ok else 1
