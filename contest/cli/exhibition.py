"""Commands for the exhibition kit: the label PDF and one poster's QR code."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from contest.accounts import users as accounts
from contest.core.errors import ContestError
from contest.core.i18n import error_message
from contest.exhibition.labels import entry_qr, exhibition_pdf
from contest.runtime import build_runtime


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("exhibition-pdf", help="write the A4 labels of the current contest")
    p.add_argument("out", type=Path)
    p.add_argument("--admin", required=True, help="employee number of the admin")
    p.add_argument("--lang", choices=("ko", "en"), default="ko")
    p.set_defaults(handler=_pdf)

    p = subparsers.add_parser("qr", help="write the QR code (PNG) of one poster's link")
    p.add_argument("entry_id", type=int)
    p.add_argument("--admin", required=True, help="employee number of the admin")
    p.add_argument("--out", type=Path, help="PNG file; default entry-<ID>-qr.png")
    p.set_defaults(handler=_qr)


def _pdf(args: argparse.Namespace) -> int:
    runtime = build_runtime()
    try:
        with runtime.session() as session:
            actor = accounts.find_by_login(session, args.admin)
            data = exhibition_pdf(
                session,
                store=runtime.store,
                settings=runtime.settings,
                actor=actor,
                lang=args.lang,
            )
    except ContestError as exc:
        print(error_message(exc, args.lang), file=sys.stderr)
        return 2
    args.out.write_bytes(data)
    print(f"wrote {args.out} ({len(data):,} bytes)")
    return 0


def _qr(args: argparse.Namespace) -> int:
    runtime = build_runtime()
    out = args.out or Path(f"entry-{args.entry_id}-qr.png")
    try:
        with runtime.session() as session:
            actor = accounts.find_by_login(session, args.admin)
            png = entry_qr(session, settings=runtime.settings, actor=actor, entry_id=args.entry_id)
    except ContestError as exc:
        print(error_message(exc, "en"), file=sys.stderr)
        return 2
    out.write_bytes(png)
    print(f"wrote {out}: {runtime.settings.entry_link(args.entry_id)}")
    return 0
