"""Command-line interface: ``python -m contest --help``.

Each module under contest.cli has ``register(subparsers)`` adding its commands; a command's
handler takes the parsed arguments and returns the process exit status. COMMANDS says which
module holds which command, so that a command loads its own module only: a health probe or a
backup starts without the image, spreadsheet and PDF libraries other commands need (a second
or more of start-up). ``--help`` and a name not in the table load them all.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from pydantic import ValidationError

COMMANDS = {
    "migrate": "accounts",
    "prepare": "accounts",
    "create-admin": "accounts",
    "import-roster": "accounts",
    "seed-demo": "accounts",
    "check-image": "images",
    "dedupe-scan": "images",
    "rehash": "images",
    "backfill-provenance": "images",
    "gc": "storage",
    "exhibition-pdf": "exhibition",
    "qr": "exhibition",
    "health": "health",
    "backup": "backups",
    "restore": "backups",
    "verify-backup": "backups",
    "purge": "privacy",
}
COMMAND_MODULES = tuple(dict.fromkeys(COMMANDS.values()))  # in the order --help lists them


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser with every command, or with only the commands of ``command``'s module."""
    parser = argparse.ArgumentParser(
        prog="python -m contest",
        description="Incheon AI poster contest: administration commands.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    modules = (COMMANDS[command],) if command in COMMANDS else COMMAND_MODULES
    for name in modules:
        importlib.import_module(f"contest.cli.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = argv[0] if argv and not argv[0].startswith("-") else None
    args = build_parser(command).parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except ValidationError as error:  # a CONTEST_* setting the commands cannot run with
        for problem in error.errors():
            where = "".join(f"CONTEST_{str(part).upper()}: " for part in problem["loc"][:1])
            message = str(problem["msg"]).removeprefix("Value error, ")
            print(f"configuration: {where}{message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
