"""Command-line interface: ``python -m contest --help``.

Each module in COMMAND_MODULES has ``register(subparsers)`` adding its commands; a command's
handler takes the parsed arguments and returns the process exit status.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

COMMAND_MODULES = (
    "contest.cli.accounts",
    "contest.cli.images",
    "contest.cli.storage",
    "contest.cli.exhibition",
    "contest.cli.health",
    "contest.cli.backups",
    "contest.cli.privacy",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m contest",
        description="Incheon AI poster contest: administration commands.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.handler(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
