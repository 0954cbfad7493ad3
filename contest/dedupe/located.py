"""A stored poster found inside an upload (a screenshot, a desktop capture, a photo of a screen
or a print) and cut out of it, to be compared as any copy is.

``locate`` starts from the keypoint pairs the hash tables found for the poster (those voting
for one placement), pairs every stored keypoint near where a first map puts it (matching.py)
and fits a homography with RANSAC (OpenCV's USAC/MAGSAC): a perspective map, so a photo whose
left and right edges lean differently is fitted as well as a flat screenshot. The fit must
place the poster as a plausible picture of it: a convex quadrilateral, corners at nearly
right angles (a photo 2-4 degrees off square leans a little), at least a fifth of the
upload's width, and not the whole upload (that is a copy of the whole picture, which the
window hashes handle, and the only way two screenshots of different posters in one browser
frame could "match": by their frame).

``cut_out`` then samples the part of the poster the upload shows (a phone or a desktop page
can hide its lower part below the fold) as a signature and a colour map, upright and square
like a stored poster's, so verify.compare judges it by the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from contest.dedupe.feature_index import Pairs
from contest.dedupe.features import SCENE_SIDE, Features, Scene
from contest.dedupe.hashes import COLOUR_SIDE, SIG_SIDE
from contest.dedupe.hashing import colour_map
from contest.dedupe.matching import NEIGHBOURS, guided_pairs, placement_map

MIN_INLIERS = 12  # keypoint pairs the homography must explain
MIN_FIRST = 8  # hash pairs a first map is fitted to (fewer: the placement they voted for)
FIRST_RADIUS = 0.04  # guided matching around a first map: this share of the poster's diagonal
PLACED_RADIUS = 0.15  # ... around a placement
RANSAC_PIXELS = 5.0  # reprojection error allowed, pixels at the scene's SCENE_SIDE
MIN_WIDTH = 0.18  # the located poster spans at least this share of the upload's width...
MAX_AREA = 0.85  # ...and covers at most this share of the upload (else: a whole copy)
MAX_SKEW = 12.0  # degrees a corner of the located poster may be off a right angle
MIN_SHOWN = 0.45  # share of the poster's height (and width) the upload must show
FLAT_SHARE = 0.98  # a flat map is taken when it explains this share of the perspective's pairs
MIN_SPREAD = 0.25  # ... or when those pairs cover less than this share of the poster's area
AFFINE_SPREAD = 0.15  # ... then an affine map, when they cover this share (less: a text line)


@dataclass(frozen=True)
class Located:
    """Where a stored poster lies in an upload."""

    homography: np.ndarray  # (3, 3): stored poster shares (x, y) -> scene pixels
    inliers: int
    quad: tuple[tuple[float, float], ...]  # its corners in shares of the upload (TL, TR, BR, BL)
    shown: tuple[float, float, float, float]  # the part of it the upload shows (poster shares)


def _unique(pairs: Pairs) -> tuple[np.ndarray, np.ndarray]:
    """(stored positions, scene indices): per stored keypoint its closest scene keypoint
    among the pairs, each scene keypoint used once (the closest pair keeps it)."""
    key = np.round(pairs.stored[:, 0] * 65535) * 65536 + np.round(pairs.stored[:, 1] * 65535)
    order = np.lexsort((pairs.bits, key))
    stored, scene, bits = pairs.stored[order], pairs.scene[order], pairs.bits[order]
    key = key[order]
    first = np.r_[True, key[1:] != key[:-1]]
    stored, scene, bits = stored[first], scene[first], bits[first]
    order = np.lexsort((bits, scene))
    keep = order[np.r_[True, scene[order][1:] != scene[order][:-1]]]
    return stored[keep], scene[keep]


def _spread(points: np.ndarray, sides: np.ndarray) -> float:
    """Share of the poster's area the convex hull of ``points`` (pixels) covers."""
    if len(points) < 3:
        return 0.0
    hull = cv2.convexHull(points.astype(np.float32))
    return float(cv2.contourArea(hull)) / float(sides[0] * sides[1])


