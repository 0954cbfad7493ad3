"""Perceptual hashes of a poster: what the duplicate search compares.

Every picture is reduced the same way: a small working copy (long side 384), a slight tilt
turned back when the picture is a tilted rectangle on a plain fill (a photographed or rotated
copy), borders of near-constant colour trimmed (padding, letterbox bars, a desktop around a
screenshot). Then imagehash's 64-bit DCT hash (``imagehash.phash``) of sixteen *windows* of the
trimmed picture (whole, and with 6-10% cut from one side or both of each dimension), for the
query in four quarter turns; plus small pictures for the later stages (hashes.py).
contest/dedupe/index.py searches them; verify.py decides.
"""

from __future__ import annotations

import io

import imagehash
import numpy as np
from PIL import Image

from contest.dedupe.hashes import (
    COLOUR_SIDE,
    SIG_SIDE,
    THUMB_SIDE,
    TURNS,
    WINDOWS,
    PosterHashes,
)

WORK_SIDE = 512  # long side of the working copy
TRIM_TOLERANCE = 20.0  # levels (per RGB channel) around a line's median: "the same colour"
TRIM_SHARE = 0.97  # share of a line within tolerance for it to count as border
TILT_RANGE = (0.4, 8.0)  # degrees: a tilt smaller is noise, larger is not a tilted copy
SIG_QUALITY = 85  # JPEG quality of the stored signature
GREY_CHROMA = 4  # a colour map whose chroma stays below this everywhere is a grey picture


def _working(image: Image.Image) -> Image.Image:
    scale = WORK_SIDE / max(image.size)
    if scale < 1:
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        image = image.resize(size, Image.Resampling.BOX, reducing_gap=3.0)
    return image.convert("RGB")


def _grey(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("L"), dtype=np.float32)


