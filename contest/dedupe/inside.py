"""A poster located inside an upload, compared with the stored poster as any copy is.

The part of the poster the upload shows is cut out (located.cut_out), less what something
hides there (hidden.py), and given to verify.compare with the same levels as a whole copy.
Two things a capture does that a copy of the file does not are undone first:

- Light: a photo of a screen or a print has glare and uneven light across the poster (a
  smooth field added to it), which makes whole blocks brighter than the stored poster's.
  The cut-out's light is made as even as the poster's: the difference of the two pictures,
  blurred (BLUR_LIGHT), less the poster's own share of it, is taken off. What differs in
  letters and lines (another text on a template) is finer than that and stays.
- Sharpness: a photo loses the finest detail (focus, shake, a screen's pixels); the stored
  signature is blurred as much, so strokes are compared at the detail both still have.

Only a part of the poster may be shown (a page cut at a window's edge): the alignment then
scales the poster up by the part's inverse, and the overlap covers only that part. The
verdict is given relative to the part shown (its scale and overlap), and MIN_SHOWN of the
poster (located.py) is what must be seen at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import cv2
import numpy as np

from contest.core.models import FlagLevel
from contest.dedupe.features import Scene
from contest.dedupe.hashes import THUMB_SIDE, PosterHashes
from contest.dedupe.hidden import hidden_part
from contest.dedupe.located import MIN_SHOWN, Located, cut_out, signed_area
from contest.dedupe.verify import Bounds, Prepared, Verdict, compare, correlation, window_warp

# A cut-out with less than this share of the stored signature's fine detail is compared with
# the stored signature blurred to match, by the first of BLURS (px at 256) that gets there
SHARP_ENOUGH = 0.8
BLURS = (0.5, 0.7, 1.0, 1.4, 2.0, 2.8)
BLUR_LIGHT = 8.0  # px at 256: what is smoother than this in the difference is light
GAINS = (0.2, 5.0)  # the cut-out's contrast against the poster's, as fitted, kept within these
# The cut-out at 32 px must correlate this well with the stored poster's part before it is
# compared (chance placements of look-alike posters: a quarter fail it; on the tuning captures
# no copy found as a match fell below it)
GLANCE_MIN = 0.3
# A cut-out that is no match as it is may still be compared evenly lit when, aligned, it
# correlates this well with the poster as it is: a photo's glare and colour cast leave a third
# to a half of its blocks differing, but the picture as a whole still follows the poster's
# (on the tuning photos of a screen: 0.49-0.90; a chance placement of a look-alike drawn
# poster that evening the light made a "duplicate" had not aligned at all), and when it lies
# in a bigger picture, covering at most LIT_AREA of it (a photo of a screen or a print; a
# crop of one poster found in its template sibling covers 0.74, and its few differing letters
# must not be evened away)
LIT_FROM = 0.45
LIT_AREA = 0.6


def _part(picture: np.ndarray, shown: tuple[float, float, float, float]) -> np.ndarray:
    """The ``shown`` part (shares) of a square picture."""
    side = picture.shape[0]
    left, top, right, bottom = (round(v * side) for v in shown)
    return picture[top : max(bottom, top + 1), left : max(right, left + 1)]


def _unhidden(
    stored: np.ndarray, cut: np.ndarray, shown: tuple[float, float, float, float]
) -> tuple[float, float, float, float]:
    """``shown`` less what something hides in the cut-out (hidden.py)."""
    left, top, right, bottom = shown
    least = MIN_SHOWN / max(min(right - left, bottom - top), MIN_SHOWN)
    gone = hidden_part(_part(stored, shown), cut, least)
    width, height = right - left, bottom - top
    return (
        left + width * gone[0],
        top + height * gone[1],
        right - width * gone[2],
        bottom - height * gone[3],
    )


def evenly_lit(poster: np.ndarray, cut: np.ndarray) -> np.ndarray:
    """The cut-out with the light the poster does not have taken off (see the module):
    ``poster`` is the same part of the stored poster, any size."""
    height, width = cut.shape
    part = cv2.resize(poster.astype(np.float32), (width, height), interpolation=cv2.INTER_AREA)
    grey = cut.astype(np.float32)
    smooth_poster = cv2.GaussianBlur(part, (0, 0), BLUR_LIGHT)
    smooth_cut = cv2.GaussianBlur(grey, (0, 0), BLUR_LIGHT)
    spread = float(smooth_poster.var())
    gain = float(np.mean((smooth_cut - smooth_cut.mean()) * (smooth_poster - smooth_poster.mean())))
    gain = float(np.clip(gain / max(spread, 1e-6), *GAINS))
    light = smooth_cut - gain * smooth_poster
    even: np.ndarray = np.clip(grey - light + light.mean(), 0, 255).astype(np.uint8)
    return even


def _thumb(picture: np.ndarray) -> np.ndarray:
    """A picture at THUMB_SIDE x THUMB_SIDE (float32), for a first look."""
    small: np.ndarray = cv2.resize(
        picture.astype(np.float32), (THUMB_SIDE, THUMB_SIDE), interpolation=cv2.INTER_AREA
    )
    return small


def _fine(picture: np.ndarray) -> float:
    """How much fine detail a picture has: the RMS of it less its blur at 1.5 px."""
    grey = picture.astype(np.float32)
    return float(np.sqrt(np.mean((grey - cv2.GaussianBlur(grey, (0, 0), 1.5)) ** 2)))


def _area(located: Located) -> float:
    """The share of the upload the located poster covers (all of it, shown or not)."""
    return abs(signed_area(np.array(located.quad)))


def as_sharp_as(stored: np.ndarray, cut: np.ndarray) -> np.ndarray:
    """The stored signature blurred as much as the cut-out is (a photo: the camera's focus
    and shake, the screen's pixels): strokes are then compared at the detail both still
    have. A sharp cut-out (a screenshot) leaves it as it is."""
    target = _fine(cut)
    if target >= SHARP_ENOUGH * _fine(stored):
        return stored
    for sigma in BLURS:
        softened = cv2.GaussianBlur(stored, (0, 0), sigma)
        if _fine(softened) <= target:
            return softened
    return softened


def compare_inside(
    stored: PosterHashes,
    scene: Scene,
    located: Located,
    bounds: Bounds,
    judge: Callable[[Verdict], FlagLevel | None],
) -> tuple[Verdict, FlagLevel | None, Located]:
    """verify.compare of the stored poster with the part of it the upload shows, cut out;
    the verdict (its scale and overlap relative to that part), the level ``judge`` gives it,
    and the part compared.

    The cut-out is compared as it is first; a match, or a cut-out that as it is already
    follows the poster (LIT_FROM), may then be compared evenly lit (evenly_lit), and the
    better level of the two stands. Taking off a smooth field makes any smooth poster (a
    gradient, a sky) look like any other, so evening the light can only make a duplicate of
    a pair that aligned as it was, and never a "similar" of a pair that was no match. A
    cut-out that does not look like the poster at a glance (GLANCE_MIN) is given up before
    it is compared."""
    poster = stored.signature  # decoded once
    signature, colour = cut_out(scene, located)
    unhidden = replace(located, shown=_unhidden(poster, signature, located.shown))
    if unhidden.shown != located.shown:
        located = unhidden
        signature, colour = cut_out(scene, located)
    first = correlation(_thumb(_part(poster, located.shown)), _thumb(signature))
    if first < GLANCE_MIN:
        return Verdict(differing=1.0, overlap=0.0, correlation=first), None, located
    left, top, right, bottom = located.shown
    start = window_warp(located.shown, (0.0, 0.0, 1.0, 1.0), THUMB_SIDE)
    aspect = stored.aspect * (right - left) / (bottom - top)
    area = (right - left) * (bottom - top)
    expected = 1 / float(np.sqrt(area))  # the part shown fills the cut-out
    low, high = bounds.scales
    part_bounds = replace(
        bounds, scales=(low * expected, high * expected), min_overlap=bounds.min_overlap * area
    )

    def compared(cut: np.ndarray) -> Verdict:
        verdict = compare(
            Prepared(as_sharp_as(poster, cut)),
            Prepared(cut),
            start,
            (stored.aspect, aspect),
            (stored.colour, colour),
            part_bounds,
            placed=True,
        )
        return replace(
            verdict, scale=verdict.scale / expected, overlap=min(1.0, verdict.overlap / area)
        )

    verdict = compared(signature)
    level = judge(verdict)
    if level == FlagLevel.DUPLICATE or (
        level is None and (verdict.correlation < LIT_FROM or _area(located) > LIT_AREA)
    ):
        return verdict, level, located
    lit = compared(evenly_lit(_part(poster, located.shown), signature))
    if judge(lit) == FlagLevel.DUPLICATE:
        return lit, FlagLevel.DUPLICATE, located
    return verdict, level, located
