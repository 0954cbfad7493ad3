"""Per kind of copy, how `dedupe-scan`'s pairs score against a labelled folder (make_copies.py).

Usage: .venv/bin/python bench/score_copies.py LABELS_CSV PAIRS_JSONL

Prints, per kind, the copies found with their original as duplicate and at either level; then
the copy-to-copy pairs of one poster (a phone photo and a screenshot of it, say), the unrelated
pairs flagged (those sharing a frame counted apart) and the template pairs (same background,
other text) flagged and called duplicate. score.py's own summary counts every pair of one
poster under the later-named kind; this one keeps copy-to-original apart.
"""

from __future__ import annotations

import csv
import itertools
import json
import sys
from collections import defaultdict
from pathlib import Path


def main() -> None:
    with Path(sys.argv[1]).open() as handle:
        labels = {row["file"]: row for row in csv.DictReader(handle)}
    levels: dict[frozenset[str], str] = {}
    for line in Path(sys.argv[2]).read_text().splitlines():
        if line.strip():
            item = json.loads(line)
            pair = frozenset(Path(str(item[k])).name for k in ("a", "b"))
            levels[pair] = item.get("level", "duplicate")
    table: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # duplicate, any, of
    for a, b in itertools.combinations(sorted(labels), 2):
        la, lb = labels[a], labels[b]
        level = levels.get(frozenset((a, b)))
        kinds = sorted((la["transform"], lb["transform"]))
        if la["poster"] == lb["poster"]:
            others = [k for k in kinds if k != "original"]
            key = others[0] if len(others) == 1 else "copy to copy"
        elif la["group"] == lb["group"]:
            key = "template pairs" if kinds == ["original", "original"] else "template copies"
        else:
            frame = kinds[0] == kinds[1] and kinds[0] != "original"
            key = "unrelated, same kind" if frame else "unrelated"
        cell = table[key]
        cell[0] += level == "duplicate"
        cell[1] += level is not None
        cell[2] += 1
    print(f"{'kind':24s} {'pairs':>7s} {'duplicate':>10s} {'any level':>10s}")
    for key in sorted(table, key=lambda k: (k.startswith(("unrelated", "template", "copy")), k)):
        dup, any_, of = table[key]
        if key.startswith(("unrelated", "template")):
            print(f"{key:24s} {of:7d} {dup:10d} {any_:10d}   (pairs flagged)")
        else:
            print(f"{key:24s} {of:7d} {dup / of:10.3f} {any_ / of:10.3f}")


if __name__ == "__main__":
    main()
