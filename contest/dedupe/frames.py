"""Two pictures that share a frame but not a poster: screenshots of two different posters in
one browser window, one desktop or this app's own poster page.

Aligned as whole pictures, such a pair agrees wherever the frame is (bars, a sidebar, texts, a
blank page) and differs in one solid area: where each shows its poster. A copy differs in
scattered places or not at all (a changed line, a name); a template with other text differs
along its lines of text, with the shared background between them. So a pair whose differing
blocks include one solid area (DIFFERENT_AREA of the compared blocks or more, filling SOLID of
its bounding box) shows two different pictures in one frame, and is no match at all.

A watermark written over a poster differs in a solid area too. So the rule is asked only of
pictures shaped like a screen, not like a poster: wider than tall (a desktop, a browser
window, a photo of a monitor) or taller than a poster is (a phone's screen): outside
POSTER_SHAPES (width / height). A poster's own copies keep v5's verdicts.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import ndimage

DIFFERENT_AREA = 0.06  # share of the compared blocks
SOLID = 0.5  # share of its bounding box the area fills
POSTER_SHAPES = (0.55, 1.0)  # width / height of a poster (A-series 0.71, film posters 0.67)


def screen_shaped(aspect: float) -> bool:
    """Whether a picture of this width / height is shaped like a screen, not a poster."""
    return not POSTER_SHAPES[0] <= aspect <= POSTER_SHAPES[1]


def different_picture_in_frame(mask: Sequence[Sequence[int]], aspect: float) -> bool:
    """Whether the block mask (1 differs, 0 the same, -1 not compared) over a stored picture
    of width / height ``aspect`` has one solid area of differing blocks as large as a poster
    inside a frame (see the module docstring)."""
    blocks = np.array(mask)
    if blocks.size == 0 or not screen_shaped(aspect):
        return False
    compared = int((blocks >= 0).sum())
    groups, _ = ndimage.label(blocks == 1)
    for found in ndimage.find_objects(groups):
        if found is None:
            continue
        area = int((groups[found] > 0).sum())
        box = (found[0].stop - found[0].start) * (found[1].stop - found[1].start)
        if area >= DIFFERENT_AREA * max(compared, 1) and area >= SOLID * box:
            return True
    return False
