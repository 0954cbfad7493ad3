"""Perceptual hashes of a poster: what the duplicate search compares.

Every picture is reduced the same way: a small working copy (long side 512), a slight tilt
turned back when the picture is a tilted rectangle on a plain fill (a photographed or rotated
copy), borders someone added trimmed (plain runs at opposite sides, or at one side and both its
neighbours: padding, letterbox bars, a desktop around a screenshot; a plain band at one side is
the poster's own and stays, so a crop is trimmed as its original). Then imagehash's 64-bit
DCT hash (``imagehash.phash``) of sixteen *windows* of the trimmed picture (whole, and with
6-10% cut from one side or both of each dimension), for the query in four quarter turns; plus small
pictures for the later stages (hashes.py). contest/dedupe/index.py searches them; verify.py
decides.
"""

from __future__ import annotations

import io

import numpy as np
import scipy.fftpack
from PIL import Image

from contest.dedupe.features import STORED_SIDE, poster_features, scene_of
from contest.dedupe.hashes import (
    COLOUR_SIDE,
    SIG_SIDE,
    THUMB_SIDE,
    TURNS,
    WINDOWS,
    PosterHashes,
)

WORK_SIDE = 512  # long side of the working copy
TRIM_TOLERANCE = 3.0  # levels (Y, Cb, Cr) around a line's median: "flat" (JPEG noise)
TRIM_SHARE = 0.95  # share of a line within tolerance for it to count as border
TRIM_RANGE = 3.0  # levels (Y, Cb, Cr) a border's lines may differ from its first line
TRIM_STEP = 3.0  # levels: a jump at least this large ends a border (less: a gradient)
TRIM_KEEP = 0.3  # share of each dimension trimming must leave
CORNER_TOLERANCE = 40.0  # grey levels: the four corners of a tilted copy share one fill
TILT_RANGE = (0.4, 8.0)  # degrees: a tilt smaller is noise, larger is not a tilted copy
SIG_QUALITY = 85  # JPEG quality of the stored signature
HASH_SIDE = 8  # imagehash.phash's hash_size: the 8x8 lowest frequencies give 64 bits
PHASH_SIDE = 32  # imagehash.phash squashes a picture to this (hash_size 8 x highfreq_factor 4)
GREY_CHROMA = 4  # a colour map whose chroma stays below this everywhere is a grey picture


def _fit_size(size: tuple[int, int], long_side: int) -> tuple[int, int]:
    scale = min(1.0, long_side / max(size))
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


def _working(image: Image.Image) -> Image.Image:
    if max(image.size) > WORK_SIDE:
        size = _fit_size(image.size, WORK_SIDE)
        image = image.resize(size, Image.Resampling.BOX, reducing_gap=3.0)
    return image.convert("RGB")


def _grey(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("L"), dtype=np.float32)


