"""Perceptual hashes of posters, and the rules that call two posters duplicate or similar.

Two stages. Every picture is reduced the same way: greyscale (colour edits and grey copies
agree), borders of near-constant colour trimmed (padding, letterbox bars, a desktop around a
screenshot). Stage one, the candidate filter: 128-bit DCT hashes of seven *views* of the
trimmed picture squashed square (whole, 90%/80% centre crops, four 60% regions), the query in
twelve orientations (quarter turns x {0, +-3 degree tilt}), XOR + popcount over all stored rows
at once, with loose thresholds. Stage two (contest/dedupe_verify.py): the few closest
candidates are aligned with the query on small greyscale signatures and the share of the
picture that differs decides duplicate / similar / nothing.
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

from contest.core.errors import ContestError, InvalidImage
from contest.dedupe import verify

VERSION = 2
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
    if not stop.size:
        return lines.shape[0]
    run = int(stop[0])
    # A border ends at an edge; a run that fades into the next line is a gradient, not a border.
    if run and uniform[run] and abs(median[run, 0] - median[0, 0]) <= 2 * TRIM_TOLERANCE:
        return 0
    return run


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
    matches a copy uploaded in any orientation without decoding anything again. ``sig``: the
    small greyscale signature (base64 uint8) the second stage aligns and compares.
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
        "sig": verify.encode(verify.signature(trimmed)),
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


CANDIDATE_BITS = 40  # whole-picture distance (of 128 bits) that makes a candidate
CANDIDATE_REGION_BITS = 12  # or a 60% region this close (a shared background)
MAX_CANDIDATES = 8  # closest candidates verified per query (upload: bounded time)
SCAN_CANDIDATES = 16  # in a folder scan a poster's own copies and its template siblings crowd
MIN_OVERLAP = 0.6  # share of the stored picture's blocks the aligned query must cover
DUPLICATE_SHARE = 0.15  # at most this share of blocks differs: a copy
SIMILAR_SHARE = 0.25  # at most this: the same picture with other text (template)
DUPLICATE_CORRELATION = 0.85  # and the aligned pictures must correlate this well overall
SIMILAR_CORRELATION = 0.7
# Text replaced rather than marks added: 2+ blocks differ and the change is two-signed (ink
# gone in places, new ink elsewhere): a template with another title, "similar" at most.
REPLACED_SHARE = 0.1
# The alignment must end near the copies the search is for (tilts of a few degrees, crops,
# padding, screenshots): a smooth unrelated picture can "align" at 8 degrees or half the size.
MAX_TILT = 6.0
SCALE_RANGE = (0.7, 1.35)
_LEVEL_ORDER = {"duplicate": 0, "similar": 1}


def _parse(hashes: dict[str, Any], key: str) -> np.ndarray:
    if hashes.get("v") != VERSION:
        raise ValueError(f"hashes of version {hashes.get('v')}, expected {VERSION}")
    return unpack(hashes[key]).reshape(-1, len(VIEWS), WORDS)


def _stored(hashes: dict[str, Any]) -> tuple[np.ndarray, np.ndarray, float]:
    return _parse(hashes, "stored")[0], verify.decode(hashes["sig"]), float(hashes["aspect"])


class HashIndex:
    """Stored view hashes in one uint64 array, searched with XOR and popcount; signatures in
    one uint8 array for the verification of the few candidates.

    Rebuilt from the database at start-up; it is never the only copy of a hash.
    """

    def __init__(self) -> None:
        self._ids = np.empty(0, np.int64)
        self._hashes = np.empty((0, len(VIEWS), WORDS), np.uint64)
        self._sigs = np.empty((0, verify.SIG_SIDE, verify.SIG_SIDE), np.uint8)
        self._aspects = np.empty(0, np.float64)
        self._rows: dict[int, int] = {}
        self._columns: np.ndarray | None = None

    @classmethod
    def build(cls, items: Iterable[tuple[int, dict[str, Any]]]) -> HashIndex:
        index = cls()
        rows = [(int(entry_id), *_stored(hashes)) for entry_id, hashes in items]
        if rows:
            ids, hashes, sigs, aspects = zip(*rows, strict=True)
            index._ids = np.array(ids, np.int64)
            index._hashes = np.stack(hashes)
            index._sigs = np.stack(sigs)
            index._aspects = np.array(aspects, np.float64)
            index._rows = {entry_id: row for row, entry_id in enumerate(ids)}
        return index

    def __len__(self) -> int:
        return len(self._rows)

    def add(self, entry_id: int, hashes: dict[str, Any]) -> None:
        stored, sig, aspect = _stored(hashes)
        row = self._rows.get(entry_id)
        if row is None:
            self._rows[entry_id] = row = len(self._ids)
            self._ids = np.append(self._ids, np.int64(entry_id))
            self._hashes = np.concatenate([self._hashes, stored[None]])
            self._sigs = np.concatenate([self._sigs, sig[None]])
            self._aspects = np.append(self._aspects, aspect)
        self._hashes[row], self._sigs[row], self._aspects[row] = stored, sig, aspect
        self._columns = None

    def remove(self, entry_id: int) -> None:
        """Forget an entry (withdrawn, deleted); the last row moves into its place."""
        row = self._rows.pop(entry_id, None)
        if row is None:
            return
        last = len(self._ids) - 1
        arrays = ("_ids", "_hashes", "_sigs", "_aspects")
        if row != last:
            for name in arrays:
                getattr(self, name)[row] = getattr(self, name)[last]
            self._rows[int(self._ids[row])] = row
        for name in arrays:
            setattr(self, name, getattr(self, name)[:last])
        self._columns = None

    def _by_view(self) -> np.ndarray:
        """The hashes as (view, word, row): each view's words contiguous for fast XOR."""
        if self._columns is None or self._columns.shape[-1] != len(self._ids):
            self._columns = np.ascontiguousarray(self._hashes.transpose(1, 2, 0))
        return self._columns

    def distances(self, hashes: dict[str, Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per stored row: best whole-picture bits, best region bits, and the query group used.

        In place on uint8 buffers (two words of popcount are at most 128): ~3x fewer passes
        over memory than summing int64 copies.
        """
        query = _parse(hashes, "query")
        columns = self._by_view()
        n = len(self._ids)
        per_group = np.empty((len(query), n), np.uint8)
        region = np.full(n, 255, np.uint8)
        xor = np.empty((WORDS, n), np.uint64)
        counts = np.empty((WORDS, n), np.uint8)
        bits = np.empty(n, np.uint8)

        def distance(stored: np.ndarray, view: np.ndarray) -> np.ndarray:
            np.bitwise_xor(stored, view[:, None], out=xor)
            np.bitwise_count(xor, out=counts)
            return np.add(counts[0], counts[1], out=bits)

        for g, views in enumerate(query):  # a dozen orientations, each vectorised over rows
            best = per_group[g]
            best.fill(255)
            for i, j in itertools.product(GLOBAL, GLOBAL):
                np.minimum(best, distance(columns[i], views[j]), out=best)
            for i in REGIONS:
                np.minimum(region, distance(columns[i], views[i]), out=region)
        group = per_group.argmin(0)
        best = np.take_along_axis(per_group, group[None], 0)[0]
        return best.astype(np.int64), region.astype(np.int64), group.astype(np.int64)

    def candidates(
        self, hashes: dict[str, Any], exclude: Container[int] = (), limit: int = MAX_CANDIDATES
    ) -> list[tuple]:
        """Stage one: (row, whole bits, region bits, group) of the closest rows, at most
        ``limit``, closest first."""
        best, region, group = self.distances(hashes)
        rows = np.flatnonzero((best <= CANDIDATE_BITS) | (region <= CANDIDATE_REGION_BITS))
        rows = [
            r for r in rows[np.lexsort((region[rows], best[rows]))] if self._ids[r] not in exclude
        ]
        return [(r, int(best[r]), int(region[r]), int(group[r])) for r in rows[:limit]]

    def query(
        self,
        hashes: dict[str, Any],
        *,
        exclude: Container[int] = (),
        max_candidates: int = MAX_CANDIDATES,
    ) -> list[Match]:
        """Entries that look like a copy of ``hashes`` (duplicate) or share most of it.

        At most ``max_candidates`` closest candidates are verified (time: ~2-5 ms each).
        """
        if not self._rows:
            return []
        sig, aspect = verify.decode(hashes["sig"]), float(hashes["aspect"])
        matches = []
        for row, bits, region, group in self.candidates(hashes, exclude, max_candidates):
            turn, tilt = divmod(group, 1 + len(TILTS))
            verdict = verify.compare(
                verify.prepare(self._sigs[row]),
                sig,
                self._aspects[row],
                aspect,
                turn,
                tilt=(0.0, *TILTS)[tilt],
                min_correlation=SIMILAR_CORRELATION,
            )
            if (
                verdict.overlap < MIN_OVERLAP
                or abs(verdict.angle) > MAX_TILT
                or not SCALE_RANGE[0] <= verdict.scale <= SCALE_RANGE[1]
                or verdict.differing > SIMILAR_SHARE
                or verdict.correlation < SIMILAR_CORRELATION
            ):
                continue
            duplicate = (
                verdict.differing <= DUPLICATE_SHARE
                and verdict.correlation >= DUPLICATE_CORRELATION
                and verdict.replaced <= REPLACED_SHARE
            )
            level = "duplicate" if duplicate else "similar"
            evidence = {
                "global_bits": bits,
                "region_bits": region,
                "differing_share": round(verdict.differing, 3),
                "overlap_share": round(verdict.overlap, 3),
                "correlation": round(verdict.correlation, 3),
                "replaced": round(verdict.replaced, 3),
                "turn_degrees": 90 * turn,
                "tilt_degrees": round(verdict.angle, 1),
                "scale": round(verdict.scale, 3),
            }
            matches.append(Match(int(self._ids[row]), level, verdict.differing, evidence))
        return sorted(matches, key=lambda m: (_LEVEL_ORDER[m.level], m.distance, m.entry_id))


def hashes_of_file(path: Path) -> dict[str, Any]:
    """Hashes of an image file after the upload checks, minimum size aside; InvalidImage."""
    from contest.images.decode import ImageLimits, load_normalised  # images imports this module

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
        for match in index.query(item, exclude=range(i + 1), max_candidates=SCAN_CANDIDATES):
            pairs.append((path, hashes[match.entry_id][0], match))
    return pairs
