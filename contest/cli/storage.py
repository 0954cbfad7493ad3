"""Storage housekeeping commands."""

from __future__ import annotations

import argparse
from datetime import timedelta
from typing import Any

from contest.entries.garbage import DEFAULT_GRACE, MIN_GRACE, collect_garbage
from contest.runtime import build_runtime


def _hours(text: str) -> timedelta:
    grace = timedelta(hours=float(text))
    if grace < MIN_GRACE:
        hours = MIN_GRACE.total_seconds() / 3600
        raise argparse.ArgumentTypeError(f"at least {hours:g} hours: uploads in flight need it")
    return grace


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("gc", help="list (and with --delete remove) unreferenced objects")
    p.add_argument("--delete", action="store_true", help="remove them, not just list them")
    p.add_argument(
        "--grace-hours",
        type=_hours,
        default=DEFAULT_GRACE,
        dest="grace",
        metavar="HOURS",
        help=f"leave objects younger than this (default {DEFAULT_GRACE.total_seconds() / 3600:g})",
    )
    p.set_defaults(handler=_gc)


def _gc(args: argparse.Namespace) -> int:
    runtime = build_runtime()
    orphans = collect_garbage(runtime.session, runtime.store, delete=args.delete, grace=args.grace)
    for key in orphans:
        print(key)
    verb = "deleted" if args.delete else "unreferenced (use --delete to remove)"
    print(f"{len(orphans)} objects {verb}")
    return 0
