"""The upload's whole duplicate check, timed: decode and normalise the file, compute its hashes
(and, from v6 on, its keypoints), search the contest's index and verify, at 1,000 and 10,000
stored entries; and the memory each stored entry takes. Besides the whole, the CPU time of the
check on the display copy alone (hashes, search, verification), and of its hashes alone:
decoding the file and making its display copy are what every upload pays for its stored
copies, duplicate check or not (contest/entries/ingest.py).

Usage: .venv/bin/python bench/bench_upload.py QUERIES_DIR [--sizes 1000,10000] [--repeats 3]
    [--stored DIR] [--adding]
       .venv/bin/python bench/bench_upload.py --tables
       .venv/bin/python bench/bench_upload.py --sync [--sizes 1000]
       .venv/bin/python bench/bench_upload.py --updates [--sizes 1000,10000]

``--tables``: the time to build the keypoint search's tables for 100, 1,000 and 10,000 posters'
worth of keypoints (random, 320 a poster; best of 3, one run at 10,000), what an index pays
when its main or recent tables are rebuilt. ``--sync``: a contest of that many entries in a
SQLite database (one drawn poster submitted, its rows copied with the bench's changed hashes),
and the time of ``DedupeIndexes.sync`` plus one search: the first after a start, the next
after one more entry, and the periodic check of every entry (forced by setting its period to
zero). ``--updates``: what one change costs an index of each size (an entry added, one given
another picture, one deleted) and the first search after it.

QUERIES_DIR holds the uploads to time (e.g. a few originals, screenshots and photos written by
bench/make_copies.py); every file is timed ``--repeats`` times against each size, p50 and p95
printed. Stored entries: 120 drawn posters hashed for real (or, with ``--stored DIR``, the
first 120 image files of DIR, e.g. real posters read where they are), the rest made from
them (window hashes and thumbnails as bench_dedupe.py's speed bench makes them; keypoints
moved and their descriptors changed in a fifth of their bits, so that no two stored posters
share them). Drawn posters come from one drawing program (the same fonts, bands and layouts),
so they resemble each other more than real posters do: more of them get far enough to be
compared, and the check takes longer. With ``--adding`` one more entry joins the index before
each timed check (untimed), as each upload does in the running app: the check then also pays
for bringing the keypoint tables up to date.
The script only uses what v5 and v6 both have, so the same file can be run from v5's checkout
(copy it into that checkout's bench/) for a comparison in the same session.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from contest.dedupe.hashes import PosterHashes  # noqa: E402
from contest.dedupe.hashing import compute_hashes  # noqa: E402
from contest.dedupe.index import HashIndex  # noqa: E402
from contest.images.copies import DISPLAY_LONG_SIDE, fit  # noqa: E402
from contest.images.decode import ImageLimits, load_normalised  # noqa: E402
from tests.contest.synth_posters import draw_poster  # noqa: E402

LIMITS = ImageLimits(min_short_side=1)


def _arg(name: str, default: str) -> str:
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


def _changed(rng: np.random.Generator, hashes: PosterHashes) -> PosterHashes:
    """Another stored entry made from a real one: its own window hashes and thumbnail, and
    (v6) its keypoints moved and their descriptors changed."""
    stored = rng.integers(0, 2**64, hashes.stored.shape, dtype=np.uint64)
    noise = rng.integers(-8, 9, hashes.thumb.shape) + rng.integers(-30, 31)
    thumb = np.clip(hashes.thumb.astype(np.int16) + noise, 0, 255).astype(np.uint8)
    changes: dict[str, object] = {"stored": stored, "thumb": thumb}
    features = getattr(hashes, "features", None)
    if features is not None:
        flips = np.packbits(rng.random((len(features), 256)) < 0.2, axis=1)
        points = np.clip(features.points + rng.normal(0, 0.05, features.points.shape), 0, 1)
        changes["features"] = replace(
            features, points=points.astype(np.float32), descriptors=features.descriptors ^ flips
        )
    return replace(hashes, **changes)  # type: ignore[arg-type]


def _originals() -> list[Image.Image]:
    """The 120 pictures the stored entries are made from: drawn, or read from --stored DIR."""
    folder = _arg("--stored", "")
    if not folder:
        return [draw_poster(seed) for seed in range(100, 220)]
    files = sorted(p for p in Path(folder).iterdir() if p.is_file())[:120]
    return [load_normalised(p.read_bytes(), LIMITS)[1] for p in files]


def _tables() -> None:
    from contest.dedupe.feature_index import _Tables
    from contest.dedupe.features import Features

    rng = np.random.default_rng(0)
    for count in (100, 1000, 10_000):
        parts = [
            (
                row,
                Features(
                    rng.random((320, 2)).astype(np.float32),
                    rng.integers(0, 8, 320).astype(np.uint8),
                    rng.integers(0, 256, 320).astype(np.uint8),
                    rng.integers(0, 256, (320, 32)).astype(np.uint8),
                ),
            )
            for row in range(count)
        ]
        times = []
        for _ in range(3 if count < 10_000 else 1):
            started = time.process_time()
            _Tables(parts)
            times.append((time.process_time() - started) * 1000)
        print(f"tables of {count:,} posters: {min(times):.0f} ms CPU")


def _change(index: HashIndex, removed: list[int], added: list[tuple[int, PosterHashes]]) -> Any:
    """The index with one change applied: a new one (this code), or the same one changed in
    place (before 113393e, when a search in another thread could read it half changed)."""
    if hasattr(index, "updated"):
        return index.updated(removed, added)
    for entry_id in removed:
        index.remove(entry_id)
    for entry_id, hashes in added:
        index.add(entry_id, hashes)
    return index


def _updates(sizes: list[int]) -> None:
    """CPU ms (median of 21; of 5 from 10,000 entries) of one change to an index of each size:
    an entry added, one given another picture, one deleted (a purge: a withdrawn entry stays
    in the index, left out at each search); and the first search after each (the keypoint
    tables brought up to date: after a deletion, all of them)."""
    rng = np.random.default_rng(0)
    real = [compute_hashes(fit(draw_poster(seed), DISPLAY_LONG_SIDE)) for seed in range(100, 130)]
    for size in sizes:
        index = HashIndex.build((i, _changed(rng, real[i % len(real)])) for i in range(size))
        index.query(real[0])
        times: dict[str, list[float]] = {}
        for n in range(21 if size < 10_000 else 5):
            for label, removed, added in (
                ("add", [], [(size + n, _changed(rng, real[n % len(real)]))]),
                ("replace", [], [(n, _changed(rng, real[n % len(real)]))]),
                ("delete", [size + n], []),
            ):
                started = time.process_time()
                index = _change(index, removed, added)
                changed = time.process_time()
                index.query(real[0])
                done = time.process_time()
                times.setdefault(label, []).append((changed - started) * 1000)
                times.setdefault(label + ", then a search", []).append((done - changed) * 1000)
        row = ", ".join(f"{k} {statistics.median(v):.1f}" for k, v in times.items())
        print(f"{size:,} stored, CPU ms: {row}")


def _sync(sizes: list[int]) -> None:
    import tempfile

    from contest.core.models import Entry, ImageObject
    from contest.dedupe.indexes import DedupeIndexes
    from contest.runtime import build_runtime
    from tests.factories import create_contest, create_user, make_settings, submit

    rng = np.random.default_rng(0)
    real = [compute_hashes(fit(draw_poster(seed), DISPLAY_LONG_SIDE)) for seed in range(100, 130)]
    query = real[0]
    for size in sizes:
        runtime = build_runtime(make_settings(Path(tempfile.mkdtemp())))
        with runtime.session() as session:
            contest, author = create_contest(session), create_user(session)
        first = submit(runtime, author, seed=1)
        with runtime.session() as session:
            for n in range(1, size):
                hashes = _changed(rng, real[n % len(real)]).to_json()
                image = ImageObject.model_validate(
                    first.image.model_dump() | {"id": None, "sha256": f"{n:064x}", "hashes": hashes}
                )
                session.add(image)
                session.flush()
                values = {"id": None, "number": n + 1, "image_id": image.id}
                session.add(Entry.model_validate(first.entry.model_dump() | values))
        indexes = DedupeIndexes()
        for label in ("first sync and search", "next, nothing new", "the check of every entry"):
            if label == "the check of every entry":  # due every five minutes; forced here
                for name in ("check_all_after", "rebuild_after"):  # this code's name, round 2's
                    setattr(indexes, name, 0.0)
            cpu, wall = time.process_time(), time.perf_counter()
            with runtime.session() as session:
                indexes.sync(session, contest.id or 0).query(query)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            print(f"{size:,} entries, {label}: {cpu * 1000:.0f} ms CPU, {wall * 1000:.0f} ms wall")


def main() -> None:
    if "--tables" in sys.argv:
        _tables()
        return
    if "--updates" in sys.argv:
        _updates([int(s) for s in _arg("--sizes", "1000,10000").split(",")])
        return
    if "--sync" in sys.argv:
        _sync([int(s) for s in _arg("--sizes", "1000").split(",")])
        return
    queries = sorted(p for p in Path(sys.argv[1]).iterdir() if p.is_file())
    sizes = [int(s) for s in _arg("--sizes", "1000,10000").split(",")]
    repeats = int(_arg("--repeats", "3"))
    rng = np.random.default_rng(0)
    real = [compute_hashes(fit(picture, DISPLAY_LONG_SIDE)) for picture in _originals()]
    stored_json = [len(json.dumps(h.to_json())) for h in real]
    print(f"stored JSON per entry: mean {statistics.mean(stored_json) / 1000:.1f} kB")
    for size in sizes:
        rows = [
            (i, real[i] if i < len(real) else _changed(rng, real[i % len(real)]))
            for i in range(size)
        ]
        tracemalloc.start()
        index = HashIndex.build(rows)
        for match_all in (index.query(real[0]),):
            assert match_all  # the tables are built lazily: the first query builds them
        memory = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        del rows
        print(f"{size:,} stored: index memory {memory / size / 1000:.1f} kB per entry")
        walls, cpus, checks, hashing = [], [], [], []
        added = 0
        for path in queries:
            data = path.read_bytes()
            for _ in range(repeats):
                if "--adding" in sys.argv:
                    changed = _changed(rng, real[added % len(real)])
                    index = _change(index, [], [(size + added, changed)])
                    added += 1
                started, started_cpu = time.perf_counter(), time.process_time()
                display = fit(load_normalised(data, LIMITS)[1], DISPLAY_LONG_SIDE)
                check_cpu = time.process_time()
                hashes = compute_hashes(display)
                hashed_cpu = time.process_time()
                index.query(hashes)
                walls.append((time.perf_counter() - started) * 1000)
                cpus.append((time.process_time() - started_cpu) * 1000)
                checks.append((time.process_time() - check_cpu) * 1000)
                hashing.append((hashed_cpu - check_cpu) * 1000)
        for name, values in (("wall", walls), ("CPU", cpus)):
            p50, p95 = np.percentile(values, [50, 95])
            print(f"  whole check, {name} ms: p50 {p50:.0f}, p95 {p95:.0f} ({len(values)} runs)")
        for name, values in (("the check on the display copy", checks), ("its hashes", hashing)):
            p50, p95 = np.percentile(values, [50, 95])
            print(f"  of it {name}, CPU ms: p50 {p50:.0f}, p95 {p95:.0f}")


if __name__ == "__main__":
    main()
