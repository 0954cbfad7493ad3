"""Which part of a located poster something hides: the edge of a window, a screen's bezel, a
taskbar or a phone's navigation bar running across it.

A poster located inside a capture is mapped whole, but the capture may show only part of it:
a page cut at a window's lower edge, a screen's edge in a photo, a bar drawn over it. The
perspective map then carries the poster on over whatever lies there, and that part differs
from the poster although the rest is a copy. Where such a thing begins, the capture has a
straight edge running right across the poster (a window's edge is straight and spans the
window; the poster is shown upright on that screen, so the edge runs along its rows or
columns), which the poster itself does not have there; and beyond it nothing agrees with the
poster. Both are asked: a template with other text differs in places along its lines of
text, not beyond a straight edge across it; a band moved elsewhere (a title moved) has its
own edge there too, but agrees with the poster again past the band.

An edge right across the capture also ends what is shown when beyond it the capture is plain
(a bezel, a wall, an empty page: little spread, PLAIN; or a wall whose light runs across it: a
wide spread but no detail, PLAIN_DETAIL) and the poster is not (twice as busy), whatever the
poster has along that row and however little a smooth wall differs from a smooth part of it:
a busy picture (a crowd, a starry sky) steps somewhere along most rows, and a photo puts a
screen's edge wherever it falls. A template's other text is no plainer than the poster's.
"""

from __future__ import annotations

import cv2
import numpy as np

SIDE = 64  # the cut-out and the poster's same part are compared at SIDE x SIDE
STEP = 0.4  # a column steps across a row boundary by this much (std units of the picture)
ACROSS = 0.85  # ... in this share of the columns in the capture: an edge right across
POSTER_ACROSS = 0.5  # ... and the poster has such an edge there in at most this share
DIFFERS = 0.5  # a row differs when its mean absolute difference is this (std units) or more
BEYOND = 0.8  # share of the rows beyond the edge that must differ
PLAIN = 0.3  # mean std (std units) of the rows beyond the edge: plain (a bezel, a wall)...
PLAIN_DETAIL = 0.1  # ... or their mean step between neighbouring pixels (a wall lit unevenly)


def _small(picture: np.ndarray) -> np.ndarray:
    small = cv2.resize(picture.astype(np.float32), (SIDE, SIDE), interpolation=cv2.INTER_AREA)
    spread = max(float(small.std()), 4.0)
    normalised: np.ndarray = (small - small.mean()) / spread
    return normalised


def _across(picture: np.ndarray) -> np.ndarray:
    """Per row boundary k (between rows k - 1 and k, k = 2..SIDE - 2), the share of the
    columns whose two rows after it differ from the two before it by STEP or more."""
    before = picture[:-3] + picture[1:-2]
    after = picture[2:-1] + picture[3:]
    share: np.ndarray = (np.abs(after - before) * 0.5 >= STEP).mean(1)
    return share


def _line(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Least-squares gain and offset of y on x (a flat x: no gain, y's mean)."""
    spread = float(x.var())
    gain = float(np.mean((x - x.mean()) * (y - y.mean()))) / spread if spread > 1e-6 else 0.0
    return gain, float(y.mean()) - gain * float(x.mean())


def _detail(rows: np.ndarray) -> float:
    """The mean step between neighbouring pixels, across and down: what a bezel or a wall
    lacks, however its light runs across it."""
    return float(np.abs(np.diff(rows, axis=1)).mean() + np.abs(np.diff(rows, axis=0)).mean()) / 2


def _plain_beyond(cut: np.ndarray, poster: np.ndarray, boundary: int) -> bool:
    """Whether the cut-out's rows past the one after ``boundary`` are plain and the poster's
    there at least twice as busy (see the module): plain by their spread (PLAIN), or having
    no detail (PLAIN_DETAIL) where the poster has some."""
    if boundary + 2 >= SIDE:
        return False
    cut, poster = cut[boundary + 1 :], poster[boundary + 1 :]
    plain = float(cut.std(1).mean())
    if plain <= PLAIN and float(poster.std(1).mean()) >= 2 * plain:
        return True
    plain = _detail(cut)
    return plain <= PLAIN_DETAIL and _detail(poster) >= max(2 * plain, PLAIN_DETAIL)


def _bottom_hidden(cut: np.ndarray, poster: np.ndarray, low: int) -> int:
    """How many rows at the bottom of the cut-out something hides (0 when nothing): the
    innermost row boundary at or below ``low`` with an edge right across the cut-out, and
    either the cut-out plain beyond it where the poster is not (_plain_beyond), or no edge
    across the poster there and the rows beyond differing from the poster's."""
    cut_edges, poster_edges = _across(cut), _across(poster)
    for boundary in range(max(low, 2), SIDE - 1):
        k = boundary - 2
        if cut_edges[k] < ACROSS:
            continue
        if _plain_beyond(cut, poster, boundary):
            return SIDE - boundary
        if poster_edges[k] > POSTER_ACROSS:
            continue
        above = slice(0, boundary)
        gain, offset = _line(cut[above].ravel(), poster[above].ravel())
        beyond = np.abs(gain * cut[boundary:] + offset - poster[boundary:]).mean(1)
        if (beyond >= DIFFERS).mean() >= BEYOND:
            return SIDE - boundary
    return 0


def hidden_part(
    poster: np.ndarray, cut: np.ndarray, least: float
) -> tuple[float, float, float, float]:
    """The shares (left, top, right, bottom) of the cut-out that something hides, keeping at
    least ``least`` of each dimension. ``poster``: the same part of the stored poster as the
    cut-out shows, as a greyscale picture (any size; both are compared at SIDE)."""
    small_cut, small_poster = _small(cut), _small(poster)
    low = int(np.ceil(least * SIDE))
    hidden = []
    for turns in (1, 2, 3, 0):  # left, top, right, bottom: each side turned to the bottom
        turned = (np.rot90(small_cut, turns), np.rot90(small_poster, turns))
        hidden.append(_bottom_hidden(*turned, low) / SIDE)
    left, top, right, bottom = hidden
    if 1 - left - right < least:
        left, right = (0.0, right) if right >= left else (left, 0.0)
    if 1 - top - bottom < least:
        top, bottom = (0.0, bottom) if bottom >= top else (top, 0.0)
    return left, top, right, bottom
