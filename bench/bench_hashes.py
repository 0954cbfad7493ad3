"""The CPU time of ``compute_hashes`` (what the duplicate check computes of an upload, its
scene included) in this checkout and in another (``--before``), in the same run: alternately,
one process per checkout and round, so a host that slows down for a while slows both sides.

Usage: .venv/bin/python bench/bench_hashes.py QUERIES_DIR --before DIR [--rounds 5] [--passes 5]

Each process hashes the display copies (long side 2048, as an upload) of every file in
QUERIES_DIR once untimed, then ``--passes`` times timed, and prints the mean CPU ms a file.
The checkout before is e.g. ``git worktree add /tmp/wt-base <commit>`` with this virtualenv
linked in (``ln -s $PWD/.venv /tmp/wt-base/.venv``). Printed: each round's figures, then the
median of the rounds for each side and their ratio.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

MEASURE = """
import sys, time
from pathlib import Path
sys.path.insert(0, ".")
from contest.dedupe.hashing import compute_hashes
from contest.images.copies import DISPLAY_LONG_SIDE, fit
from contest.images.decode import ImageLimits, load_normalised
files = sorted(p for p in Path(sys.argv[1]).iterdir() if p.is_file())
limits = ImageLimits(min_short_side=1)
pictures = [fit(load_normalised(p.read_bytes(), limits)[1], DISPLAY_LONG_SIDE) for p in files]
for picture in pictures:
    compute_hashes(picture)
passes = int(sys.argv[2])
started = time.process_time()
for _ in range(passes):
    for picture in pictures:
        compute_hashes(picture)
print((time.process_time() - started) * 1000 / passes / len(pictures))
"""


def _arg(name: str, default: str | None = None) -> str:
    if name in sys.argv:
        return sys.argv[sys.argv.index(name) + 1]
    if default is None:
        sys.exit(__doc__)
    return default


def _measure(checkout: Path, queries: str, passes: str) -> float:
    python = ROOT / ".venv" / "bin" / "python"
    out = subprocess.run(
        [str(python), "-c", MEASURE, queries, passes],
        cwd=checkout,
        check=True,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    return float(out.stdout.strip())


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1].startswith("--"):
        sys.exit(__doc__)
    queries, before = sys.argv[1], Path(_arg("--before")).resolve()
    rounds, passes = int(_arg("--rounds", "5")), _arg("--passes", "5")
    sides: dict[str, list[float]] = {"before": [], "this": []}
    for number in range(1, rounds + 1):
        for side, checkout in (("before", before), ("this", ROOT)):
            sides[side].append(_measure(checkout, queries, passes))
        print(f"round {number}: before {sides['before'][-1]:.1f}, this {sides['this'][-1]:.1f}")
    mine, theirs = statistics.median(sides["this"]), statistics.median(sides["before"])
    label = f"compute_hashes, CPU ms a file (median of {rounds} rounds)"
    print(f"{label}: before {theirs:.1f} ({before})")
    print(f"{label}: this {mine:.1f} ({ROOT})")
    print(f"this / before: {mine / theirs:.2f}")


if __name__ == "__main__":
    main()
