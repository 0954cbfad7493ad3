"""Second stage of the duplicate search: align two small greyscale signatures, then measure
how much of the picture actually differs.

A signature is the trimmed, upright greyscale picture squashed to SIG_SIDE x SIG_SIDE (uint8),
kept next to the hashes. For a candidate pair the query signature is turned by the quarter
turn the hashes chose, then an affine map (stored pixel -> query pixel) is found in two steps:
a small grid of rotations and scales, each with the best shift by FFT cross-correlation (at
half size), then a few Gauss-Newton steps on all six affine parameters (at full size). On the
aligned overlap the picture is cut into BLOCKS x BLOCKS blocks; a block *differs* when its
normalised brightness is off or its local pattern does not correlate. The share of differing
blocks decides: a copy differs in a few blocks (a changed line, a name, a watermark), a
template pair in a band of text, an unrelated poster almost everywhere.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

import numpy as np
from PIL import Image
from scipy.fft import irfft2, rfft2
from scipy.ndimage import gaussian_filter

SIG_SIDE = 64
BLOCKS = 8  # blocks per side for the differing-area measure
ANGLES = (-3.0, -1.5, 0.0, 1.5, 3.0)  # degrees tried before refinement
SCALES = (0.9, 0.95, 1.0, 1.05, 1.1)
MAX_SHIFT = 0.15  # of the side, for the coarse shift search
REFINE_STEPS = 8
BLOCK_VALID = 0.8  # share of a block that must lie inside both pictures to count
MEAN_OFF = 0.4  # normalised brightness difference (in global std units) that differs
NCC_MIN = 0.55  # local correlation below which a textured block differs
FLAT_STD = 0.12  # a block flatter than this (global std units) has no pattern to correlate


def signature(grey: np.ndarray) -> np.ndarray:
    image = Image.fromarray(grey.astype(np.uint8), "L")
    square = image.resize((SIG_SIDE, SIG_SIDE), Image.Resampling.BOX)
    return np.asarray(square, dtype=np.uint8)


def encode(sig: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(sig, np.uint8).tobytes()).decode("ascii")


def decode(text: str) -> np.ndarray:
    data = np.frombuffer(base64.b64decode(text), np.uint8)
    return data.reshape(SIG_SIDE, SIG_SIDE)


@dataclass(frozen=True)
class Verdict:
    differing: float  # share of the compared blocks that differ (0..1)
    overlap: float  # share of the stored picture's blocks compared
    correlation: float  # global correlation of the aligned overlap
    angle: float  # degrees, after the quarter turn
    scale: float


def _frame(aspect: float) -> np.ndarray:
    """Pixel steps in a physical frame of area 1 (width sqrt(aspect), height 1/sqrt(aspect))."""
    return np.diag([np.sqrt(aspect), 1 / np.sqrt(aspect)]) / SIG_SIDE


def _affine(angle: float, scale: float, stored_aspect: float, query_aspect: float) -> np.ndarray:
    """2x2 map from stored pixel offsets (x, y) to query pixel offsets for a turn and scale."""
    t = np.radians(angle)
    rotation = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])
    return np.linalg.inv(_frame(query_aspect)) @ (scale * rotation) @ _frame(stored_aspect)


def _grid(side: int) -> np.ndarray:
    """(3, side*side) rows of x - centre, y - centre, 1."""
    y, x = np.mgrid[0:side, 0:side].astype(np.float64)
    centre = (side - 1) / 2
    return np.stack([x.ravel() - centre, y.ravel() - centre, np.ones(side * side)])


def _warp(images: np.ndarray, warps: np.ndarray, grid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Bilinear samples of each of ``images`` (C, side, side) at each warp (H, 2, 3) @ grid
    (query pixel coords): (H, C, N) values and the (H, N) inside mask."""
    side = images.shape[-1]
    x, y = np.moveaxis(warps @ grid, 1, 0) + (side - 1) / 2
    inside = (x >= 0) & (x <= side - 1) & (y >= 0) & (y <= side - 1)
    x, y = np.clip(x, 0, side - 1.001), np.clip(y, 0, side - 1.001)
    x0, y0 = x.astype(np.intp), y.astype(np.intp)
    fx, fy = (x - x0)[:, None], (y - y0)[:, None]
    flat = images.reshape(len(images), -1)
    i = y0 * side + x0
    top = flat[:, i].swapaxes(0, 1) * (1 - fx) + flat[:, i + 1].swapaxes(0, 1) * fx
    bottom = flat[:, i + side].swapaxes(0, 1) * (1 - fx) + flat[:, i + side + 1].swapaxes(0, 1) * fx
    return top * (1 - fy) + bottom * fy, inside


