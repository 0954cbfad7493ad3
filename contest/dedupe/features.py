"""Local features of a picture: ORB keypoints (OpenCV), for finding a poster inside a bigger one.

A screenshot, a whole-desktop capture or a photo of a screen shows the poster somewhere, at some
scale, under some perspective, with unrelated pixels around it (browser and phone bars, this
app's own sidebar, a desk). Corners and letters of the poster are found again there: each
stored poster keeps a few hundred ORB keypoints (where, in shares of its trimmed picture, and a
256-bit descriptor each: 36 bytes a point); an upload's *scene* keeps more, over its whole
picture, with the picture itself (greyscale, and a small colour copy) to cut the poster out of
once it is located (located.py). Keypoints are spread over a grid, so the letters of a
browser's bars or a sidebar cannot take them all.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

import cv2
import numpy as np
from PIL import Image
from scipy.spatial import cKDTree

cv2.setNumThreads(1)  # a web server's uploads run side by side; one core each

STORED_SIDE = 512  # long side a stored poster's keypoints are found at
STORED_POINTS = 320
SCENE_SIDE = 1280  # long side of an upload's scene
SCENE_POINTS = 1600
COLOUR_SCENE_SIDE = 320  # long side of the scene's colour copy
GRID = 8  # keypoints are spread over GRID x GRID cells (by the longer side; fewer the other way)
DESCRIPTOR_BYTES = 32
SCALE_STEP = 1.2  # ORB pyramid: each level this much smaller
PATCH = 31
LEVELS = 8
EDGE = 19  # pixels at a picture's edge where no keypoint is looked for


POINT_BYTES = 6 + DESCRIPTOR_BYTES  # x, y (uint16 shares), pyramid level, angle, descriptor


@dataclass(frozen=True, eq=False)
class Features:
    """Keypoints of one picture: ``points`` (K, 2) float32 x, y; ``levels`` (K,) uint8, the
    ORB pyramid level each was found at (its size is PATCH * SCALE_STEP ** level pixels);
    ``angles`` (K,) uint8, its orientation in 256ths of a turn; ``descriptors`` (K, 32) uint8.
    A stored poster's points are in shares of its trimmed picture (0-1) and ``side`` is the
    long side (pixels) it was measured at; a scene's points are in pixels of its picture."""

    points: np.ndarray
    levels: np.ndarray
    angles: np.ndarray
    descriptors: np.ndarray
    side: int = STORED_SIDE

    def __len__(self) -> int:
        return len(self.points)

    def to_bytes(self) -> bytes:
        """Compact form of a stored poster's features (POINT_BYTES a point): x, y as uint16
        shares of 65,535, level, angle, then the descriptors."""
        shares = np.clip(np.round(self.points * 65535), 0, 65535).astype("<u2")
        head = np.concatenate(
            [shares.view(np.uint8).reshape(-1, 4), self.levels[:, None], self.angles[:, None]], 1
        )
        return head.tobytes() + np.ascontiguousarray(self.descriptors).tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> Features:
        count = len(data) // POINT_BYTES
        head = np.frombuffer(data[: 6 * count], np.uint8).reshape(count, 6)
        points = np.ascontiguousarray(head[:, :4]).view("<u2").reshape(count, 2) / 65535
        descriptors = np.frombuffer(data[6 * count :], np.uint8).reshape(count, DESCRIPTOR_BYTES)
        return cls(points.astype(np.float32), head[:, 4].copy(), head[:, 5].copy(), descriptors)


@dataclass(frozen=True, eq=False)
class Scene:
    """An upload as a picture a poster may be found in: its keypoints (pixels of ``grey``),
    ``grey`` (the picture as it came) and ``colour`` (RGB, long side COLOUR_SCENE_SIDE). Kept
    in memory for the upload's own search only; never stored."""

    features: Features
    grey: np.ndarray
    colour: np.ndarray

    @cached_property
    def tree(self) -> cKDTree:
        """The keypoints' positions, for finding those near a spot (matching.py)."""
        return cKDTree(self.features.points)


def _fit(image: Image.Image, long_side: int) -> Image.Image:
    scale = min(1.0, long_side / max(image.size))
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.BOX) if size != image.size else image


def _spread(keypoints: list[cv2.KeyPoint], shape: tuple[int, int], count: int) -> np.ndarray:
    """Indices of at most ``count`` keypoints, the strongest of each grid cell first, then
    the next strongest of each, and so on."""
    if not keypoints:
        return np.empty(0, np.int64)
    height, width = shape
    cell = max(height, width) / GRID
    xy = np.array([k.pt for k in keypoints], np.float32)
    response = np.array([k.response for k in keypoints], np.float32)
    cells = (xy[:, 1] // cell).astype(np.int64) * (GRID + 1) + (xy[:, 0] // cell).astype(np.int64)
    order = np.lexsort((-response, cells))
    sorted_cells = cells[order]
    starts = np.flatnonzero(np.r_[True, sorted_cells[1:] != sorted_cells[:-1]])
    rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    chosen = order[np.lexsort((-response[order], rank))]
    return chosen[:count]


def detect(grey: np.ndarray, count: int, side: int) -> Features:
    """ORB keypoints of a greyscale picture spread over a grid, in pixels."""
    orb = cv2.ORB.create(count * 3, SCALE_STEP, LEVELS, EDGE, 0, 2, cv2.ORB_HARRIS_SCORE, PATCH, 12)
    keypoints, descriptors = orb.detectAndCompute(grey, None)
    if descriptors is None or not keypoints:
        empty = np.empty(0, np.uint8)
        return Features(np.empty((0, 2), np.float32), empty, empty, empty.reshape(0, 32), side)
    chosen = _spread(list(keypoints), grey.shape[:2], count)
    picked = [keypoints[i] for i in chosen]
    return Features(
        np.array([k.pt for k in picked], np.float32).reshape(-1, 2),
        np.array([k.octave for k in picked], np.uint8),
        np.array([round(k.angle * 256 / 360) % 256 for k in picked], np.uint8),
        descriptors[chosen],
        side,
    )


def poster_features(trimmed: Image.Image) -> Features:
    """The stored keypoints of a poster's trimmed picture, in shares of its width and height."""
    grey = np.asarray(_fit(trimmed.convert("L"), STORED_SIDE))
    found = detect(grey, STORED_POINTS, max(grey.shape))
    size = np.array([grey.shape[1], grey.shape[0]], np.float32)
    return Features(found.points / size, found.levels, found.angles, found.descriptors, found.side)


def scene_of(image: Image.Image, grey: Image.Image | None = None) -> Scene:
    """An upload's scene: its whole picture (nothing trimmed: the poster may be anywhere).
    Keypoints are found at long side SCENE_SIDE, their positions given in pixels of the
    picture as it came (the display copy: a poster a fifth of a desktop's width keeps the
    detail its strokes are compared at). ``grey``: the picture in greyscale, when the caller
    has made it already."""
    grey = image.convert("L") if grey is None else grey
    small = _fit(grey, SCENE_SIDE)
    found = detect(np.asarray(small), SCENE_POINTS, max(small.size))
    ratio = np.array([grey.width / small.width, grey.height / small.height], np.float32)
    features = replace(found, points=(found.points + 0.5) * ratio - 0.5, side=max(grey.size))
    rgb = image if image.mode == "RGB" else image.convert("RGB")  # converting RGB copies it
    colour = np.asarray(_fit(rgb, COLOUR_SCENE_SIDE))
    return Scene(features, np.asarray(grey), colour)
