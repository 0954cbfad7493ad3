"""Perceptual hashes of a poster: the first stage of the duplicate search.

Every picture is reduced the same way: greyscale (colour edits and grey copies agree), borders
of near-constant colour trimmed (padding, letterbox bars, a desktop around a screenshot). Then
128-bit DCT hashes of seven *views* of the trimmed picture squashed square (whole, 90%/80%
centre crops, four 60% regions), for the query in twelve orientations (quarter turns x {0,
+-3 degree tilt}). contest/dedupe/index.py searches them; verify.py decides.
"""

from __future__ import annotations

import numpy as np
from PIL import Image
from scipy.fft import dctn

from contest.dedupe.hashes import SIG_SIDE, VIEWS, WORDS, PosterHashes

HASH_SIDE = 32  # pixels of the square each view is reduced to before the DCT
WORK_SIDE = 384  # long side of the greyscale working copy
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
        return int(lines.shape[0])
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


def compute_hashes(image: Image.Image) -> PosterHashes:
    """Hashes of the normalised RGB image.

    ``stored``: the view hashes of the trimmed picture, as kept in the index. ``query``: the
    same for each quarter turn, also with a slight tilt either way undone, so a later query
    matches a copy uploaded in any orientation without decoding anything again. ``signature``:
    the small greyscale picture the second stage aligns and compares.
    """
    grey = _working_grey(image)
    trimmed = trim(grey)
    tilted = [_untilt(grey, degrees) for degrees in TILTS]
    groups = [_view_hashes(np.rot90(g, k)) for k in range(4) for g in (trimmed, *tilted)]
    query = np.array(groups, np.uint64).reshape(len(groups), len(VIEWS), WORDS)
    return PosterHashes(
        aspect=round(trimmed.shape[1] / trimmed.shape[0], 4),
        stored=query[0].copy(),
        query=query,
        signature=signature(trimmed),
    )


def signature(grey: np.ndarray) -> np.ndarray:
    """The trimmed greyscale picture squashed to SIG_SIDE x SIG_SIDE (uint8)."""
    image = Image.fromarray(grey.astype(np.uint8), "L")
    square = image.resize((SIG_SIDE, SIG_SIDE), Image.Resampling.BOX)
    return np.asarray(square, dtype=np.uint8)
