"""Upload processing cost next to Pillow's plain decode of the same file (the floor).

Usage: .venv/bin/python bench/bench_ingest.py [--runs N] [--before DIR]

For a 1024x1536 PNG and a 2896x4096 JPEG (poster-like generated pictures):

- warm: one process decodes the file with Pillow (open + load: the floor) and runs
  process_upload on it, alternately, N times (default 15) after one warm-up; medians of CPU time
  (time.process_time, what the machine's load does not inflate) and wall time, and their ratio.
  The same figures without the perceptual hashing step, which issue 12 is changing, and the CPU
  time of every step process_upload calls (timed by wrapping the functions ingest calls);
- fresh process: each of 5 runs in a new process, as the first upload after a start; the
  median wall time and peak RSS growth (VmHWM, reset through /proc/self/clear_refs after the
  imports; Pillow's pixel buffers are not visible to tracemalloc, so RSS is the one that counts).

``--before DIR`` runs the same measurements on the code of another checkout (for example
``git worktree add /tmp/before main``) and prints its column beside this one's.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parents[1]
FRESH_RUNS = 5
WARM = """
import hashlib, io, json, statistics, sys, time
sys.path.insert(0, {root!r})
from PIL import Image
import contest.entries.ingest as ingest
data = open({path!r}, "rb").read()
steps = {{}}
outer = set()  # steps process_upload calls itself (the others run inside one of them)
depth = [0]
def timed(name, function):
    def wrapper(*args, **kwargs):
        label = " ".join([name] + [str(a) for a in args if isinstance(a, (int, str))][:1])
        if depth[0] == 0:
            outer.add(label)
        depth[0] += 1
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            depth[0] -= 1
            steps.setdefault(label, []).append(time.process_time() - started)
    return wrapper
for name, value in list(vars(ingest).items()):
    if callable(value) and getattr(value, "__module__", "").startswith("contest.") \\
            and not isinstance(value, type) and name != "process_upload":
        setattr(ingest, name, timed(name, value))
def floor():
    Image.open(io.BytesIO(data)).load()
def ours():
    ingest.process_upload(data)
samples = {{"floor": [], "ours": []}}
for run in range({runs} + 1):
    for name, work in (("floor", floor), ("ours", ours)):
        cpu, wall = time.process_time(), time.perf_counter()
        work()
        if run:
            samples[name].append((time.process_time() - cpu, time.perf_counter() - wall))
steps = {{k: statistics.median(v[1:]) for k, v in steps.items()}}
out = {{name: [statistics.median(s[i] for s in runs) for i in (0, 1)]
       for name, runs in samples.items()}}
hashing = [v for k, v in steps.items() if k.startswith("compute_hashes")]
print(json.dumps({{"floor": out["floor"], "ours": out["ours"], "steps": steps,
                  "outer": sorted(outer), "hashing": sum(hashing)}}))
"""
FRESH = """
import io, json, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from PIL import Image
from contest.entries.ingest import process_upload
def rss(field):
    lines = Path("/proc/self/status").read_text().splitlines()
    line = next(x for x in lines if x.startswith(field))
    return int(line.split()[1]) * 1024
data = open({path!r}, "rb").read()
Path("/proc/self/clear_refs").write_text("5")
before = rss("VmRSS:")
started = time.perf_counter()
if {mode!r} == "floor":
    Image.open(io.BytesIO(data)).load()
else:
    process_upload(data)
elapsed = time.perf_counter() - started
print(json.dumps({{"s": elapsed, "rss": rss("VmHWM:") - before}}))
"""


def poster_like(size: tuple[int, int], seed: int) -> Image.Image:
    """Soft coloured background, shapes, texture and text: not a flat image."""
    rng = np.random.default_rng(seed)
    small = rng.integers(0, 256, (8, 6, 3), dtype=np.uint8)
    image = Image.fromarray(small, "RGB").resize(size, Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(image)
    for _ in range(40):
        x, y, r = (int(v) for v in rng.integers(0, max(size), 3) // (1, 1, 6))
        draw.ellipse(
            (x - r, y - r, x + r, y + r), fill=tuple(int(c) for c in rng.integers(0, 256, 3))
        )
    image = image.filter(ImageFilter.GaussianBlur(2))
    noise = rng.normal(0, 6, (size[1], size[0], 3))
    image = Image.fromarray(np.clip(np.asarray(image) + noise, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    for i in range(12):
        draw.text(
            (size[0] // 12, size[1] // 2 + i * size[1] // 30), "Incheon poster " * 4, fill="white"
        )
    return image


def _child(code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def warm(root: Path, path: Path, runs: int) -> dict:
    return _child(WARM.format(root=str(root), path=str(path), runs=runs))


def fresh(root: Path, path: Path, mode: str) -> dict[str, float]:
    results = [
        _child(FRESH.format(root=str(root), path=str(path), mode=mode)) for _ in range(FRESH_RUNS)
    ]
    return {key: statistics.median(r[key] for r in results) for key in ("s", "rss")}


def report(name: str, root: Path, path: Path, runs: int) -> None:
    w = warm(root, path, runs)
    (floor_cpu, floor_wall), (cpu, wall) = w["floor"], w["ours"]
    base, ours = fresh(root, path, "floor"), fresh(root, path, "ours")
    print(f"  {name}:")
    print(
        f"    warm CPU   Pillow {floor_cpu * 1000:6.1f} ms  process_upload {cpu * 1000:6.1f} ms"
        f"  = {cpu / floor_cpu:.2f}x   without hashing {(cpu - w['hashing']) * 1000:6.1f} ms"
        f" = {(cpu - w['hashing']) / floor_cpu:.2f}x"
    )
    print(
        f"    warm wall  Pillow {floor_wall * 1000:6.1f} ms  process_upload {wall * 1000:6.1f} ms"
        f"  = {wall / floor_wall:.2f}x"
    )
    print(
        f"    fresh process, wall  Pillow {base['s'] * 1000:6.0f} ms  process_upload"
        f" {ours['s'] * 1000:6.0f} ms  = {ours['s'] / base['s']:.2f}x"
    )
    print(
        f"    fresh process, peak RSS  Pillow +{base['rss'] / 2**20:5.1f} MiB  process_upload"
        f" +{ours['rss'] / 2**20:5.1f} MiB  = {ours['rss'] / max(base['rss'], 1):.2f}x"
    )
    steps = ", ".join(
        f"{k} {v * 1000:.1f}" + ("" if k in w["outer"] else " (inside another step)")
        for k, v in w["steps"].items()
    )
    rest = cpu - sum(v for k, v in w["steps"].items() if k in w["outer"])
    print(f"    steps (CPU ms): {steps}, the rest {rest * 1000:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--before", type=Path, help="another checkout to measure beside this one")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    cases = [("PNG", (1024, 1536), {}), ("JPEG", (2896, 4096), {"quality": 90})]
    with tempfile.TemporaryDirectory() as tmp:
        for fmt, size, options in cases:
            path = Path(tmp) / f"poster.{fmt.lower()}"
            buffer = io.BytesIO()
            poster_like(size, seed=size[0]).save(buffer, fmt, **options)
            path.write_bytes(buffer.getvalue())
            print(f"{fmt} {size[0]}x{size[1]} ({path.stat().st_size / 1e6:.1f} MB)")
            if args.before:
                report(f"before ({args.before})", args.before.resolve(), path, args.runs)
            report("this checkout", ROOT, path, args.runs)
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
