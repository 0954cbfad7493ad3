"""The hash index of one contest, and the rules that call two posters duplicate or similar.

Stage one, the candidate filter: the stored window hashes of every entry in one uint64 array,
compared by XOR + popcount with the query's whole picture and windows in its four quarter
turns (a stored window against the query's whole picture finds a cropped copy; the stored
whole picture against a query window finds the original of a stored crop). The closest rows
form a pool. Stage two (verify.quick_check): the pool's thumbnails are correlated under the
alignment the matching windows imply, all at once (a row that fails, for a copy taller than
it, again under that alignment with a viewer's frame above and below). Stage three
(verify.compare): the best few are aligned on their signatures and compared block by block;
the share of differing blocks, and how much of the stored poster's detail (text, edges) the
copy keeps, decide.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Container, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np

from contest.core.models import FlagLevel
from contest.dedupe import inside, located, verify
from contest.dedupe.feature_index import FeatureIndex
from contest.dedupe.features import Scene
from contest.dedupe.frames import different_picture_in_frame
from contest.dedupe.hashes import THUMB_SIDE, TURNS, WINDOWS, PosterHashes


@dataclass(frozen=True)
class Evidence:
    """What the detector measured for one pair, kept with the flag for the reviewer.

    Pictures are compared after plain borders are trimmed (padding, letterbox bars, a
    desktop around a screenshot) and a slight tilt is turned back; "stored" is the entry
    already in the contest, "copy" the one being checked.
    """

    hash_bits: int  # stage one: distance of the closest window hashes (of 64 bits)
    # stage two: thumbnails' correlation under the implied alignment (framed: a screenshot's viewer
    # frame, when the quick check passed only that way)
    quick_correlation: float
    differing_share: float  # share of the compared blocks that differ (0-1)
    overlap_share: float  # share of the stored picture's blocks the aligned copy covers
    correlation: float  # correlation of the aligned pictures over their overlap
    # share of the stored picture's fine detail (letters, corners at 256 px; weighted by its
    # energy, less what lies along one straight edge) that the copy repeats: under 0.75, other
    # text on the same picture (a template), at most "similar"
    detail_kept: float
    replaced: float  # how two-signed the change is (text replaced rather than marks added)
    colour_checked: bool  # both pictures have colour, and blocks were compared in colour too
    turn_degrees: int  # the copy turned counter-clockwise by this (0, 90, 180, 270) stands upright
    tilt_degrees: float  # and by this slight further turn (degrees) lines up with the stored one
    scale: float  # how much larger the stored content appears in the copy (1.18: a 15% crop)
    # (left, top, right, bottom): share of the stored picture's width / height the copy
    # leaves out on that side; negative where the copy shows more (padding, another frame).
    crop: tuple[float, float, float, float]
    # Rows of blocks over the stored picture, top to bottom, each left to right (16 x 16, one
    # block = 1/16 of the width and of the height): 1 differs, 0 the same, -1 not compared
    # (outside the copy).
    mask: tuple[tuple[int, ...], ...]
    # When the stored poster was found inside a bigger picture (a screenshot, a photo of a
    # screen): "quad", its corners in shares of the upload's width and height (top left, top
    # right, bottom right, bottom left); "shown", the part of the poster the upload shows;
    # "inliers", keypoint pairs the perspective map explains. None for a whole-picture copy.
    located: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        data = {name: getattr(self, name) for name in self.__dataclass_fields__}
        data["crop"] = dict(zip(("left", "top", "right", "bottom"), self.crop, strict=True))
        data["mask"] = [list(row) for row in self.mask]
        if self.located is None:
            del data["located"]
        return data


@dataclass(frozen=True)
class Match:
    entry_id: int
    level: FlagLevel
    distance: float
    evidence: Evidence


@dataclass(frozen=True)
class Candidate:
    """A stored row that passed stage one and the quick check, with the alignment its hashes
    imply: the query turned by ``turn`` quarter turns, window ``stored_window`` of the stored
    picture on window ``query_window`` of the query."""

    row: int
    bits: int
    turn: int
    stored_window: int
    query_window: int
    quick: float
    # (left, top, right, bottom): what more the copy shows around the poster when the quick
    # check passed only that way (a screenshot's viewer frame; verify.FRAMES)
    margin: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)

    def warp(self) -> np.ndarray:
        """The alignment (at 32x32) verification starts from."""
        implied = verify.window_warp(
            WINDOWS[self.stored_window], WINDOWS[self.query_window], THUMB_SIDE
        )
        return verify.framed(implied, self.margin, THUMB_SIDE)


CANDIDATE_BITS = 22  # closest window distance (of 64 bits) that makes a row a candidate
POOL = 48  # closest candidates given the quick check
QUICK_MIN = 0.55  # thumbnail correlation a candidate needs to be verified
# ... or this under one of verify.FRAMES (a screenshot with its viewer frame; tried only for a
# candidate that fails: more alignments tried, a higher bar; on the tuning seeds such copies
# reach 0.98; unrelated pool rows failing the first check, all framed: at most 0.92, 3 of
# 8,460 at 0.9 or more)
FRAMED_MIN = 0.9
# ... and only when the copy is taller for its width than the stored poster by more than this
# factor, as a frame above and below makes it (tuning seeds' screenshots: 1.03-1.11; posters of
# one format: 1.0, so a contest's chance candidates cost nothing more)
FRAMED_TALLER = 1.02
SURE_BITS = 6  # ... unless its hashes are this close (a faint, smooth poster's thumbnail is flat)
MAX_CANDIDATES = 8  # best candidates verified per query (upload: bounded time)
# Stored posters with the most keypoint votes (feature_index.py) looked for inside the upload
# (in a folder scan SCAN_INSIDE: a poster's own copies crowd the best places), and the votes
# one needs: a poster small and blurred in a photo gets few (23% of a photo's width: 7);
# a chance candidate with as many is given up by the locating step or the comparison (at 6
# instead of 8 the upload's search took no longer, a folder scan of photos 7% longer: round 9)
INSIDE_CANDIDATES = 6
MIN_VOTES = 6
# A poster found inside an upload is "similar" only when the upload shows this share of its
# area or more: "similar" says the two share most of their picture, which a part cut off at a
# window's edge or hidden under a bar cannot show (two posters with one word in one place,
# their lower halves compared, are not similar); a part shown may still be a duplicate
SIMILAR_SHOWN = 0.9
SCAN_CANDIDATES = 16  # in a folder scan a poster's own copies and its template siblings crowd
# ... and inside a capture, fewer: any copy of the poster found there pairs the capture with
# the others (scan._through); at 16 the tuning scans took 10-15% longer for the same pairs
SCAN_INSIDE = 12
ASPECT_RANGE = 1.4  # a copy's width/height is within this factor of the original's
MIN_OVERLAP = 0.5  # share of the stored picture's blocks the aligned query must cover (a 15% crop
# of both dimensions leaves 56% whole blocks)
MIN_DETAIL = 3  # compared blocks with detail needed to say anything (a blank gradient: no)
DUPLICATE_SHARE = 0.15  # at most this share of blocks differs: a copy
SIMILAR_SHARE = 0.3  # at most this: the same picture with other text (template)
DUPLICATE_CORRELATION = 0.8  # and the aligned pictures must correlate this well overall
SIMILAR_CORRELATION = 0.6
DUPLICATE_DETAIL = 0.75  # and repeat this share of the stored picture's fine detail (text)
# A pair differing in more than this share of its blocks is "similar" only if the copy repeats
# at least SMOOTH_DETAIL of the stored poster's fine detail. Below it what agrees is smooth:
# flat fills, gradients, a layout of bands, which two unrelated smooth posters share (in grey
# above all, where colour no longer tells them apart). A template's other text leaves its
# background's detail (tuning: unrelated smooth pairs called "similar" 0.22-0.28 differing,
# detail 0.00-0.19; template pairs over 0.2 differing, detail 0.00-0.75).
SMOOTH_SHARE = 0.2
SMOOTH_DETAIL = 0.1
# The alignment must end near the copies the search is for (tilts of a few degrees, crops,
# padding, screenshots): a smooth unrelated picture can "align" at 8 degrees or half the size.
MAX_TILT = 6.0
SCALE_RANGE = (0.7, 1.45)
DUPLICATE = verify.Duplicate(DUPLICATE_SHARE, DUPLICATE_CORRELATION, DUPLICATE_DETAIL)
# compare gives up on a pair as soon as it cannot reach "similar" (most chance candidates), and
# looks a second time at one that falls short of "duplicate"
BOUNDS = verify.Bounds(
    min_correlation=SIMILAR_CORRELATION,
    max_tilt=MAX_TILT,
    scales=SCALE_RANGE,
    min_overlap=MIN_OVERLAP,
    max_differing=SIMILAR_SHARE,
    duplicate=DUPLICATE,
)
_LEVEL_ORDER = {FlagLevel.DUPLICATE: 0, FlagLevel.SIMILAR: 1}
_ARRAYS = ("_ids", "_hashes", "_thumbs", "_log_aspects", "_tilts")


class HashIndex:
    """Stored window hashes in one uint64 array, searched with XOR and popcount; thumbnails in
    one uint8 array for the quick check; signatures (JPEG bytes) and colour maps per row for
    the verification of the few best candidates.

    An index never changes once built: ``updated`` makes a new one, sharing what it can, so a
    search running in another thread (DedupeIndexes hands the same index to every upload of a
    contest) reads one consistent set of rows. The search's layout and keypoint tables are
    built when first needed, each kept in one attribute assigned whole. Rebuilt from the
    database at start-up; it is never the only copy of a hash.
    """

    def __init__(self) -> None:
        self._ids = np.empty(0, np.int64)
        self._hashes = np.empty((0, len(WINDOWS)), np.uint64)
        self._thumbs = np.empty((0, THUMB_SIDE, THUMB_SIDE), np.uint8)
        self._log_aspects = np.empty(0, np.float64)  # log(width / height), per row
        self._tilts = np.empty(0, np.float64)
        self._details: list[PosterHashes] = []
        self._rows: dict[int, int] = {}
        # the search's layout (see _by_shape), built when first needed
        self._layout: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._keypoints = FeatureIndex()

    @classmethod
    def build(cls, items: Iterable[tuple[int, PosterHashes]]) -> HashIndex:
        return cls().updated(added=items)

    def __len__(self) -> int:
        return len(self._rows)

    def updated(
        self,
        removed: Iterable[int] = (),
        added: Iterable[tuple[int, PosterHashes]] = (),
    ) -> HashIndex:
        """A new index: this one without the entries ``removed`` (gone from the database;
        the last row moves into each gap), then with ``added`` (an entry held already gets
        the new hashes in its row, new ones are appended). This index stays as it was."""
        index = HashIndex()
        index._details, index._rows = list(self._details), dict(self._rows)
        index._keypoints = self._keypoints.copy()
        arrays = {name: getattr(self, name) for name in _ARRAYS}
        gone = [entry_id for entry_id in dict.fromkeys(removed) if entry_id in self._rows]
        changes = {int(entry_id): hashes for entry_id, hashes in added}
        if gone or any(entry_id in self._rows for entry_id in changes):
            arrays = {name: array.copy() for name, array in arrays.items()}  # written below
        for entry_id in gone:
            row, last = index._rows.pop(entry_id), len(index._details) - 1
            if row != last:
                for array in arrays.values():
                    array[row] = array[last]
                index._details[row] = index._details[last]
                index._rows[int(arrays["_ids"][row])] = row
            arrays = {name: array[:last] for name, array in arrays.items()}
            index._details.pop()
            index._keypoints.swap_remove(row)
        appended: list[tuple[int, PosterHashes]] = []
        for entry_id, hashes in changes.items():
            held = index._rows.get(entry_id)
            if held is None:
                index._rows[entry_id] = len(index._details)
                index._details.append(hashes)
                appended.append((entry_id, hashes))
                continue
            index._details[held] = hashes
            for array, value in zip(arrays.values(), _row_values(entry_id, hashes), strict=True):
                array[held] = value
            index._keypoints.set(held, hashes.features, hashes.aspect)
        if appended:
            columns = zip(*(_row_values(e, h) for e, h in appended), strict=True)
            for (name, array), values in zip(arrays.items(), columns, strict=True):
                arrays[name] = np.concatenate([array, np.asarray(values, array.dtype)])
            index._keypoints.extend([(h.features, h.aspect) for _, h in appended])
        for name, array in arrays.items():
            setattr(index, name, array)
        return index

    def _by_shape(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The hashes as (window, row) with the rows in order of their width/height, the order
        (sorted row -> row) and the sorted log aspects: each window's words contiguous for fast
        XOR, and the rows of a compatible shape one contiguous slice."""
        layout = self._layout
        if layout is None:
            order = np.argsort(self._log_aspects, kind="stable")
            layout = np.ascontiguousarray(self._hashes[order].T), order, self._log_aspects[order]
            self._layout = layout
        return layout

    def nearest(
        self, hashes: PosterHashes, within: int = CANDIDATE_BITS
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Stage one: the rows whose closest window distance (bits of 64) over the query's
        quarter turns is at most ``within``, with that distance and the first turn giving it.

        Per turn, only the rows whose shape the turned query can have (upright or upside down
        the same width/height, turned a quarter the inverse, within ASPECT_RANGE) are
        compared: posters mostly share one orientation, so the quarter turns cost little. In
        one buffer: every stored window against the query's whole picture, and the stored
        whole picture against every query window.
        """
        columns, order, logs = self._by_shape()
        query, limit = math.log(hashes.aspect), math.log(ASPECT_RANGE)
        slices = []
        for turn in range(TURNS):
            centre = query if turn % 2 == 0 else -query
            lo = int(np.searchsorted(logs, centre - limit, side="left"))
            hi = int(np.searchsorted(logs, centre + limit, side="right"))
            slices.append((lo, hi))
        widest = max(hi - lo for lo, hi in slices)
        words = np.empty(len(WINDOWS) * widest, np.uint64)
        bits = np.empty(len(WINDOWS) * widest, np.uint8)
        per_turn = np.full((TURNS, len(order)), 255, np.uint8)  # rows in shape order
        for (lo, hi), views, best in zip(slices, hashes.query, per_turn, strict=True):
            if lo == hi:
                continue
            part = columns[:, lo:hi]
            buffer = words[: part.size].reshape(part.shape)
            counts = bits[: part.size].reshape(part.shape)
            np.bitwise_xor(part, views[0], out=buffer)
            np.bitwise_count(buffer, out=counts)
            counts.min(0, out=best[lo:hi])
            np.bitwise_xor(part[0][None], views[:, None], out=buffer)
            np.bitwise_count(buffer, out=counts)
            np.minimum(best[lo:hi], counts.min(0), out=best[lo:hi])
        closest = np.minimum.reduce(per_turn)
        found = np.flatnonzero(closest <= within)
        turns = per_turn[:, found].argmin(0)
        return order[found], closest[found].astype(np.int64), turns.astype(np.int64)

    def _windows(self, row: int, hashes: PosterHashes, turn: int) -> tuple[int, int, int]:
        """(bits, stored window, query window) of the closest window pair of one row."""
        stored, views = self._hashes[row], hashes.query[turn]
        ahead = np.bitwise_count(stored ^ views[0])  # stored windows on the whole query
        behind = np.bitwise_count(stored[0] ^ views)  # the whole stored picture on query windows
        if ahead.min() <= behind.min():
            return int(ahead.min()), int(ahead.argmin()), 0
        return int(behind.min()), 0, int(behind.argmin())

    def candidates(
        self, hashes: PosterHashes, exclude: Collection[int] = (), limit: int = MAX_CANDIDATES
    ) -> list[Candidate]:
        """Stages one and two: the rows worth verifying, at most ``limit``, best first."""
        if not self._rows:
            return []
        rows, distances, turns = self.nearest(hashes)
        ranked = np.lexsort((rows, distances))
        pool = [int(i) for i in ranked if self._ids[rows[i]] not in exclude][:POOL]
        if not pool:
            return []
        found = [
            (int(rows[i]), int(turns[i]), *self._windows(int(rows[i]), hashes, int(turns[i])))
            for i in pool
        ]
        pooled = rows[pool]
        warps = np.stack(
            [verify.window_warp(WINDOWS[s], WINDOWS[q], THUMB_SIDE) for _, _, _, s, q in found]
        )
        quick = np.empty(len(found))
        frames = np.full(len(found), -1)
        turns = np.array([t for _, t, *_ in found])
        near = np.array([bits <= SURE_BITS for _, _, bits, *_ in found])
        query_logs = np.where(turns % 2 == 0, 1.0, -1.0) * math.log(hashes.aspect)
        taller = self._log_aspects[pooled] - query_logs > math.log(FRAMED_TALLER)
        for turn in set(turns.tolist()):
            at = turns == turn
            thumb = np.rot90(hashes.thumb, turn)
            quick[at] = verify.quick_check(self._thumbs[pooled[at]], thumb, warps[at])
            failing = np.flatnonzero(at & (quick < QUICK_MIN) & ~near & taller)
            if len(failing):
                best, frame = verify.framed_check(
                    self._thumbs[pooled[failing]], thumb, warps[failing]
                )
                passed = best >= FRAMED_MIN
                quick[failing[passed]], frames[failing[passed]] = best[passed], frame[passed]
        out = [
            Candidate(row, bits, turn, s, q, round(float(c), 3), _margin(int(f)))
            for (row, turn, bits, s, q), c, f in zip(found, quick, frames, strict=True)
            if c >= QUICK_MIN or bits <= SURE_BITS
        ]
        return sorted(out, key=lambda c: (c.bits > SURE_BITS, -c.quick, c.bits, c.row))[:limit]

    def query(
        self,
        hashes: PosterHashes,
        *,
        exclude: Collection[int] = (),
        max_candidates: int = MAX_CANDIDATES,
    ) -> list[Match]:
        """Entries that look like a copy of ``hashes`` (duplicate) or share most of it.

        At most ``max_candidates`` best candidates are verified (time: ~1-2 ms each).
        """
        matches = []
        signature = hashes.signature
        turned: dict[int, verify.Prepared] = {}  # the query prepared once per quarter turn
        for candidate in self.candidates(hashes, exclude, max_candidates):
            if candidate.turn not in turned:
                turned[candidate.turn] = verify.Prepared(np.rot90(signature, candidate.turn))
            match = self._verify(candidate, hashes, turned[candidate.turn])
            if match is not None:
                matches.append(match)
        if hashes.scene is not None and self._rows:
            copies = {m.entry_id for m in matches if m.level == FlagLevel.DUPLICATE}
            matches += self._inside(hashes.scene, exclude, copies, max_candidates)
        best: dict[int, Match] = {}
        for match in sorted(matches, key=lambda m: (_LEVEL_ORDER[m.level], m.distance)):
            best.setdefault(match.entry_id, match)
        return sorted(best.values(), key=lambda m: (_LEVEL_ORDER[m.level], m.distance, m.entry_id))

    def _inside(
        self, scene: Scene, exclude: Collection[int], copies: Container[int], limit: int
    ) -> list[Match]:
        """The stored posters found inside the upload (located.py), best voted first; not
        those excluded (left out of the keypoint search, so they take no place in it), nor
        those already found as duplicates of the whole upload."""
        matches = []
        wanted = INSIDE_CANDIDATES if limit <= MAX_CANDIDATES else SCAN_INSIDE
        skip = [self._rows[entry_id] for entry_id in exclude if entry_id in self._rows]
        for row, votes, pairs in self._keypoints.search(scene.features, wanted, skip):
            entry_id = int(self._ids[row])
            stored = self._details[row]
            if votes < MIN_VOTES:
                break
            if entry_id in copies or stored.features is None:
                continue
            place = located.locate(stored.features, stored.aspect, scene, pairs)
            if place is None:
                continue
            verdict, level, place = inside.compare_inside(
                stored, scene, place, BOUNDS, partial(_level, stored=stored)
            )
            left, top, right, bottom = place.shown
            if level is None or (
                level == FlagLevel.SIMILAR and (right - left) * (bottom - top) < SIMILAR_SHOWN
            ):
                continue
            evidence = Evidence(
                hash_bits=64,
                quick_correlation=0.0,
                differing_share=round(verdict.differing, 3),
                overlap_share=round(verdict.overlap, 3),
                correlation=round(verdict.correlation, 3),
                detail_kept=round(verdict.detail_kept, 3),
                replaced=round(verdict.replaced, 3),
                colour_checked=verdict.colour_checked,
                turn_degrees=0,
                tilt_degrees=round(verdict.angle, 1),
                scale=1.0,
                crop=(round(left, 3), round(top, 3), round(1 - right, 3), round(1 - bottom, 3)),
                mask=verdict.mask,
                located={
                    "quad": [[round(x, 4), round(y, 4)] for x, y in place.quad],
                    "shown": dict(
                        zip(("left", "top", "right", "bottom"), place.shown, strict=True)
                    ),
                    "inliers": place.inliers,
                    "votes": votes,
                },
            )
            matches.append(Match(entry_id, level, round(verdict.differing, 3), evidence))
        return matches

    def _verify(
        self, candidate: Candidate, hashes: PosterHashes, query: verify.Prepared
    ) -> Match | None:
        stored = self._details[candidate.row]
        turn = candidate.turn
        aspect = hashes.aspect if turn % 2 == 0 else 1 / hashes.aspect
        colour = None if hashes.colour is None else np.rot90(hashes.colour, turn)
        verdict = verify.compare(
            verify.Prepared(stored.signature),
            query,
            candidate.warp(),
            (stored.aspect, aspect),
            (stored.colour, colour),
            BOUNDS,
        )
        level = _level(verdict, stored)
        if level is None:
            return None
        evidence = Evidence(
            hash_bits=candidate.bits,
            quick_correlation=candidate.quick,
            differing_share=round(verdict.differing, 3),
            overlap_share=round(verdict.overlap, 3),
            correlation=round(verdict.correlation, 3),
            detail_kept=round(verdict.detail_kept, 3),
            replaced=round(verdict.replaced, 3),
            colour_checked=verdict.colour_checked,
            turn_degrees=90 * turn,
            tilt_degrees=round(verdict.angle + hashes.tilt - stored.tilt, 1),
            scale=round(verdict.scale, 3),
            crop=verdict.crop,
            mask=verdict.mask,
        )
        entry_id = int(self._ids[candidate.row])
        return Match(entry_id, level, round(verdict.differing, 3), evidence)


def _row_values(entry_id: int, hashes: PosterHashes) -> tuple[Any, ...]:
    """What one row holds in each of _ARRAYS, in their order."""
    return entry_id, hashes.stored, hashes.thumb, math.log(hashes.aspect), hashes.tilt


def _margin(frame: int) -> tuple[float, float, float, float]:
    """The margin of verify.FRAMES[frame], none for -1 (the quick check passed as it was)."""
    if frame < 0:
        return (0.0, 0.0, 0.0, 0.0)
    left, top, right, bottom = verify.FRAMES[frame]
    return (left, top, right, bottom)


def _level(verdict: verify.Verdict, stored: PosterHashes) -> FlagLevel | None:
    if (
        verdict.overlap < MIN_OVERLAP
        or verdict.detail < MIN_DETAIL
        or abs(verdict.angle) > MAX_TILT
        or not SCALE_RANGE[0] <= verdict.scale <= SCALE_RANGE[1]
        or verdict.differing > SIMILAR_SHARE
        or verdict.correlation < SIMILAR_CORRELATION
        or different_picture_in_frame(verdict.mask, stored.aspect)
        or (verdict.differing > SMOOTH_SHARE and verdict.detail_kept < SMOOTH_DETAIL)
    ):
        return None
    if DUPLICATE.holds(verdict):
        return FlagLevel.DUPLICATE
    return FlagLevel.SIMILAR
