"""Perceptual hashes of posters, and the rules that call two posters duplicate or similar.

Every picture is reduced the same way before hashing: greyscale (so colour edits and grey
copies agree), borders of near-constant colour trimmed (padding, letterbox bars, a desktop
around a screenshot), then squashed to a square so aspect changes from small crops matter
little. On that square we take 64-bit DCT hashes of several *views*: the whole picture, two
centre crops (so a copy cropped by 5-10% still lines up with one of them) and four
60%-regions (top, bottom, left, right: a shared background shows up as a matching region even
when the text differs). A query is hashed in all four quarter turns; stored entries only in
their own orientation.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Container, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image
from scipy.fft import dctn

from contest.errors import ContestError, InvalidImage

VERSION = 1
HASH_SIDE = 32  # pixels of the square each view is reduced to before the DCT
WORK_SIDE = 384  # long side of the greyscale working copy
# (left, top, right, bottom) as fractions of the trimmed picture.
VIEWS: dict[str, tuple[float, float, float, float]] = {
    "full": (0.0, 0.0, 1.0, 1.0),
    "c90": (0.05, 0.05, 0.95, 0.95),
    "c80": (0.10, 0.10, 0.90, 0.90),
    "top": (0.0, 0.0, 1.0, 0.6),
    "bottom": (0.0, 0.4, 1.0, 1.0),
    "left": (0.0, 0.0, 0.6, 1.0),
    "right": (0.4, 0.0, 1.0, 1.0),
}
VIEW_NAMES = tuple(VIEWS)
GLOBAL = np.array([0, 1, 2])  # indices of the whole-picture views
REGIONS = np.array([3, 4, 5, 6])
TRIM_TOLERANCE = 14.0  # grey levels around a line's median that count as "the same colour"
TRIM_SHARE = 0.97  # share of a line within tolerance for it to count as border


def _working_grey(image: Image.Image) -> np.ndarray:
    grey = image.convert("L")
    scale = WORK_SIDE / max(grey.size)
    if scale < 1:
        size = (max(1, round(grey.width * scale)), max(1, round(grey.height * scale)))
        grey = grey.resize(size, Image.Resampling.BOX)
    return np.asarray(grey, dtype=np.float32)


def _border_run(lines: np.ndarray) -> int:
    """How many leading lines are one near-constant colour, the colour of the first line."""
    lines = lines[: max(1, lines.shape[0] // 2)]  # a border never covers half the picture
    median = np.median(lines[:, ::3], axis=1, keepdims=True)
    uniform = np.mean(np.abs(lines - median) <= TRIM_TOLERANCE, axis=1) >= TRIM_SHARE
    same = np.abs(median[:, 0] - median[0, 0]) <= TRIM_TOLERANCE
    stop = np.flatnonzero(~(uniform & same))
    return int(stop[0]) if stop.size else lines.shape[0]


def trim(grey: np.ndarray, passes: int = 2) -> np.ndarray:
    """Cut borders of near-constant colour; keeps the picture if too little would be left.

    Two passes per side: a window frame inside a desktop, or padding around a letterbox.
    """
    out = grey
    for _ in range(passes):
        top = _border_run(out)
        bottom = out.shape[0] - _border_run(out[::-1])
        out = out[top:bottom] if bottom - top > 8 else out
        left = _border_run(out.T)
        right = out.shape[1] - _border_run(out.T[::-1])
        out = out[:, left:right] if right - left > 8 else out
    if out.shape[0] < 0.3 * grey.shape[0] or out.shape[1] < 0.3 * grey.shape[1]:
        return grey
    return out


def _untilt(grey: np.ndarray, degrees: float) -> np.ndarray:
    """Turn a slightly tilted copy back, filling with its corner colour so trim removes it."""
    fill = int(np.median([grey[0, 0], grey[0, -1], grey[-1, 0], grey[-1, -1]]))
    image = Image.fromarray(grey.astype(np.uint8), "L")
    turned = image.rotate(degrees, Image.Resampling.BILINEAR, expand=True, fillcolor=fill)
    return trim(np.asarray(turned, dtype=np.float32))


def _square(grey: np.ndarray, side: int = HASH_SIDE) -> np.ndarray:
    image = Image.fromarray(grey.astype(np.uint8), "L")
    return np.asarray(image.resize((side, side), Image.Resampling.BOX), dtype=np.float32)


# The 128 lowest DCT frequencies (by u + v, then u), leaving out the mean brightness.
_ZIGZAG = sorted((u + v, u, v) for u in range(16) for v in range(16))[1 : 1 + 2 * 64]
_LOW = (np.array([u for _, u, _ in _ZIGZAG]), np.array([v for _, _, v in _ZIGZAG]))
WORDS = 2  # uint64 words per view hash


def _phash(square: np.ndarray) -> list[int]:
    """128-bit DCT hash: the lowest frequencies, each above or below their median."""
    low = dctn(square, norm="ortho")[_LOW]
    bits = low > np.median(low)
    return [int(w) for w in np.packbits(bits).view(">u8")]


def _view_hashes(grey: np.ndarray) -> list[int]:
    height, width = grey.shape
    hashes = []
    for left, top, right, bottom in VIEWS.values():
        part = grey[
            round(top * height) : round(bottom * height), round(left * width) : round(right * width)
        ]
        hashes.extend(_phash(_square(part)))
    return hashes


TILTS = (3.0, -3.0)


def compute_hashes(image: Image.Image) -> dict[str, Any]:
    """Hashes of the normalised RGB image, as hex strings for the JSON column.

    ``stored``: the view hashes of the trimmed picture, as kept in the index. ``query``: the
    same for each quarter turn, also with a slight tilt either way undone, so a later query
    matches a copy uploaded in any orientation without decoding anything again.
    """
    grey = _working_grey(image)
    trimmed = trim(grey)
    tilted = [_untilt(grey, degrees) for degrees in TILTS]
    groups = [_view_hashes(np.rot90(g, k)) for k in range(4) for g in (trimmed, *tilted)]
    return {
        "v": VERSION,
        "aspect": round(trimmed.shape[1] / trimmed.shape[0], 4),
        "stored": _hex(groups[:1]),
        "query": _hex(groups),
    }


def _hex(groups: list[list[int]]) -> str:
    return "".join(f"{word:016x}" for group in groups for word in group)


def unpack(hex_views: str) -> np.ndarray:
    """One orientation's view hashes as uint64s."""
    return np.array(
        [int(hex_views[i : i + 16], 16) for i in range(0, len(hex_views), 16)], np.uint64
    )