def _fit(
    source: np.ndarray, target: np.ndarray, sides: np.ndarray, error: float
) -> tuple[np.ndarray, int] | None:
    """A perspective map source -> target pixels and its inliers; a flat copy's map
    (scale, turn and shift only) when it explains nearly as many pairs (a screenshot: the
    perspective of a few pairs along one text line would make up a tilt that is not there).
    When the perspective's pairs cover too little of the poster to say how it leans, an
    affine map (parallel lines stay parallel: a photo's foreshortening, no vanishing point)
    where it explains clearly more pairs than the flat one and they are not bunched along a
    line or two of text (AFFINE_SPREAD), else the flat one."""
    homography, mask = cv2.findHomography(
        source, target, cv2.USAC_MAGSAC, error, maxIters=2000, confidence=0.995
    )
    if homography is None or mask is None:
        return None
    inliers = int(mask.sum())
    flat, flat_mask = cv2.estimateAffinePartial2D(
        source, target, method=cv2.RANSAC, ransacReprojThreshold=error, maxIters=2000
    )
    if flat is None or flat_mask is None:
        return homography, inliers
    flat_map = np.vstack([flat, [0.0, 0.0, 1.0]]), int(flat_mask.sum())
    if flat_map[1] >= FLAT_SHARE * inliers:
        return flat_map
    spread = _spread(source[mask.ravel() > 0], sides)
    if spread >= MIN_SPREAD:
        return homography, inliers
    if spread < AFFINE_SPREAD:
        return flat_map
    affine, affine_mask = cv2.estimateAffine2D(
        source, target, method=cv2.RANSAC, ransacReprojThreshold=error, maxIters=2000
    )
    if affine is None or affine_mask is None or flat_map[1] >= FLAT_SHARE * affine_mask.sum():
        return flat_map
    return np.vstack([affine, [0.0, 0.0, 1.0]]), int(affine_mask.sum())


def _corners(homography: np.ndarray) -> np.ndarray:
    unit = np.array([[[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]]])
    corners: np.ndarray = cv2.perspectiveTransform(unit, homography)[0]
    return corners


def _plausible(corners: np.ndarray, aspect: float, size: tuple[int, int]) -> bool:
    """A picture of a poster: convex, corners near right angles, sides in the poster's
    proportions (within a photo's foreshortening), large enough, not the whole upload."""
    width, height = size
    edges = np.roll(corners, -1, axis=0) - corners
    cross = (
        edges[:, 0] * np.roll(edges, -1, axis=0)[:, 1] - edges[:, 1] * np.roll(edges, -1, 0)[:, 0]
    )
    if not ((cross > 0).all() or (cross < 0).all()):
        return False
    lengths = np.linalg.norm(edges, axis=1)
    if lengths.min() < 1:
        return False
    cosines = -(edges * np.roll(edges, -1, axis=0)).sum(1) / (lengths * np.roll(lengths, -1))
    if np.degrees(np.arcsin(np.clip(np.abs(cosines), 0, 1))).max() > MAX_SKEW:
        return False
    shown_aspect = (lengths[0] + lengths[2]) / (lengths[1] + lengths[3])
    if not 0.8 < shown_aspect / aspect < 1.25:
        return False
    wide_enough = lengths[[0, 2]].mean() >= MIN_WIDTH * width
    return bool(wide_enough and _area_inside(corners, size) <= MAX_AREA * width * height)


def _area_inside(corners: np.ndarray, size: tuple[int, int]) -> float:
    """The area of the quadrilateral that lies inside the upload (a poster cut off at a
    window's or the picture's edge covers only that much of it)."""
    width, height = size
    frame = np.array([[0, 0], [width, 0], [width, height], [0, height]], np.float32)
    quad = corners.astype(np.float32)
    if signed_area(quad) < 0:
        quad = quad[::-1].copy()
    area, _ = cv2.intersectConvexConvex(quad, frame)
    return float(area)


