"""Upload processing cost next to Pillow's plain decode of the same file (the floor).

Usage: .venv/bin/python bench/bench_ingest.py
Each measurement runs in a fresh subprocess; its peak RSS (VmHWM, reset through
/proc/self/clear_refs after the imports) is the memory figure. Pillow's pixel buffers are
not visible to tracemalloc, so RSS is the one that counts.
"""

from __future__ import annotations

import io
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parents[1]
RUNS = 5
CHILD = """
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
if {mode!r} == "pillow":
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


def measure(path: Path, mode: str) -> dict[str, float]:
    runs = []
    for _ in range(RUNS):
        code = CHILD.format(root=str(ROOT), path=str(path), mode=mode)
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        runs.append(json.loads(out.stdout))
    return {key: statistics.median(run[key] for run in runs) for key in ("s", "rss")}


def main() -> None:
    cases = [("PNG", (1024, 1536), {}), ("JPEG", (2896, 4096), {"quality": 90})]
    with tempfile.TemporaryDirectory() as tmp:
        for fmt, size, options in cases:
            path = Path(tmp) / f"poster.{fmt.lower()}"
            buffer = io.BytesIO()
            poster_like(size, seed=size[0]).save(buffer, fmt, **options)
            path.write_bytes(buffer.getvalue())
            floor, ours = measure(path, "pillow"), measure(path, "process_upload")
            mb = path.stat().st_size / 1e6
            print(f"{fmt} {size[0]}x{size[1]} ({mb:.1f} MB), median of {RUNS} runs:")
            for name, r in (("Pillow open+load", floor), ("process_upload", ours)):
                print(
                    f"  {name:17s} {r['s'] * 1000:7.0f} ms  peak RSS +{r['rss'] / 2**20:6.1f} MiB"
                )
            print(
                f"  ratio             {ours['s'] / floor['s']:7.1f}x time, "
                f"{ours['rss'] / max(floor['rss'], 1):.1f}x peak RSS"
            )


if __name__ == "__main__":
    main()
