"""Storage housekeeping commands."""

from __future__ import annotations

import argparse
from typing import Any

from contest.entries.garbage import collect_garbage
from contest.runtime import build_runtime


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("gc", help="list (and with --delete remove) unreferenced objects")
    p.add_argument("--delete", action="store_true", help="remove them, not just list them")
    p.set_defaults(handler=_gc)


def _gc(args: argparse.Namespace) -> int:
    runtime = build_runtime()
    with runtime.session() as session:
        orphans = collect_garbage(session, runtime.store, delete=args.delete)
    for key in orphans:
        print(key)
    verb = "deleted" if args.delete else "unreferenced (use --delete to remove)"
    print(f"{len(orphans)} objects {verb}")
    return 0