def _border_run(lines: np.ndarray, probe: int = 16) -> tuple[int, np.ndarray]:
    """How many leading lines (of a (lines, pixels, YCbCr) array) are a plain border, and its
    colour: each line flat (TRIM_SHARE of it within TRIM_TOLERANCE of its median in each
    channel) and of the first line's colour (within TRIM_RANGE). The first ``probe`` lines
    are looked at first (most pictures have no border, and a border is rarely wider).

    A border ends at an edge: a line with content, or a jump in colour. When the colour only
    drifts on (the next lines flat, within TRIM_STEP of the last ones), the run is part of a
    gradient: no border (how much of a gradient a cut took would depend on where a crop began).
    """
    limit = max(1, lines.shape[0] // 2)  # a border never covers half the picture
    for count in (min(probe, limit), limit):
        part = lines[: count + 5, ::2]
        median = np.median(part, axis=1)  # (lines, 3)
        off = np.abs(part - median[:, None]) <= TRIM_TOLERANCE
        flat = off.all(-1).mean(1) >= TRIM_SHARE
        same = (np.abs(median - median[0]) <= TRIM_RANGE).all(-1)
        stop = np.flatnonzero(~(flat & same)[:count])
        if stop.size:
            break
    run = int(stop[0]) if stop.size else limit
    after = median[run : run + 4][np.cumprod(flat[run : run + 4]).astype(bool)]
    before = median[max(0, run - 4) : run]
    if run and after.size and np.abs(after.mean(0) - before.mean(0)).max() < TRIM_STEP:
        return 0, median[0]
    return run, median[0]


_NEIGHBOURS = ((2, 3), (2, 3), (0, 1), (0, 1))  # top, bottom, left, right


def trim_box(ycc: np.ndarray) -> tuple[int, int, int, int]:
    """(top, bottom, left, right) of a (height, width, YCbCr) picture without the borders
    someone added around it: plain runs of lines in one colour at two opposite sides, or at
    one side and both its neighbours (padding, letterbox bars, a desktop around a screenshot,
    the fill around a tilted copy).

    A plain run at one side, or at two neighbouring sides, is left alone: it is the poster's
    own (a band, a sky, the plain part a crop brought to the edge or the corner), and a crop
    must keep what its original keeps. A line must be plain in brightness and in colour (a
    line of one brightness in two hues is no border; in a grey copy of it, it can be).
    Repeated until nothing changes (a window frame inside a desktop), leaving TRIM_KEEP of
    each dimension.
    """
    height, width = ycc.shape[:2]
    box = (0, height, 0, width)
    for _ in range(4):
        top, bottom, left, right = box
        out = ycc[top:bottom, left:right]
        turned = out.swapaxes(0, 1)
        runs = [_border_run(out), _border_run(out[::-1]), _border_run(turned)]
        runs.append(_border_run(turned[::-1]))
        # A side's run counts as a border when the opposite side, or both of its
        # neighbours, have a run of the same colour.
        same = [
            [
                bool(runs[k][0]) and bool((np.abs(runs[k][1] - colour) <= TRIM_RANGE).all())
                for k in range(4)
            ]
            for _, colour in runs
        ]
        cut = [
            run
            if run and (same[side][side ^ 1] or all(same[side][k] for k in _NEIGHBOURS[side]))
            else 0
            for side, (run, _) in enumerate(runs)
        ]
        new = (top + cut[0], bottom - cut[1], left + cut[2], right - cut[3])
        if (
            new == box
            or new[1] - new[0] < TRIM_KEEP * height
            or new[3] - new[2] < TRIM_KEEP * width
        ):
            break
        box = new
    return box


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
    if np.ptp(corners) > CORNER_TOLERANCE:
        return 0.0
    content = np.abs(grey - np.median(corners)) > CORNER_TOLERANCE
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


def _quarter_turn(window: tuple[float, ...]) -> int:
    """The window of the picture turned a quarter counter-clockwise (np.rot90) that shows what
    ``window`` shows of the upright picture (WINDOWS holds every such turn of its windows)."""
    left, top, right, bottom = window
    turned = (top, 1 - right, bottom, 1 - left)
    keys = [tuple(round(v, 6) for v in w) for w in WINDOWS]
    return keys.index(tuple(round(v, 6) for v in turned))


def _shown_by_turned_windows() -> list[list[int]]:
    """[turn][k]: the upright window that window k of the picture turned ``turn`` quarters
    shows."""
    one = [_quarter_turn(window) for window in WINDOWS]  # upright window -> turned window
    out = []
    where = list(range(len(WINDOWS)))  # upright window -> its window after ``turn`` turns
    for _ in range(TURNS):
        shown = [0] * len(WINDOWS)
        for upright, turned in enumerate(where):
            shown[turned] = upright
        out.append(shown)
        where = [one[k] for k in where]
    return out


SHOWN = _shown_by_turned_windows()


def window_hashes(square: np.ndarray) -> np.ndarray:
    """imagehash's 64-bit pHash of each window (WINDOWS) of the trimmed greyscale picture
    squashed to 128x128, in each quarter turn: (TURNS, WINDOWS) uint64.

    Each window is squashed to 32x32 once (as phash squashes a picture, with Lanczos); a
    turned window is that 32x32 picture turned (phash leaves a 32x32 picture as it is). The
    upright hashes are exactly phash's of the window; a turned one can differ from hashing
    the turned window afresh by the rounding of its resize (a bit of 64 now and then). The
    64 pictures are hashed at once (phashes).
    """
    height, width = square.shape
    picture = Image.fromarray(square, "L")
    small = []
    for left, top, right, bottom in WINDOWS:
        box = (
            round(left * width),
            round(top * height),
            round(right * width),
            round(bottom * height),
        )
        window = picture.crop(box).resize((PHASH_SIDE, PHASH_SIDE), Image.Resampling.LANCZOS)
        small.append(np.asarray(window))
    turned = [
        np.rot90(small[upright], turn) for turn, shows in enumerate(SHOWN) for upright in shows
    ]
    return phashes(np.stack(turned)).reshape(TURNS, len(WINDOWS))


def phashes(pictures: np.ndarray) -> np.ndarray:
    """imagehash.phash of each of (K, 32, 32) uint8 ``pictures`` as a uint64, the K at once:
    the same DCTs (scipy.fftpack's, of each picture's columns, then its rows), the same median
    of the lowest 8x8 frequencies, the bits in the same order (tests/contest/test_dedupe.py
    holds them to imagehash's). Called once per picture, imagehash spent 11 ms more of each
    upload's check on its own steps around the DCTs (window_hashes 15.8 ms, now 4.9)."""
    dct = scipy.fftpack.dct(scipy.fftpack.dct(pictures, axis=1), axis=2)
    low = dct[:, :HASH_SIDE, :HASH_SIDE].reshape(len(pictures), -1)
    bits = low > np.median(low, axis=1, keepdims=True)
    out: np.ndarray = np.packbits(bits, axis=1).view(">u8")[:, 0].astype(np.uint64)
    return out


def _shrink(square: np.ndarray, side: int) -> np.ndarray:
    """Block means of a square uint8 picture down to side x side (side divides its side)."""
    k = square.shape[0] // side
    means = square.reshape(side, k, side, k).mean((1, 3))
    small: np.ndarray = np.round(means).astype(np.uint8)
    return small


def colour_map(image: Image.Image) -> np.ndarray | None:
    """Chroma (Cb, Cr around 0) per block of the trimmed picture; None for a grey picture."""
    small = image.convert("YCbCr").resize((COLOUR_SIDE, COLOUR_SIDE), Image.Resampling.BOX)
    chroma = np.asarray(small, dtype=np.int16)[..., 1:] - 128
    if np.abs(chroma).max() < GREY_CHROMA:
        return None
    return chroma.clip(-128, 127).astype(np.int8)


def _trimmed(
    grey: Image.Image,
    work_size: tuple[int, int],
    box: tuple[int, int, int, int],
    tilt: float,
    size: tuple[int, int],
) -> Image.Image:
    """The trimmed picture at ``size``, from the full picture in greyscale (not the working
    copy: a screenshot's or a letterbox's poster is a small part of the working copy, and its
    letters would be softer than its original's). ``box`` is (left, top, right, bottom) in the
    working copy, turned back by ``tilt`` when there is one."""
    if tilt:  # turned back at twice the working size: enough for 256 pixels, and fast
        grey = grey.resize(_fit_size(grey.size, 2 * WORK_SIDE), Image.Resampling.BOX)
        corners = np.asarray(grey)[[0, 0, -1, -1], [0, -1, 0, -1]]
        fill = int(np.median(corners))
        grey = grey.rotate(tilt, Image.Resampling.BILINEAR, expand=True, fillcolor=fill)
    sx, sy = grey.width / work_size[0], grey.height / work_size[1]
    left, top, right, bottom = box
    region = (left * sx, top * sy, right * sx, bottom * sy)
    return grey.resize(size, Image.Resampling.BOX, box=region)


def compute_hashes(image: Image.Image, *, with_scene: bool = True) -> PosterHashes:
    """Hashes of the normalised RGB image (and its scene, which only its own search uses:
    ``with_scene=False`` leaves it out).

    ``stored``: the window hashes of the trimmed upright picture, as kept in the index.
    ``query``: the same for each quarter turn, so a later query matches a copy uploaded in any
    orientation without decoding anything again.
    """
    work = _working(image)
    tilt = tilt_of(_grey(work))
    if tilt:
        corners = np.asarray(work)[[0, 0, -1, -1], [0, -1, 0, -1]]
        fill = tuple(int(c) for c in np.median(corners, axis=0))
        work = work.rotate(tilt, Image.Resampling.BILINEAR, expand=True, fillcolor=fill)
    top, bottom, left, right = trim_box(np.asarray(work.convert("YCbCr"), dtype=np.float32))
    box = (left, top, right, bottom)
    grey = image.convert("L")
    detail = np.asarray(_trimmed(grey, work.size, box, tilt, (SIG_SIDE, SIG_SIDE)))
    scale = STORED_SIDE / max(right - left, bottom - top)
    shape = (max(1, round((right - left) * scale)), max(1, round((bottom - top) * scale)))
    features = poster_features(_trimmed(grey, work.size, box, tilt, shape))
    square = _shrink(detail, SIG_SIDE // 2)
    query = window_hashes(square)
    signature = io.BytesIO()
    Image.fromarray(detail, "L").save(signature, "JPEG", quality=SIG_QUALITY)
    return PosterHashes(
        aspect=round((right - left) / (bottom - top), 4),
        stored=query[0].copy(),
        query=query,
        thumb=_shrink(detail, THUMB_SIDE),
        signature_jpeg=signature.getvalue(),
        colour=colour_map(work.crop(box)),
        tilt=tilt,
        features=features,
        scene=scene_of(image, grey) if with_scene else None,
    )
