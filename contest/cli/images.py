"""``check-image``, ``dedupe-scan``, ``rehash`` and ``backfill-provenance``: the upload checks
and the duplicate detector on files, recomputing stored hashes after the hash recipe changed,
and reading and stamping images stored before files' records were read."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from contest.core.errors import ContestError
from contest.core.i18n import LANGUAGES, error_message
from contest.dedupe.scan import scan_paths
from contest.entries.backfill import backfill
from contest.entries.rehash import rehash_images
from contest.images.decode import check_file
from contest.images.publisher import publisher
from contest.runtime import build_runtime

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp"}


def register(subparsers: Any) -> None:
    check = subparsers.add_parser("check-image", help="run the upload checks on image files")
    check.add_argument("files", nargs="+", type=Path, metavar="FILE")
    check.add_argument("--json", action="store_true", help="one JSON object per line")
    check.add_argument("--lang", choices=LANGUAGES, default="en", help="message language")
    check.set_defaults(handler=check_images)
    scan = subparsers.add_parser("dedupe-scan", help="flag duplicate or similar images in a folder")
    scan.add_argument("folder", type=Path, metavar="DIR")
    scan.add_argument("--json", action="store_true", help="one JSON object per line")
    scan.add_argument("--lang", choices=LANGUAGES, default="en", help="message language")
    scan.set_defaults(handler=dedupe_scan)
    rehash = subparsers.add_parser(
        "rehash", help="recompute stored duplicate-check hashes of an older format"
    )
    rehash.set_defaults(handler=rehash_stored)
    backfill_cmd = subparsers.add_parser(
        "backfill-provenance",
        help="read the files' records of their making and stamp the copies of older images",
    )
    backfill_cmd.set_defaults(handler=backfill_stored)


def _message(error: Exception, lang: str) -> str:
    return error_message(error, lang) if isinstance(error, ContestError) else str(error)


def check_images(args: argparse.Namespace) -> int:
    """Exit status 0 when every file would be accepted as an upload, 2 otherwise."""
    all_ok = True
    for path in args.files:
        try:
            result = check_file(path)
            error = _message(result.error, args.lang) if result.error else None
            ok, fmt, width, height = result.ok, result.source_format, result.width, result.height
        except OSError as exc:  # missing or unreadable file
            ok, error, fmt, width, height = False, exc.strerror or str(exc), None, None, None
        all_ok = all_ok and ok
        if args.json:
            record = {"file": str(path), "ok": ok, "error": error}
            record |= {"format": fmt, "width": width, "height": height}
            print(json.dumps(record, ensure_ascii=False))
        elif ok:
            print(f"ok  {path}  {fmt} {width}x{height}")
        else:
            print(f"refused  {path}  {error}")
    return 0 if all_ok else 2


def dedupe_scan(args: argparse.Namespace) -> int:
    """Print flagged pairs; files that fail the checks are reported on stderr and skipped. A
    pair found through a third file (both show it) names that file."""
    if not args.folder.is_dir():
        print(f"not a folder: {args.folder}", file=sys.stderr)
        return 2
    paths = sorted(p for p in args.folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)

    def skipped(path: Path, error: Exception) -> None:
        print(f"skipped  {path.name}  {_message(error, args.lang)}", file=sys.stderr)

    for pair in scan_paths(paths, on_error=skipped):
        a, b = pair.first.name, pair.second.name
        if args.json:
            record: dict[str, Any] = {
                "a": a,
                "b": b,
                "level": pair.level,
                "distance": pair.distance,
            }
            if pair.through is not None:
                record["through"] = pair.through.name
            print(json.dumps(record, ensure_ascii=False))
        else:
            through = "" if pair.through is None else f"  (through {pair.through.name})"
            print(f"{pair.level:9s}  {pair.distance:5.3f}  {a}  {b}{through}")
    return 0


def rehash_stored(args: argparse.Namespace) -> int:
    """Recompute stale hashes from the stored originals; exit status 2 if any failed."""
    runtime = build_runtime()

    def progress(done: int, total: int) -> None:
        if done % 50 == 0 or done == total:
            print(f"{done}/{total}", file=sys.stderr)

    report = rehash_images(runtime.engine, runtime.store, progress=progress)
    for image_id, reason in report.failed:
        print(f"failed  image {image_id}  {reason}", file=sys.stderr)
    print(
        f"{report.stale} images had hashes of an older format: {report.recomputed} recomputed, "
        f"{len(report.failed)} failed"
    )
    return 2 if report.failed else 0


def backfill_stored(args: argparse.Namespace) -> int:
    """Read and stamp the images stored before this was done at upload; exit 2 if any failed."""
    runtime = build_runtime()

    def progress(done: int, total: int) -> None:
        if done % 50 == 0 or done == total:
            print(f"{done}/{total}", file=sys.stderr)

    signer = publisher(runtime.settings)
    report = backfill(runtime.engine, runtime.store, publisher=signer, progress=progress)
    for image_id, reason in report.failed:
        print(f"failed  image {image_id}  {reason}", file=sys.stderr)
    print(
        f"{report.pending} images lacked their record or stamp: {report.done} done, "
        f"{len(report.failed)} failed"
    )
    return 2 if report.failed else 0
