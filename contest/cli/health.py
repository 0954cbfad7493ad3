"""``health``: the readiness probe operators run (systemd, containers, load balancers)."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from typing import Any

from contest.core.config import Settings
from contest.core.health import check_database, check_store, run_checks
from contest.runtime import build_store, engine_for


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "health", help="check the database (reachable, migrated) and the store (write/read/delete)"
    )
    p.add_argument("--json", action="store_true", help="one JSON object")
    p.add_argument(
        "--timeout", type=float, default=5.0, help="seconds for all checks together (default 5)"
    )
    p.set_defaults(handler=_health)


def _health(args: argparse.Namespace) -> int:
    """Exit status 0 when every check passed, 1 otherwise."""
    settings = Settings()
    checks = {
        "database": lambda: check_database(engine_for(settings)),
        "store": lambda: check_store(build_store(settings)),
    }
    results = run_checks(checks, timeout=args.timeout)
    ok = all(result.ok for result in results)
    if args.json:
        print(json.dumps({"ok": ok, "checks": [asdict(r) for r in results]}, ensure_ascii=False))
    else:
        for r in results:
            print(f"{r.name}: {'ok' if r.ok else 'FAILED'} in {r.seconds:.2f} s: {r.detail}")
    return 0 if ok else 1
