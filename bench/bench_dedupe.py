"""Duplicate detector: quality per kind of change, query speed, and dedupe-scan speed.

Usage: .venv/bin/python bench/bench_dedupe.py [quality|speed|scan|all] [--seeds START:COUNT]
    [--copies N] [--dev DIR]

quality, as in production: every distinct poster (synthetic originals, their template twins,
and the dev set's originals) is in the index; each copy is queried against it (recall: is its
original found, and at which level); each distinct poster is queried against the others
(unrelated pairs flagged; template pairs: same background, other text). The plain
imagehash.phash baseline (distance <= 10) is scored on the same pairs. Thresholds were tuned
on seeds 1000-1099; report on held-out seeds (default 3000 onwards).
"""

from __future__ import annotations

import csv
import io
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
BASELINE_BITS = 10


def _arg(name: str, default: str) -> str:
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


def _row(data: bytes) -> tuple[dict, imagehash.ImageHash]:
    image = load_normalised(data, LIMITS)[1]
    return compute_hashes(image), imagehash.phash(image)


def _poster(job: tuple[int, int, bool]) -> list[tuple[int, int, str, dict, imagehash.ImageHash]]:
    """(background, text, kind, hashes, phash) of a poster and, if asked, its copies."""
    background, text, copies = job
    poster = draw_poster(background, text)
    out = io.BytesIO()
    poster.save(out, "PNG")
    files = [("original", out.getvalue())]
    if copies:
        files += [(k, variant(poster, k, seed=background + i)) for i, k in enumerate(VARIANTS)]
    return [(background, text, kind, *_row(data)) for kind, data in files]


def _dev(job: tuple[Path, int]) -> list[tuple[int, int, str, dict, imagehash.ImageHash]]:
    """A dev-set original; its background is its template group (labels.csv)."""
    path, group = job
    return [(-1 - group, -1 - hash(path.name) % 10**9, "original", *_row(path.read_bytes()))]


def _dev_jobs(folder: Path) -> list[tuple[Path, int]]:
    labels = folder.parent / "labels.csv"
    if not labels.exists():
        return []
    with labels.open() as handle:
        groups = {r["file"]: int(r["group"]) for r in csv.DictReader(handle)}
    return [(p, groups[p.name]) for p in sorted(folder.glob("*_original.*")) if p.name in groups]


def quality() -> None:
    start, count = (int(x) for x in _arg("--seeds", "3000:600").split(":"))
    copies = int(_arg("--copies", "60"))
    dev = Path(_arg("--dev", "/work/shared/dedupe-dev/images"))
    seeds = range(start, start + count)
    jobs = [(s, s, s - start < copies) for s in seeds] + [
        (s, s + 50_000, False) for s in seeds[::4]
    ]
    started = time.perf_counter()
    with ProcessPoolExecutor(2) as pool:
        rows = [r for rs in pool.map(_poster, jobs) for r in rs]
        rows += [r for rs in pool.map(_dev, _dev_jobs(dev)) for r in rs]
    made = time.perf_counter() - started
    distinct = [i for i, row in enumerate(rows) if row[2] == "original"]
    index = HashIndex.build((i, rows[i][3]) for i in distinct)
    table: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # dup, any, phash, of
    original = {(r[0], r[1]): i for i, r in enumerate(rows) if r[2] == "original"}
    started = time.perf_counter()
    for bg, text, kind, hashes, phash in rows:
        if kind == "original":
            continue
        target = original[(bg, text)]
        levels = {m.entry_id: m.level for m in index.query(hashes)}
        cell = table[kind]
        cell[0] += levels.get(target) == "duplicate"
        cell[1] += target in levels
        cell[2] += phash - rows[target][4] <= BASELINE_BITS
        cell[3] += 1
    for n, i in enumerate(distinct):
        flagged = {m.entry_id: m.level for m in index.query(rows[i][3], exclude=distinct[: n + 1])}
        for j in distinct[n + 1 :]:
            key = "template pairs" if rows[i][0] == rows[j][0] else "unrelated pairs"
            cell = table[key]
            cell[0] += flagged.get(j) == "duplicate"
            cell[1] += j in flagged
            cell[2] += rows[i][4] - rows[j][4] <= BASELINE_BITS
            cell[3] += 1
    queried = time.perf_counter() - started
    print(f"{len(distinct)} distinct posters ({count} synthetic from seed {start}, templates,")
    print(f"dev originals), {len(rows) - len(distinct)} copies", end="; ")
    print(f"{made:.0f} s to make, {queried:.0f} s to query")
    print(
        f"{'change':16s} {'pairs':>7s} {'duplicate':>10s} {'dup|similar':>12s} {'phash<=10':>10s}"
    )
    total = [0, 0, 0, 0]
    for key in sorted(table, key=lambda k: (k.endswith("pairs"), k)):
        dup, any_, base, of = table[key]
        if key.endswith("pairs"):
            print(f"{key:16s} {of:7d} {dup:10d} {any_:12d} {base:10d}   (flagged pairs)")
            continue
        total = [t + v for t, v in zip(total, table[key], strict=True)]
        print(f"{key:16s} {of:7d} {dup / of:10.3f} {any_ / of:12.3f} {base / of:10.3f}")
    dup, any_, base, of = total
    of = max(of, 1)
    print(f"{'all copies':16s} {of:7d} {dup / of:10.3f} {any_ / of:12.3f} {base / of:10.3f}")


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
    pairs = sum(a - b <= BASELINE_BITS for i, a in enumerate(hashes) for b in hashes[i + 1 :])
    elapsed = time.perf_counter() - started
    print(f"phash baseline over the same files (one process): {elapsed:.1f} s, {pairs} pairs")


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "all"
    dev = Path(_arg("--dev", "/work/shared/dedupe-dev/images"))
    if what in ("quality", "all"):
        quality()
    if what in ("speed", "all"):
        speed()
    if what in ("scan", "all"):
        scan(dev)