def signed_area(corners: np.ndarray) -> float:
    """The area of a polygon (shoelace formula), signed: the sign says which way its corners
    run."""
    x, y = corners[:, 0], corners[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def _shown(homography: np.ndarray, size: tuple[int, int]) -> tuple[float, float, float, float]:
    """The part of the poster (left, top, right, bottom in its shares) that lies inside the
    upload (a screen's edge or a window can cut it off): from the whole poster, the edge row
    or column with most points outside is peeled off until none is."""
    steps = 33
    u, v = np.meshgrid(np.linspace(0, 1, steps), np.linspace(0, 1, steps))
    grid = np.stack([u.ravel(), v.ravel()], axis=1)[None].astype(np.float64)
    xy = cv2.perspectiveTransform(grid, homography)[0]
    width, height = size
    inside = (
        (xy[:, 0] >= -1) & (xy[:, 0] <= width + 1) & (xy[:, 1] >= -1) & (xy[:, 1] <= height + 1)
    )
    outside = ~inside.reshape(steps, steps)
    top, bottom, left, right = 0, steps, 0, steps
    while top < bottom and left < right and outside[top:bottom, left:right].any():
        part = outside[top:bottom, left:right]
        edges = [part[0].sum(), part[-1].sum(), part[:, 0].sum(), part[:, -1].sum()]
        worst = int(np.argmax(edges))
        top, bottom = top + (worst == 0), bottom - (worst == 1)
        left, right = left + (worst == 2), right - (worst == 3)
    if top >= bottom or left >= right:
        return (0.0, 0.0, 0.0, 0.0)
    scale = steps - 1
    return (left / scale, top / scale, (right - 1) / scale, (bottom - 1) / scale)


def locate(stored: Features, aspect: float, scene: Scene, pairs: Pairs) -> Located | None:
    """Where the stored poster (its keypoints, the width/height of its trimmed picture) lies
    in the upload's scene, from the close keypoint pairs the search found; or None.

    A first map is fitted to those pairs (or, when they are too few, the placement they
    voted for stands in for it); every stored keypoint is then paired near where that map
    puts it (matching.py), and the map fitted again on all of them, twice."""
    sides = np.array([min(1.0, aspect), min(1.0, 1 / aspect)]) * stored.side
    source = stored.points.astype(np.float64) * sides
    error = RANSAC_PIXELS * max(scene.grey.shape) / SCENE_SIDE
    size = pairs.placement[2] * float(np.hypot(*sides))  # the poster's diagonal in the upload
    mine, theirs = _unique(pairs)
    first = None
    if len(mine) >= MIN_FIRST:
        target = scene.features.points[theirs].astype(np.float64)
        first = _fit(mine.astype(np.float64) * sides, target, sides, 2 * error)
    if first is not None and first[1] >= MIN_FIRST:
        homography, radii = first[0], (max(3 * error, FIRST_RADIUS * size), 2 * error)
        neighbours = NEIGHBOURS
    else:
        homography, radii = placement_map(pairs.placement, sides), (PLACED_RADIUS * size, 2 * error)
        neighbours = 4 * NEIGHBOURS
    inliers = 0
    for radius in radii:
        ours, found = guided_pairs(
            stored, source, scene.features, scene.tree, homography, radius, neighbours
        )
        neighbours = NEIGHBOURS
        if len(ours) < MIN_INLIERS:
            return None
        target = scene.features.points[found].astype(np.float64)
        fitted = _fit(source[ours], target, sides, error)
        if fitted is None or fitted[1] < MIN_INLIERS:
            return None
        homography, inliers = fitted
    homography = homography @ np.diag([sides[0], sides[1], 1.0])
    height, width = scene.grey.shape
    corners = _corners(homography)
    if not _plausible(corners, aspect, (width, height)):
        return None
    shown = _shown(homography, (width, height))
    if shown[2] - shown[0] < MIN_SHOWN or shown[3] - shown[1] < MIN_SHOWN:
        return None
    quad = tuple((float(x) / width, float(y) / height) for x, y in corners)
    return Located(homography, inliers, quad, shown)


def _sampling(
    homography: np.ndarray, shown: tuple[float, ...], side: int, scale: float
) -> np.ndarray:
    """The map from a side x side picture of the shown part of the poster to pixels of the
    scene scaled by ``scale``."""
    left, top, right, bottom = shown
    to_shares = np.array(
        [
            [(right - left) / side, 0, left + 0.5 * (right - left) / side],
            [0, (bottom - top) / side, top + 0.5 * (bottom - top) / side],
            [0, 0, 1],
        ]
    )
    sampling: np.ndarray = np.diag([scale, scale, 1.0]) @ homography @ to_shares
    return sampling


def cut_out(scene: Scene, located: Located) -> tuple[np.ndarray, np.ndarray | None]:
    """The shown part of the poster as a (SIG_SIDE, SIG_SIDE) uint8 signature and a colour
    map (None when grey), sampled from the upload through the homography."""
    height, width = scene.grey.shape
    corners = np.array(located.quad) * np.array([width, height])
    left, top, right, bottom = located.shown
    span = max(np.ptp(corners[:, 0]) * (right - left), np.ptp(corners[:, 1]) * (bottom - top))
    # only the poster's box of the upload is used (shrunk first when large: a warp samples,
    # it does not average)
    x0, y0 = (max(0, int(v) - 2) for v in corners.min(0))
    x1, y1 = min(width, int(corners[:, 0].max()) + 3), min(height, int(corners[:, 1].max()) + 3)
    grey = scene.grey[y0:y1, x0:x1]
    scale = 1.0
    if span > 2 * SIG_SIDE:
        scale = 2 * SIG_SIDE / span
        size = (max(1, round(grey.shape[1] * scale)), max(1, round(grey.shape[0] * scale)))
        grey = cv2.resize(grey, size, interpolation=cv2.INTER_AREA)
    flags = cv2.INTER_AREA | cv2.WARP_INVERSE_MAP
    moved = np.array([[1.0, 0.0, -x0], [0.0, 1.0, -y0], [0.0, 0.0, 1.0]]) @ located.homography
    double = _sampling(moved, located.shown, 2 * SIG_SIDE, scale)
    big = cv2.warpPerspective(grey, double, (2 * SIG_SIDE, 2 * SIG_SIDE), flags=flags)
    signature = cv2.resize(big, (SIG_SIDE, SIG_SIDE), interpolation=cv2.INTER_AREA)
    colour_scale = scene.colour.shape[1] / scene.grey.shape[1]
    small = cv2.warpPerspective(
        np.ascontiguousarray(scene.colour),
        _sampling(located.homography, located.shown, 4 * COLOUR_SIDE, colour_scale),
        (4 * COLOUR_SIDE, 4 * COLOUR_SIDE),
        flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
    )
    return signature, colour_map(Image.fromarray(small, "RGB"))
