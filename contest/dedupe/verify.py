"""Second stage of the duplicate search: align two small greyscale signatures, then measure
how much of the picture actually differs.

A signature is the trimmed, upright greyscale picture squashed to SIG_SIDE x SIG_SIDE (uint8),
kept next to the hashes. For a candidate pair the query signature is turned by the quarter
turn the hashes chose, then an affine map (stored pixel -> query pixel) is found in two steps:
a few rotations (around the tilt the hashes chose) and scales, each with the best shift by FFT
cross-correlation (at half size), then Gauss-Newton steps on all six affine parameters (first
at half size, then at full size). On the aligned overlap the picture is cut into BLOCKS x
BLOCKS blocks; a block *differs* when its normalised brightness is off or its local pattern
does not correlate. The share of differing blocks decides: a copy differs in a few blocks (a
changed line, a name, a watermark), an unrelated poster almost everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.fft import irfft2, rfft2

from contest.dedupe.hashes import SIG_SIDE

HALF = SIG_SIDE // 2
BLOCKS = 8  # blocks per side for the differing-area measure
ANGLE_STEPS = (-1.5, 0.0, 1.5)  # degrees around the hashes' tilt, tried before refinement
SCALES = (0.9, 1.0, 1.1)
MAX_SHIFT = 0.15  # of the side, for the coarse shift search
COARSE_STEPS = 6  # Gauss-Newton steps at half size
FINE_STEPS = 3  # then at full size
BLOCK_VALID = 0.8  # share of a block that must lie inside both pictures to count
MEAN_OFF = 0.4  # normalised brightness difference (in global std units) that differs
NCC_MIN = 0.55  # local correlation below which a textured block differs
FLAT_STD = 0.12  # a block flatter than this (global std units) has no pattern to correlate
RESIDUAL_MIN = 0.5  # per-pixel difference (global std units) that counts as changed ink


def _blur_matrix(side: int, sigma: float = 0.7, radius: int = 3) -> np.ndarray:
    """Gaussian blur along one axis as a matrix, mirrored at the edges (as
    scipy.ndimage.gaussian_filter's default); blurring a picture is B @ picture @ B.T."""
    taps = np.exp(-0.5 * (np.arange(-radius, radius + 1) / sigma) ** 2)
    padded = np.zeros((side, side + 2 * radius))
    for row in range(side):
        padded[row, row : row + 2 * radius + 1] = taps / taps.sum()
    source = np.r_[radius - 1 : -1 : -1, 0:side, side - 1 : side - radius - 1 : -1]
    matrix = np.zeros((side, side))
    np.add.at(matrix.T, source, padded.T)
    return matrix.astype(np.float32)


_BLUR = _blur_matrix(SIG_SIDE)
_HALVE = np.kron(np.eye(HALF), [0.5, 0.5]).astype(np.float32)  # 2x2 block means: H @ x @ H.T


@dataclass(frozen=True)
class Verdict:
    differing: float  # share of the compared blocks that differ (0..1)
    overlap: float  # share of the stored picture's blocks compared
    correlation: float  # global correlation of the aligned overlap
    angle: float  # degrees, after the quarter turn
    scale: float
    replaced: float = 0.0  # two-signedness of the change where 2+ blocks differ (see _replaced)


def _blur(sig: np.ndarray) -> np.ndarray:
    blurred: np.ndarray = _BLUR @ sig.astype(np.float32) @ _BLUR.T
    return blurred


def _half(image: np.ndarray) -> np.ndarray:
    halved: np.ndarray = _HALVE @ image @ _HALVE.T
    return halved


def _frame(aspect: float) -> np.ndarray:
    """Pixel steps in a physical frame of area 1 (width sqrt(aspect), height 1/sqrt(aspect))."""
    return np.diag([np.sqrt(aspect), 1 / np.sqrt(aspect)]) / SIG_SIDE


def _affines(
    angles: np.ndarray, scales: np.ndarray, stored_aspect: float, query_aspect: float
) -> np.ndarray:
    """(H, 2, 2) maps from stored pixel offsets (x, y) to query pixel offsets."""
    t = np.radians(angles)
    rotation = np.stack([np.cos(t), -np.sin(t), np.sin(t), np.cos(t)], -1).reshape(-1, 2, 2)
    inner = scales[:, None, None] * rotation
    maps: np.ndarray = np.linalg.inv(_frame(query_aspect)) @ inner @ _frame(stored_aspect)
    return maps


def _grid(side: int) -> np.ndarray:
    """(3, side*side) rows of x - centre, y - centre, 1 (float32)."""
    y, x = np.mgrid[0:side, 0:side].astype(np.float32)
    centre = (side - 1) / 2
    return np.stack([x.ravel() - centre, y.ravel() - centre, np.ones(side * side, np.float32)])


_GRIDS = {side: _grid(side) for side in (HALF, SIG_SIDE)}


def _warp(images: np.ndarray, warps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Bilinear samples of each of ``images`` (C, side, side) at each warp (H, 2, 3) @ grid
    (query pixel coords): (H, C, N) values and the (H, N) inside mask."""
    side = images.shape[-1]
    x, y = np.moveaxis(warps.astype(np.float32) @ _GRIDS[side], 1, 0) + np.float32((side - 1) / 2)
    inside = (x >= 0) & (x <= side - 1) & (y >= 0) & (y <= side - 1)
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


def _normalised(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    inside = values[mask]
    std = max(float(inside.std()), 4.0) if inside.size else 1.0
    return (values - (inside.mean() if inside.size else 0.0)) / std


@dataclass(frozen=True)
class Prepared:
    """A signature ready for comparison: blurred (full and half size) and, for the stored
    side, the conjugate spectrum of the half-size picture for the shift search."""

    full: np.ndarray
    half: np.ndarray
    spectrum: np.ndarray


def prepare(sig: np.ndarray) -> Prepared:
    full = _blur(sig)
    half = _half(full)
    return Prepared(full, half, np.conj(rfft2(half - half.mean(), (2 * HALF, 2 * HALF))))


def _coarse(
    stored: Prepared, query: np.ndarray, aspects: tuple[float, float], tilt: float
) -> np.ndarray:
    """Best (2x3) warp over a few angles around ``tilt`` and scales, shifts by FFT, at half
    size; the shift is in half-size pixels."""
    angles, scales = np.meshgrid(np.add(ANGLE_STEPS, tilt), SCALES)
    linear = _affines(angles.ravel(), scales.ravel(), *aspects)
    warps = np.concatenate([linear, np.zeros((len(linear), 2, 1))], axis=2)
    values, inside = _warp(query[None], warps)
    values = values[:, 0]
    means = (values * inside).sum(1) / np.maximum(inside.sum(1), 1)
    warped = np.where(inside, values - means[:, None], 0.0).reshape(-1, HALF, HALF)
    corr = irfft2(rfft2(warped, (2 * HALF, 2 * HALF)) * stored.spectrum, (2 * HALF, 2 * HALF))
    reach = int(MAX_SHIFT * HALF)
    shifts = np.r_[0 : reach + 1, -reach:0]
    window = corr[:, shifts][:, :, shifts]  # (hyp, dy, dx): p[y, x] ~ q_warped[y + dy, x + dx]
    hyp, iy, ix = np.unravel_index(int(np.argmax(window)), window.shape)
    a = linear[hyp]
    # q_warped(y + dy) = q(a @ (grid + d)) = q(a @ grid + a @ d): the shift in query pixels.
    shift = a @ np.array([shifts[ix], shifts[iy]], np.float64)
    return np.hstack([a, shift[:, None]])


def _refine(stored: np.ndarray, query: np.ndarray, warp: np.ndarray, steps: int) -> np.ndarray:
    """Gauss-Newton on the six affine parameters, brightness normalised on the overlap."""
    grid = _GRIDS[stored.shape[0]]
    p = stored.ravel()
    gy, gx = np.gradient(query)
    channels = np.stack([query, gx, gy])
    for _ in range(steps):
        (samples,), (inside,) = _warp(channels, warp[None])
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


def _correlation(stored: np.ndarray, query: np.ndarray, warp: np.ndarray) -> float:
    """Correlation of the stored picture with the warped query over their overlap."""
    (values,), (inside,) = _warp(query[None], warp[None])
    if inside.sum() < 16:
        return -1.0
    p, q = stored.ravel()[inside], values[0][inside]
    p_n = (p - p.mean()) / max(float(p.std()), 4.0)
    return float(np.mean(p_n * (q - q.mean()) / max(float(q.std()), 4.0)))


def _scaled(warp: np.ndarray, factor: float) -> np.ndarray:
    """The same map for pictures ``factor`` times larger (centred pixel offsets)."""
    return np.hstack([warp[:, :2], warp[:, 2:] * factor])


def compare(
    stored: Prepared,
    query: np.ndarray,
    stored_aspect: float,
    query_aspect: float,
    turn: int,
    tilt: float = 0.0,
    min_correlation: float = -1.0,
) -> Verdict:
    """Align ``query`` (turned by ``turn`` quarter turns, tilted by about ``tilt`` degrees)
    onto ``stored`` and compare blocks.

    Early exit: when the pictures, aligned at half size, correlate less than
    ``min_correlation``, the full-size steps are skipped and that correlation is returned
    (at full size the correlation of a pair is lower still: more detail, less blur).
    """
    if turn % 2:
        query_aspect = 1 / query_aspect
    q = _blur(np.rot90(query, turn))
    q_half = _half(q)
    warp = _coarse(stored, q_half, (stored_aspect, query_aspect), tilt)
    warp = _refine(stored.half, q_half, warp, COARSE_STEPS)
    coarse = _correlation(stored.half, q_half, warp)
    if coarse < min_correlation:
        return Verdict(differing=1.0, overlap=0.0, correlation=coarse, angle=0.0, scale=0.0)
    warp = _refine(stored.full, q, _scaled(warp, 2.0), FINE_STEPS)
    (values,), (inside,) = _warp(q[None], warp[None])
    values = values[0]
    p_n = _normalised(stored.full.ravel(), inside)
    q_n = _normalised(values, inside)
    size = SIG_SIDE // BLOCKS

    def blocks(a: np.ndarray) -> np.ndarray:
        return a.reshape(BLOCKS, size, BLOCKS, size).swapaxes(1, 2).reshape(BLOCKS**2, -1)

    valid = blocks(inside.astype(np.float32)).mean(1) >= BLOCK_VALID
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
    replaced = _replaced(bq[differs] - bp[differs]) if differs.sum() >= 2 else 0.0
    correlation = float(np.mean(p_n[inside] * q_n[inside])) if inside.any() else 0.0
    return Verdict(
        differing=float(differs.mean()) if count else 1.0,
        overlap=count / BLOCKS**2,
        correlation=correlation,
        angle=angle,
        scale=scale,
        replaced=replaced,
    )


def _replaced(residual: np.ndarray) -> float:
    """How two-signed the change in the differing blocks is: 0 when marks were only added on
    top (a watermark, a name, a stamp: all brighter or all darker than the original), towards
    0.5 when ink vanished in some places and appeared in others (text replaced by other text,
    as in a template pair). Residuals under RESIDUAL_MIN (std units) do not count."""
    brighter = float(np.clip(residual - RESIDUAL_MIN, 0, None).sum())
    darker = float(np.clip(-residual - RESIDUAL_MIN, 0, None).sum())
    return min(brighter, darker) / max(brighter + darker, 1e-6)
