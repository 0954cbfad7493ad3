"""The hash index of one contest, and the rules that call two posters duplicate or similar.

Stage one, the candidate filter: the stored view hashes of every entry in one uint64 array,
compared with a query's hashes in all its orientations by XOR + popcount, with loose
thresholds. Stage two (verify.py): the few closest candidates are aligned with the query on
their small greyscale signatures, and the share of the picture that differs decides duplicate,
similar or nothing.
"""

from __future__ import annotations

import itertools
from collections.abc import Container, Iterable
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from contest.core.models import FlagLevel
from contest.dedupe import verify
from contest.dedupe.hashes import SIG_SIDE, VIEWS, WORDS, PosterHashes
from contest.dedupe.hashing import TILTS

GLOBAL = np.array([0, 1, 2])  # indices of the whole-picture views
REGIONS = np.array([3, 4, 5, 6])


@dataclass(frozen=True)
class Evidence:
    """What the detector measured for one pair, kept with the flag for the reviewer."""

    global_bits: int  # stage one: closest whole-picture hash distance (of 128 bits)
    region_bits: int  # stage one: closest 60% region distance
    differing_share: float  # stage two: share of the compared blocks that differ
    overlap_share: float  # share of the stored picture the aligned copy covers
    correlation: float
    replaced: float  # how two-signed the change is (text replaced rather than marks added)
    turn_degrees: int
    tilt_degrees: float
    scale: float

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Match:
    entry_id: int
    level: FlagLevel
    distance: float
    evidence: Evidence


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
_LEVEL_ORDER = {FlagLevel.DUPLICATE: 0, FlagLevel.SIMILAR: 1}


class HashIndex:
    """Stored view hashes in one uint64 array, searched with XOR and popcount; signatures in
    one uint8 array for the verification of the few candidates.

    Rebuilt from the database at start-up; it is never the only copy of a hash.
    """

    def __init__(self) -> None:
        self._ids = np.empty(0, np.int64)
        self._hashes = np.empty((0, len(VIEWS), WORDS), np.uint64)
        self._sigs = np.empty((0, SIG_SIDE, SIG_SIDE), np.uint8)
        self._aspects = np.empty(0, np.float64)
        self._rows: dict[int, int] = {}
        self._columns: np.ndarray | None = None

    @classmethod
    def build(cls, items: Iterable[tuple[int, PosterHashes]]) -> HashIndex:
        index = cls()
        rows = [(int(i), h.stored, h.signature, h.aspect) for i, h in items]
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

    def add(self, entry_id: int, hashes: PosterHashes) -> None:
        stored, sig, aspect = hashes.stored, hashes.signature, hashes.aspect
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

    def distances(self, hashes: PosterHashes) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per stored row: best whole-picture bits, best region bits, and the query group used.

        In place on uint8 buffers (two words of popcount are at most 128): ~3x fewer passes
        over memory than summing int64 copies.
        """
        query = hashes.query
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
            total: np.ndarray = np.add(counts[0], counts[1], out=bits)
            return total

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
        self, hashes: PosterHashes, exclude: Container[int] = (), limit: int = MAX_CANDIDATES
    ) -> list[tuple[int, int, int, int]]:
        """Stage one: (row, whole bits, region bits, group) of the closest rows, at most
        ``limit``, closest first."""
        best, region, group = self.distances(hashes)
        near = np.flatnonzero((best <= CANDIDATE_BITS) | (region <= CANDIDATE_REGION_BITS))
        rows = [
            int(r)
            for r in near[np.lexsort((region[near], best[near]))]
            if self._ids[r] not in exclude
        ]
        return [(r, int(best[r]), int(region[r]), int(group[r])) for r in rows[:limit]]

    def query(
        self,
        hashes: PosterHashes,
        *,
        exclude: Container[int] = (),
        max_candidates: int = MAX_CANDIDATES,
    ) -> list[Match]:
        """Entries that look like a copy of ``hashes`` (duplicate) or share most of it.

        At most ``max_candidates`` closest candidates are verified (time: ~2-5 ms each).
        """
        if not self._rows:
            return []
        sig, aspect = hashes.signature, hashes.aspect
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
            level = FlagLevel.DUPLICATE if duplicate else FlagLevel.SIMILAR
            evidence = Evidence(
                global_bits=bits,
                region_bits=region,
                differing_share=round(verdict.differing, 3),
                overlap_share=round(verdict.overlap, 3),
                correlation=round(verdict.correlation, 3),
                replaced=round(verdict.replaced, 3),
                turn_degrees=90 * turn,
                tilt_degrees=round(verdict.angle, 1),
                scale=round(verdict.scale, 3),
            )
            matches.append(Match(int(self._ids[row]), level, verdict.differing, evidence))
        return sorted(matches, key=lambda m: (_LEVEL_ORDER[m.level], m.distance, m.entry_id))
