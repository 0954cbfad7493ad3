"""``purge``: what the purge of personal data would do (``--dry-run``), or doing it for one
contest whose retention period is over. The admin's privacy page does the same with a
confirmation; both write the audit row under the admin named here."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from sqlmodel import col, select

from contest.accounts import users as accounts
from contest.core.dates import moment
from contest.core.errors import ContestError
from contest.core.i18n import LANGUAGES, error_message, t
from contest.core.models import Contest
from contest.privacy.plan import FACTS, PurgePlan, purge_preview
from contest.privacy.purge import purge_contest
from contest.privacy.retention import retention
from contest.runtime import build_runtime


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "purge", help="purge a contest's personal data after its retention (--dry-run: show)"
    )
    p.add_argument("--admin", required=True, help="employee number of the admin")
    p.add_argument("--contest", help="the contest's slug (all contests with --dry-run)")
    p.add_argument("--dry-run", action="store_true", help="only say what would be purged")
    p.add_argument("--lang", choices=LANGUAGES, default="en")
    p.set_defaults(handler=_purge)


def facts(plan: PurgePlan, lang: str) -> list[str]:
    """The purge's consequences as sentences (the same ones the confirmation shows)."""
    return [t(f"privacy.fact.{name}", lang, **plan.counts()) for name in FACTS]


def _purge(args: argparse.Namespace) -> int:
    runtime = build_runtime()
    if not args.dry_run and not args.contest:
        print("name the contest to purge with --contest SLUG", file=sys.stderr)
        return 2
    try:
        with runtime.session() as session:
            admin = accounts.find_by_login(session, args.admin)
            query = select(Contest).order_by(col(Contest.id))
            if args.contest:
                query = query.where(Contest.slug == args.contest)
            contests = session.exec(query).all()
            plans = [
                (c, purge_preview(session, actor=admin, contest_id=c.id or 0)) for c in contests
            ]
        if not plans:
            print(f"no contest {args.contest or ''}".rstrip(), file=sys.stderr)
            return 2
        for contest, plan in plans:
            kept = retention(contest)
            until = moment(kept.until, contest.timezone, args.lang)
            state = "purged" if kept.purged_at else ("due" if kept.due() else f"kept until {until}")
            print(f"{contest.slug}: {state}")
            if kept.due() or not args.dry_run:
                print("\n".join(f"  {line}" for line in facts(plan, args.lang)))
        if args.dry_run:
            return 0
        with runtime.session() as session:
            admin = accounts.find_by_login(session, args.admin)
            report = purge_contest(
                session, actor=admin, store=runtime.store, contest_id=plans[0][0].id or 0
            )
    except ContestError as exc:
        print(error_message(exc, args.lang), file=sys.stderr)
        return 2
    print(f"purged; {report.objects_deleted} pictures deleted, {report.objects_left} left for gc")
    return 0
