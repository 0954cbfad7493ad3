"""Later stages of the duplicate search: a quick check of each candidate, then alignment and a
block-by-block comparison of the few that pass.

The hash stage says which windows of the two pictures matched (hashes.py), which already
implies an alignment: a copy cut by 8% on the left matched the stored window that leaves out
about that much. ``quick_check`` measures, for many candidates at once, how well the 32x32
thumbnails correlate under that implied alignment. ``compare`` starts from it and refines an
affine map (stored pixel -> query pixel: turn, tilt, scale, shift, crop) by Gauss-Newton steps
at 32, 64 and 128 pixels, then cuts the aligned overlap into BLOCKS x BLOCKS blocks and marks
each block that differs: its brightness is off, its pattern does not correlate at 128 px, its
colour is off (when both pictures have colour), or its fine detail (strokes at 256 px: at 128
two titles of one size look alike) does not correlate. A pair that would be a duplicate but
for its strokes, or whose alignment came out stretched, is looked at a second time (see
``compare``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

import cv2
import numpy as np

from contest.dedupe.hashes import COLOUR_SIDE, SIG_SIDE

ALIGN_SIDE = SIG_SIDE // 2  # pictures are aligned and compared block by block at 128x128
BLOCKS = 16  # blocks per side (8x8 pixels at 128, 16x16 at 256)
LOW_STEPS = 6  # Gauss-Newton steps at 32x32
MID_STEPS = 3  # then at 64x64
FINE_STEPS = 2  # then at 128x128
BLOCK_VALID = 0.8  # share of a block that must lie inside both pictures to count
MEAN_OFF = 0.45  # normalised brightness difference (in global std units) that differs
NCC_MIN = 0.5  # local correlation below which a textured block differs
FLAT_STD = 0.15  # a block flatter than this (global std units) has no pattern to correlate
DETAIL_RMS = 6.0  # fine detail (grey levels, at 256) that makes a block detailed: text, edges
RESIDUAL_MIN = 0.5  # per-pixel difference (global std units) that counts as changed ink
COLOUR_OFF = 24.0  # chroma difference (of +-128) that makes a block differ in colour
# pixels at 256 tried per block: a pixel either way, diagonals too (the alignment at 128 px can
# be half a pixel off there in both directions: a screenshot or a tilted copy)
GLYPH_SHIFTS = tuple((dx, dy) for dx in (0, 1, -1) for dy in (0, 1, -1))
GLYPH_MIN = 0.6  # correlation of the fine detail at 256 below which a detailed block differs
# The second look at a pair's strokes: Gauss-Newton steps at 256 px on the pixels of the
# detailed blocks (every other one in x and y) of the fine detail blurred by 1.2 px. A copy
# shrunk (a screenshot) or turned twice (a tilted copy) is aligned at 128 px to within a
# pixel at 256, which is enough to lose the thinnest strokes.
SHARP_STEPS = 2
SHARP_STRIDE = 2


def _taps(sigma: float, radius: int = 3) -> np.ndarray:
    taps = np.exp(-0.5 * (np.arange(-radius, radius + 1) / sigma) ** 2)
    kernel: np.ndarray = (taps / taps.sum()).astype(np.float32)
    return kernel


def _blur(image: np.ndarray, taps: np.ndarray) -> np.ndarray:
    """Gaussian blur over the last two axes (one picture, or a stack of them), mirrored at the
    edges (as scipy.ndimage.gaussian_filter's default), with OpenCV's separable filter (one
    thread: features.py)."""
    kernel = taps.astype(np.float32)
    flat = np.ascontiguousarray(image, np.float32).reshape(-1, *image.shape[-2:])
    blurred = np.stack(
        [cv2.sepFilter2D(one, -1, kernel, kernel, borderType=cv2.BORDER_REFLECT) for one in flat]
    )
    return blurred.reshape(image.shape)


_BLUR_ALIGN = _taps(0.8)
_BLUR_THUMB = _taps(1.0)
_BLUR_WIDE = _taps(2.5, radius=7)  # removes a text line's overall shape
# Strokes are compared a little softened: 1-pixel detail at 256 depends on where a resize or
# the alignment's interpolation put the pixel grid (a copy of the same poster lost a third of
# its strokes at 5% other scale); 0.7 px keeps letters apart (template pairs stay "similar").
_BLUR_STROKE = _taps(0.7, radius=2)
_BLUR_SHARP = _taps(1.2)  # the fine detail the strokes are aligned on


def _grid(side: int) -> np.ndarray:
    """(3, side*side) rows of x - centre, y - centre, 1 (float32)."""
    y, x = np.mgrid[0:side, 0:side].astype(np.float32)
    centre = (side - 1) / 2
    return np.stack([x.ravel() - centre, y.ravel() - centre, np.ones(side * side, np.float32)])


_GRIDS = {side: _grid(side) for side in (ALIGN_SIDE // 4, ALIGN_SIDE // 2, ALIGN_SIDE, SIG_SIDE)}


def _warp(
    images: np.ndarray, warps: np.ndarray, grid: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Bilinear samples of each of ``images`` (C, side, side) at each warp (H, 2, 3) @ grid
    (all pixels, or the given (3, N) centred points): (H, C, N) values, (H, N) inside mask."""
    side = images.shape[-1]
    grid = _GRIDS[side] if grid is None else grid
    x, y = np.moveaxis(warps.astype(np.float32) @ grid, 1, 0) + np.float32((side - 1) / 2)
    inside = (x >= -0.5) & (x <= side - 0.5) & (y >= -0.5) & (y <= side - 0.5)
    x, y = np.clip(x, 0, side - 1.001), np.clip(y, 0, side - 1.001)
    x0, y0 = x.astype(np.int32), y.astype(np.int32)
    fx, fy = (x - x0.astype(np.float32))[:, None], (y - y0.astype(np.float32))[:, None]
    flat = images.reshape(len(images), -1)
    i = (y0 * side + x0).ravel()
    n = warps.shape[0]
    corners = [
        flat.take(i + k, axis=1).reshape(-1, n, i.size // n).swapaxes(0, 1)
        for k in (0, 1, side, side + 1)
    ]
    top = corners[0] + (corners[1] - corners[0]) * fx
    bottom = corners[2] + (corners[3] - corners[2]) * fx
    return top + (bottom - top) * fy, inside


def _shifted(
    image: np.ndarray, warp: np.ndarray, grid: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """_warp of one (side, side) image at the (3, N) points ``grid`` under ``warp`` moved by
    each of GLYPH_SHIFTS (whole pixels): (S, N) values, (S, N) inside mask. A whole-pixel
    shift keeps each point's bilinear weights, so the 4x4 pixels around each point are read
    once for all nine shifts (as _warp, but for the last thousandth of a pixel at the far
    edge, which _warp's clipping leaves)."""
    side = image.shape[-1]
    x, y = warp.astype(np.float32) @ grid + np.float32((side - 1) / 2)
    left, top = np.floor(x), np.floor(y)
    fx, fy = x - left, y - top
    around = np.arange(-1, 3)[:, None]
    cols = np.clip(left.astype(np.int32) + around, 0, side - 1)  # (4, N)
    rows = np.clip(top.astype(np.int32) + around, 0, side - 1)
    patch = image.ravel()[rows[:, None] * side + cols[None]]  # (4 rows, 4 columns, N)
    # along x first (each of the 4 rows at the three x shifts), then along y
    across = patch[:, :3] + (patch[:, 1:] - patch[:, :3]) * fx  # (4 rows, x shift + 1, N)
    values = []
    for dx, dy in GLYPH_SHIFTS:
        upper, lower = across[1 + dy, 1 + dx], across[2 + dy, 1 + dx]
        values.append(upper + (lower - upper) * fy)
    within_x = {d: (x + d >= -0.5) & (x + d <= side - 0.5) for d in (-1, 0, 1)}
    within_y = {d: (y + d >= -0.5) & (y + d <= side - 0.5) for d in (-1, 0, 1)}
    inside = [within_x[dx] & within_y[dy] for dx, dy in GLYPH_SHIFTS]
    return np.stack(values), np.stack(inside)


def window_warp(
    stored_window: tuple[float, ...], query_window: tuple[float, ...], side: int
) -> np.ndarray:
    """The (2, 3) map from stored to query pixels (centred, pictures squashed to side x side)
    under which the two windows (fractions left, top, right, bottom) coincide."""
    (ls, ts, rs, bs), (lq, tq, rq, bq) = stored_window, query_window
    ax, ay = (rq - lq) / (rs - ls), (bq - tq) / (bs - ts)
    bx, by = lq - ls * ax, tq - ts * ay
    return np.array(
        [[ax, 0.0, side * (0.5 * ax + bx - 0.5)], [0.0, ay, side * (0.5 * ay + by - 0.5)]]
    )


def _scaled(warp: np.ndarray, factor: float) -> np.ndarray:
    """The same map for pictures ``factor`` times larger (centred pixel offsets)."""
    return np.concatenate([warp[..., :2], warp[..., 2:] * factor], axis=-1)


def _ncc(a: np.ndarray, b: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Correlation of a and b over mask, per row of (K, N) arrays."""
    count = np.maximum(mask.sum(-1), 1)
    ma, mb = (a * mask).sum(-1) / count, (b * mask).sum(-1) / count
    da, db = (a - ma[..., None]) * mask, (b - mb[..., None]) * mask
    sa = np.sqrt((da * da).sum(-1) / count)
    sb = np.sqrt((db * db).sum(-1) / count)
    ncc = (da * db).sum(-1) / count / np.maximum(sa * sb, 16.0)
    return np.where(mask.mean(-1) >= 0.4, ncc, -1.0)


def quick_check(stored: np.ndarray, query: np.ndarray, warps: np.ndarray) -> np.ndarray:
    """Correlation of each stored thumbnail (K, 32, 32) with the query thumbnail (turned
    upright for the candidate) sampled under its implied warp (K, 2, 3), both blurred so a
    few pixels of misalignment still correlate."""
    p = _blur(stored.astype(np.float32), _BLUR_THUMB).reshape(len(stored), -1)
    return _quick(p, query, warps)


def correlation(stored: np.ndarray, seen: np.ndarray) -> float:
    """Correlation of two thumbnails of one size, blurred as quick_check blurs them."""
    p = _blur(stored.astype(np.float32), _BLUR_THUMB).ravel()
    q = _blur(seen.astype(np.float32), _BLUR_THUMB).ravel()
    p, q = p - p.mean(), q - q.mean()
    return float((p * q).sum() / max(float(np.sqrt((p * p).sum() * (q * q).sum())), 1e-6))


def _quick(blurred: np.ndarray, query: np.ndarray, warps: np.ndarray) -> np.ndarray:
    """quick_check with the stored thumbnails already blurred and flattened (K, 1024)."""
    q = _blur(query.astype(np.float32), _BLUR_THUMB)
    values, inside = _warp(q[None], warps)
    return _ncc(blurred, values[:, 0], inside.astype(np.float32))


# A screenshot whose trimmed picture keeps the viewer's title bar above the poster and the
# taskbar below it shows 4-9% more of the height there than the stored poster: the hashes'
# whole-picture windows then match only roughly (10-12 bits) and the implied alignment leaves
# the thumbnails correlating 0.27-0.47. The margins (left, top, right, bottom: shares of the
# poster's width / height the copy shows more) tried for such a candidate:
_EXTRA = (0.0, 0.05, 0.1)
FRAMES = tuple((0.0, top, 0.0, low) for top in _EXTRA for low in _EXTRA if top or low)


def _framings(warps: np.ndarray, margins: Sequence[tuple[float, ...]], side: int) -> np.ndarray:
    """Each of ``warps`` (K, 2, 3: stored -> query pixels) followed by the copy showing each of
    ``margins`` (M) more around the poster: (K, M, 2, 3)."""
    frames = []
    for left, top, right, bottom in margins:
        width, height = 1 + left + right, 1 + top + bottom
        content = (left / width, top / height, 1 - right / width, 1 - bottom / height)
        frames.append(window_warp((0.0, 0.0, 1.0, 1.0), content, side))
    frame = np.stack(frames)
    composed: np.ndarray = np.einsum("mij,kjl->kmil", frame[:, :, :2], warps)
    composed[..., 2] += frame[:, :, 2]
    return composed


def framed(warp: np.ndarray, margin: tuple[float, ...], side: int) -> np.ndarray:
    """``warp`` followed by the copy showing ``margin`` more around the poster (see FRAMES)."""
    if not any(margin):
        return warp
    out: np.ndarray = _framings(warp[None], [margin], side)[0, 0]
    return out


def framed_check(
    stored: np.ndarray, query: np.ndarray, warps: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``quick_check`` of each candidate under its warp followed by each of FRAMES: the best
    correlation per candidate (K,) and the index of the frame giving it."""
    side = stored.shape[-1]
    p = _blur(stored.astype(np.float32), _BLUR_THUMB).reshape(len(stored), -1)
    tried = _framings(warps, FRAMES, side).reshape(-1, 2, 3)
    values = _quick(np.repeat(p, len(FRAMES), axis=0), query, tried)
    values = values.reshape(len(warps), len(FRAMES))
    return values.max(1), values.argmax(1)


def _refine(
    stored: np.ndarray,
    query: np.ndarray | tuple[np.ndarray, np.ndarray, np.ndarray],
    warp: np.ndarray,
    steps: int,
    points: np.ndarray | None = None,
) -> np.ndarray:
    """Gauss-Newton on the six affine parameters, brightness normalised on the overlap: over
    all pixels, or over the given (3, N) centred points (pixel centres). ``query``: the
    picture, or the picture and its x and y gradients."""
    side = stored.shape[0]
    grid = _GRIDS[side] if points is None else points
    if points is None:
        p = stored.ravel()
    else:
        x, y = (points[:2] + (side - 1) / 2).round().astype(np.int64)
        p = stored[y, x]
    if isinstance(query, np.ndarray):
        gy, gx = np.gradient(query)
        query = (query, gx, gy)
    channels = np.stack(query)
    for _ in range(steps):
        (samples,), (inside,) = _warp(channels, warp[None], grid)
        count = int(inside.sum())
        if count < 0.4 * inside.size:
            break
        values, gxs, gys = samples * inside
        mean = values.sum() / count
        std = max(float(np.sqrt(max(values @ values / count - mean * mean, 0.0))), 4.0)
        q_n = (values - mean) / std
        p_n = (p - p[inside].mean()) / max(float(p[inside].std()), 4.0)
        jac = np.concatenate([gxs * grid, gys * grid]) / std  # (6, N), zero outside
        residual = (p_n - q_n) * inside
        step = np.linalg.solve(
            (jac @ jac.T).astype(np.float64) + 1e-6 * np.eye(6), (jac @ residual).astype(np.float64)
        )
        warp = warp + step.reshape(2, 3)
        if np.abs(step[[2, 5]]).max() < 0.02 and np.abs(step[[0, 1, 3, 4]]).max() < 1e-3:
            break
    return warp


def _kept(stored: np.ndarray, query: np.ndarray, warp: np.ndarray, steps: int) -> np.ndarray:
    """_refine's alignment, or the one it started from when that correlates better (for a
    start that is a fitted map: see compare's ``placed``)."""
    refined = _refine(stored, query, warp, steps)
    if _correlation(stored, query, refined) < _correlation(stored, query, warp):
        return warp
    return refined


def _correlation(stored: np.ndarray, query: np.ndarray, warp: np.ndarray) -> float:
    (values,), (inside,) = _warp(query[None], warp[None])
    return float(_ncc(stored.ravel()[None], values, inside[None].astype(np.float32))[0])


def _frame(aspect: float) -> np.ndarray:
    """Pixel steps in a physical frame of area 1 (width sqrt(aspect), height 1/sqrt(aspect))."""
    return np.diag([np.sqrt(aspect), 1 / np.sqrt(aspect)]) / ALIGN_SIDE


@dataclass(frozen=True)
class Verdict:
    differing: float  # share of the compared blocks that differ (0..1)
    overlap: float  # share of the stored picture's blocks compared
    correlation: float  # global correlation of the aligned overlap
    angle: float = 0.0  # degrees, after the quarter turn
    scale: float = 0.0  # how much larger the stored picture's content is in the copy's frame
    replaced: float = 0.0  # two-signedness of the change where 2+ blocks differ (see _replaced)
    detail: int = 0  # compared blocks with fine detail (text, edges) in the stored picture
    detail_kept: float = 0.0  # their share (weighted by detail) whose strokes the copy repeats
    colour_checked: bool = False
    crop: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # see Evidence.crop
    mask: tuple[tuple[int, ...], ...] = ()  # see Evidence.mask


def _half(image: np.ndarray) -> np.ndarray:
    """2x2 block means."""
    means: np.ndarray = (
        image[0::2, 0::2] + image[1::2, 0::2] + image[0::2, 1::2] + image[1::2, 1::2]
    ) * 0.25
    return means


class Prepared:
    """A signature ready for comparison: blurred at 128, 64 and 32 pixels; its fine detail at
    256 (the picture less its blur at 2.5 px: strokes, not the shape of a text line) is made
    only when a comparison gets that far."""

    def __init__(self, picture: np.ndarray) -> None:
        self.picture = picture.astype(np.float32)
        full = _blur(_half(self.picture), _BLUR_ALIGN)
        mid = _half(full)
        self.levels = (full, mid, _half(mid))

    @cached_property
    def detail(self) -> np.ndarray:
        fine: np.ndarray = self.picture - _blur(self.picture, _BLUR_WIDE)
        return fine

    @cached_property
    def sharp(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The fine detail blurred by 1.2 px and its x and y gradients: what the strokes are
        aligned on at 256 px for a second look (see SHARP_STEPS)."""
        soft = _blur(self.detail, _BLUR_SHARP)
        gy, gx = np.gradient(soft)
        return soft, gx, gy

    @cached_property
    def strokes(self) -> np.ndarray:
        """The fine detail softened by 0.7 px (see _BLUR_STROKE): what the stroke test compares."""
        soft: np.ndarray = _blur(self.detail, _BLUR_STROKE)
        return soft


def _normalised(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    inside = values[mask]
    std = max(float(inside.std()), 4.0) if inside.size else 1.0
    return (values - (inside.mean() if inside.size else 0.0)) / std


def _blocks(a: np.ndarray) -> np.ndarray:
    """(BLOCKS**2, pixels) of a square picture (any side divisible by BLOCKS)."""
    side = int(np.sqrt(a.size))
    size = side // BLOCKS
    return a.reshape(BLOCKS, size, BLOCKS, size).swapaxes(1, 2).reshape(BLOCKS**2, -1)


def _block_points(chosen: np.ndarray, side: int) -> np.ndarray:
    """(3, N) centred coordinates of the pixels of the chosen blocks, in _blocks order."""
    return np.stack([_blocks(row)[chosen].ravel() for row in _GRIDS[side]])


def _glyphs(
    stored: np.ndarray, query: np.ndarray, warp: np.ndarray, chosen: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Correlation of the fine detail at 256 pixels (``warp`` at that size) in each chosen
    block, the best of a pixel's
    shift in any direction (text strokes: at 128 two titles of one size look alike, at 256
    their letters differ), and each block's weight (the stored detail's energy, less what lies
    along one straight edge: a title outweighs a footnote and a band's border)."""
    if not chosen.any():
        return np.empty(0), np.empty(0)
    points = _block_points(chosen, SIG_SIDE)
    size = (SIG_SIDE // BLOCKS) ** 2
    p = _blocks(stored)[chosen]
    gy, gx = (_blocks(g)[chosen] for g in np.gradient(stored))
    xx, yy, xy = (gx * gx).sum(1), (gy * gy).sum(1), (gx * gy).sum(1)
    # One straight edge (a band's border, the rim of a shape) says little about which poster
    # this is; strokes that turn (letters, corners) do.
    coherence = np.sqrt((xx - yy) ** 2 + 4 * xy**2) / np.maximum(xx + yy, 1e-6)
    energy = (p * p).sum(1)
    values, inside = _shifted(query, warp, points)
    q = np.where(inside, values, 0.0).reshape(len(GLYPH_SHIFTS), -1, size)
    ncc = (p * q).sum(2) / np.maximum(np.sqrt(energy * (q * q).sum(2)), 1e-6)
    return ncc.max(0), energy * (1 - coherence)


# Where a block's colour is looked for in the copy's map: its aligned centre, then half a cell
# either way in x, y or both.
_CELL_OFFSETS = [np.array([[dx], [dy]]) for dx in (0.0, -0.5, 0.5) for dy in (0.0, -0.5, 0.5)]


def _colour_off(
    stored: np.ndarray, query: np.ndarray, warp: np.ndarray, valid: np.ndarray
) -> np.ndarray:
    """Per block, whether the chroma differs (after one overall saturation gain, so a copy
    with its colours boosted or faded still agrees). The map has one cell per block: where a
    colour edge runs through a block, the copy's cells (shifted by a resize or a crop) mix
    the two sides differently, so the block agrees when any cell within half a cell of its
    aligned centre has its colour."""
    step = ALIGN_SIDE / BLOCKS
    cell = ALIGN_SIDE / COLOUR_SIDE
    centres = (np.arange(BLOCKS) + 0.5) * step - ALIGN_SIDE / 2
    y, x = np.meshgrid(centres, centres, indexing="ij")
    points = warp[:, :2] @ np.stack([x.ravel(), y.ravel()]) + warp[:, 2:] + ALIGN_SIDE / 2
    cs = stored.reshape(-1, 2).astype(np.float32)
    samples = []
    for offset in _CELL_OFFSETS:
        cells = np.clip(((points + cell * offset) / cell).astype(int), 0, COLOUR_SIDE - 1)
        samples.append(query[cells[1], cells[0]].astype(np.float32))
    cq = samples[0]  # the aligned centre
    gain = float((cs[valid] * cq[valid]).sum() / max(float((cq[valid] ** 2).sum()), 1.0))
    gain = float(np.clip(gain, 0.5, 2.0))
    distance = np.min([np.linalg.norm(cs - gain * q, axis=1) for q in samples], axis=0)
    off: np.ndarray = distance > COLOUR_OFF
    return off


@dataclass(frozen=True)
class Bounds:
    """What a pair must reach to be any kind of match. ``compare`` stops as soon as a pair
    falls outside them (most chance candidates: the alignment runs off to a tilt of 30 degrees
    or a tenth of the size, or most blocks differ before the stroke test); such a verdict
    holds only what was measured by then and is no match. The defaults stop nothing."""

    min_correlation: float = -1.0  # of the pictures aligned at 32x32
    max_tilt: float = 180.0  # degrees
    scales: tuple[float, float] = (0.0, float("inf"))
    min_overlap: float = 0.0
    max_differing: float = 1.0  # share of blocks differing before the stroke test
    duplicate: Duplicate | None = None  # a pair short of it is looked at a second time


@dataclass(frozen=True)
class Duplicate:
    """What makes a pair a duplicate (index.py's levels, besides the bounds of any match):
    ``compare`` looks a second time at a pair that falls short of it."""

    share: float  # at most this share of the compared blocks differs
    correlation: float  # the aligned pictures correlate at least this well
    detail: float  # and at least this share of the stored fine detail is repeated

    def holds(self, verdict: Verdict) -> bool:
        return (
            verdict.differing <= self.share
            and verdict.correlation >= self.correlation
            and verdict.detail_kept >= self.detail
        )


# The steps at 32 px can run off on a poster with large flat areas (turned 7-90 degrees while
# the hashes' alignment was right to a pixel); a slight tilt is turned back before hashing, so
# a turn larger than this at 32 px is taken for that and the 64-px steps start afresh.
RUNAWAY_TILT = 4.0
# They can also run off in one direction only (a dark poster with a plain footer: its height
# scaled by 0.75 and its width by 0.97, the footer's edge still in place); copies are not
# stretched, so an alignment scaling one way this much more than the other (singular values'
# ratio, in the physical frame; real copies on the tuning seeds: at most 1.06) is redone from
# the hashes' own at 64 px for a second look.
RUNAWAY_STRETCH = 1.08
TILT_SLACK = 2.0  # degrees the 128-px steps may still turn a pair aligned at 64 px
SCALE_SLACK = 1.1  # and the factor they may still scale it by


def _similarity(warp: np.ndarray, aspects: tuple[float, float]) -> tuple[float, float]:
    """(tilt in degrees, scale) of an alignment at any of the sizes, in the physical frame."""
    a = _frame(aspects[1]) @ warp[:, :2] @ np.linalg.inv(_frame(aspects[0]))  # s * R
    angle = float(np.degrees(np.arctan2(a[1, 0] - a[0, 1], a[0, 0] + a[1, 1])))
    return angle, float(np.sqrt(abs(np.linalg.det(a))))


def _stretch(warp: np.ndarray, aspects: tuple[float, float]) -> float:
    """How much more an alignment scales one way than the other, in the physical frame."""
    a = _frame(aspects[1]) @ warp[:, :2] @ np.linalg.inv(_frame(aspects[0]))
    high, low = np.linalg.svd(a, compute_uv=False)
    return float(high / max(low, 1e-9))


def _outside(angle: float, scale: float, bounds: Bounds, slack: bool = False) -> bool:
    """Whether the alignment is out of bounds (with slack: still at 64 px)."""
    tilt, factor = (TILT_SLACK, SCALE_SLACK) if slack else (0.0, 1.0)
    low, high = bounds.scales
    return abs(angle) > bounds.max_tilt + tilt or not low / factor <= scale <= high * factor


def _upper(
    stored: Prepared,
    query: Prepared,
    warp: np.ndarray,
    aspects: tuple[float, float],
    bounds: Bounds,
    refine: Callable[[np.ndarray, np.ndarray, np.ndarray, int], np.ndarray] = _refine,
) -> np.ndarray | tuple[float, float]:
    """The alignment at 32 px refined at 64 and 128 px, or the (tilt, scale) of the first of
    them outside ``bounds``."""
    warp = refine(stored.levels[1], query.levels[1], _scaled(warp, 2.0), MID_STEPS)
    angle, scale = _similarity(warp, aspects)
    if _outside(angle, scale, bounds, slack=True):
        return angle, scale
    warp = refine(stored.levels[0], query.levels[0], _scaled(warp, 2.0), FINE_STEPS)
    angle, scale = _similarity(warp, aspects)
    if _outside(angle, scale, bounds):
        return angle, scale
    return warp


def compare(
    stored: Prepared,
    query: Prepared,
    warp: np.ndarray,
    aspects: tuple[float, float],
    colours: tuple[np.ndarray | None, np.ndarray | None] = (None, None),
    bounds: Bounds = Bounds(),
    *,
    placed: bool = False,
) -> Verdict:
    """Align the query signature (prepared turned upright for this pair) onto the stored one,
    starting from ``warp`` (at 32x32), and compare blocks. ``aspects``: (stored, query)
    width/height of the two trimmed pictures (the query's as turned). ``placed``: the start
    is a map fitted to keypoint pairs (a poster located inside an upload and cut out, so
    already in place), and a refinement that correlates worse than where it started is not
    taken (_kept). Gauss-Newton lowers the residual over the pixels both pictures cover, not
    the correlation, and over a smooth field it can slide a right alignment off: a smooth
    poster cut out of a desktop, in place at 0.97, went to 0.28, turned 4.5 degrees. A start
    from the hashes' windows is coarse, and refining it is kept as it comes (asked of every
    comparison, this lost a crop's duplicate).

    Early exit: a pair outside ``bounds`` (see Bounds) is given up at the first size that
    shows it, with what was measured by then.

    Second looks, for a pair that is not a ``bounds.duplicate`` (the first verdict stands
    unless a second look makes the pair a duplicate, so no pair is flagged "similar" that was
    not before): when the pictures correlate as a duplicate's, its strokes are compared again
    after aligning them at 256 px (SHARP_STEPS); when the alignment came out stretched
    (RUNAWAY_STRETCH), the pair is aligned again from the hashes' alignment at 64 px.
    """
    p_low, q_low = stored.levels[2], query.levels[2]
    start = warp
    refine = _kept if placed else _refine
    warp = refine(p_low, q_low, start, LOW_STEPS)
    angle, scale = _similarity(warp, aspects)
    restarted = abs(angle) > RUNAWAY_TILT or _outside(angle, scale, bounds, slack=True)
    if restarted:
        warp = start  # ran off on a blurred, flat picture: align from the hashes' own at 64 px
    coarse = _correlation(p_low, q_low, warp)
    if coarse < bounds.min_correlation:
        return Verdict(differing=1.0, overlap=0.0, correlation=coarse)
    aligned = _upper(stored, query, warp, aspects, bounds, refine)
    if not isinstance(aligned, np.ndarray):
        angle, scale = aligned
        return Verdict(differing=1.0, overlap=0.0, correlation=coarse, angle=angle, scale=scale)
    judged = _judge(stored, query, aligned, aspects, colours, bounds)
    if isinstance(judged, Verdict):
        return judged
    verdict = judged.verdict(judged.glyphs)
    duplicate = bounds.duplicate
    if duplicate is None or duplicate.holds(verdict):
        return verdict
    if verdict.correlation >= duplicate.correlation:
        again = judged.verdict(_sharpened(stored, query, judged))
        if duplicate.holds(again):
            return again
    if not restarted and _stretch(aligned, aspects) > RUNAWAY_STRETCH:
        realigned = _upper(stored, query, start, aspects, bounds, refine)
        if isinstance(realigned, np.ndarray):
            rejudged = _judge(stored, query, realigned, aspects, colours, bounds)
            if isinstance(rejudged, _Judged):
                again = rejudged.verdict(_sharpened(stored, query, rejudged))
                if duplicate.holds(again):
                    return again
    return verdict


@dataclass(frozen=True)
class _Judged:
    """A block comparison up to the stroke test, kept for a second look at the strokes."""

    warp: np.ndarray  # the alignment at 128 px
    differs: np.ndarray  # (BLOCKS**2,) blocks differing before the stroke test
    valid: np.ndarray  # blocks compared
    change: np.ndarray  # (BLOCKS**2, pixels) the copy less the stored picture, normalised
    detail: np.ndarray  # compared blocks with fine detail
    glyphs: np.ndarray  # their strokes' correlation (see _glyphs)
    weight: np.ndarray  # and weight
    correlation: float
    angle: float
    scale: float
    colour_checked: bool

    def verdict(self, glyphs: np.ndarray) -> Verdict:
        """The verdict with the detailed blocks' strokes correlating as ``glyphs``."""
        count = int(self.valid.sum())
        lost = np.zeros(BLOCKS**2, bool)
        lost[self.detail] = glyphs < GLYPH_MIN
        differs = (self.differs | lost) & self.valid
        weight = self.weight
        return Verdict(
            differing=float(differs.sum() / count) if count else 1.0,
            overlap=count / BLOCKS**2,
            correlation=self.correlation,
            angle=self.angle,
            scale=self.scale,
            replaced=_replaced(self.change[differs]) if differs.sum() >= 2 else 0.0,
            detail=int(self.detail.sum()),
            detail_kept=float((weight * ~lost[self.detail]).sum() / max(float(weight.sum()), 1e-6)),
            colour_checked=self.colour_checked,
            crop=_implied_crop(self.warp),
            mask=tuple(
                tuple(int(v) for v in row)
                for row in np.where(self.valid, differs.astype(int), -1).reshape(BLOCKS, BLOCKS)
            ),
        )


def _judge(
    stored: Prepared,
    query: Prepared,
    warp: np.ndarray,
    aspects: tuple[float, float],
    colours: tuple[np.ndarray | None, np.ndarray | None],
    bounds: Bounds,
) -> _Judged | Verdict:
    """The block comparison under an alignment at 128 px (see compare), or the verdict of a
    pair given up before the stroke test (see Bounds)."""
    angle, scale = _similarity(warp, aspects)
    p_full, q_full = stored.levels[0], query.levels[0]
    (values,), (inside,) = _warp(q_full[None], warp[None])
    p_n = _normalised(p_full.ravel(), inside)
    q_n = _normalised(values[0], inside)
    valid = _blocks(inside.astype(np.float32)).mean(1) >= BLOCK_VALID
    bp, bq = _blocks(p_n), _blocks(q_n)
    mp, mq = bp.mean(1), bq.mean(1)
    dp, dq = bp - mp[:, None], bq - mq[:, None]
    sp, sq = np.sqrt((dp**2).mean(1)), np.sqrt((dq**2).mean(1))
    ncc = (dp * dq).mean(1) / np.maximum(sp * sq, 1e-6)
    textured = np.maximum(sp, sq) > FLAT_STD
    differs = (np.abs(mp - mq) > MEAN_OFF) | (textured & (ncc < NCC_MIN))
    stored_colour, query_colour = colours
    colour_checked = stored_colour is not None and query_colour is not None and valid.any()
    if stored_colour is not None and query_colour is not None and valid.any():
        differs |= _colour_off(stored_colour, query_colour, warp, valid)
    count = int(valid.sum())
    correlation = float(np.mean(p_n[inside] * q_n[inside])) if inside.any() else 0.0
    before = float((differs & valid).sum() / count) if count else 1.0
    if count < bounds.min_overlap * BLOCKS**2 or before > bounds.max_differing:
        return Verdict(before, count / BLOCKS**2, correlation, angle, scale)
    strokes = np.sqrt((_blocks(stored.detail) ** 2).mean(1))
    detail = valid & (strokes > DETAIL_RMS)
    glyphs, weight = _glyphs(stored.strokes, query.strokes, _scaled(warp, 2.0), detail)
    return _Judged(
        warp,
        differs,
        valid,
        bq - bp,
        detail,
        glyphs,
        weight,
        correlation,
        angle,
        scale,
        bool(colour_checked),
    )


def _sharpened(stored: Prepared, query: Prepared, judged: _Judged) -> np.ndarray:
    """The strokes' correlation per detailed block, the better of the first look's and the
    one after aligning the strokes at 256 px on all the detailed blocks (SHARP_STEPS)."""
    lost = judged.glyphs < GLYPH_MIN
    if not lost.any():
        return judged.glyphs
    size = SIG_SIDE // BLOCKS
    blocks = _block_points(judged.detail, SIG_SIDE).reshape(3, -1, size, size)
    points = blocks[:, :, ::SHARP_STRIDE, ::SHARP_STRIDE].reshape(3, -1)
    fine = _refine(stored.sharp[0], query.sharp, _scaled(judged.warp, 2.0), SHARP_STEPS, points)
    retried = judged.detail.copy()
    retried[judged.detail] = lost
    again, _ = _glyphs(stored.strokes, query.strokes, fine, retried)
    glyphs = judged.glyphs.copy()
    glyphs[lost] = np.maximum(glyphs[lost], again)
    return glyphs


def _implied_crop(warp: np.ndarray) -> tuple[float, float, float, float]:
    """(left, top, right, bottom): the share of the stored picture's width or height that the
    copy leaves out on each side (negative: the copy shows more there, e.g. padding)."""
    half = ALIGN_SIDE / 2
    corners = np.array([[-half, -half], [half, -half], [-half, half], [half, half]]).T
    stored = np.linalg.solve(warp[:, :2], corners - warp[:, 2:]) / ALIGN_SIDE + 0.5
    (x0, y0), (x1, y1) = stored.min(1), stored.max(1)
    return tuple(round(float(v), 3) for v in (x0, y0, 1 - x1, 1 - y1))  # type: ignore[return-value]


def _replaced(residual: np.ndarray) -> float:
    """How two-signed the change in the differing blocks is: 0 when marks were only added on
    top (a watermark, a name, a stamp: all brighter or all darker than the original), towards
    0.5 when ink vanished in some places and appeared in others (text replaced by other text,
    as in a template pair). Residuals under RESIDUAL_MIN (std units) do not count."""
    brighter = float(np.clip(residual - RESIDUAL_MIN, 0, None).sum())
    darker = float(np.clip(-residual - RESIDUAL_MIN, 0, None).sum())
    return min(brighter, darker) / max(brighter + darker, 1e-6)
