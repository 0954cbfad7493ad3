"""Duplicate detector: quality per kind of change, query speed, and dedupe-scan speed.

Usage: .venv/bin/python bench/bench_dedupe.py [quality|speed|scan|all] [--dev DIR]

quality: the detector and a plain imagehash.phash baseline (distance <= 10) on synthetic
posters (seeds never used while choosing thresholds) made by tests/contest/synth_posters.py.
Recall is over (original, copy) pairs; false flags over pairs of different backgrounds;
template pairs share a background but not the text.
"""

from __future__ import annotations

import io
import itertools
import subprocess
import sys
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import imagehash
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from contest.dedupe import HashIndex, compute_hashes  # noqa: E402
from contest.images import ImageLimits, load_normalised  # noqa: E402
from tests.contest.synth_posters import VARIANTS, draw_poster, variant  # noqa: E402

LIMITS = ImageLimits(min_short_side=1)
SEEDS = range(2000, 2060)  # held out: thresholds were chosen on 1000-1047 and the dev set
BASELINE_BITS = 10


def _one_poster(args: tuple[int, int]) -> list[tuple[int, int, str, dict, str]]:
    background, text = args
    poster = draw_poster(background, text)
    out = io.BytesIO()
    poster.save(out, "PNG")
    files = [("original", out.getvalue())]
    files += [(kind, variant(poster, kind, seed=background + i)) for i, kind in enumerate(VARIANTS)]
    rows = []
    for kind, data in files:
        image = load_normalised(data, LIMITS)[1]
        rows.append((background, text, kind, compute_hashes(image), str(imagehash.phash(image))))
    return rows


def synthetic_set() -> list[tuple[int, int, str, dict, str]]:
    jobs = [(s, s) for s in SEEDS] + [(s, s + 50_000) for s in SEEDS if s % 4 == 0]
    with ProcessPoolExecutor(2) as pool:
        return [row for rows in pool.map(_one_poster, jobs) for row in rows]


def quality() -> None:
    started = time.perf_counter()
    rows = synthetic_set()
    n = len(rows)
    index = HashIndex.build((i, row[3]) for i, row in enumerate(rows))
    level: dict[tuple[int, int], str] = {}
    for i, row in enumerate(rows):
        for match in index.query(row[3], exclude=range(i + 1)):
            level[(i, match.entry_id)] = match.level
    phashes = [imagehash.hex_to_hash(row[4]) for row in rows]
    table: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # dup, similar, phash, of
    counts = defaultdict(lambda: [0, 0, 0, 0])  # the same for unrelated and template pairs
    for i, j in itertools.combinations(range(n), 2):
        (bg_a, text_a, kind_a, *_), (bg_b, text_b, kind_b, *_) = rows[i], rows[j]
        found = level.get((i, j))
        base = phashes[i] - phashes[j] <= BASELINE_BITS
        if text_a == text_b:
            if "original" not in (kind_a, kind_b):
                key = "any two copies"
            else:
                key = kind_b if kind_a == "original" else kind_a
        else:
            key = "template" if bg_a == bg_b else "unrelated"
        bucket = table[key] if key not in ("template", "unrelated") else counts[key]
        bucket[0] += found == "duplicate"
        bucket[1] += found is not None
        bucket[2] += base
        bucket[3] += 1
    print(
        f"synthetic set: {n} images, {len(SEEDS)} posters ({time.perf_counter() - started:.0f} s)"
    )
    print(
        f"{'change':16s} {'pairs':>6s} {'duplicate':>10s} {'dup|similar':>12s} {'phash<=10':>10s}"
    )
    for key in sorted(table, key=lambda k: (k == "any two copies", k)):
        dup, any_, base, of = table[key]
        print(f"{key:16s} {of:6d} {dup / of:10.3f} {any_ / of:12.3f} {base / of:10.3f}")
    for key, (dup, any_, base, of) in counts.items():
        print(f"{key:16s} {of:6d} {dup:10d} {any_:12d} {base:10d}   (flagged pairs)")


def _random_hashes(rng: np.random.Generator, count: int) -> list[tuple[int, dict]]:
    """Realistic-size hash dicts: a real one with its words scrambled per entry."""
    template = compute_hashes(draw_poster(1))
    words = len(template["stored"]) // 16
    rows = []
    for entry_id in range(count):
        stored = "".join(f"{w:016x}" for w in rng.integers(0, 2**63, words, dtype=np.uint64))
        rows.append((entry_id, {**template, "stored": stored}))
    return rows


def speed() -> None:
    rng = np.random.default_rng(0)
    query = compute_hashes(draw_poster(2))
    for size in (10_000, 100_000):
        index = HashIndex.build(_random_hashes(rng, size))
        timings = []
        for _ in range(7):
            started = time.perf_counter()
            index.query(query)
            timings.append(time.perf_counter() - started)
        print(f"query against {size:>7,d} stored: median {np.median(timings) * 1000:.1f} ms")


def scan(folder: Path) -> None:
    started = time.perf_counter()
    command = [sys.executable, "-m", "contest", "dedupe-scan", "--json", str(folder)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - started
    print(f"dedupe-scan {folder}: {elapsed:.1f} s, {len(result.stdout.splitlines())} pairs")
    started = time.perf_counter()
    paths = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".png", ".jpg", ".webp"))
    hashes = [imagehash.phash(load_normalised(p.read_bytes(), LIMITS)[1]) for p in paths]
    pairs = sum(a - b <= BASELINE_BITS for a, b in itertools.combinations(hashes, 2))
    elapsed = time.perf_counter() - started
    print(f"phash baseline over the same files (one process): {elapsed:.1f} s, {pairs} pairs")


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "all"
    dev = Path(sys.argv[sys.argv.index("--dev") + 1]) if "--dev" in sys.argv else None
    if what in ("quality", "all"):
        quality()
    if what in ("speed", "all"):
        speed()
    if what in ("scan", "all"):
        scan(dev or Path("/work/shared/dedupe-dev/images"))
