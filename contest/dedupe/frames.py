"""Two pictures that share a frame but not a poster: screenshots of two different posters in
one browser window, one desktop or this app's own poster page; photos of two posters taken in
one place.

Aligned as whole pictures, such a pair agrees wherever the frame is (bars, a sidebar, texts, a
blank page, a wall) and differs in one solid area: where each shows its poster. A copy differs
in scattered places or not at all (a changed line, a name); a template with other text differs
along its lines of text, with the shared background between them. So a pair whose differing
blocks include one solid area (DIFFERENT_AREA of the compared blocks or more, filling SOLID of
its bounding box as it is or once lines one block thin are taken off it: the edge of a window
or a shadow running on from the poster) shows two different pictures in one frame, and is no
match at all.

A watermark or a sticker over a poster differs in a solid area too, and a photo of a poster is
shaped like a poster. So in a picture shaped like a poster (POSTER_SHAPES, width / height) the
area must be larger (POSTER_AREA: a photo's poster, not a word stamped over one) and enclosed:
agreeing blocks, MARGIN deep, between it and every side of the picture (the wall around a
poster; a band replaced at a poster's top or bottom reaches its edge). Screen-shaped pictures
(wider than tall: a desktop, a browser window, a photo of a monitor; or taller than a poster:
a phone's screen) ask only the first.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import ndimage

DIFFERENT_AREA = 0.06  # share of the compared blocks
SOLID = 0.5  # share of its bounding box the area fills
POSTER_SHAPES = (0.55, 1.0)  # width / height of a poster (A-series 0.71, film posters 0.67)
POSTER_AREA = 0.15  # share of the compared blocks, in a picture shaped like a poster
MARGIN = 2  # blocks between it and each side of the picture there...
AROUND = 0.8  # ... of which this share (of those compared) agree


def screen_shaped(aspect: float) -> bool:
    """Whether a picture of this width / height is shaped like a screen, not a poster."""
    return not POSTER_SHAPES[0] <= aspect <= POSTER_SHAPES[1]


def _enclosed(blocks: np.ndarray, found: tuple[slice, slice]) -> bool:
    """Whether the area's box keeps MARGIN blocks from every side of the picture, and the
    compared blocks in that ring around it mostly (AROUND) agree."""
    rows, columns = found
    height, width = blocks.shape
    if min(rows.start, columns.start, height - rows.stop, width - columns.stop) < MARGIN:
        return False
    ring = blocks[
        rows.start - MARGIN : rows.stop + MARGIN, columns.start - MARGIN : columns.stop + MARGIN
    ].copy()
    ring[MARGIN:-MARGIN, MARGIN:-MARGIN] = -1
    return bool((ring == 0).sum() >= AROUND * max(int((ring >= 0).sum()), 1))


def different_picture_in_frame(mask: Sequence[Sequence[int]], aspect: float) -> bool:
    """Whether the block mask (1 differs, 0 the same, -1 not compared) over a stored picture
    of width / height ``aspect`` has one solid area of differing blocks as large as a poster
    inside a frame (see the module docstring)."""
    blocks = np.array(mask)
    if blocks.size == 0:
        return False
    screen = screen_shaped(aspect)
    compared = max(int((blocks >= 0).sum()), 1)
    differing = blocks == 1
    opened = ndimage.binary_opening(differing, structure=np.ones((2, 2), bool))
    for areas in (differing, opened):
        groups, _ = ndimage.label(areas)
        for label, found in enumerate(ndimage.find_objects(groups), start=1):
            if found is None:
                continue
            area = int((groups[found] == label).sum())
            box = (found[0].stop - found[0].start) * (found[1].stop - found[1].start)
            if area < DIFFERENT_AREA * compared or area < SOLID * box:
                continue
            if screen or (area >= POSTER_AREA * compared and _enclosed(blocks, found)):
                return True
    return False