def _normalised(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    inside = values[mask]
    std = max(float(inside.std()), 4.0) if inside.size else 1.0
    return (values - (inside.mean() if inside.size else 0.0)) / std


_HYPOTHESES = [(angle, scale) for angle in ANGLES for scale in SCALES]


def _coarse(stored: np.ndarray, query: np.ndarray, aspects: tuple[float, float]) -> np.ndarray:
    """Best (2x3) warp over the grid of angles and scales, shifts by FFT, at half size."""
    side = SIG_SIDE // 2
    small_p = stored.reshape(side, 2, side, 2).mean((1, 3))
    small_q = query.reshape(side, 2, side, 2).mean((1, 3))
    p_f = np.conj(rfft2(small_p - small_p.mean(), (2 * side, 2 * side)))
    linear = np.stack([_affine(angle, scale, *aspects) for angle, scale in _HYPOTHESES])
    warps = np.concatenate([linear, np.zeros((len(linear), 2, 1))], axis=2)
    values, inside = _warp(small_q[None], warps, _grid(side))
    values = values[:, 0]
    means = (values * inside).sum(1) / np.maximum(inside.sum(1), 1)
    warped = np.where(inside, values - means[:, None], 0.0).reshape(-1, side, side)
    corr = irfft2(rfft2(warped, (2 * side, 2 * side)) * p_f, (2 * side, 2 * side))
    reach = int(MAX_SHIFT * side)
    shifts = np.r_[0 : reach + 1, -reach:0]
    window = corr[:, shifts][:, :, shifts]  # (hyp, dy, dx): p[y, x] ~ q_warped[y + dy, x + dx]
    hyp, iy, ix = np.unravel_index(int(np.argmax(window)), window.shape)
    a = linear[hyp]
    # q_warped(y + dy) = q(a @ (grid + d)) = q(a @ grid + a @ d): the shift in query pixels.
    shift = a @ np.array([shifts[ix], shifts[iy]], np.float64) * 2.0
    return np.hstack([a, shift[:, None]])


def _refine(stored: np.ndarray, query: np.ndarray, warp: np.ndarray) -> np.ndarray:
    """Gauss-Newton on the six affine parameters, brightness normalised on the overlap."""
    grid = _grid(SIG_SIDE)
    p = stored.ravel()
    gy, gx = np.gradient(query)
    channels = np.stack([query, gx, gy])
    for _ in range(REFINE_STEPS):
        (samples,), (inside,) = _warp(channels, warp[None], grid)
        if inside.mean() < 0.4:
            break
        values, gxs, gys = samples[:, inside]
        std = max(float(values.std()), 4.0)
        q_n = (values - values.mean()) / std
        p_in = p[inside]
        p_n = (p_in - p_in.mean()) / max(float(p_in.std()), 4.0)
        g = grid[:, inside]
        jac = np.concatenate([gxs * g, gys * g]).T / std
        step = np.linalg.solve(jac.T @ jac + 1e-6 * np.eye(6), jac.T @ (p_n - q_n))
        warp = warp + step.reshape(2, 3)
        if np.abs(step[[2, 5]]).max() < 0.02 and np.abs(step[[0, 1, 3, 4]]).max() < 1e-3:
            break
    return warp


def compare(
    stored: np.ndarray, query: np.ndarray, stored_aspect: float, query_aspect: float, turn: int
) -> Verdict:
    """Align ``query`` (turned by ``turn`` quarter turns) onto ``stored`` and compare blocks."""
    if turn % 2:
        query_aspect = 1 / query_aspect
    p = gaussian_filter(stored.astype(np.float64), 0.7)
    q = gaussian_filter(np.rot90(query, turn).astype(np.float64), 0.7)
    warp = _refine(p, q, _coarse(p, q, (stored_aspect, query_aspect)))
    (values,), (inside,) = _warp(q[None], warp[None], _grid(SIG_SIDE))
    values = values[0]
    p_n = _normalised(p.ravel(), inside)
    q_n = _normalised(values, inside)
    size = SIG_SIDE // BLOCKS

    def blocks(a: np.ndarray) -> np.ndarray:
        return a.reshape(BLOCKS, size, BLOCKS, size).swapaxes(1, 2).reshape(BLOCKS**2, -1)

    valid = blocks(inside.astype(np.float64)).mean(1) >= BLOCK_VALID
    bp, bq = blocks(p_n)[valid], blocks(q_n)[valid]
    mp, mq = bp.mean(1), bq.mean(1)
    dp, dq = bp - mp[:, None], bq - mq[:, None]
    sp, sq = np.sqrt((dp**2).mean(1)), np.sqrt((dq**2).mean(1))
    ncc = (dp * dq).mean(1) / np.maximum(sp * sq, 1e-6)
    textured = np.maximum(sp, sq) > FLAT_STD
    differs = (np.abs(mp - mq) > MEAN_OFF) | (textured & (ncc < NCC_MIN))
    a = _frame(query_aspect) @ warp[:, :2] @ np.linalg.inv(_frame(stored_aspect))  # s * R
    angle = float(np.degrees(np.arctan2(a[1, 0] - a[0, 1], a[0, 0] + a[1, 1])))
    scale = float(np.sqrt(abs(np.linalg.det(a))))
    count = int(valid.sum())
    correlation = float(np.mean(p_n[inside] * q_n[inside])) if inside.any() else 0.0
    return Verdict(
        differing=float(differs.mean()) if count else 1.0,
        overlap=count / BLOCKS**2,
        correlation=correlation,
        angle=angle,
        scale=scale,
    )
