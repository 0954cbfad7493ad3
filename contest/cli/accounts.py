"""Commands for the database, accounts and the demo contest."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any

from contest.accounts import users as accounts
from contest.accounts.roster import import_roster
from contest.core.errors import ContestError
from contest.core.i18n import error_message, t
from contest.demo.seed import seed_demo
from contest.entries.backfill import backfill
from contest.entries.rehash import rehash_images
from contest.images.publisher import publisher
from contest.runtime import build_runtime


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("migrate", help="apply pending database migrations")
    p.set_defaults(handler=_migrate)

    p = subparsers.add_parser(
        "prepare", help="migrate, and in demo mode seed the demo contest on an empty database"
    )
    p.set_defaults(handler=_prepare)

    p = subparsers.add_parser("create-admin", help="create (or promote) the first admin")
    p.add_argument("--employee-no", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--department", required=True)
    p.add_argument("--email", required=True)
    p.add_argument("--password", help="read from the terminal (or stdin) when omitted")
    p.set_defaults(handler=_create_admin)

    p = subparsers.add_parser("import-roster", help="import staff from a CSV file")
    p.add_argument("csv", type=Path)
    p.add_argument("--admin", required=True, help="employee number of the admin importing")
    p.add_argument(
        "--passwords-out",
        type=Path,
        required=True,
        help="where to write the one-time initial passwords (CSV)",
    )
    p.add_argument("--lang", choices=("ko", "en"), default="en")
    p.set_defaults(handler=_import_roster)

    p = subparsers.add_parser("seed-demo", help="seed the demo contest on an empty database")
    p.add_argument("--no-posters", action="store_true")
    p.set_defaults(handler=_seed_demo)


def _migrate(_args: argparse.Namespace) -> int:
    build_runtime()
    print("database is at the newest schema")
    return 0


def _prepare(_args: argparse.Namespace) -> int:
    runtime = build_runtime()
    if runtime.settings.demo and seed_demo(runtime):
        print("demo contest seeded")
    report = rehash_images(runtime.engine, runtime.store)  # a data folder from an older release
    if report.stale:
        print(f"duplicate-check hashes recomputed: {report.recomputed} of {report.stale}")
    # Images stored before files were read, or before the copies were signed.
    filled = backfill(runtime.engine, runtime.store, publisher=publisher(runtime.settings))
    if filled.pending:
        print(f"provenance read and copies stamped: {filled.done} of {filled.pending}")
    print("database is ready")
    return 0


def _create_admin(args: argparse.Namespace) -> int:
    password = args.password
    if password is None:
        password = getpass.getpass("password: ") if sys.stdin.isatty() else sys.stdin.readline()
    runtime = build_runtime()
    try:
        with runtime.session() as session:
            user = accounts.create_admin(
                session,
                employee_no=args.employee_no.strip(),
                name=args.name.strip(),
                department=args.department.strip(),
                email=args.email.strip(),
                password=password.strip(),
            )
    except ContestError as exc:
        print(error_message(exc, "en"), file=sys.stderr)
        return 2
    print(f"admin {user.employee_no} ({user.email}) is ready")
    return 0


def _import_roster(args: argparse.Namespace) -> int:
    runtime = build_runtime()
    try:
        with runtime.session() as session:
            actor = accounts.find_by_login(session, args.admin)
            result = import_roster(session, actor=actor, data=args.csv.read_bytes())
    except ContestError as exc:
        print(error_message(exc, args.lang), file=sys.stderr)
        return 2
    for problem in result.problems:
        print(
            f"line {problem.line}: {t(problem.key, args.lang)} {problem.value}".rstrip(),
            file=sys.stderr,
        )
    if not result.ok:
        print(t("roster.nothing_imported", args.lang), file=sys.stderr)
        return 2
    args.passwords_out.write_bytes(result.passwords_csv())
    args.passwords_out.chmod(0o600)
    said = f"roster.imported.{result.outcome}"
    print(t(said, args.lang, created=result.created, updated=result.updated))
    return 0


def _seed_demo(args: argparse.Namespace) -> int:
    if seed_demo(build_runtime(), posters=not args.no_posters):
        print("demo contest seeded")
        return 0
    print("the database is not empty; nothing seeded", file=sys.stderr)
    return 1
