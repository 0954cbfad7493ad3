"""Keypoint pairs of a stored poster and an upload, found near where a first map puts them.

The hash tables of feature_index.py find only the pairs whose descriptors share a key: most
of a copy's corners differ in 10-25% of their bits, and a key of 20 bits survives that only
now and then. They are enough to say which posters may be in the upload and roughly where
(a placement, or a first perspective map fitted to them), and that is what makes matching
all of a poster's keypoints cheap: each stored keypoint is carried into the upload by that
map and paired with the closest descriptor among the upload's keypoints near that spot
(guided matching). A copy then gives several times as many pairs, spread over the whole
poster, so its map is fitted on all of it; a chance candidate gains nothing (its map puts
each keypoint among unrelated ones).
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

from contest.dedupe.feature_index import words_of
from contest.dedupe.features import Features

NEIGHBOURS = 8  # upload keypoints looked at around each carried stored keypoint
# bits (of 256) a pair found this way may differ in: more than a hash pair (which may be
# anywhere), as the map already says where it must be
GUIDED_BITS = 80


def carry(homography: np.ndarray, points: np.ndarray) -> np.ndarray:
    """(N, 2) points mapped by a (3, 3) homography."""
    moved = np.c_[points, np.ones(len(points))] @ homography.T
    out: np.ndarray = moved[:, :2] / np.where(np.abs(moved[:, 2:]) < 1e-9, 1e-9, moved[:, 2:])
    return out


def placement_map(placement: tuple[float, float, float, float], sides: np.ndarray) -> np.ndarray:
    """The (3, 3) map from stored pixels (a poster ``sides`` = (width, height) large) to
    upload pixels that a vote's placement (centre, scale, turn) stands for."""
    cx, cy, scale, turn = placement
    cos, sin = scale * np.cos(turn), scale * np.sin(turn)
    half = np.asarray(sides, np.float64) / 2
    shift = np.array([cx, cy]) - np.array([[cos, -sin], [sin, cos]]) @ half
    return np.array([[cos, -sin, shift[0]], [sin, cos, shift[1]], [0.0, 0.0, 1.0]])


def guided_pairs(
    stored: Features,
    source: np.ndarray,
    scene: Features,
    tree: cKDTree,
    homography: np.ndarray,
    radius: float,
    neighbours: int = NEIGHBOURS,
) -> tuple[np.ndarray, np.ndarray]:
    """(stored keypoint, upload keypoint) index pairs: each stored keypoint (at ``source``,
    stored pixels) carried by ``homography`` and paired with the closest descriptor among
    the ``neighbours`` upload keypoints nearest that spot within ``radius`` pixels, when within
    MATCH_BITS; an upload keypoint goes to one stored keypoint only (the closest)."""
    if not len(source) or not len(scene):
        return np.empty(0, np.int64), np.empty(0, np.int64)
    spots = carry(homography, source)
    count = min(neighbours, len(scene))
    distance, near = tree.query(spots, k=count, distance_upper_bound=radius)
    distance, near = distance.reshape(len(spots), count), near.reshape(len(spots), count)
    found = np.isfinite(distance)
    near = np.where(found, near, 0)
    bits = np.bitwise_count(
        words_of(stored.descriptors)[:, None, :] ^ words_of(scene.descriptors)[near]
    ).sum(2)
    bits = np.where(found, bits, 1 << 10)
    best = bits.argmin(1)
    closest = bits[np.arange(len(spots)), best]
    mine = np.flatnonzero(closest <= GUIDED_BITS)
    theirs = near[mine, best[mine]]
    order = np.lexsort((closest[mine], theirs))
    first = np.r_[True, theirs[order][1:] != theirs[order][:-1]]
    keep = order[first]
    return mine[keep], theirs[keep]
