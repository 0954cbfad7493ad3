"""What one upload check costs: time and peak memory, for files that would cost far more than
their size and for the largest files still accepted, beside the decode estimate it is held to.

Usage: .venv/bin/python bench/bench_upload_budget.py [--max-megapixels 50] [--before DIR]

Each file runs through process_upload in a fresh process (as a replica's first check after a
start would): wall time, and peak memory added by the check (VmHWM, reset through
/proc/self/clear_refs after the imports; Pillow's pixel buffers are not visible to tracemalloc).
The contest's pixel limit is the default 50 MP unless ``--max-megapixels`` says otherwise (a
contest may allow up to 100). ``--before DIR`` runs the same files on another checkout's code
(for example ``git worktree add /tmp/before <commit>``) and prints its figures beside.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.contest.test_upload_budget import (  # noqa: E402
    flat_png,
    jpeg_repeating_a_scan,
    webp_of_one_colour,
)

CHILD = """
import json, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from contest.core.errors import InvalidImage
from contest.entries.ingest import process_upload
from contest.images.decode import ImageLimits
def rss(field):
    lines = Path("/proc/self/status").read_text().splitlines()
    return int(next(x for x in lines if x.startswith(field)).split()[1]) * 1024
data = Path({path!r}).read_bytes()
limits = ImageLimits(max_pixels={pixels})
Path("/proc/self/clear_refs").write_text("5")
before = rss("VmRSS:")
started = time.perf_counter()
try:
    process_upload(data, limits)
    verdict = "accepted"
except InvalidImage as error:
    verdict = error.key.rsplit(".", 1)[-1]
print(json.dumps({{"s": time.perf_counter() - started, "peak": rss("VmHWM:") - before,
                  "verdict": verdict}}))
"""


def encoded(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def photo(size: tuple[int, int]) -> Image.Image:
    """A busy picture (a small random grid scaled up, with noise)."""
    import numpy as np

    rng = np.random.default_rng(size[0])
    grid = rng.integers(0, 256, (24, 18, 3), dtype=np.uint8)
    image = Image.fromarray(grid).resize(size, Image.Resampling.BICUBIC)
    noise = rng.normal(0, 8, (size[1], size[0], 3))
    return Image.fromarray(np.clip(np.asarray(image) + noise, 0, 255).astype(np.uint8))


def files() -> list[tuple[str, bytes]]:
    big = photo((6000, 4000))
    return [
        ("bomb: 40 B WebP declaring 5000x5000", webp_of_one_colour((5000, 5000))),
        ("bomb: 1 KB WebP declaring 7000x7000", webp_of_one_colour((7000, 7000))),
        ("bomb: 350 KB PNG declaring 90 MP RGBA", flat_png(9500, 9500, 8, 6)),
        ("bomb: 120 KB JPEG, a scan repeated 3000x", jpeg_repeating_a_scan((4000, 3000), 3000)),
        ("115 KB 16-bit grey PNG, 49 MP", flat_png(7000, 7000, 16, 0, fill=0x9C)),
        ("300 KB 16-bit RGBA PNG, 49 MP", flat_png(7000, 7000, 16, 6)),
        ("RGBA PNG, 49 MP", flat_png(7000, 7000, 8, 6)),
        ("progressive JPEG 4:4:4, 24 MP", encoded(big, "JPEG", progressive=True, subsampling=0)),
        ("baseline JPEG, 24 MP", encoded(big, "JPEG", quality=90)),
        ("WebP, 16 MP", encoded(photo((4000, 4000)), "WEBP", quality=80)),
        ("poster PNG 1024x1536", encoded(photo((1024, 1536)), "PNG")),
    ]


def run(root: Path, path: Path, pixels: int) -> dict[str, object]:
    code = CHILD.format(root=str(root), path=str(path), pixels=pixels)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    result: dict[str, object] = json.loads(out.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-megapixels", type=int, default=50)
    parser.add_argument("--before", type=Path, help="another checkout to measure beside this one")
    args = parser.parse_args()
    pixels = args.max_megapixels * 1_000_000
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; limit {pixels:,} px")
    from contest.images.decode import DECODE_BUDGET

    print(f"decode budget {DECODE_BUDGET // 2**20} MiB")
    roots = [("this checkout", ROOT)] + ([("before", args.before.resolve())] if args.before else [])
    with tempfile.TemporaryDirectory() as tmp:
        for name, data in files():
            path = Path(tmp) / "upload"
            path.write_bytes(data)
            cells = []
            for label, root in roots:
                r = run(root, path, pixels)
                peak = int(str(r["peak"])) / 2**20
                cells.append(
                    f"{label}: {r['verdict']:>16s} {float(str(r['s'])):6.2f} s {peak:6.0f} MiB"
                )
            print(f"{name:44s} {len(data) / 1e3:9.0f} KB  " + "   ".join(cells), flush=True)
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
