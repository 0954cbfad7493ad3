"""Which stored posters appear in an upload: ORB descriptors looked up by locality-sensitive
hashing, and the pairs found voting for where the poster would lie (a Hough transform).

Every stored descriptor is filed under TABLES keys of KEY_BITS of its 256 bits (fixed bit
choices). A descriptor of the same corner in a copy differs in 10-25% of its bits, so it
shares a key with the stored one most of the time; a random one rarely does. The upload's
descriptors are looked up in each table and the pairs found measured (Hamming distance).

Close descriptors alone say little: letters of one font look alike in every poster and in every
browser's bars. So each close pair votes for a placement of its poster in the upload: from the
two keypoints' pyramid levels, orientations and positions, where the poster's centre would be,
how large and how turned. The pairs of a poster that is really there agree; chance pairs
scatter. A poster's score is its largest bin of agreeing pairs (one vote per upload
keypoint); the pairs of that bin and those consistent with it are what located.py fits a
perspective map to.

Posters added after the tables were built go to two smaller sets of tables (FeatureIndex): the
newest few, rebuilt on each addition, and the recent ones, rebuilt every FeatureIndex.NEWEST
additions and merged into the main ones when they grow past a tenth of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from contest.dedupe.features import DESCRIPTOR_BYTES, SCALE_STEP, SCENE_SIDE, Features

TABLES = 6
KEY_BITS = 20
MATCH_BITS = 56  # of 256: a descriptor pair this close votes
DIRECT_FROM = 1 << 16  # stored keypoints from which a table keeps a start per key (~200 posters)
CROWDED = 64  # a key shared by more stored descriptors than this says nothing (flat corners)
_BITS = np.random.default_rng(24).permuted(np.tile(np.arange(256), (TABLES, 1)), axis=1)
KEY_POSITIONS = np.sort(_BITS[:, :KEY_BITS], axis=1)  # (TABLES, KEY_BITS)


def _key_parts() -> list[list[tuple[int, np.ndarray]]]:
    """Per table, (byte, table of 256): what each byte of a descriptor adds to the key (its
    chosen bits, in np.unpackbits' order, moved to their places in the key)."""
    tables = []
    for positions in KEY_POSITIONS:
        parts: dict[int, np.ndarray] = {}
        for place, bit in enumerate(positions.tolist()):
            byte, within = divmod(bit, 8)
            part = parts.setdefault(byte, np.zeros(256, np.int32))
            part |= ((np.arange(256) >> (7 - within)) & 1).astype(np.int32) << place
        tables.append(sorted(parts.items()))
    return tables


_KEY_PARTS = _key_parts()
# Placement bins: the centre in steps of CELL times the poster's size there, its size in steps
# of two pyramid levels, its turn in eighths; every vote goes to two grids, the second
# shifted by half a bin each way, so agreeing pairs at a bin's edge still meet.
CELL = 0.2
TURN_BINS = 8
LEVELS_PER_BIN = 2


def keys_of(descriptors: np.ndarray) -> np.ndarray:
    """(K, TABLES) int64 keys of (K, 32) uint8 descriptors: per table, the KEY_BITS chosen
    bits, read a byte at a time through _KEY_PARTS (unpacking every bit first took five times
    as long and, for the 3.2 million keypoints of 10,000 posters, 1.5 GB)."""
    columns = np.ascontiguousarray(descriptors.T)
    keys = np.empty((len(descriptors), TABLES), np.int64)
    for table, parts in enumerate(_KEY_PARTS):
        key = np.zeros(len(descriptors), np.int32)
        for byte, part in parts:
            key |= part[columns[byte]]
        keys[:, table] = key
    return keys


def _stable_order(keys: np.ndarray) -> np.ndarray:
    """np.argsort(keys, kind="stable") of keys under 2^32, as two passes over 16 bits each
    (numpy sorts 16-bit numbers by radix: three times as fast for a big table). int32."""
    low = np.argsort((keys & 0xFFFF).astype(np.uint16), kind="stable")
    high = np.argsort((keys[low] >> 16).astype(np.uint16), kind="stable")
    order: np.ndarray = low[high].astype(np.int32)
    return order


def words_of(descriptors: np.ndarray) -> np.ndarray:
    """(K, 4) uint64 words of (K, 32) uint8 descriptors, for XOR and popcount."""
    return np.ascontiguousarray(descriptors).view(np.uint64).reshape(-1, DESCRIPTOR_BYTES // 8)


@dataclass(frozen=True)
class Pairs:
    """Close descriptor pairs of one stored poster: the upload's keypoint (index), the stored
    keypoint's position (shares of the poster) and the Hamming distance of each."""

    scene: np.ndarray
    stored: np.ndarray
    bits: np.ndarray
    # the placement they agree on: the poster's centre in the upload (pixels), its scale
    # (upload pixels per stored pixel) and its turn (radians)
    placement: tuple[float, float, float, float] = (0.0, 0.0, 1.0, 0.0)


class _Tables:
    """One set of hash tables over the keypoints of some rows, with what a vote needs of each
    keypoint: its row, position, pyramid level and orientation."""

    def __init__(self, parts: list[tuple[int, Features]], direct: bool = False) -> None:
        parts = [(row, f) for row, f in parts if len(f)]
        none = np.empty(0, np.int16)
        self.owners = np.concatenate([np.full(len(f), r) for r, f in parts] or [none])
        self.owners = self.owners.astype(np.int32)
        self.points = np.concatenate([f.points for _, f in parts] or [np.empty((0, 2))])
        self.points = self.points.astype(np.float32)
        self.levels = np.concatenate([f.levels for _, f in parts] or [none]).astype(np.int16)
        self.angles = np.concatenate([f.angles for _, f in parts] or [none]).astype(np.int16)
        descriptors = np.concatenate(
            [f.descriptors for _, f in parts] or [np.empty((0, DESCRIPTOR_BYTES), np.uint8)]
        )
        self.words = words_of(descriptors)
        keys = keys_of(descriptors) if len(descriptors) else np.empty((0, TABLES), np.int64)
        self.order = np.stack([_stable_order(column) for column in keys.T])  # (T, N) int32
        self.keys = np.take_along_axis(keys.T, self.order, 1).astype(np.int32)  # sorted, (T, N)
        # Large main tables: where each key's run starts, for every possible key (4 MB a table),
        # so a lookup is two reads instead of two binary searches of the table (not the recent
        # tables: they are rebuilt at each addition)
        self.starts: np.ndarray | None = None
        if direct and len(descriptors) >= DIRECT_FROM:
            self.starts = np.zeros((TABLES, (1 << KEY_BITS) + 1), np.int32)
            for table in range(TABLES):
                counts = np.bincount(self.keys[table], minlength=1 << KEY_BITS)
                np.cumsum(counts, out=self.starts[table, 1:])

    def _run(self, table: int, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(start, count) of each key's run in the sorted table."""
        if self.starts is not None:
            starts = self.starts[table, keys]
            return starts, self.starts[table, keys + 1] - starts
        starts = np.searchsorted(self.keys[table], keys, "left")
        return starts, np.searchsorted(self.keys[table], keys, "right") - starts

    def close(self, keys: np.ndarray, words: np.ndarray) -> tuple[np.ndarray, ...]:
        """(upload keypoint, stored keypoint, bits) of the pairs sharing a key in any table
        (not a crowded one) and within MATCH_BITS."""
        queries, found = [], []
        for table in range(TABLES):
            starts, counts = self._run(table, keys[:, table])
            counts[counts > CROWDED] = 0
            total = int(counts.sum())
            if not total:
                continue
            queries.append(np.repeat(np.arange(len(keys)), counts))
            first = np.repeat(np.cumsum(counts) - counts, counts)
            found.append(self.order[table, np.repeat(starts, counts) + np.arange(total) - first])
        if not queries:
            return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.int64)
        q, s = np.concatenate(queries), np.concatenate(found)
        bits = np.bitwise_count(words[q] ^ self.words[s]).sum(1)
        close = bits <= MATCH_BITS
        return q[close], s[close], bits[close]


@dataclass(frozen=True, eq=False)
class _Built:
    """The tables of a FeatureIndex as last built, with what says which rows they cover. Never
    changed in place: a search that rebuilds some assigns a new one whole."""

    main: _Tables
    main_rows: int  # rows the main tables cover (-1: to be rebuilt)
    stale: np.ndarray  # per row: its main-table copy is out of date
    recent: _Tables | None  # None: to be rebuilt
    recent_rows: int  # rows there were when the recent tables were built
    newest: _Tables | None  # None: to be rebuilt


class FeatureIndex:
    """The stored posters' keypoints, by row (the same rows as HashIndex's), in three sets of
    tables: the main ones; the recent ones (rows added or replaced since the main ones were
    built, up to a tenth of them); the newest (rows added since the recent ones were built, up
    to NEWEST). An addition rebuilds only the newest tables, a few rows; the recent ones are
    rebuilt every NEWEST additions (at 10,000 posters a rebuild of a thousand recent rows takes
    a sixth of a second), the main ones when the recent ones grow past a tenth of them.

    ``set``, ``extend`` and ``swap_remove`` change this object: they are for a ``copy`` no
    search can see yet (HashIndex.updated). Searches of one index may run at once: the tables
    they build are assigned whole (_Built), and the copy shares them."""

    NEWEST = 16

    def __init__(self) -> None:
        self._features: list[Features | None] = []
        self._sides = np.empty((0, 2), np.float32)  # (width, height) pixels at features.side
        self._built = _Built(_Tables([]), 0, np.empty(0, bool), None, 0, None)

    def copy(self) -> FeatureIndex:
        """Another index of the same rows, sharing the tables built so far."""
        other = FeatureIndex()
        other._features, other._sides, other._built = list(self._features), self._sides, self._built
        return other

    def set(self, row: int, features: Features | None, aspect: float) -> None:
        """The keypoints of ``row`` (a new row is the next one) and the width/height of the
        picture they were found in."""
        if row == len(self._features):
            self.extend([(features, aspect)])
            return
        built = self._built
        self._features[row] = features
        self._sides = self._sides.copy()
        self._sides[row] = _sides(features, aspect)
        stale = built.stale.copy()
        stale[row] = row < built.main_rows
        recent = None if row < built.recent_rows else built.recent
        self._built = replace(built, stale=stale, recent=recent, newest=None)

    def extend(self, rows: list[tuple[Features | None, float]]) -> None:
        """New rows after the last: their keypoints and pictures' width/height."""
        self._features += [features for features, _ in rows]
        sides = [_sides(features, aspect) for features, aspect in rows]
        self._sides = np.concatenate([self._sides, np.reshape(sides, (-1, 2))])
        stale = np.concatenate([self._built.stale, np.zeros(len(rows), bool)])
        self._built = replace(self._built, stale=stale, newest=None)

    def swap_remove(self, row: int) -> None:
        """Forget ``row``; the last row moves into its place (HashIndex.updated). Rare (an
        entry deleted, as the purge does): the tables are rebuilt at the next search."""
        moved, sides = self._features.pop(), self._sides[:-1].copy()
        if row < len(self._features):
            self._features[row], sides[row] = moved, self._sides[-1]
        self._sides = sides
        self._built = replace(self._built, main_rows=-1, stale=self._built.stale[:-1])

    def _tables(self, rows: np.ndarray, direct: bool = False) -> _Tables:
        parts = [(int(r), f) for r in rows if (f := self._features[r]) is not None]
        return _Tables(parts, direct)

    def _current(self) -> list[tuple[_Tables, np.ndarray | None]]:
        """The tables as they should be now (rebuilt where they are not), each with the rows
        whose copy in it is live (None: all)."""
        built, rows = self._built, len(self._features)
        main, main_rows, stale = built.main, built.main_rows, built.stale
        recent, recent_rows, newest = built.recent, built.recent_rows, built.newest
        pending = np.flatnonzero((np.arange(rows) >= main_rows) | stale)
        if main_rows < 0 or len(pending) > max(64, main_rows // 10):
            main, main_rows, recent = self._tables(np.arange(rows), direct=True), rows, None
            stale, pending = np.zeros(rows, bool), pending[:0]
        if recent is None or (newest is None and rows - recent_rows > self.NEWEST):
            recent, recent_rows, newest = self._tables(pending), rows, None
        if newest is None:
            newest = self._tables(np.arange(recent_rows, rows))
        if newest is not built.newest:
            self._built = _Built(main, main_rows, stale, recent, recent_rows, newest)
        return [(main, ~stale), (recent, None), (newest, None)]

    def search(
        self, scene: Features, wanted: int, skip: Sequence[int] = ()
    ) -> list[tuple[int, int, Pairs]]:
        """The stored rows whose keypoints agree best on a placement in the upload, best
        first: (row, score, the pairs of that placement and those consistent with it); none
        of the rows ``skip``."""
        if not self._features or not len(scene):
            return []
        current = self._current()
        keys, words = keys_of(scene.descriptors), words_of(scene.descriptors)
        allowed = np.ones(len(self._features), bool)
        allowed[list(skip)] = False
        parts = []
        for tables, live in current:
            q, s, bits = tables.close(keys, words)
            keep = allowed if live is None else allowed & live
            if len(skip) or live is not None:
                kept = keep[tables.owners[s]]
                q, s, bits = q[kept], s[kept], bits[kept]
            parts.append(
                (q, bits, tables.owners[s], tables.points[s], tables.levels[s], tables.angles[s])
            )
        q, bits, owners, points, levels, angles = (
            np.concatenate(p) for p in zip(*parts, strict=True)
        )
        if not len(q):
            return []
        return _placements(
            scene, Pairs(q, points, bits), owners, levels, angles, self._sides, wanted
        )


def _sides(features: Features | None, aspect: float) -> np.ndarray:
    """(width, height) in pixels of the picture ``features`` were found in, at its side."""
    side = 0 if features is None else features.side
    return np.array([side * min(1.0, aspect), side * min(1.0, 1 / aspect)], np.float32)


def _placements(
    scene: Features,
    pairs: Pairs,
    owners: np.ndarray,
    levels: np.ndarray,
    angles: np.ndarray,
    row_sides: np.ndarray,
    wanted: int,
) -> list[tuple[int, int, Pairs]]:
    """Each pair's vote for a placement of its poster (see the module docstring); the rows
    with the largest agreeing bins."""
    q = pairs.scene
    sides = row_sides[owners]
    step = scene.levels[q].astype(np.int64) - levels
    # the scene's keypoints were found at long side SCENE_SIDE but are placed in pixels of the
    # picture as it came
    found_at = scene.side / min(scene.side, SCENE_SIDE)
    scale = SCALE_STEP**step * found_at
    turn = (scene.angles[q].astype(np.int64) - angles) * (2 * np.pi / 256)
    offset = (0.5 - pairs.stored) * sides  # stored keypoint -> stored centre, stored pixels
    cos, sin = np.cos(turn), np.sin(turn)
    centre = scene.points[q] + scale[:, None] * np.stack(
        [cos * offset[:, 0] - sin * offset[:, 1], sin * offset[:, 0] + cos * offset[:, 1]], 1
    )
    long_side = sides.max(1)
    size = scale * long_side
    scores = np.zeros(len(row_sides), np.int64)
    chosen = np.full(len(row_sides), -1, np.int64)
    bins: list[np.ndarray] = []
    for shift in (0.0, 0.5):
        level_bin = np.floor(step / LEVELS_PER_BIN + shift).astype(np.int64)
        cell = CELL * SCALE_STEP ** (LEVELS_PER_BIN * (level_bin - shift)) * long_side * found_at
        turn_bin = np.floor(turn / (2 * np.pi) * TURN_BINS + shift).astype(np.int64) % TURN_BINS
        cx = np.clip(np.floor(centre[:, 0] / cell + shift), -4096, 4095).astype(np.int64)
        cy = np.clip(np.floor(centre[:, 1] / cell + shift), -4096, 4095).astype(np.int64)
        place = (owners.astype(np.int64) * 16 + np.clip(level_bin + 8, 0, 15)) * TURN_BINS
        place = ((place + turn_bin) * 8192 + cx + 4096) * 8192 + cy + 4096
        _, bin_of = np.unique(place, return_inverse=True)
        bin_of = bin_of.ravel()
        voters = np.unique(bin_of * len(scene) + q) // len(scene)
        counts = np.bincount(voters, minlength=int(bin_of.max()) + 1)
        per_pair = counts[bin_of]
        better = np.lexsort((-per_pair, owners))  # per row, its largest bin's pair first
        firsts = better[np.r_[True, owners[better][1:] != owners[better][:-1]]]
        rows, best = owners[firsts], per_pair[firsts]
        improve = best > scores[rows]
        scores[rows[improve]] = best[improve]
        chosen[rows[improve]] = firsts[improve] + len(bins) * len(q)
        bins.append(bin_of)
    out = []
    for row in np.argsort(-scores, kind="stable")[:wanted]:
        if scores[row] <= 0:
            break
        grid, pair = divmod(int(chosen[row]), len(q))
        members = np.flatnonzero(bins[grid] == bins[grid][pair])
        # the pairs of the row whose placement is near the bin's: centre within half the
        # poster's size, the same size within a bin
        mine = np.flatnonzero(owners == row)
        centre0, size0 = np.median(centre[members], 0), np.median(size[members])
        near = np.linalg.norm(centre[mine] - centre0, axis=1) <= 0.5 * size0
        near &= np.abs(np.log(size[mine] / size0)) <= np.log(SCALE_STEP) * LEVELS_PER_BIN
        keep = mine[near]
        turn0 = float(np.angle(np.exp(1j * turn[members]).mean()))
        placement = (float(centre0[0]), float(centre0[1]), float(np.median(scale[members])), turn0)
        out.append(
            (
                int(row),
                int(scores[row]),
                Pairs(q[keep], pairs.stored[keep], pairs.bits[keep], placement),
            )
        )
    return out