@dataclass(frozen=True)
class Match:
    entry_id: int
    level: str  # "duplicate" | "similar"
    distance: float
    evidence: dict[str, Any]


DUPLICATE_BITS = 22  # whole-picture distance (of 128 bits) up to which a copy is a duplicate
SIMILAR_BITS = 30  # whole-picture distance up to which two posters are similar
SIMILAR_REGION_BITS = 6  # a 60% region this close: a shared background with other text
_LEVEL_ORDER = {"duplicate": 0, "similar": 1}


def _parse(hashes: dict[str, Any], key: str) -> np.ndarray:
    if hashes.get("v") != VERSION:
        raise ValueError(f"hashes of version {hashes.get('v')}, expected {VERSION}")
    return unpack(hashes[key]).reshape(-1, len(VIEWS), WORDS)


class HashIndex:
    """Stored view hashes in one uint64 array, searched with XOR and popcount.

    Rebuilt from the database at start-up; it is never the only copy of a hash.
    """

    def __init__(self) -> None:
        self._ids = np.empty(0, np.int64)
        self._hashes = np.empty((0, len(VIEWS), WORDS), np.uint64)
        self._rows: dict[int, int] = {}
        self._columns: np.ndarray | None = None

    @classmethod
    def build(cls, items: Iterable[tuple[int, dict[str, Any]]]) -> HashIndex:
        index = cls()
        rows = [(int(entry_id), _parse(hashes, "stored")[0]) for entry_id, hashes in items]
        if rows:
            index._ids = np.array([entry_id for entry_id, _ in rows], np.int64)
            index._hashes = np.stack([stored for _, stored in rows])
            index._rows = {entry_id: row for row, (entry_id, _) in enumerate(rows)}
        return index

    def __len__(self) -> int:
        return len(self._rows)

    def add(self, entry_id: int, hashes: dict[str, Any]) -> None:
        stored = _parse(hashes, "stored")[0]
        if entry_id in self._rows:
            self._hashes[self._rows[entry_id]] = stored
            self._columns = None
            return
        self._rows[entry_id] = len(self._ids)
        self._ids = np.append(self._ids, np.int64(entry_id))
        self._hashes = np.concatenate([self._hashes, stored[None]])

    def remove(self, entry_id: int) -> None:
        """Forget an entry (withdrawn, deleted); the last row moves into its place."""
        row = self._rows.pop(entry_id, None)
        if row is None:
            return
        last = len(self._ids) - 1
        if row != last:
            self._ids[row] = self._ids[last]
            self._hashes[row] = self._hashes[last]
            self._columns = None
            self._rows[int(self._ids[row])] = row
        self._ids = self._ids[:last]
        self._hashes = self._hashes[:last]

    def _by_view(self) -> np.ndarray:
        """The hashes as (view, word, row): each view's words contiguous for fast XOR."""
        if self._columns is None or self._columns.shape[-1] != len(self._ids):
            self._columns = np.ascontiguousarray(self._hashes.transpose(1, 2, 0))
        return self._columns

    def distances(self, hashes: dict[str, Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per stored row: best whole-picture bits, best region bits, and the query group used."""
        query = _parse(hashes, "query")
        columns = self._by_view()
        best = np.full(len(self._ids), 10**6, np.int64)
        group = np.zeros(len(self._ids), np.int64)
        region = np.full(len(self._ids), 10**6, np.int64)
        for g, views in enumerate(query):  # a dozen orientations, each vectorised over rows
            for i, j in itertools.product(GLOBAL, GLOBAL):
                bits = np.bitwise_count(columns[i] ^ views[j][:, None]).sum(0, dtype=np.int64)
                better = bits < best
                best[better], group[better] = bits[better], g
            for i in REGIONS:
                bits = np.bitwise_count(columns[i] ^ views[i][:, None]).sum(0, dtype=np.int64)
                np.minimum(region, bits, out=region)
        return best, region, group

    def query(self, hashes: dict[str, Any], *, exclude: Container[int] = ()) -> list[Match]:
        """Entries that look like a copy of ``hashes`` (duplicate) or share most of it."""
        if not self._rows:
            return []
        best, region, group = self.distances(hashes)
        flagged = np.flatnonzero((best <= SIMILAR_BITS) | (region <= SIMILAR_REGION_BITS))
        matches = []
        for row in flagged:  # only the few flagged rows, never the whole index
            entry_id = int(self._ids[row])
            if entry_id in exclude:
                continue
            level = "duplicate" if best[row] <= DUPLICATE_BITS else "similar"
            turn, tilt = divmod(int(group[row]), 1 + len(TILTS))
            evidence = {
                "global_bits": int(best[row]),
                "region_bits": int(region[row]),
                "turn_degrees": 90 * turn,
                "tilt_degrees": (0.0, *TILTS)[tilt],
            }
            matches.append(Match(entry_id, level, float(best[row]), evidence))
        return sorted(matches, key=lambda m: (_LEVEL_ORDER[m.level], m.distance, m.entry_id))


def hashes_of_file(path: Path) -> dict[str, Any]:
    """Hashes of an image file after the upload checks, minimum size aside; InvalidImage."""
    from contest.images import ImageLimits, load_normalised  # images imports this module

    _, image = load_normalised(path.read_bytes(), ImageLimits(min_short_side=1))
    return compute_hashes(image)


def _hash_or_error(path: Path) -> dict[str, Any] | Exception:
    """For worker processes: errors come back as values (ContestError pickles without params)."""
    try:
        return hashes_of_file(path)
    except ContestError as error:
        return InvalidImage(error.key, **error.params)
    except OSError as error:
        return error


def scan_paths(
    paths: Sequence[Path], on_error: Callable[[Path, Exception], None] | None = None
) -> list[tuple[Path, Path, Match]]:
    """Flagged pairs among image files (for dedupe-scan); unreadable files go to ``on_error``.

    The minimum short side is not enforced here: a small copy is still a copy.
    """
    workers = min(os.cpu_count() or 1, 4)
    if workers > 1 and len(paths) > 8:
        with ProcessPoolExecutor(workers) as pool:
            results = list(pool.map(_hash_or_error, paths, chunksize=4))
    else:
        results = [_hash_or_error(path) for path in paths]
    hashes: list[tuple[Path, dict[str, Any]]] = []
    for path, result in zip(paths, results, strict=True):
        if isinstance(result, Exception):
            if on_error is not None:
                on_error(path, result)
        else:
            hashes.append((path, result))
    index = HashIndex.build((i, h) for i, (_, h) in enumerate(hashes))
    pairs = []
    for i, (path, item) in enumerate(hashes):
        for match in index.query(item, exclude=range(i + 1)):
            pairs.append((path, hashes[match.entry_id][0], match))
    return pairs