def _border_run(lines: np.ndarray, probe: int = 16) -> int:
    """How many leading lines (of a (lines, pixels, RGB) array) are one near-constant colour,
    the colour of the first line. In colour: an orange shape on a green field of the same
    brightness is no border. The first ``probe`` lines are looked at first (most pictures
    have no border, and a border is rarely wider)."""
    limit = max(1, lines.shape[0] // 2)  # a border never covers half the picture
    for count in (min(probe, limit), limit):
        part = lines[: count + 1, ::2]
        median = np.median(part[:, ::2], axis=1)  # (lines, 3)
        off = np.abs(part - median[:, None]) <= TRIM_TOLERANCE
        uniform = off.all(-1).mean(1) >= TRIM_SHARE
        drift = np.abs(median - median[0]).max(-1) / TRIM_TOLERANCE  # in tolerances
        stop = np.flatnonzero(~(uniform & (drift <= 1))[:count])
        if stop.size:
            break
    else:
        return int(limit)
    run = int(stop[0])
    # A border ends at an edge; a run that fades into the next line is a gradient, not a border.
    if run and uniform[run] and drift[run] <= 2:
        return 0
    return run


def trim_box(rgb: np.ndarray, passes: int = 2) -> tuple[int, int, int, int]:
    """(top, bottom, left, right) of a (height, width, 3) RGB picture without borders of
    near-constant colour; the whole picture if too little would be left.

    Two passes per side: a window frame inside a desktop, or padding around a letterbox.
    """
    height, width = rgb.shape[:2]
    top, bottom, left, right = 0, height, 0, width
    for _ in range(passes):
        out = rgb[top:bottom, left:right]
        start, stop = _border_run(out), out.shape[0] - _border_run(out[::-1])
        if stop - start > 8:
            top, bottom = top + start, top + stop
        out = rgb[top:bottom, left:right].swapaxes(0, 1)
        start, stop = _border_run(out), out.shape[0] - _border_run(out[::-1])
        if stop - start > 8:
            left, right = left + start, left + stop
    if bottom - top < 0.3 * height or right - left < 0.3 * width:
        return 0, height, 0, width
    return top, bottom, left, right


def _edge_slope(first: np.ndarray) -> float | None:
    """Slope (pixels per line) of a straight edge given, per line, where content starts; None
    when the points do not lie on one line (not the edge of a turned rectangle)."""
    lines = np.arange(first.size, dtype=np.float64)
    keep = np.ones(first.size, bool)
    for _ in range(2):
        if keep.sum() < 0.6 * first.size:
            return None
        slope, offset = np.polyfit(lines[keep], first[keep], 1)
        keep = np.abs(first - (slope * lines + offset)) <= 1.5
    if keep.sum() < 0.8 * first.size:
        return None
    return float(slope)


def tilt_of(grey: np.ndarray) -> float:
    """Degrees a picture must be turned (counter-clockwise, as ``Image.rotate``) to stand
    upright when it is a slightly turned rectangle on a plain fill; 0.0 otherwise.

    The four corners must share one colour; the content's edges, measured along the middle
    half of each side, must be straight lines of about the same angle.
    """
    corners = np.array([grey[0, 0], grey[0, -1], grey[-1, 0], grey[-1, -1]])
    if np.ptp(corners) > 2 * TRIM_TOLERANCE:
        return 0.0
    content = np.abs(grey - np.median(corners)) > 2 * TRIM_TOLERANCE
    h, w = content.shape
    rows, cols = slice(h // 4, 3 * h // 4), slice(w // 4, 3 * w // 4)
    angles = []
    for mask, sign in (
        (content[rows], -1.0),  # left edge: x where content starts, per row
        (content[rows, ::-1], 1.0),  # right edge
        (content[:, cols].T, 1.0),  # top edge: y where content starts, per column
        (content[::-1, cols].T, -1.0),  # bottom edge
    ):
        if not mask.any(1).all():
            continue
        slope = _edge_slope(mask.argmax(1).astype(np.float64))
        if slope is not None:
            angles.append(sign * float(np.degrees(np.arctan(slope))))
    if len(angles) < 2 or np.ptp(angles) > 0.6:
        return 0.0
    angle = float(np.median(angles))
    return round(angle, 2) if TILT_RANGE[0] <= abs(angle) <= TILT_RANGE[1] else 0.0


def window_hashes(square: np.ndarray) -> list[int]:
    """imagehash's 64-bit pHash of each window (WINDOWS) of the trimmed greyscale picture
    squashed to 128x128 (each window is squashed to 32x32 by the hash anyway)."""
    height, width = square.shape
    picture = Image.fromarray(square, "L")
    out = []
    for left, top, right, bottom in WINDOWS:
        box = (
            round(left * width),
            round(top * height),
            round(right * width),
            round(bottom * height),
        )
        bits = imagehash.phash(picture.crop(box)).hash.ravel()
        out.append(int(np.packbits(bits).view(">u8")[0]))
    return out


def _small(grey: np.ndarray, side: int) -> np.ndarray:
    image = Image.fromarray(grey.astype(np.uint8), "L")
    return np.asarray(image.resize((side, side), Image.Resampling.BOX), dtype=np.uint8)


def _colour_map(image: Image.Image) -> np.ndarray | None:
    """Chroma (Cb, Cr around 0) per block of the trimmed picture; None for a grey picture."""
    small = image.convert("YCbCr").resize((COLOUR_SIDE, COLOUR_SIDE), Image.Resampling.BOX)
    chroma = np.asarray(small, dtype=np.int16)[..., 1:] - 128
    if np.abs(chroma).max() < GREY_CHROMA:
        return None
    return chroma.clip(-128, 127).astype(np.int8)


def compute_hashes(image: Image.Image) -> PosterHashes:
    """Hashes of the normalised RGB image.

    ``stored``: the window hashes of the trimmed upright picture, as kept in the index.
    ``query``: the same for each quarter turn, so a later query matches a copy uploaded in any
    orientation without decoding anything again.
    """
    work = _working(image)
    grey = _grey(work)
    tilt = tilt_of(grey)
    if tilt:
        corners = np.asarray(work)[[0, 0, -1, -1], [0, -1, 0, -1]]
        fill = tuple(int(c) for c in np.median(corners, axis=0))
        work = work.rotate(tilt, Image.Resampling.BILINEAR, expand=True, fillcolor=fill)
        grey = _grey(work)
    top, bottom, left, right = trim_box(np.asarray(work, dtype=np.float32))
    trimmed = grey[top:bottom, left:right]
    detail = _small(trimmed, SIG_SIDE)
    square = detail.reshape(SIG_SIDE // 2, 2, SIG_SIDE // 2, 2).mean((1, 3)).astype(np.uint8)
    query = np.array(
        [window_hashes(np.ascontiguousarray(np.rot90(square, turn))) for turn in range(TURNS)],
        np.uint64,
    )
    signature = io.BytesIO()
    Image.fromarray(detail, "L").save(signature, "JPEG", quality=SIG_QUALITY)
    return PosterHashes(
        aspect=round(trimmed.shape[1] / trimmed.shape[0], 4),
        stored=query[0].copy(),
        query=query,
        thumb=_small(trimmed, THUMB_SIDE),
        signature_jpeg=signature.getvalue(),
        colour=_colour_map(work.crop((left, top, right, bottom))),
        tilt=tilt,
    )
